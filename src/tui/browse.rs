//! The browse screen.
