use std::path::Path;
use std::sync::Arc;

use chrono::DateTime;

use super::*;
use crate::store::sim::SimIo;

const SAMPLES: [&str; 3] = [
    "20261116-0805-north-RN-07",
    "20261117-1405-river-RN-12",
    "20261118-0950-lake-MD-09",
];

fn sample(id: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-sessions")
        .join(format!("{id}.ron"));
    std::fs::read(path).unwrap()
}

const OVERRIDES_A: &str = r#"Overrides(
    format_version: 1,
    overrides: [
        Override(finding: "F-00a1b2c3d4", cause: training, who: "ak",
                 why: "new starters", when: "2026-11-25T10:12:00+01:00"),
    ],
)
"#;

/// A simulated data folder at `root` holding the given sample sessions (and overrides).
fn folder(io: &SimIo, root: &str, ids: &[&str], overrides: Option<&str>) -> DataDir {
    for id in ids {
        io.put_file(
            &Path::new(root).join("sessions").join(format!("{id}.ron")),
            &sample(id),
        );
    }
    if let Some(text) = overrides {
        io.put_file(&Path::new(root).join(OVERRIDES_FILE), text.as_bytes());
    }
    io.put_file(&Path::new(root).join("sessions/.keep"), b"");
    DataDir::open_with(root, Arc::new(io.clone())).unwrap()
}

fn request() -> PackRequest {
    PackRequest {
        ids: Vec::new(),
        include_unfinished: false,
        created_by: "ak".into(),
        created_at: DateTime::parse_from_rfc3339("2026-11-26T17:00:00+01:00").unwrap(),
    }
}

fn bundle_of(dir: &DataDir) -> Vec<u8> {
    pack(&collect(dir, &request()).unwrap()).unwrap()
}

#[test]
fn a_bundle_lists_every_file_with_its_checksum_and_is_deterministic() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &SAMPLES, Some(OVERRIDES_A));
    let packed = collect(&a, &request()).unwrap();
    assert_eq!(packed.manifest.sessions.len(), 3);
    assert_eq!(packed.manifest.files.len(), 4);
    let ron = &packed.manifest.files[0];
    assert_eq!(ron.path, OVERRIDES_FILE);
    let first = &packed.manifest.files[1];
    assert_eq!(first.path, format!("sessions/{}.ron", SAMPLES[0]));
    assert_eq!(first.sha256, sha256_hex(&sample(SAMPLES[0])));
    assert_eq!(first.bytes, sample(SAMPLES[0]).len() as u64);
    // SHA-256 of "abc" (FIPS 180-2 test vector).
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(bundle_of(&a), bundle_of(&a));
}

#[test]
fn a_round_trip_gives_byte_identical_sessions_and_skips_duplicates() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &SAMPLES, Some(OVERRIDES_A));
    let b = folder(&io, "/b", &[SAMPLES[0]], None);
    let opened = open(Path::new("a.smb"), &bundle_of(&a)).unwrap();
    let plan = plan_import(&b, std::slice::from_ref(&opened)).unwrap();
    assert!(!plan.has_conflicts());
    assert_eq!(plan.duplicates.len(), 1);
    assert_eq!(plan.new_sessions.len(), 2);
    assert_eq!(plan.overrides_added, ["F-00a1b2c3d4"]);
    commit_import(&b, &plan).unwrap();
    for id in SAMPLES {
        assert_eq!(
            io.contents(&b.snapshot_path(id)).unwrap(),
            sample(id),
            "{id} is byte-identical"
        );
    }
    let overrides = io.contents(&Path::new("/b").join(OVERRIDES_FILE)).unwrap();
    let overrides =
        Overrides::from_ron_str(std::str::from_utf8(&overrides).unwrap(), Path::new("o")).unwrap();
    assert_eq!(overrides.overrides.len(), 1);
    // Again: everything is a duplicate, nothing to write.
    let again = plan_import(&b, &[opened]).unwrap();
    assert_eq!(again.duplicates.len(), 3);
    assert!(again.new_sessions.is_empty() && again.files.is_empty());
}

#[test]
fn a_session_with_other_content_is_a_conflict() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &SAMPLES, None);
    let b = folder(&io, "/b", &[], None);
    let mut changed = sample(SAMPLES[1]);
    let at = changed.len() - 20;
    changed[at] = if changed[at] == b'1' { b'2' } else { b'1' };
    io.put_file(&b.snapshot_path(SAMPLES[1]), &changed);
    let opened = open(Path::new("a.smb"), &bundle_of(&a)).unwrap();
    let plan = plan_import(&b, &[opened]).unwrap();
    assert!(plan.has_conflicts());
    assert_eq!(plan.conflicts.len(), 1);
    assert_eq!(plan.conflicts[0].id, SAMPLES[1]);
    assert_eq!(plan.conflicts[0].existing, b.snapshot_path(SAMPLES[1]));
}

#[test]
fn the_same_finding_overridden_differently_is_a_conflict() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &[SAMPLES[0]], Some(OVERRIDES_A));
    let b = folder(
        &io,
        "/b",
        &[],
        Some(&OVERRIDES_A.replace("cause: training", "cause: design")),
    );
    let plan = plan_import(&b, &[open(Path::new("a.smb"), &bundle_of(&a)).unwrap()]).unwrap();
    assert_eq!(plan.override_conflicts.len(), 1);
    assert_eq!(plan.override_conflicts[0].finding, "F-00a1b2c3d4");
    assert!(plan.override_conflicts[0].to_string().contains("design"));
}

/// Re-packs `packed` with the manifest as it is but one file's bytes changed: what a flipped
/// byte or a tampered file looks like once the archive itself is intact.
fn tampered(packed: &Packed, file: usize) -> Vec<u8> {
    let mut copy = packed.clone();
    let bytes = &mut copy.files[file].1;
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    pack(&copy).unwrap()
}

#[test]
fn a_flipped_byte_is_refused_naming_the_file() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &SAMPLES, None);
    let packed = collect(&a, &request()).unwrap();
    let error = open(Path::new("a.smb"), &tampered(&packed, 1)).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("a.smb"), "{text}");
    assert!(
        text.contains(&format!("sessions/{}.ron", SAMPLES[1])) && text.contains("SHA-256"),
        "{text}"
    );
    // A byte flipped in the compressed file itself: gzip's own check or ours, never a panic.
    let mut raw = pack(&packed).unwrap();
    for at in [10, raw.len() / 3, raw.len() / 2, raw.len() - 5] {
        raw[at] ^= 0x40;
        assert!(open(Path::new("a.smb"), &raw).is_err(), "flip at {at}");
        raw[at] ^= 0x40;
    }
    assert!(open(Path::new("a.smb"), &raw).is_ok());
}

#[test]
fn entries_the_data_folder_could_not_hold_are_refused() {
    let io = SimIo::new();
    let a = folder(&io, "/a", &[SAMPLES[0]], None);
    let mut packed = collect(&a, &request()).unwrap();
    for evil in [
        "../../etc/passwd",
        "sessions/../x.ron",
        "/etc/x.ron",
        "notes.txt",
        "sessions/.hidden.ron",
    ] {
        packed.files[0].0 = evil.to_string();
        packed.manifest.files[0].path = evil.to_string();
        let error = open(Path::new("a.smb"), &raw_pack(&packed)).unwrap_err();
        assert!(error.to_string().contains(evil), "{evil}: {error}");
    }
}

/// A power cut at every operation of an import, several ways the unsynced changes may land:
/// once the folder is opened again, it is as before or complete, never in between.
#[test]
fn a_power_cut_at_any_point_of_an_import_leaves_before_or_complete() {
    let bundle = {
        let io = SimIo::new();
        bundle_of(&folder(&io, "/a", &SAMPLES, Some(OVERRIDES_A)))
    };
    let opened = open(Path::new("a.smb"), &bundle).unwrap();
    let fresh = || {
        let io = SimIo::new();
        let dir = folder(&io, "/b", &[SAMPLES[0]], None);
        (io, dir)
    };
    let names = |dir: &DataDir| {
        let mut names = dir.io().read_dir(dir.sessions_dir()).unwrap();
        names.retain(|n| n.ends_with(".ron"));
        names.sort();
        names
    };
    let (start, total) = {
        let (io, dir) = fresh();
        let start = io.ops();
        let plan = plan_import(&dir, std::slice::from_ref(&opened)).unwrap();
        commit_import(&dir, &plan).unwrap();
        (start, io.ops())
    };
    let (mut before, mut after) = (0, 0);
    for crash in start..=total {
        for seed in 0..6 {
            let (io, dir) = fresh();
            io.crash_at(crash);
            if let Ok(plan) = plan_import(&dir, std::slice::from_ref(&opened)) {
                let _ = commit_import(&dir, &plan);
            }
            let disk = io.power_loss(seed * 7919 + crash);
            let reopened = DataDir::open_with("/b", Arc::new(disk.clone())).unwrap();
            let found = names(&reopened);
            let overrides = disk.contents(&Path::new("/b").join(OVERRIDES_FILE));
            if found == [format!("{}.ron", SAMPLES[0])] {
                assert_eq!(overrides, None, "crash at {crash}");
                before += 1;
            } else {
                let all: Vec<String> = SAMPLES.iter().map(|id| format!("{id}.ron")).collect();
                assert_eq!(found, all, "crash at {crash}, seed {seed}");
                for id in SAMPLES {
                    assert_eq!(
                        disk.contents(&reopened.snapshot_path(id)).unwrap(),
                        sample(id)
                    );
                }
                assert!(overrides.is_some(), "crash at {crash}");
                after += 1;
            }
        }
    }
    assert!(before > 0 && after > 0, "before {before}, after {after}");
}

/// As [`pack`], but with entry names written as they are (the tar crate rightly refuses to
/// write `..`): what a hostile bundle holds.
fn raw_pack(packed: &Packed) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let manifest = serde_json::to_vec(&packed.manifest).unwrap();
    let mut entries = vec![(MANIFEST.to_string(), manifest)];
    entries.extend(packed.files.iter().cloned());
    for (name, bytes) in &entries {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append(&header, bytes.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}
