//! Property tests: a journal truncated at any byte, or with a corrupted or zero-filled tail,
//! never panics recovery, and every complete record before the damage is kept.

use std::sync::Arc;

use proptest::prelude::*;
use shadowmap::model::Event;
use shadowmap::store::journal::{MAGIC, encode_event, encode_header};
use shadowmap::store::sim::SimIo;
use shadowmap::store::{DataDir, scan_segment};
use shadowmap::testing::{event, header_with_id};

/// A journal of `n` events and the offset where each record ends (index 0: the header).
fn journal(n: u64) -> (Vec<u8>, Vec<usize>) {
    let mut buf = Vec::new();
    encode_header(&mut buf, &header_with_id("p"), true);
    let mut ends = vec![buf.len()];
    for seq in 1..=n {
        encode_event(&mut buf, &event(seq));
        ends.push(buf.len());
    }
    (buf, ends)
}

/// Events whose records end at or before `cut`.
fn complete_before(ends: &[usize], cut: usize) -> usize {
    ends[1..].iter().filter(|&&end| end <= cut).count()
}

fn events(n: usize) -> Vec<Event> {
    (1..=n as u64).map(event).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn truncated_at_any_byte(n in 0u64..30, cut_frac in 0.0f64..=1.0) {
        let (buf, ends) = journal(n);
        let cut = ((buf.len() as f64) * cut_frac) as usize;
        let scan = scan_segment(&buf[..cut]);
        let kept = complete_before(&ends, cut);
        prop_assert_eq!(&scan.events, &events(kept));
        prop_assert_eq!(scan.header.is_some(), cut >= ends[0]);
        // Nothing to drop: empty, the magic alone, or whole records.
        let at_boundary = cut == 0 || cut == MAGIC.len() || ends.contains(&cut);
        prop_assert_eq!(scan.damage.is_none(), at_boundary);
        if let Some(d) = &scan.damage {
            prop_assert_eq!(d.offset + d.bytes, cut);
        }
    }

    #[test]
    fn garbage_or_zeros_after_any_byte(
        n in 1u64..30,
        at_frac in 0.0f64..1.0,
        zeros in any::<bool>(),
        garbage in proptest::collection::vec(any::<u8>(), 1..300),
    ) {
        let (mut buf, ends) = journal(n);
        let at = ((buf.len() as f64) * at_frac) as usize;
        let tail: Vec<u8> = if zeros { vec![0; garbage.len()] } else { garbage };
        // Overwrite from `at` (and maybe past the end): a damaged tail.
        buf.truncate(at);
        buf.extend_from_slice(&tail);
        let scan = scan_segment(&buf);
        let kept = complete_before(&ends, at);
        prop_assert!(scan.events.len() >= kept);
        // Nothing invented: whatever is kept is the original events, in order.
        prop_assert_eq!(&scan.events[..], &events(scan.events.len())[..]);
        if zeros {
            prop_assert_eq!(scan.events.len(), kept);
        }
    }

    #[test]
    fn a_flipped_byte_anywhere_keeps_the_records_before_it(
        n in 1u64..20,
        at_frac in 0.0f64..1.0,
        flip in 1u8..=255,
    ) {
        let (mut buf, ends) = journal(n);
        let at = ((buf.len() as f64) * at_frac) as usize;
        buf[at] ^= flip;
        let scan = scan_segment(&buf);
        prop_assert_eq!(&scan.events, &events(complete_before(&ends, at)));
    }

    #[test]
    fn recovery_through_the_data_folder_opens_any_damaged_journal(
        n in 1u64..20,
        cut_frac in 0.0f64..=1.0,
        junk in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let (mut buf, ends) = journal(n);
        let cut = ((buf.len() as f64) * cut_frac) as usize;
        buf.truncate(cut.max(ends[0]));
        buf.extend_from_slice(&junk);
        let sim = SimIo::new();
        sim.put_file(std::path::Path::new("/d/sessions/p.journal"), &buf);
        let dir = DataDir::open_with("/d", Arc::new(sim.clone())).unwrap();
        let loaded = dir.load("p").unwrap();
        let report = loaded.recovery.unwrap();
        prop_assert!(loaded.session.events.len() >= complete_before(&ends, cut.max(ends[0])));
        prop_assert_eq!(report.is_clean(), report.bytes_dropped == 0);
        prop_assert_eq!(dir.list().unwrap().len(), 1);
        // Never changes the file.
        prop_assert_eq!(sim.contents(std::path::Path::new("/d/sessions/p.journal")).unwrap(), buf);
    }
}

#[test]
fn truncated_at_every_byte_of_a_journal() {
    let (buf, ends) = journal(12);
    for cut in 0..=buf.len() {
        let scan = scan_segment(&buf[..cut]);
        assert_eq!(
            scan.events,
            events(complete_before(&ends, cut)),
            "cut at {cut}"
        );
        assert!(scan.valid_len <= cut, "cut at {cut}");
    }
}
