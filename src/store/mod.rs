//! The data folder, the session journal (append + fdatasync, torn-tail recovery) and atomic
//! RON snapshots (domain.md section 9).
