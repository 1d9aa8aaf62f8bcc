//! The findings as CSV: one row per finding, in rank order (columns in [`CSV_COLUMNS`] and
//! the README).

use super::cells;
use crate::report::aggregate::Report;

pub const CSV_COLUMNS: [&str; 27] = [
    "rank",
    "id",
    "pathway",
    "step",
    "step_label",
    "kind",
    "title",
    "time_cost_min",
    "excess_min_per_occurrence",
    "occurrences",
    "unit",
    "base",
    "rate",
    "sessions",
    "sites",
    "roles",
    "clinicians",
    "suggested_cause",
    "rule",
    "because",
    "confidence",
    "confidence_label",
    "cause",
    "overridden",
    "override_who",
    "override_why",
    "override_when",
];

/// RFC 4180 quoting (a field with a comma, quote, line break or edge space is quoted, quotes
/// doubled), and formula cells neutralised, as the exports do ([`crate::report::export::csv::field`]).
pub fn field(s: &str) -> String {
    crate::report::export::csv::field(s).into_owned()
}

pub fn findings_csv(report: &Report) -> String {
    let mut o = CSV_COLUMNS.join(",");
    o.push('\n');
    for f in &report.findings {
        let e = &f.evidence;
        let row = [
            f.rank.to_string(),
            f.id.clone(),
            f.pathway.clone(),
            f.step.clone(),
            f.step_label.clone(),
            f.kind.clone(),
            f.title.clone(),
            format!("{:.2}", f.time_cost_min),
            format!("{:.2}", f.excess_min_per_occurrence),
            f.occurrences.to_string(),
            f.unit.to_string(),
            f.base.to_string(),
            format!("{:.4}", f.rate),
            e.sessions.to_string(),
            cells(&e.sites),
            cells(&e.roles),
            cells(&e.clinicians),
            f.suggested_cause.to_string(),
            f.rule.to_string(),
            f.because.clone(),
            format!("{:.2}", f.confidence),
            f.confidence_label.to_string(),
            f.cause.to_string(),
            f.overridden.is_some().to_string(),
            f.overridden
                .as_ref()
                .map_or(String::new(), |o| o.who.clone()),
            f.overridden
                .as_ref()
                .map_or(String::new(), |o| o.why.clone()),
            f.overridden
                .as_ref()
                .map_or(String::new(), |o| o.when.to_rfc3339()),
        ];
        o.push_str(&row.iter().map(|s| field(s)).collect::<Vec<_>>().join(","));
        o.push('\n');
    }
    o
}
