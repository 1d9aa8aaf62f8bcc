//! Exports of one session: XES (IEEE 1849) for process-mining tools, CSV of its events and
//! of its observed steps, and the redaction every export (and the report) applies on
//! `--redact` (domain.md sections 6 and 8).

pub mod csv;
pub mod redact;
pub mod xes;

pub use redact::{Redactor, redact_session};
