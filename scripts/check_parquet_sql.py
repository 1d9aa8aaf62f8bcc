"""The docs/sql/ queries over shadowmap's Parquet tables equal `shadowmap report --format json`.

Usage: check_parquet_sql.py ENGINE PARQUET_DIR REPORT_JSON
  ENGINE: duckdb (the embedded engine) or spark (PySpark in local mode).
Runs docs/sql/step_figures.sql (against the report's `overall` figures) and
docs/sql/step_figures_by_site_role.sql (against its site/role groups), unchanged, over a view
named `steps`. The report rounds what it prints (medians and p90 to 1 decimal, rates to 4), so
each SQL value is rounded the way the report rounds (half away from zero) and must then equal
the report's to 1e-9. Prints "N passed, N failed" and exits 1 on any difference.
"""
import json
import math
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SQL = ROOT / "docs" / "sql"

# report JSON key -> (SQL column, decimals the report rounds to)
FIELDS = {
    "occurrences": ("occurrences", None),
    "sessions": ("sessions", None),
    "median_active_secs": ("median_active_secs", 1),
    "p90_active_secs": ("p90_active_secs", 1),
    "median_clicks": ("median_clicks", 1),
    "p90_clicks": ("p90_clicks", 1),
    "over_time_rate": ("over_time_rate", 4),
    "over_clicks_rate": ("over_clicks_rate", 4),
}


def report_round(value, digits):
    """The report's rounding: (value * 10^digits).round() / 10^digits, half away from zero."""
    scale = 10.0 ** digits
    scaled = value * scale
    rounded = math.floor(abs(scaled) + 0.5)
    return math.copysign(rounded, scaled) / scale


def run_duckdb(parquet_dir, query):
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE VIEW steps AS SELECT * FROM read_parquet('{parquet_dir}/steps.parquet')")
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


_spark = None


def run_spark(parquet_dir, query):
    global _spark
    from pyspark.sql import SparkSession

    if _spark is None:
        _spark = (
            SparkSession.builder.master("local[2]")
            .appName("shadowmap-sql-check")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        _spark.sparkContext.setLogLevel("ERROR")
    _spark.read.parquet(f"{parquet_dir}/steps.parquet").createOrReplaceTempView("steps")
    return [row.asDict() for row in _spark.sql(query).collect()]


def compare(expected_rows, sql_rows, keys, where, failures):
    by_key = {tuple(r[k] for k in keys): r for r in sql_rows}
    checked = 0
    observed = 0
    for key, figures in expected_rows:
        row = by_key.get(key)
        if figures["occurrences"] == 0:
            # A planned step nobody in the group did: the report lists it, the tables of
            # observations cannot.
            checked += 1
            if row is not None:
                failures.append(f"{where}: a SQL row for {key}, never observed in the report")
            continue
        observed += 1
        if row is None:
            failures.append(f"{where}: no SQL row for {key}")
            continue
        for field, (column, digits) in FIELDS.items():
            want = figures[field]
            got = row[column]
            if digits is not None and got is not None:
                got = report_round(float(got), digits)
            if want is None or got is None:
                ok = want == got
            else:
                ok = abs(float(want) - float(got)) <= 1e-9
            checked += 1
            if not ok:
                failures.append(f"{where} {key} {field}: report {want}, SQL {got}")
        for kind, rate in figures["workaround_rate"].items():
            got = report_round(float(row[f"workaround_rate_{kind}"]), 4)
            checked += 1
            if abs(rate - got) > 1e-9:
                failures.append(f"{where} {key} workaround_rate.{kind}: report {rate}, SQL {got}")
        for kind, rate in figures["problem_rate"].items():
            got = report_round(float(row[f"problem_rate_{kind}"]), 4)
            checked += 1
            if abs(rate - got) > 1e-9:
                failures.append(f"{where} {key} problem_rate.{kind}: report {rate}, SQL {got}")
    if len(by_key) != observed:
        failures.append(f"{where}: {len(by_key)} SQL rows, {observed} observed steps in the report")
    return checked


def main():
    engine, parquet_dir, report_path = sys.argv[1:4]
    run = {"duckdb": run_duckdb, "spark": run_spark}[engine]
    report = json.loads(pathlib.Path(report_path).read_text())
    overall, grouped = [], []
    for pathway in report["pathways"]:
        for s in pathway["overall"]["steps"]:
            overall.append(((pathway["id"], s["step"]), s))
        for group in pathway["groups"]:
            key = dict(group["key"])
            for s in group["steps"]:
                grouped.append(((pathway["id"], key["site"], key["role"], s["step"]), s))
    failures = []
    checked = compare(
        overall,
        run(parquet_dir, (SQL / "step_figures.sql").read_text()),
        ["pathway_id", "step"],
        "step_figures.sql",
        failures,
    )
    checked += compare(
        grouped,
        run(parquet_dir, (SQL / "step_figures_by_site_role.sql").read_text()),
        ["pathway_id", "site", "role", "step"],
        "step_figures_by_site_role.sql",
        failures,
    )
    for f in failures[:40]:
        print("FAIL", f)
    print(f"{engine}: {len(overall)} pathway steps and {len(grouped)} site/role steps")
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
