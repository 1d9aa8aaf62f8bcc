//! Sessions: one shadowing of one clinician, as an append-only list of numbered events.
//!
//! Time is one wall-clock start plus a monotonic millisecond offset per event (docs/reference.md
//! section 3), so a clock change, a time-zone change or a suspend never corrupts a duration.

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use super::error::{FileError, Location, locate};
use super::vocab::{InterruptionSource, ProblemKind, WorkaroundKind};

/// Bumped only for a breaking change of the session form; additive fields use serde defaults.
pub const SESSION_FORMAT_VERSION: u32 = 1;

/// The latest an event may be, in ms from the session start: 10 years. Capture never comes
/// near it; a larger offset is a damaged or hand-edited file, and refusing it keeps every
/// timestamp (start + offset) and duration within what the clock types hold.
pub const MAX_EVENT_MS: u64 = 10 * 365 * 24 * 3_600_000;

/// The largest event number a session may hold: the largest integer every JSON reader holds
/// exactly (2^53 - 1). Capture never comes near it; a larger number is a damaged or
/// hand-edited file, and refusing it means `seq + 1` can never wrap.
pub const MAX_SEQ: Seq = (1 << 53) - 1;

/// Session ids are file-name safe: `[A-Za-z0-9._-]+`, not starting with a dot, at most 200
/// bytes. The id names the session's files, so `../x` or `a/b` is never one.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl SessionHeader {
    /// What no reader should accept in a header: a format this build does not know, or an id
    /// that is not a file name. `None` when the header is fine.
    pub fn problem(&self) -> Option<(&'static str, String, &'static str)> {
        if self.format_version == 0 || self.format_version > SESSION_FORMAT_VERSION {
            return Some((
                "format_version",
                format!(
                    "session format {} is not one this shadowmap understands (it reads format {})",
                    self.format_version, SESSION_FORMAT_VERSION
                ),
                "a newer shadowmap may read it: update shadowmap; if the file was edited by hand, set format_version: 1",
            ));
        }
        if !is_valid_id(&self.id) {
            return Some((
                "id:",
                format!(
                    "session id {:?} is not file-name safe",
                    self.id.chars().take(80).collect::<String>()
                ),
                "session ids use letters, digits, '.', '_' and '-' only, not starting with '.'; fix the id in the file",
            ));
        }
        None
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SessionHeader {
    pub format_version: u32,
    pub id: String,
    /// The wall clock at the session's start, with its UTC offset; every event is an offset
    /// from this moment on a monotonic clock.
    pub started_at: DateTime<FixedOffset>,
    pub site: String,
    pub role: String,
    /// A code the auditor chooses (`RN-07`), never a name (docs/reference.md section 8).
    pub clinician: String,
    pub auditor: String,
    pub pathway_id: String,
    pub pathway_version: u32,
}

/// Event numbers start at 1; number 0 is the header's place in the journal.
pub type Seq = u64;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub seq: Seq,
    /// Milliseconds since the session start on a monotonic clock, read at the key press.
    pub at_ms: u64,
    pub kind: EventKind,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A step of the pathway starts; it ends the step that was open, and a step started while
    /// interruptions are open ends them as a task switch to this step.
    StepStart {
        step: String,
    },
    /// A step that is not in the pathway, added by its label; `step` is its id in comparisons.
    UnplannedStep {
        step: String,
        label: String,
    },
    /// The clinician is idle: the open step ends (and any open interruption with it).
    StepEnd,
    /// Opens an interruption, nested inside any open one.
    InterruptionStart {
        source: InterruptionSource,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Ends the innermost open interruption and resumes what it interrupted.
    InterruptionEnd,
    /// Clicks on what is open; `delta` is -1 when the auditor takes one back.
    Clicks {
        delta: i32,
    },
    Screen,
    /// The same data typed again.
    Reentry,
    Workaround {
        kind: WorkaroundKind,
        #[serde(default)]
        note: String,
    },
    SystemProblem {
        kind: ProblemKind,
        #[serde(default)]
        note: String,
    },
    Note {
        text: String,
    },
    /// Takes back event `target`; the journal is never rewritten.
    Undo {
        target: Seq,
    },
    Pause,
    Resume,
    /// Capture went on after a crash or kill: the time since the previous event is a gap,
    /// counted like a pause.
    Reopened,
    /// The clinician's answers to a questionnaire at the end of the session (None: skipped);
    /// stamped with the moment the finish was asked, so answering adds no observed time.
    Questionnaire {
        instrument: crate::model::questionnaire::Instrument,
        answers: Vec<Option<u8>>,
    },
    Finish,
}

impl EventKind {
    /// A short name for lists and exports.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::StepStart { .. } => "step_start",
            EventKind::UnplannedStep { .. } => "unplanned_step",
            EventKind::StepEnd => "step_end",
            EventKind::InterruptionStart { .. } => "interruption_start",
            EventKind::InterruptionEnd => "interruption_end",
            EventKind::Clicks { .. } => "clicks",
            EventKind::Screen => "screen",
            EventKind::Reentry => "reentry",
            EventKind::Workaround { .. } => "workaround",
            EventKind::SystemProblem { .. } => "system_problem",
            EventKind::Note { .. } => "note",
            EventKind::Undo { .. } => "undo",
            EventKind::Pause => "pause",
            EventKind::Resume => "resume",
            EventKind::Reopened => "reopened",
            EventKind::Questionnaire { .. } => "questionnaire",
            EventKind::Finish => "finish",
        }
    }

    /// The free text the event carries, if any: what redaction removes.
    pub fn text(&self) -> Option<&str> {
        match self {
            EventKind::InterruptionStart { note, .. }
            | EventKind::Workaround { note, .. }
            | EventKind::SystemProblem { note, .. } => Some(note),
            EventKind::Note { text } => Some(text),
            EventKind::UnplannedStep { label, .. } => Some(label),
            _ => None,
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub header: SessionHeader,
    pub events: Vec<Event>,
}

impl Session {
    pub fn new(header: SessionHeader) -> Session {
        Session {
            header,
            events: Vec::new(),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Finish))
    }

    /// The wall-clock time of an offset: the start plus the monotonic offset.
    pub fn wall_clock(&self, at_ms: u64) -> DateTime<FixedOffset> {
        self.header.started_at + Duration::milliseconds(at_ms as i64)
    }

    /// The number the next event gets.
    pub fn next_seq(&self) -> Seq {
        self.events.last().map_or(1, |e| e.seq + 1)
    }

    /// Reads a session file's bytes: UTF-8, with or without a byte-order mark. UTF-16 and
    /// other encodings are refused with what to do.
    pub fn from_ron_bytes(bytes: &[u8], path: &Path) -> Result<Session, FileError> {
        if let Some(error) = not_a_session(path, bytes) {
            return Err(error);
        }
        let text = session_text(bytes, path)?;
        Session::from_ron_str(text, path)
    }

    pub fn from_ron_str(text: &str, path: &Path) -> Result<Session, FileError> {
        // A UTF-8 byte-order mark (Windows editors add one) is not part of the text.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Files shadowmap wrote (one event a line) take the fast reader; anything else, and
        // every error message, comes from serde + ron.
        if let Some(session) = super::fast_session::parse_fast(text) {
            return Ok(session);
        }
        Session::parse_with_serde(text, path)
    }

    /// The reference reader: serde + ron, with line and column in every error.
    pub(crate) fn parse_with_serde(text: &str, path: &Path) -> Result<Session, FileError> {
        let session: Session = ron::from_str(text).map_err(|e| {
            FileError::from_ron(path, &e).with_hint(
                "the session file is damaged or was edited by hand; fix the RON at that place, \
                 or recover from the session's journal if it has one",
            )
        })?;
        session.validate(text, path)?;
        Ok(session)
    }

    /// Reads a session file: a regular file (a FIFO or a device is refused, never waited on)
    /// of at most [`MAX_SESSION_FILE_BYTES`].
    pub fn load(path: &Path) -> Result<Session, FileError> {
        // An XES log by its name is told as such before a byte of it is read.
        if let Some(error) = not_a_session(path, &[]) {
            return Err(error);
        }
        let bytes = read_regular_file(path, MAX_SESSION_FILE_BYTES).map_err(|e| {
            FileError::new(path, None, format!("cannot read the session file: {e}"))
                .with_hint(read_hint(&e))
        })?;
        Session::from_ron_bytes(&bytes, path)
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .depth_limit(2)
            .indentor("    ".to_string());
        ron::ser::to_string_pretty(self, config).expect("a session always serializes")
    }

    /// Checks what the type system cannot: a known format, a file-name-safe id, increasing
    /// numbers and times, and undos that take back an earlier event.
    fn validate(&self, text: &str, path: &Path) -> Result<(), FileError> {
        if let Some((field, message, hint)) = self.header.problem() {
            return Err(FileError::new(path, locate(text, field, 0), message).with_hint(hint));
        }
        if let Some(big) = self.events.iter().find(|e| e.seq == 0 || e.seq > MAX_SEQ) {
            return Err(FileError::new(
                path,
                locate_event(text, big.seq),
                format!(
                    "event number {} is out of range (events are numbered from 1 to {MAX_SEQ})",
                    big.seq
                ),
            )
            .with_hint("restore the file from its journal or a backup"));
        }
        if let Some((undo, target)) = self.events.iter().find_map(|e| match e.kind {
            EventKind::Undo { target } if target >= e.seq => Some((e.seq, target)),
            _ => None,
        }) {
            return Err(FileError::new(
                path,
                locate_event(text, undo),
                format!(
                    "event {undo} undoes event {target}, which is not before it (an undo takes back an earlier event)"
                ),
            )
            .with_hint("fix the undo's target, or restore the file from its journal or a backup"));
        }
        if let Some(late) = self.events.iter().find(|e| e.at_ms > MAX_EVENT_MS) {
            return Err(FileError::new(
                path,
                locate_event(text, late.seq),
                format!(
                    "event {} is at {} ms, more than 10 years after the session start",
                    late.seq, late.at_ms
                ),
            )
            .with_hint("at_ms counts milliseconds from the session start; restore the file from its journal or a backup"));
        }
        for pair in self.events.windows(2) {
            if pair[1].seq <= pair[0].seq || pair[1].at_ms < pair[0].at_ms {
                return Err(FileError::new(
                    path,
                    locate_event(text, pair[1].seq),
                    format!(
                        "event {} comes after event {} but is numbered or timed before it",
                        pair[1].seq, pair[0].seq
                    ),
                )
                .with_hint("events must be in increasing number and time; restore the file from its journal or a backup"));
            }
        }
        Ok(())
    }
}

/// The most one session file (or journal segment) may hold: 128 MiB, over a million events,
/// far beyond any shift. A larger file is refused rather than read into memory.
pub const MAX_SESSION_FILE_BYTES: u64 = 128 << 20;

/// Reads a regular file of at most `limit` bytes. A FIFO, a device or a socket is refused
/// without being opened for a blocking read (a FIFO would wait for a writer forever, a
/// symlink to `/dev/zero` would never end).
pub fn read_regular_file(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let not_regular = |kind: std::fs::FileType| {
        let what = if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}, not a regular file"),
        )
    };
    let kind = std::fs::metadata(path)?.file_type();
    if kind.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    if !kind.is_file() {
        return Err(not_regular(kind));
    }
    // Non-blocking, in case a FIFO took the file's place since the check above.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(not_regular(meta.file_type()));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file).take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(len: u64, limit: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "it holds {len} bytes or more, over the {} MiB a session file may hold",
            limit >> 20
        ),
    )
}

/// What to do when a session file cannot be read.
pub fn read_hint(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::InvalidInput => {
            "give a session file (.ron) or a journal; shadowmap reads regular files only"
        }
        std::io::ErrorKind::IsADirectory => {
            "that is a folder; give a session file (.ron) or a journal (.journal) inside it"
        }
        std::io::ErrorKind::FileTooLarge => {
            "this is not a session shadowmap wrote; move it out of the sessions folder"
        }
        _ => "check the path and that the file is readable",
    }
}

/// A session file's bytes as text: UTF-8 with its byte-order mark removed. UTF-16 (what some
/// Windows editors save) is named, with how to convert it.
pub fn session_text<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf16 = if bytes.starts_with(b"\xFF\xFE") || bytes.get(1) == Some(&0) {
        Some("UTF-16LE")
    } else if bytes.starts_with(b"\xFE\xFF") || bytes.first() == Some(&0) {
        Some("UTF-16BE")
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        return Err(FileError::new(
            path,
            None,
            format!("the file is {encoding} text; shadowmap reads session files as UTF-8"),
        )
        .with_hint(format!(
            "save it as UTF-8 (in the editor's encoding menu, or `iconv -f {encoding} -t UTF-8 FILE > FILE-utf8.ron`)"
        )));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let location = locate_byte(bytes, e.valid_up_to());
        FileError::new(
            path,
            Some(location),
            format!("not a session file: not UTF-8 text ({e})"),
        )
        .with_hint(
            "give a session file (.ron) or a journal (.journal); save hand-edited files as UTF-8",
        )
    })
}

/// What a file given for a session may well be instead: an XES event log, by its name
/// (`.xes`, `.xes.gz`, any case), or by its first bytes under another name (`<?xml`, the gzip
/// magic). Named with what to do, rather than a RON parse error about its first character.
/// Looks at the name and at most the first bytes of `head` (empty: the name alone).
pub fn not_a_session(path: &Path, head: &[u8]) -> Option<FileError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".xes") || name.ends_with(".xes.gz") {
        return Some(
            FileError::new(path, None, "an XES event log, not a session file").with_hint(format!(
                "`shadowmap compare {} --pathway ID` scores an XES log against a pathway \
                 (`shadowmap suggest` revises one from it); this command reads session files \
                 (.ron) and journals",
                path.display()
            )),
        );
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let what = if head.starts_with(b"<?xml") {
        "an XML file (an XES event log?)"
    } else if head.starts_with(&[0x1f, 0x8b]) {
        "a gzip-compressed file (an XES event log?)"
    } else {
        return None;
    };
    Some(
        FileError::new(path, None, format!("{what}, not a session file")).with_hint(
            "if it is an XES event log, name it .xes (.xes.gz compressed): `shadowmap compare \
             LOG.xes --pathway ID` scores it against a pathway; this command reads session \
             files (.ron) and journals",
        ),
    )
}

/// The line and column of a byte offset in text that is valid UTF-8 up to there.
fn locate_byte(bytes: &[u8], offset: usize) -> Location {
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Where event `seq` is written (`seq: 12` followed by no further digit), for errors found
/// after parsing.
fn locate_event(text: &str, seq: Seq) -> Option<Location> {
    let needle = format!("seq: {seq}");
    let nth = text.match_indices(&needle).position(|(i, _)| {
        !text[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })?;
    locate(text, &needle, nth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xes_log_is_named_by_its_name_or_its_first_bytes() {
        let message = |path: &str, head: &[u8]| {
            not_a_session(Path::new(path), head).map(|e| (e.message, e.hint))
        };
        for name in ["log.xes", "LOG.XES.GZ", "a/b.Xes"] {
            let (what, hint) = message(name, b"").unwrap();
            assert_eq!(what, "an XES event log, not a session file");
            assert!(hint.starts_with(&format!("`shadowmap compare {name} --pathway ID`")));
        }
        let (what, _) = message("x.ron", b"\xEF\xBB\xBF<?xml version").unwrap();
        assert_eq!(what, "an XML file (an XES event log?), not a session file");
        let (what, hint) = message("x.ron", &[0x1f, 0x8b, 8]).unwrap();
        assert_eq!(
            what,
            "a gzip-compressed file (an XES event log?), not a session file"
        );
        assert!(hint.starts_with("if it is an XES event log, name it .xes"));
        assert_eq!(message("x.ron", b"Session(header: ("), None);
        assert_eq!(message("xes.ron", b""), None);
        assert_eq!(message("x.journal", b"SHMJRNL1"), None);
    }

    fn sample() -> Session {
        let mut s = Session::new(SessionHeader {
            started_at: DateTime::parse_from_rfc3339("2026-11-25T09:00:00+01:00").unwrap(),
            ..crate::testing::header_with_id("2026-11-25-a1")
        });
        s.events.push(Event {
            seq: 1,
            at_ms: 1000,
            kind: EventKind::StepStart {
                step: "open-chart".into(),
            },
        });
        s.events.push(Event {
            seq: 2,
            at_ms: 2500,
            kind: EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "wrote dose on glove".into(),
            },
        });
        s
    }

    #[test]
    fn ron_round_trip() {
        let s = sample();
        let text = s.to_ron();
        assert_eq!(Session::from_ron_str(&text, Path::new("s.ron")).unwrap(), s);
        assert!(text.contains("paper_note"), "{text}");
    }

    #[test]
    fn wall_clock_adds_the_offset() {
        let s = sample();
        assert_eq!(
            s.wall_clock(2500).to_rfc3339(),
            "2026-11-25T09:00:02.500+01:00"
        );
    }

    #[test]
    fn events_out_of_order_are_located() {
        let mut s = sample();
        s.events[1].at_ms = 500;
        let text = s.to_ron();
        let e = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
        let line = text.lines().position(|l| l.contains("seq: 2,")).unwrap() + 1;
        assert_eq!(e.location.map(|l| l.line), Some(line), "{e}");
        assert!(e.message.contains("event 2 comes after event 1"), "{e}");
        let mut s = sample();
        s.header.format_version = SESSION_FORMAT_VERSION + 1;
        let e = Session::from_ron_str(&s.to_ron(), Path::new("s.ron")).unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(3), "{e}");
    }

    #[test]
    fn an_event_more_than_ten_years_out_is_located_not_trusted() {
        // Beyond the bound, start + offset would overflow the clock types downstream.
        for at_ms in [MAX_EVENT_MS + 1, u64::MAX] {
            let mut s = sample();
            let last = s.events.len() - 1;
            s.events[last].at_ms = at_ms;
            let text = s.to_ron();
            let e = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
            let seq = s.events[last].seq;
            let line = text
                .lines()
                .position(|l| l.contains(&format!("seq: {seq},")))
                .unwrap()
                + 1;
            assert_eq!(e.location.map(|l| l.line), Some(line), "{e}");
            assert!(e.message.contains("more than 10 years"), "{e}");
        }
        let mut s = sample();
        let last = s.events.len() - 1;
        s.events[last].at_ms = MAX_EVENT_MS;
        assert!(Session::from_ron_str(&s.to_ron(), Path::new("s.ron")).is_ok());
    }

    #[test]
    fn malformed_session_names_the_position() {
        let e =
            Session::from_ron_str("Session(header: (id: 3))", Path::new("bad.ron")).unwrap_err();
        assert!(e.location.is_some());
        assert!(e.to_string().starts_with("bad.ron:1:"), "{e}");
    }
}
