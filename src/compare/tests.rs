//! Unit tests of the comparator's explanations and figures.
