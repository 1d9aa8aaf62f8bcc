//! Findings across sessions, their causes and evidence, and the report formats (`docs/report.md`,
//! `docs/findings.md`, `docs/privacy.md`).
//!
//! The pipeline streams: each session is read, compared against its pathway, digested
//! ([`digest`]) and folded into per-step summaries ([`aggregate::ReportBuilder`]); then it is
//! dropped. Findings ([`findings`]) are computed from the summaries at the end, the auditor's
//! overrides ([`overrides`]) applied, and the [`Report`] rendered in any format ([`mod@render`]).
//! Session exports (XES, CSV) and the redaction every export and report applies live in
//! [`export`].

pub mod aggregate;
pub mod digest;
pub mod export;
pub mod findings;
pub mod overrides;
pub mod render;
pub mod stats;
pub mod stream;

pub use aggregate::{Report, ReportBuilder};
pub use findings::{Finding, FindingKind, Rule};
pub use overrides::{OVERRIDES_FILE, Override, Overrides};
pub use render::{Format, render};
pub use stream::{
    Digested, Outcome, ReportOptions, build_report, build_report_and, collect_session_files,
    for_each_digested,
};
