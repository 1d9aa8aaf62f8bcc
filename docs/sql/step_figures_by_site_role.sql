-- The report's per-step figures of each site and role (report --by site,role: pathways[].groups[].steps[]).
-- Runs unchanged on DuckDB and on Spark SQL over a view named `steps` (steps.parquet);
-- docs/exchange.md says how to make the view on each. The report rounds what it prints
-- (medians to 0.1, rates to 0.0001); these queries give the unrounded values.
SELECT
  pathway_id,
  site,
  role,
  step,
  COUNT(*) AS occurrences,
  COUNT(DISTINCT session_id) AS sessions,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY active_secs) AS median_active_secs,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY active_secs) AS p90_active_secs,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY clicks) AS median_clicks,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY clicks) AS p90_clicks,
  AVG(CASE WHEN over_time THEN 1.0 ELSE 0.0 END) AS over_time_rate,
  AVG(CASE WHEN over_clicks THEN 1.0 ELSE 0.0 END) AS over_clicks_rate,
  CAST(SUM(workarounds_paper_note) AS DOUBLE) / COUNT(*) AS workaround_rate_paper_note,
  CAST(SUM(workarounds_copy_paste) AS DOUBLE) / COUNT(*) AS workaround_rate_copy_paste,
  CAST(SUM(workarounds_duplicate_entry) AS DOUBLE) / COUNT(*) AS workaround_rate_duplicate_entry,
  CAST(SUM(workarounds_second_system) AS DOUBLE) / COUNT(*) AS workaround_rate_second_system,
  CAST(SUM(workarounds_verbal_handoff) AS DOUBLE) / COUNT(*) AS workaround_rate_verbal_handoff,
  CAST(SUM(workarounds_shared_login) AS DOUBLE) / COUNT(*) AS workaround_rate_shared_login,
  CAST(SUM(workarounds_other) AS DOUBLE) / COUNT(*) AS workaround_rate_other,
  CAST(SUM(problems_slow_response) AS DOUBLE) / COUNT(*) AS problem_rate_slow_response,
  CAST(SUM(problems_error_message) AS DOUBLE) / COUNT(*) AS problem_rate_error_message,
  CAST(SUM(problems_downtime) AS DOUBLE) / COUNT(*) AS problem_rate_downtime,
  CAST(SUM(problems_login_timeout) AS DOUBLE) / COUNT(*) AS problem_rate_login_timeout,
  CAST(SUM(problems_missing_data) AS DOUBLE) / COUNT(*) AS problem_rate_missing_data,
  CAST(SUM(problems_alert_fatigue) AS DOUBLE) / COUNT(*) AS problem_rate_alert_fatigue,
  CAST(SUM(problems_hardware) AS DOUBLE) / COUNT(*) AS problem_rate_hardware,
  CAST(SUM(problems_other) AS DOUBLE) / COUNT(*) AS problem_rate_other
FROM steps
GROUP BY pathway_id, site, role, step
ORDER BY pathway_id, site, role, step
