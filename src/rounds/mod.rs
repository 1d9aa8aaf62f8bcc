//! Audit rounds (docs/rounds.md): did the change work?
pub mod stats;
