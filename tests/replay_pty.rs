//! End to end in a pseudo-terminal: the real binary replays a sample session (plays, seeks,
//! jumps to a deviation) and the browser opens one; the screen is read with vt100. The
//! session file is never changed.

mod support;

use std::path::{Path, PathBuf};

use shadowmap::model::{Session, resolve_pathway};
use shadowmap::tui::replay::ReplayData;
use support::pty::Pty;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

/// A sample session with a deviation placed in time, and that deviation's time and kind,
/// as the library computes them.
fn sample_with_a_deviation() -> (PathBuf, u64, String) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(sample_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        let session = Session::load(&path).unwrap();
        let Ok((pathway, _)) = resolve_pathway(&session.header.pathway_id) else {
            continue;
        };
        let data = ReplayData::compared(&session, &pathway);
        if let Some(&(at, index)) = data.deviation_times.iter().find(|(at, _)| *at > 0) {
            return (path, at, data.deviations[index].kind.clone());
        }
    }
    panic!("no sample session has a deviation placed in time");
}

/// A session time as every screen shows it: `m:ss`, `h:mm:ss` from an hour on.
fn clock(ms: u64) -> String {
    shadowmap::model::session_time::format(ms)
}

/// The time shown on the status line: `M:SS / M:SS`.
fn position(text: &str) -> String {
    let line = text.lines().nth(1).unwrap_or_default();
    let at = line.find(" / ").expect("a status line with the position");
    line[..at].rsplit(' ').next().unwrap().to_string()
}

#[test]
fn replay_plays_seeks_and_jumps_to_a_deviation_without_touching_the_file() {
    let (sample, deviation_ms, kind) = sample_with_a_deviation();
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let file = temp.path().join(sample.file_name().unwrap());
    std::fs::copy(&sample, &file).unwrap();
    let before_bytes = std::fs::read(&file).unwrap();
    let before_mtime = std::fs::metadata(&file).unwrap().modified().unwrap();

    let mut screen = Pty::spawn(
        &[
            "--data-dir",
            data_dir.to_str().unwrap(),
            "replay",
            file.to_str().unwrap(),
        ],
        Some(temp.path()),
    );
    let text = screen.wait_for("|| PAUSE");
    assert!(text.contains(" 0:00 / "), "{text}");
    assert!(text.contains("Timeline"), "{text}");

    // Play at 60x: the playhead moves.
    screen.keys("]]]]]");
    screen.wait_for("60x");
    screen.keys(" ");
    screen.wait_for("> PLAY");
    screen.wait_until("the playhead to move", |t| position(t) != "0:00");
    screen.keys(" ");
    screen.wait_for("|| PAUSE");

    // Seek by typing a time, then by ten seconds.
    screen.keys("g1:00<ret>");
    screen.wait_for(" 1:00 / ");
    screen.keys("<right>");
    screen.wait_for(" 1:10 / ");

    // Back to the start, then to the first deviation: the playhead and the panel show it.
    screen.keys("<home>");
    screen.wait_for(" 0:00 / ");
    screen.keys("d");
    let want = format!(" {} / ", clock(deviation_ms));
    let text = screen.wait_for(&want);
    assert!(
        text.contains(&format!(" {kind}")),
        "the panel names the {kind} deviation:\n{text}"
    );

    screen.keys("q");
    assert!(screen.wait_exit().success(), "replay exits cleanly");
    assert_eq!(std::fs::read(&file).unwrap(), before_bytes);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before_mtime
    );
}

#[test]
fn browse_filters_and_opens_a_replay() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let sessions = data_dir.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(sample_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "ron") {
            let target = sessions.join(path.file_name().unwrap());
            std::fs::copy(&path, &target).unwrap();
            copied.push((target.clone(), std::fs::read(&target).unwrap()));
        }
    }
    let total = copied.len();
    // A damaged file is not listed; the status line says so.
    std::fs::write(sessions.join("broken.ron"), "Session(header: oops").unwrap();
    let mut screen = Pty::spawn(
        &["--data-dir", data_dir.to_str().unwrap(), "browse"],
        Some(temp.path()),
    );
    screen.wait_for(&format!("({total} of {total} shown)"));
    screen.wait_for("1 file(s) could not be read; first:");
    // Lake's physician: `role:MD` names the whole role, so the lake pharmacist (PharmD,
    // which holds "md") is not listed.
    screen.keys("/site:lake role:MD<ret>");
    // The screen is read while it is being written: wait until the whole list shows the
    // filter's rows, not only the filter line.
    fn list_rows(text: &str) -> Vec<&str> {
        text.lines()
            .skip(3)
            .take_while(|l| !l.starts_with(" Selected"))
            .filter(|l| l.trim().len() > 20)
            .collect()
    }
    let text = screen.wait_until("the filter to apply to every row", |t| {
        let rows = list_rows(t);
        t.contains("Filter: site:lake role:MD")
            && !t.contains(&format!("({total} of"))
            && !rows.is_empty()
            && rows
                .iter()
                .all(|row| row.contains("lake") && row.contains("MD"))
    });
    assert!(
        list_rows(&text).len() >= 2,
        "lake's physician has two sessions:\n{text}"
    );
    // Open the selected one: the replay screen, then back to the list.
    screen.keys("<ret>");
    screen.wait_for("|| PAUSE");
    screen.keys("q");
    screen.wait_for("Filter: site:lake role:MD");
    let selected = text
        .lines()
        .find(|l| l.starts_with('>'))
        .and_then(|l| l.split_whitespace().nth(3))
        .expect("a selected row with its id")
        .to_string();

    // The comparator's text in a panel, then closed.
    screen.keys("c");
    screen.wait_for(&format!("Compare {selected}"));
    screen.wait_for("fitness");
    screen.keys("x");
    screen.wait_for("Enter replay");

    // Export as JSON: written in the current folder, said on the status line.
    screen.keys("ej");
    screen.wait_for(&format!("wrote {selected}.json"));
    let exported = std::fs::read_to_string(temp.path().join(format!("{selected}.json"))).unwrap();
    assert!(
        exported.contains(&format!("\"id\": \"{selected}\"")),
        "{exported}"
    );
    // The capital letter exports redacted, beside it: no note text survives.
    screen.keys("eJ");
    screen.wait_for(&format!("wrote {selected}-redacted.json"));
    let redacted =
        std::fs::read_to_string(temp.path().join(format!("{selected}-redacted.json"))).unwrap();
    assert!(redacted.contains(&format!("\"id\": \"{selected}\"")));
    let notes: Vec<&str> = exported
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"note\": \""))
        .filter(|n| n.len() > 3)
        .collect();
    assert!(!notes.is_empty(), "the sample has notes: {exported}");
    for note in notes {
        assert!(!redacted.contains(note), "{note} in {redacted}");
    }
    screen.keys("q");
    assert!(screen.wait_exit().success());
    for (path, bytes) in copied {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{}", path.display());
    }
}

#[test]
fn replay_of_a_torn_journal_shows_what_recovery_kept_and_leaves_the_journal_alone() {
    let temp = tempfile::tempdir().unwrap();
    let journal = temp.path().join("20261125-1402-east-RN-12.journal");
    std::fs::copy(
        sample_dir().join("recovery/20261125-1402-east-RN-12.journal"),
        &journal,
    )
    .unwrap();
    let before_bytes = std::fs::read(&journal).unwrap();
    let before_mtime = std::fs::metadata(&journal).unwrap().modified().unwrap();
    let mut screen = Pty::spawn(
        &[
            "--data-dir",
            temp.path().join("data").to_str().unwrap(),
            "replay",
            journal.to_str().unwrap(),
        ],
        Some(temp.path()),
    );
    let text = screen.wait_for("|| PAUSE");
    assert!(text.contains("20261125-1402-east-RN-12"), "{text}");
    // To the end: the last whole event recovery kept is under the playhead.
    let recovered = shadowmap::store::DataDir::load_path(&journal)
        .unwrap()
        .session;
    let timeline = recovered.timeline();
    let end = timeline.end_ms;
    let last = timeline.effective(&recovered.events).last().unwrap();
    screen.keys("<end>");
    screen.wait_for(&format!("{} / {}", clock(end), clock(end)));
    screen.wait_for(&format!("#{} at {}", last.seq, clock(last.at_ms)));
    screen.keys("q");
    assert!(screen.wait_exit().success());
    assert_eq!(std::fs::read(&journal).unwrap(), before_bytes);
    assert_eq!(
        std::fs::metadata(&journal).unwrap().modified().unwrap(),
        before_mtime
    );
    // No lock or snapshot was left beside it.
    let names: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data")
        .collect();
    assert_eq!(names, ["20261125-1402-east-RN-12.journal"]);
}
