//! The journal format: a magic line, then records, each framed with its length, a CRC32C
//! checksum and its sequence number, so a torn or zero-filled tail is found and dropped.
//!
//! ```text
//! segment := MAGIC record*
//! MAGIC   := "SHMJRNL1"                       (8 bytes)
//! record  := len:u32le crc:u32le seq:u64le payload[len]
//!            crc = CRC32C(len bytes ++ seq bytes ++ payload)
//! ```
//! Record 0 of every segment is the session header (seq 0, JSON of `SessionHeader`); then one
//! record per event, numbered with the event's own `seq` (JSON of `Event`), each number one more
//! than the one before within a segment.

use std::fmt;

use crate::model::{Event, EventKind, Seq, SessionHeader};

pub const MAGIC: &[u8; 8] = b"SHMJRNL1";
/// Length, checksum and sequence number.
pub const FRAME_HEADER: usize = 16;
/// No record is this large; a bigger length is damage, not a reason to allocate.
pub const MAX_RECORD: u32 = 16 << 20;

fn crc_of(len: [u8; 4], seq_and_payload: &[u8]) -> u32 {
    crc32c::crc32c_append(crc32c::crc32c(&len), seq_and_payload)
}

/// Appends one framed record to `buf`.
pub fn encode_record(buf: &mut Vec<u8>, seq: Seq, payload: &[u8]) {
    let len = u32::try_from(payload.len()).expect("a record is smaller than 4 GiB");
    let start = buf.len();
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(&[0; 4]);
    buf.extend_from_slice(&seq.to_le_bytes());
    buf.extend_from_slice(payload);
    let crc = crc_of(len.to_le_bytes(), &buf[start + 8..]);
    buf[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// Appends the header record (seq 0), preceded by the magic when `with_magic`.
pub fn encode_header(buf: &mut Vec<u8>, header: &SessionHeader, with_magic: bool) {
    if with_magic {
        buf.extend_from_slice(MAGIC);
    }
    let payload = serde_json::to_vec(header).expect("a header always serializes");
    encode_record(buf, 0, &payload);
}

/// Appends an event record, serializing the payload in place (one buffer, no copy).
pub fn encode_event(buf: &mut Vec<u8>, event: &Event) {
    let start = buf.len();
    buf.extend_from_slice(&[0; FRAME_HEADER]);
    serde_json::to_writer(&mut *buf, event).expect("an event always serializes");
    let len = u32::try_from(buf.len() - start - FRAME_HEADER).expect("small record");
    buf[start..start + 4].copy_from_slice(&len.to_le_bytes());
    buf[start + 8..start + 16].copy_from_slice(&event.seq.to_le_bytes());
    let crc = crc_of(len.to_le_bytes(), &buf[start + 8..]);
    buf[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// Why a segment's bytes stop being trusted at some offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DamageKind {
    /// The file ends inside a record: the last write was cut short.
    Torn { needed: usize, available: usize },
    /// Zeros from here to the end: space the disk allocated but whose data never landed.
    ZeroFilled,
    /// The checksum does not match the record.
    BadChecksum,
    /// A length of zero or too large to be a record.
    BadLength(u32),
    /// The record's number is not the one expected.
    BadSequence { expected: String, found: Seq },
    /// The checksum matched but the content does not read as a header or an event.
    BadPayload(String),
    /// The file does not begin with the journal's magic.
    NotAJournal,
    /// This segment's header names another session.
    OtherSession(String),
    /// Events are missing between two segments.
    Gap { after: Seq, next: Seq },
    /// A later segment's event is timed before the events already kept: it and the rest of
    /// its segment are dropped.
    BackInTime {
        seq: Seq,
        at_ms: u64,
        after_ms: u64,
        dropped: usize,
    },
}

impl fmt::Display for DamageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DamageKind::Torn { needed, available } => write!(
                f,
                "torn last record ({available} of {needed} bytes written)"
            ),
            DamageKind::ZeroFilled => write!(f, "zero-filled tail"),
            DamageKind::BadChecksum => write!(f, "checksum mismatch"),
            DamageKind::BadLength(len) => write!(f, "impossible record length {len}"),
            DamageKind::BadSequence { expected, found } => {
                write!(f, "record numbered {found} where {expected} was expected")
            }
            DamageKind::BadPayload(why) => write!(f, "unreadable record: {why}"),
            DamageKind::NotAJournal => write!(f, "not a shadowmap journal (no SHMJRNL1 magic)"),
            DamageKind::OtherSession(id) => write!(f, "segment belongs to session `{id}`"),
            DamageKind::Gap { after, next } => {
                write!(f, "events {}..={} are missing", after + 1, next - 1)
            }
            DamageKind::BackInTime {
                seq,
                at_ms,
                after_ms,
                dropped,
            } => write!(
                f,
                "event {seq} at {at_ms} ms comes before the {after_ms} ms already recovered: \
                 it and the {} event(s) after it in this segment are dropped",
                dropped - 1
            ),
        }
    }
}

/// Where a segment's trusted bytes end and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// Byte offset of the first untrusted byte.
    pub offset: usize,
    /// Bytes from there to the end of the file.
    pub bytes: usize,
    pub kind: DamageKind,
}

/// What one segment holds: its valid prefix, parsed.
#[derive(Debug, Clone, Default)]
pub struct SegmentScan {
    pub header: Option<SessionHeader>,
    pub events: Vec<Event>,
    /// Records kept, the header included.
    pub records: usize,
    /// Length of the valid prefix.
    pub valid_len: usize,
    pub damage: Option<Damage>,
}

/// Reads a segment's valid prefix. Never panics, whatever the bytes.
#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
pub fn scan_segment(bytes: &[u8]) -> SegmentScan {
    let mut scan = SegmentScan::default();
    let damage = |offset: usize, kind: DamageKind| {
        let rest = &bytes[offset.min(bytes.len())..];
        let kind = if !rest.is_empty() && rest.iter().all(|&b| b == 0) {
            DamageKind::ZeroFilled
        } else {
            kind
        };
        Some(Damage {
            offset,
            bytes: rest.len(),
            kind,
        })
    };
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        if !bytes.is_empty() {
            let kind = if MAGIC.starts_with(bytes) {
                DamageKind::Torn {
                    needed: MAGIC.len(),
                    available: bytes.len(),
                }
            } else {
                DamageKind::NotAJournal
            };
            scan.damage = damage(0, kind);
        }
        return scan;
    }
    let mut pos = MAGIC.len();
    let mut last: Option<Seq> = None;
    // Records are some 60 to 120 bytes.
    scan.events.reserve(bytes.len() / 96);
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.len() < FRAME_HEADER {
            scan.damage = damage(
                pos,
                DamageKind::Torn {
                    needed: FRAME_HEADER,
                    available: rest.len(),
                },
            );
            break;
        }
        let len_bytes: [u8; 4] = rest[0..4].try_into().expect("4 bytes");
        let len = u32::from_le_bytes(len_bytes);
        let crc = u32::from_le_bytes(rest[4..8].try_into().expect("4 bytes"));
        let seq = u64::from_le_bytes(rest[8..16].try_into().expect("8 bytes"));
        if len == 0 || len > MAX_RECORD {
            scan.damage = damage(pos, DamageKind::BadLength(len));
            break;
        }
        let end = FRAME_HEADER + len as usize;
        if rest.len() < end {
            scan.damage = damage(
                pos,
                DamageKind::Torn {
                    needed: end,
                    available: rest.len(),
                },
            );
            break;
        }
        if crc_of(len_bytes, &rest[8..end]) != crc {
            scan.damage = damage(pos, DamageKind::BadChecksum);
            break;
        }
        let payload = &rest[FRAME_HEADER..end];
        let expected_ok = match (scan.header.is_some(), last) {
            (false, _) => seq == 0,
            (true, None) => seq >= 1,
            (true, Some(prev)) => Some(seq) == prev.checked_add(1),
        };
        if !expected_ok {
            let expected = match (scan.header.is_some(), last) {
                (false, _) => "0 (the header)".to_string(),
                (true, None) => "an event number".to_string(),
                (true, Some(prev)) => (prev + 1).to_string(),
            };
            scan.damage = damage(
                pos,
                DamageKind::BadSequence {
                    expected,
                    found: seq,
                },
            );
            break;
        }
        if scan.header.is_none() {
            match serde_json::from_slice::<SessionHeader>(payload) {
                Ok(header) => scan.header = Some(header),
                Err(e) => {
                    scan.damage = damage(pos, DamageKind::BadPayload(e.to_string()));
                    break;
                }
            }
        } else {
            match serde_json::from_slice::<Event>(payload) {
                Ok(event)
                    if event.at_ms > crate::model::session::MAX_EVENT_MS
                        || scan.events.last().is_some_and(|p| event.at_ms < p.at_ms) =>
                {
                    // Times only go forward and stay within the session-file bound; anything
                    // else is damage (a checksum does not vouch for what was written).
                    scan.damage = damage(
                        pos,
                        DamageKind::BadPayload(format!(
                            "event {} at {} ms is out of time order or beyond 10 years",
                            event.seq, event.at_ms
                        )),
                    );
                    break;
                }
                Ok(event) if event.seq > crate::model::session::MAX_SEQ => {
                    scan.damage = damage(
                        pos,
                        DamageKind::BadPayload(format!(
                            "event number {} is beyond the largest a session may hold",
                            event.seq
                        )),
                    );
                    break;
                }
                Ok(Event {
                    seq,
                    kind: EventKind::Undo { target },
                    ..
                }) if target >= seq => {
                    scan.damage = damage(
                        pos,
                        DamageKind::BadPayload(format!(
                            "event {seq} undoes event {target}, which is not before it"
                        )),
                    );
                    break;
                }
                Ok(event) if event.seq == seq => {
                    scan.events.push(event);
                    last = Some(seq);
                }
                Ok(event) => {
                    scan.damage = damage(
                        pos,
                        DamageKind::BadPayload(format!("event {} inside record {seq}", event.seq)),
                    );
                    break;
                }
                Err(e) => {
                    scan.damage = damage(pos, DamageKind::BadPayload(e.to_string()));
                    break;
                }
            }
        }
        scan.records += 1;
        pos += end;
        scan.valid_len = pos;
    }
    if scan.records == 0 {
        scan.valid_len = if scan.damage.is_some() {
            MAGIC.len().min(bytes.len())
        } else {
            bytes.len()
        };
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> SessionHeader {
        crate::testing::header_with_id("s1")
    }

    fn journal(n: u64) -> (Vec<u8>, Vec<usize>) {
        let mut buf = Vec::new();
        encode_header(&mut buf, &header(), true);
        let mut ends = vec![buf.len()];
        for seq in 1..=n {
            encode_event(
                &mut buf,
                &Event {
                    seq,
                    at_ms: seq * 100,
                    kind: EventKind::Screen,
                },
            );
            ends.push(buf.len());
        }
        (buf, ends)
    }

    #[test]
    fn a_whole_journal_reads_back() {
        let (buf, _) = journal(5);
        let scan = scan_segment(&buf);
        assert_eq!(scan.header, Some(header()));
        assert_eq!(scan.events.len(), 5);
        assert_eq!(scan.records, 6);
        assert_eq!(scan.valid_len, buf.len());
        assert_eq!(scan.damage, None);
    }

    #[test]
    fn torn_and_zero_filled_tails_are_named() {
        let (mut buf, ends) = journal(3);
        buf.truncate(ends[3] - 5);
        let scan = scan_segment(&buf);
        assert_eq!(scan.events.len(), 2);
        assert!(matches!(
            scan.damage.as_ref().unwrap().kind,
            DamageKind::Torn { .. }
        ));
        assert_eq!(scan.damage.unwrap().offset, ends[2]);

        let (mut buf, ends) = journal(3);
        buf.truncate(ends[2]);
        buf.extend_from_slice(&[0; 100]);
        let scan = scan_segment(&buf);
        assert_eq!(scan.events.len(), 2);
        assert_eq!(scan.damage.unwrap().kind, DamageKind::ZeroFilled);
    }

    #[test]
    fn events_back_in_time_or_beyond_ten_years_are_damage() {
        for (seq3_at, kept) in [
            (150, 2),                                     // before event 2 (200 ms)
            (crate::model::session::MAX_EVENT_MS + 1, 2), // past the bound
            (crate::model::session::MAX_EVENT_MS, 3),     // at the bound: kept
        ] {
            let (mut buf, ends) = journal(2);
            let at = seq3_at;
            encode_event(
                &mut buf,
                &Event {
                    seq: 3,
                    at_ms: at,
                    kind: EventKind::Screen,
                },
            );
            let scan = scan_segment(&buf);
            assert_eq!(scan.events.len(), kept, "{at}");
            if kept == 2 {
                let damage = scan.damage.unwrap();
                assert_eq!(damage.offset, ends[2], "{at}");
                assert!(matches!(damage.kind, DamageKind::BadPayload(_)), "{at}");
            } else {
                assert_eq!(scan.damage, None);
            }
        }
    }

    #[test]
    fn a_flipped_bit_fails_the_checksum() {
        let (mut buf, ends) = journal(3);
        buf[ends[1] + 20] ^= 1;
        let scan = scan_segment(&buf);
        assert_eq!(scan.events.len(), 1);
        assert_eq!(scan.damage.unwrap().kind, DamageKind::BadChecksum);
    }

    #[test]
    fn a_repeated_record_breaks_the_sequence() {
        let (mut buf, ends) = journal(2);
        let second = buf[ends[1]..ends[2]].to_vec();
        buf.extend_from_slice(&second);
        let scan = scan_segment(&buf);
        assert_eq!(scan.events.len(), 2);
        assert!(matches!(
            scan.damage.unwrap().kind,
            DamageKind::BadSequence { found: 2, .. }
        ));
    }
}
