//! The plain-text report: what a terminal shows.

use std::fmt::Write;

use super::{cause_line, cells, coverage, nonzero_counts, pct, secs, step_evidence};
use crate::report::aggregate::{GroupReport, Report};

pub fn text(report: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "shadowmap report: {}{}",
        coverage(report),
        if report.redacted { " (redacted)" } else { "" }
    );
    for s in &report.skipped {
        let _ = writeln!(o, "skipped {}: {}", s.path.display(), s.error);
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "FINDINGS (ranked by time cost)");
    if report.findings.is_empty() {
        let _ = writeln!(o, "  none: every step is within its tolerance");
    }
    for f in &report.findings {
        let _ = writeln!(
            o,
            "{:>3}. [{}] {}  ({}, {})",
            f.rank, f.id, f.title, f.pathway, f.step_label
        );
        let _ = writeln!(
            o,
            "     cost {:.1} min = {:.2} min x {} {}s ({} of {}, {})",
            f.time_cost_min,
            f.excess_min_per_occurrence,
            f.occurrences,
            f.unit,
            f.occurrences,
            f.base,
            pct(f.rate)
        );
        let _ = writeln!(o, "     cause: {}", cause_line(f));
        let _ = writeln!(o, "     because: {}", f.because);
        let e = &f.evidence;
        let _ = writeln!(
            o,
            "     evidence: {} sessions ({}{}); sites {}; roles {}",
            e.sessions,
            e.session_ids.join(", "),
            if (e.session_ids.len() as u32) < e.sessions {
                ", ..."
            } else {
                ""
            },
            cells(&e.sites),
            cells(&e.roles)
        );
        if e.expected_secs.is_some() {
            let [median, p90, expected, clicks, expected_clicks] = step_evidence(e);
            let _ = writeln!(
                o,
                "     step: median {median} / p90 {p90} vs expected {expected}; median clicks {clicks} vs expected {expected_clicks}"
            );
        }
        for note in &e.notes {
            let _ = writeln!(o, "     note: \"{note}\"");
        }
    }
    for stale in &report.stale_overrides {
        let _ = writeln!(
            o,
            "  override of {} ({} by {}) matches no finding in this report",
            stale.finding, stale.cause, stale.who
        );
    }
    for p in &report.pathways {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "PATHWAY {} \"{}\" (version {}): {} sessions; sites {}; roles {}; {} clinicians",
            p.id,
            p.name,
            super::versions(p),
            p.sessions,
            p.sites.join(", "),
            p.roles.join(", "),
            p.clinicians
        );
        let site = super::site_kinds(p);
        if !site.is_empty() {
            let _ = writeln!(o, "  site kinds: {}", site.join("; "));
        }
        for g in super::shown_groups(report, p) {
            group(&mut o, g);
        }
    }
    o
}

fn group(o: &mut String, g: &GroupReport) {
    let f = &g.figures;
    let _ = writeln!(o);
    let _ = writeln!(o, "  {} ({})", g.label(), super::sessions(f.sessions));
    let _ = writeln!(
        o,
        "    fitness {:.3}; active {:.1} min of {:.1} observed; synced steps {:.2}x expected; \
         clicks {:+.1}/session; re-entries {}; interruptions {:.1}/h, {} of time interrupted",
        f.mean_fitness,
        f.active_min,
        f.observed_min,
        f.time_ratio,
        f.click_excess_per_session,
        f.reentries,
        f.interruptions_per_hour,
        pct(f.interrupted_share)
    );
    let _ = writeln!(
        o,
        "    workarounds: {}; problems: {}",
        nonzero_counts(&f.workarounds),
        nonzero_counts(&f.problems)
    );
    if let Some(voice) = f.voice.line() {
        let _ = writeln!(o, "    clinicians' voice: {voice}");
    }
    let _ = writeln!(
        o,
        "    {:<24} {:>5} {:>9} {:>9} {:>9} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>7}",
        "step",
        "occ",
        "med time",
        "p90 time",
        "expected",
        "med clk",
        "exp clk",
        ">time",
        ">clk",
        "wk/occ",
        "pb/occ",
        "intr/h"
    );
    for s in &g.steps {
        let name = if s.planned {
            s.step.clone()
        } else {
            format!("+{}", s.step)
        };
        let wk: f64 = s.workaround_rate.values().sum();
        let pb: f64 = s.problem_rate.values().sum();
        let _ = writeln!(
            o,
            "    {:<24} {:>5} {:>9} {:>9} {:>9} {:>7} {:>7} {:>6} {:>6} {:>6.2} {:>6.2} {:>7.1}",
            truncate(&name, 24),
            s.occurrences,
            secs(s.median_active_secs),
            secs(s.p90_active_secs),
            secs(s.expected_secs.map(f64::from)),
            s.median_clicks.map_or("-".into(), |c| format!("{c:.0}")),
            s.expected_clicks.map_or("-".into(), |c| c.to_string()),
            pct(s.over_time_rate),
            pct(s.over_clicks_rate),
            wk,
            pb,
            s.interruptions_per_hour
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('~');
        t
    }
}
