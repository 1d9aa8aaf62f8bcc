//! The replay screen.
