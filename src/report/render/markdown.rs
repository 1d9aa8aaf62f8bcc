//! The Markdown report: findings, then per pathway and group the figures and a step table.

use std::fmt::Write;

use super::{
    STEP_COLUMNS, cause_line, cells, coverage, nonzero_counts, pct, step_evidence, step_values,
};
use crate::report::aggregate::{Finding, GroupReport, Report};

/// Escapes what would break a table cell or start markup.
fn md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

pub fn markdown(report: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# shadowmap report\n");
    let _ = writeln!(
        o,
        "{}.{}\n",
        coverage(report),
        if report.redacted {
            " Redacted: note text removed, identifiers masked."
        } else {
            ""
        }
    );
    if !report.skipped.is_empty() {
        let _ = writeln!(o, "Skipped files:\n");
        for s in &report.skipped {
            let _ = writeln!(o, "- `{}`: {}", s.path.display(), md(&s.error));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(o, "None: every step is within its tolerance.\n");
    } else {
        let _ = writeln!(
            o,
            "| # | id | finding | time cost (min) | occurrences | cause | rule | confidence |"
        );
        let _ = writeln!(o, "|---|---|---|---:|---:|---|---|---|");
        for f in &report.findings {
            let cause = match &f.overridden {
                Some(_) => format!(
                    "**{}** (overridden; suggested {})",
                    f.cause, f.suggested_cause
                ),
                None => f.cause.to_string(),
            };
            let _ = writeln!(
                o,
                "| {} | `{}` | {} | {:.1} | {} of {} {}s | {} | `{}` | {} {:.2} |",
                f.rank,
                f.id,
                md(&f.title),
                f.time_cost_min,
                f.occurrences,
                f.base,
                f.unit,
                cause,
                f.rule,
                f.confidence_label,
                f.confidence
            );
        }
        let _ = writeln!(o);
        for f in &report.findings {
            finding_detail(&mut o, f);
        }
    }
    if !report.stale_overrides.is_empty() {
        let _ = writeln!(o, "Overrides that match no finding of this report:\n");
        for s in &report.stale_overrides {
            let _ = writeln!(
                o,
                "- `{}`: {} by {} (\"{}\")",
                s.finding,
                s.cause,
                md(&s.who),
                md(&s.why)
            );
        }
        let _ = writeln!(o);
    }
    for p in &report.pathways {
        let _ = writeln!(o, "## Pathway `{}`: {}\n", md(&p.id), md(&p.name));
        let _ = writeln!(
            o,
            "{} sessions; version(s) {}; sites {}; roles {}; {} clinicians.\n",
            p.sessions,
            super::versions(p),
            md(&p.sites.join(", ")),
            md(&p.roles.join(", ")),
            p.clinicians
        );
        let site = super::site_kinds(p);
        if !site.is_empty() {
            let _ = writeln!(o, "Site kinds: {}.\n", md(&site.join("; ")));
        }
        for g in super::shown_groups(report, p) {
            group(&mut o, g);
        }
    }
    o
}

fn group(o: &mut String, g: &GroupReport) {
    let f = &g.figures;
    let _ = writeln!(
        o,
        "### {} ({})\n",
        md(&g.label()),
        super::sessions(f.sessions)
    );
    let _ = writeln!(o, "| figure | value |\n|---|---:|");
    let _ = writeln!(o, "| mean fitness | {:.3} |", f.mean_fitness);
    if let Some(sus) = f.voice.sus_mean {
        let _ = writeln!(
            o,
            "| SUS (n={}; published EHR mean {:.1}) | {sus:.1} |",
            f.voice.sus_sessions, f.voice.sus_ehr_reference
        );
    }
    if let Some(tlx) = f.voice.tlx_mean {
        let _ = writeln!(
            o,
            "| raw NASA-TLX (n={}) | {tlx:.1} |",
            f.voice.tlx_sessions
        );
    }
    let _ = writeln!(o, "| observed minutes | {:.1} |", f.observed_min);
    let _ = writeln!(o, "| active minutes | {:.1} |", f.active_min);
    let _ = writeln!(
        o,
        "| expected minutes (synced steps) | {:.1} |",
        f.expected_min
    );
    let _ = writeln!(o, "| time ratio | {:.2} |", f.time_ratio);
    let _ = writeln!(
        o,
        "| click excess | {} ({:+.1} per session) |",
        f.click_excess, f.click_excess_per_session
    );
    let _ = writeln!(o, "| re-entries | {} |", f.reentries);
    let _ = writeln!(
        o,
        "| interruptions | {} ({:.1} per hour) |",
        f.interruptions, f.interruptions_per_hour
    );
    let _ = writeln!(
        o,
        "| share of time interrupted | {} |",
        pct(f.interrupted_share)
    );
    let _ = writeln!(o, "| workarounds | {} |", nonzero_counts(&f.workarounds));
    let _ = writeln!(o, "| system problems | {} |\n", nonzero_counts(&f.problems));
    let titles: Vec<&str> = STEP_COLUMNS.iter().map(|(title, _)| *title).collect();
    let _ = writeln!(o, "| {} |", titles.join(" | "));
    let aligns: Vec<&str> = STEP_COLUMNS
        .iter()
        .map(|(_, numeric)| if *numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(o, "|{}|", aligns.join("|"));
    for s in &g.steps {
        let values: Vec<String> = step_values(s).iter().map(|v| md(v)).collect();
        let unplanned = if s.planned { "" } else { "(unplanned) " };
        let _ = writeln!(
            o,
            "| {unplanned}{} | {} |",
            md(&s.label),
            values.join(" | ")
        );
    }
    let _ = writeln!(o);
}

/// One finding in full: where, how much, why, the evidence.
fn finding_detail(o: &mut String, f: &Finding) {
    let e = &f.evidence;
    let _ = writeln!(o, "### {}. {} (`{}`)\n", f.rank, md(&f.title), f.id);
    let _ = writeln!(
        o,
        "- Pathway `{}`, step *{}*.",
        md(&f.pathway),
        md(&f.step_label)
    );
    let _ = writeln!(
        o,
        "- Time cost {:.1} min: {:.2} min excess per {} x {} ({} of {}, {}).",
        f.time_cost_min,
        f.excess_min_per_occurrence,
        f.unit,
        f.occurrences,
        f.occurrences,
        f.base,
        pct(f.rate)
    );
    let _ = writeln!(o, "- Cause: {}.", md(&cause_line(f)));
    let _ = writeln!(o, "- Because: {}.", md(&f.because));
    let _ = writeln!(
        o,
        "- Evidence: {} sessions ({}{}); sites {}; roles {}; clinicians {}.",
        e.sessions,
        md(&e.session_ids.join(", ")),
        if (e.session_ids.len() as u32) < e.sessions {
            ", ..."
        } else {
            ""
        },
        md(&cells(&e.sites)),
        md(&cells(&e.roles)),
        md(&cells(&e.clinicians))
    );
    if e.expected_secs.is_some() {
        let [median, p90, expected, clicks, expected_clicks] = step_evidence(e);
        let _ = writeln!(
            o,
            "- Step: median {median} (p90 {p90}) against {expected} expected; median {clicks} clicks against {expected_clicks}."
        );
    }
    for note in &e.notes {
        let _ = writeln!(o, "- Note: \"{}\"", md(note));
    }
    let _ = writeln!(o);
}
