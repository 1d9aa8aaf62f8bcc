//! The findings as CSV: one row per finding, in rank order (columns in [`CSV_COLUMNS`] and
//! `docs/report.md`).

use super::cells;
use crate::report::aggregate::{Finding, Report};
use crate::report::export::csv::{CsvWriter, LineEnd};

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

/// The findings table, rows ending in `\n`.
pub fn findings_csv(report: &Report) -> String {
    let mut csv = CsvWriter::new(Vec::new(), &CSV_COLUMNS, LineEnd::Lf)
        .expect("writing to memory cannot fail");
    for f in &report.findings {
        csv.row(&finding_row(f))
            .expect("writing to memory cannot fail");
    }
    let bytes = csv.finish().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the cells are UTF-8")
}

fn finding_row(f: &Finding) -> [String; 27] {
    let e = &f.evidence;
    let overridden = f.overridden.as_ref();
    [
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
        overridden.is_some().to_string(),
        overridden.map_or(String::new(), |o| o.who.clone()),
        overridden.map_or(String::new(), |o| o.why.clone()),
        overridden.map_or(String::new(), |o| o.when.to_rfc3339()),
    ]
}
