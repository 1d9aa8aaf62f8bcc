//! The report screen.
