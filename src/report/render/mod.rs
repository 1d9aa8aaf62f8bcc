//! The report formats: text, Markdown, HTML (self-contained, inline SVG), CSV and JSON of the
//! findings. Every format renders the same [`Report`]; redaction transforms the report before
//! it is rendered ([`Report::redact`]), so no format can forget it.

mod csv;
mod html;
mod markdown;
mod text;

use std::borrow::Cow;

use crate::report::aggregate::{Finding, GroupReport, PathwayReport, Report, StepReport};
use crate::text::{escape_controls, escape_json_controls};

pub use csv::{CSV_COLUMNS, findings_csv};
pub use html::html;
use html::html_with_maps;
pub use markdown::markdown;
pub use text::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Csv,
    Json,
}

/// The report in `format`, with the control characters of its free text (site, step labels,
/// ids from session files) escaped, so a hostile file cannot drive the terminal it is printed
/// in or a written report is `cat` in ([`crate::text`]).
pub fn render(report: &Report, format: Format) -> String {
    render_with_maps(report, format, &[])
}

/// As [`render`], with each pathway's shadow map drawn in the HTML (`maps` from
/// `crate::map`; the other formats do not draw maps).
pub fn render_with_maps(report: &Report, format: Format, maps: &[crate::map::ShadowMap]) -> String {
    let out = match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Html => html_with_maps(report, maps),
        Format::Csv => findings_csv(report),
        Format::Json => json(report),
    };
    let escaped = if format == Format::Json {
        escape_json_controls(&out)
    } else {
        escape_controls(&out)
    };
    match escaped {
        Cow::Borrowed(_) => out,
        Cow::Owned(safe) => safe,
    }
}

/// The whole report as JSON (keys documented in `docs/report.md`).
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}

impl Report {
    /// Removes note text and masks identifier-like strings with `mask` (the export
    /// redactor's) wherever the report carries text from a session: step ids and labels, the
    /// header's site, role, clinician and auditor (the pathways' sites and roles, the `--by`
    /// groups, a finding's cells), skipped files' paths and errors, the paths of files read
    /// with events after their finish, overrides' who and why.
    /// This is what `export --redact` does to a session's header (docs/privacy.md). Session
    /// ids, finding ids and pathway ids are kept, as in the export.
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        self.redacted = true;
        for skipped in &mut self.skipped {
            skipped.redact(mask);
        }
        for after in &mut self.after_finish {
            after.redact(mask);
        }
        for p in &mut self.pathways {
            for value in p.sites.iter_mut().chain(p.roles.iter_mut()) {
                *value = mask(value);
            }
            for g in std::iter::once(&mut p.overall).chain(p.groups.iter_mut()) {
                for (_, value) in &mut g.key {
                    *value = mask(value);
                }
                for s in &mut g.steps {
                    s.step = mask(&s.step);
                    s.label = mask(&s.label);
                }
            }
        }
        for f in &mut self.findings {
            redact_finding(f, mask);
        }
        for o in &mut self.stale_overrides {
            o.who = mask(&o.who);
            o.why = mask(&o.why);
        }
    }
}

fn redact_finding(f: &mut Finding, mask: &dyn Fn(&str) -> String) {
    f.step = mask(&f.step);
    f.step_label = mask(&f.step_label);
    f.title = mask(&f.title);
    f.because = mask(&f.because);
    f.evidence.notes.clear();
    let e = &mut f.evidence;
    for cell in e
        .sites
        .iter_mut()
        .chain(&mut e.roles)
        .chain(&mut e.clinicians)
    {
        cell.name = mask(&cell.name);
    }
    if let Some(o) = &mut f.overridden {
        o.who = mask(&o.who);
        o.why = mask(&o.why);
    }
}

/// Seconds for people: `45 s`, `4.2 min`.
pub(crate) fn secs(value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if v < 120.0 => format!("{v:.0} s"),
        Some(v) => format!("{:.1} min", v / 60.0),
    }
}

pub(crate) fn pct(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// The non-zero entries of a rate map, largest first: `copy_paste 0.20, paper_note 0.05`.
pub(crate) fn nonzero(map: &std::collections::BTreeMap<String, f64>) -> String {
    let mut v: Vec<(&String, &f64)> = map.iter().filter(|(_, r)| **r > 0.0).collect();
    v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    if v.is_empty() {
        return "-".into();
    }
    v.iter()
        .map(|(k, r)| format!("{k} {r:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn nonzero_counts(map: &std::collections::BTreeMap<String, u32>) -> String {
    let mut v: Vec<(&String, &u32)> = map.iter().filter(|(_, n)| **n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if v.is_empty() {
        return "none".into();
    }
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a report covers, as every format opens with it: `12 sessions, 3 pathway(s), grouped
/// by site, role`.
pub(crate) fn coverage(report: &Report) -> String {
    let grouped = if report.by.is_empty() {
        String::new()
    } else {
        format!(", grouped by {}", report.by.join(", "))
    };
    format!(
        "{} sessions, {} pathway(s){grouped}",
        report.sessions,
        report.pathways.len()
    )
}

/// A finding's step figures as every format shows them: median, p90 and expected active
/// time, median and expected clicks (`-` where there is none).
pub(crate) fn step_evidence(e: &crate::report::aggregate::Evidence) -> [String; 5] {
    [
        secs(e.median_active_secs),
        secs(e.p90_active_secs),
        secs(e.expected_secs.map(f64::from)),
        e.median_clicks.map_or("-".into(), |c| format!("{c:.0}")),
        e.expected_clicks.map_or("-".into(), |c| c.to_string()),
    ]
}

/// `north 9/10, south 1/10`.
pub(crate) fn cells(cells: &[crate::report::findings::CellShare]) -> String {
    if cells.is_empty() {
        return "-".into();
    }
    cells
        .iter()
        .map(|c| format!("{} {}/{}", c.name, c.affected, c.base))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cause line of a finding: suggested, or overridden and what was suggested.
pub(crate) fn cause_line(f: &Finding) -> String {
    match &f.overridden {
        None => format!(
            "{} (suggested by rule {}, confidence {} {:.2})",
            f.cause, f.rule, f.confidence_label, f.confidence
        ),
        Some(o) => format!(
            "{} (OVERRIDDEN by {} on {}: \"{}\"; suggested {} by rule {}, confidence {} {:.2})",
            o.cause,
            o.who,
            o.when.format("%Y-%m-%d %H:%M"),
            o.why,
            f.suggested_cause,
            f.rule,
            f.confidence_label,
            f.confidence
        ),
    }
}

/// The masking `--redact` applies to free text: the export redactor's (record numbers,
/// phone numbers, dates, e-mail addresses).
pub fn mask(text: &str) -> String {
    crate::report::export::Redactor::standard()
        .mask(text)
        .into_owned()
}

/// `1 session`, `12 sessions`.
pub(crate) fn sessions(n: u32) -> String {
    if n == 1 {
        "1 session".into()
    } else {
        format!("{n} sessions")
    }
}

/// The per-step table's columns, shared by the Markdown and HTML reports: title, and whether
/// the column holds a number (right-aligned).
pub(crate) const STEP_COLUMNS: [(&str, bool); 14] = [
    ("step", false),
    ("occ", true),
    ("median time", true),
    ("p90 time", true),
    ("expected", true),
    ("median clicks", true),
    ("p90 clicks", true),
    ("expected clicks", true),
    ("over time", true),
    ("over clicks", true),
    ("deviations / session", false),
    ("workarounds / occ", false),
    ("problems / occ", false),
    ("interruptions / h", true),
];

/// One step's cells after the step column, unescaped, in `STEP_COLUMNS` order.
pub(crate) fn step_values(s: &StepReport) -> [String; 13] {
    [
        s.occurrences.to_string(),
        secs(s.median_active_secs),
        secs(s.p90_active_secs),
        secs(s.expected_secs.map(f64::from)),
        s.median_clicks.map_or("-".into(), |c| format!("{c:.0}")),
        s.p90_clicks.map_or("-".into(), |c| format!("{c:.0}")),
        s.expected_clicks.map_or("-".into(), |c| c.to_string()),
        pct(s.over_time_rate),
        pct(s.over_clicks_rate),
        nonzero(&s.deviations_per_session),
        nonzero(&s.workaround_rate),
        nonzero(&s.problem_rate),
        format!("{:.1}", s.interruptions_per_hour),
    ]
}

/// A pathway's versions as the reports list them: `1, 3`.
pub(crate) fn versions(p: &PathwayReport) -> String {
    let versions: Vec<String> = p.versions.iter().map(u32::to_string).collect();
    versions.join(", ")
}

/// The groups a pathway's section shows: all sessions, then each `--by` group when asked for.
pub(crate) fn shown_groups<'a>(
    report: &Report,
    p: &'a PathwayReport,
) -> impl Iterator<Item = &'a GroupReport> {
    let by_groups: &'a [GroupReport] = if report.by.is_empty() { &[] } else { &p.groups };
    std::iter::once(&p.overall).chain(by_groups)
}

/// The kinds a pathway's file adds, one phrase each (`workaround fax: Fax to the pharmacy
/// (cause integration)`): the legend of the ids the figures name.
pub fn site_kinds(p: &PathwayReport) -> Vec<String> {
    let v = &p.vocabulary;
    [
        ("interruption", &v.interruptions),
        ("workaround", &v.workarounds),
        ("problem", &v.problems),
    ]
    .into_iter()
    .flat_map(|(what, entries)| {
        entries.iter().map(move |e| match e.cause {
            Some(cause) => format!("{what} {}: {} (cause {})", e.id, e.label, cause.name()),
            None => format!("{what} {}: {}", e.id, e.label),
        })
    })
    .collect()
}
