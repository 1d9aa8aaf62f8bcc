//! One module per command: each turns parsed arguments into calls on the core and prints
//! the result. Errors carry their context (`wrap_err`) and leave the user's files alone.

pub mod agree;
pub mod browse;
pub mod capture;
pub mod compare;
pub mod export;
pub mod pathways;
pub mod replay;
pub mod report;
pub mod sessions;
