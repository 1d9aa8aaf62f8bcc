//! The capture screen.
