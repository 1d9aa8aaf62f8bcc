//! The domain model: sessions and their events, pathways, the vocabularies, and the observed
//! timeline derived from the events. Pure data and pure functions: no I/O beyond reading a
//! file the caller names, no clock, no terminal.

pub mod error;
mod fast_session;
pub mod pathway;
pub mod questionnaire;
pub mod session;
pub mod session_time;
pub mod timeline;
pub mod vocab;

pub use error::{FileError, Location};
pub use pathway::{Element, Group, Pathway, Step, Tolerance, resolve_pathway};
pub use session::{Event, EventKind, SESSION_FORMAT_VERSION, Seq, Session, SessionHeader};
pub use timeline::{Counts, Timeline, derive_timeline};
pub use vocab::{
    Cause, CustomId, Entry, InterruptionSource, KindCounts, ProblemKind, Vocabulary,
    VocabularyKind, WorkaroundKind,
};
