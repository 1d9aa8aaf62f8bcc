//! shadowmap: shadow clinicians, map how EHR work really happens.
//!
//! The core (`model`, `store`, `compare`, `agree`, `report`, `map`) is pure and never imports
//! ratatui or crossterm (a test checks it); `tui` is the thin terminal layer over it, and
//! `main.rs` only parses the command line and dispatches.

pub mod agree;
pub mod compare;
pub mod exchange;
pub mod map;
pub mod model;
pub mod report;
pub mod rounds;
pub mod store;
pub mod suggest;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod tui;
