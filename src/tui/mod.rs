//! The terminal layer: one module per screen. Key -> action -> update(state) -> draw(&state);
//! update does no I/O and reads no clock, so every screen is tested without a terminal.

pub mod browse;
pub mod capture;
pub mod keymap;
pub mod map;
pub mod replay;
pub mod report;
pub mod resume;
pub mod screen;
pub mod start;
pub mod terminal;
