//! Findings across sessions, their causes and evidence, and the exports (CSV, XES, JSON,
//! Markdown, HTML) (domain.md sections 6 to 8).
pub mod export;
