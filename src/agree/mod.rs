//! Inter-observer agreement of two auditors who shadowed the same clinician.
