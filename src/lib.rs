//! shadowmap: shadow clinicians, map how EHR work really happens.
//!
//! The core (`model`, `store`, `compare`, `report`) is pure and never imports ratatui or
//! crossterm; `tui` is the thin terminal layer over it, and `main.rs` only parses the CLI.

pub mod model;
