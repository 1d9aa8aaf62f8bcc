//! The comparator: a session (or an XES trace) against a pathway by optimal alignment, with
//! every deviation explained (domain.md sections 5 and 6).
