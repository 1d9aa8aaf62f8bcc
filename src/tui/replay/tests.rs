use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::testdata;
use super::*;

fn apply(state: &mut ReplayState, actions: &[Action], now_ms: u64) {
    for action in actions {
        update(state, *action, now_ms);
    }
}

#[test]
fn the_data_holds_effective_events_and_what_the_pathway_expects() {
    let data = testdata::data();
    // 27 events, one undo and the click it took back left out.
    assert_eq!(data.events.len(), 25);
    assert_eq!(data.undone, 1);
    assert_eq!(data.end_ms(), 900_000);
    let steps: Vec<&str> = data.timeline.observed_steps();
    assert_eq!(
        steps,
        [
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
            "call-pharmacy",
            "enter-home-meds"
        ]
    );
    assert_eq!(data.expected[2].as_ref().unwrap().secs, 60);
    assert_eq!(data.expected[4], None);
    // Deviations placed in time: the over_time at its step's start, the unplanned at its own
    // time, the missing step nowhere.
    assert_eq!(data.deviation_times, [(300_000, 0), (760_000, 1)]);
}

#[test]
fn the_playhead_finds_its_step_interruptions_and_event() {
    let data = testdata::data();
    assert_eq!(data.step_at(0), Some(0));
    assert_eq!(data.step_at(39_999), Some(0));
    assert_eq!(data.step_at(40_000), Some(1));
    assert_eq!(data.step_at(900_000), Some(5));
    assert_eq!(data.interruptions_at(120_000), [0, 1]);
    assert_eq!(data.interruptions_at(150_000), [0]);
    assert_eq!(data.interruptions_at(170_000), Vec::<usize>::new());
    let at = data.event_at(121_000).unwrap();
    assert_eq!(data.events[at].at_ms, 120_000);
    assert_eq!(data::describe(&data.events[at], &data), "clicks +1");
}

#[test]
fn play_and_speed_move_the_playhead_from_the_injected_clock() {
    let mut s = testdata::state();
    update(&mut s, Action::TogglePlay, 10_000);
    update(&mut s, Action::Tick, 12_000);
    assert_eq!(s.position_ms(), 2_000);
    apply(
        &mut s,
        &[Action::Faster, Action::Faster, Action::Faster],
        12_000,
    );
    assert_eq!(s.playback.speed(), 10);
    update(&mut s, Action::Tick, 13_000);
    assert_eq!(s.position_ms(), 12_000);
    update(&mut s, Action::TogglePlay, 13_500);
    assert_eq!(s.position_ms(), 17_000);
    update(&mut s, Action::Tick, 20_000);
    assert_eq!(s.position_ms(), 17_000);
}

#[test]
fn seek_by_time_and_by_typed_time_clamp_at_the_ends() {
    let mut s = testdata::state();
    update(&mut s, Action::SeekBy(-SHORT_SEEK_MS), 0);
    assert_eq!(s.position_ms(), 0);
    apply(
        &mut s,
        &[Action::SeekBy(LONG_SEEK_MS), Action::SeekBy(SHORT_SEEK_MS)],
        0,
    );
    assert_eq!(s.position_ms(), 70_000);
    apply(
        &mut s,
        &[
            Action::GoTo,
            Action::Type('4'),
            Action::Type(':'),
            Action::Type('1'),
            Action::Type('2'),
            Action::Submit,
        ],
        0,
    );
    assert_eq!(s.position_ms(), 252_000);
    assert_eq!(s.mode, Mode::Normal);
    apply(
        &mut s,
        &[
            Action::GoTo,
            Action::Type('-'),
            Action::Type('5'),
            Action::Type('2'),
            Action::Submit,
        ],
        0,
    );
    assert_eq!(s.position_ms(), 200_000);
    apply(
        &mut s,
        &[
            Action::GoTo,
            Action::Type('9'),
            Action::Type('9'),
            Action::Type(':'),
            Action::Type('0'),
            Action::Type('0'),
            Action::Submit,
        ],
        0,
    );
    assert_eq!(s.position_ms(), 900_000);
    // A bad time keeps the prompt open and says what to type.
    apply(
        &mut s,
        &[Action::GoTo, Action::Type(':'), Action::Submit],
        0,
    );
    assert!(matches!(s.mode, Mode::GoTo(_)));
    assert!(s.status.contains("not a time"), "{}", s.status);
    update(&mut s, Action::Cancel, 0);
    assert_eq!(s.mode, Mode::Normal);
    apply(&mut s, &[Action::Start], 0);
    assert_eq!(s.position_ms(), 0);
    apply(&mut s, &[Action::End], 0);
    assert_eq!(s.position_ms(), 900_000);
}

#[test]
fn jumps_go_event_by_event_and_stop_at_the_ends() {
    let mut s = testdata::state();
    update(&mut s, Action::NextEvent, 0);
    assert_eq!(s.position_ms(), 4_000);
    update(&mut s, Action::NextEvent, 0);
    assert_eq!(s.position_ms(), 8_000);
    update(&mut s, Action::PreviousEvent, 0);
    assert_eq!(s.position_ms(), 4_000);
    // The undone click at 455 s and the undo at 456 s are not events of the replay.
    update(&mut s, Action::SeekTo(450_000), 0);
    update(&mut s, Action::NextEvent, 0);
    assert_eq!(s.position_ms(), 500_000);
    update(&mut s, Action::SeekTo(0), 0);
    update(&mut s, Action::PreviousEvent, 0);
    assert_eq!(s.position_ms(), 0);
    assert_eq!(s.status, "no event before this one");
    update(&mut s, Action::End, 0);
    update(&mut s, Action::NextEvent, 0);
    assert_eq!(s.position_ms(), 900_000);
    assert_eq!(s.status, "no event after this one");
}

#[test]
fn jumps_to_deviations_pause_and_show_the_deviation() {
    let mut s = testdata::state();
    update(&mut s, Action::TogglePlay, 0);
    update(&mut s, Action::NextDeviation, 1_000);
    assert_eq!(s.position_ms(), 300_000);
    assert!(!s.playback.playing);
    assert_eq!(s.current_deviation(), Some(0));
    update(&mut s, Action::NextDeviation, 1_000);
    assert_eq!(s.position_ms(), 760_000);
    assert_eq!(s.current_deviation(), Some(1));
    update(&mut s, Action::NextDeviation, 1_000);
    assert_eq!(s.position_ms(), 760_000);
    assert_eq!(s.status, "no deviation after 12:40");
    update(&mut s, Action::PreviousDeviation, 1_000);
    assert_eq!(s.position_ms(), 300_000);
    update(&mut s, Action::PreviousDeviation, 1_000);
    assert_eq!(s.position_ms(), 300_000);
    // Inside the over-time step the panel still shows its deviation.
    update(&mut s, Action::SeekTo(350_000), 1_000);
    assert_eq!(s.current_deviation(), Some(0));
    update(&mut s, Action::SeekTo(100_000), 1_000);
    assert_eq!(s.current_deviation(), None);
}

#[test]
fn zoom_follows_the_playhead() {
    let mut s = testdata::state();
    update(&mut s, Action::SeekTo(450_000), 0);
    update(&mut s, Action::ZoomIn, 0);
    assert_eq!(s.playback.window(), (225_000, 675_000));
    apply(&mut s, &[Action::ZoomIn; 6], 0);
    assert_eq!(s.playback.zoom, 4);
    assert_eq!(s.status, "zoom 16x is the closest");
    update(&mut s, Action::ZoomReset, 0);
    assert_eq!(s.playback.window(), (0, 900_000));
}

#[test]
fn keys_resolve_to_actions_by_mode() {
    let mut s = testdata::state();
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char(' '))),
        Some(Action::TogglePlay)
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Right)),
        Some(Action::SeekBy(10_000))
    );
    assert_eq!(
        key_to_action(&s, KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT)),
        Some(Action::SeekBy(-60_000))
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('d'))),
        Some(Action::NextDeviation)
    );
    assert_eq!(key_to_action(&s, key(KeyCode::Char('x'))), None);
    update(&mut s, Action::GoTo, 0);
    assert_eq!(key_to_action(&s, key(KeyCode::Char('d'))), None);
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('3'))),
        Some(Action::Type('3'))
    );
    assert_eq!(key_to_action(&s, key(KeyCode::Char('q'))), None);
    assert_eq!(update(&mut s, Action::Quit, 0), [Effect::Quit]);
}

#[test]
fn typed_times_parse() {
    assert_eq!(data::parse_time("4:12", 0), Some(252_000));
    assert_eq!(data::parse_time("1:02:03", 0), Some(3_723_000));
    assert_eq!(data::parse_time("90", 0), Some(90_000));
    assert_eq!(data::parse_time("+30", 10_000), Some(40_000));
    assert_eq!(data::parse_time("-1:00", 10_000), Some(0));
    assert_eq!(data::parse_time("1:75", 0), None);
    assert_eq!(data::parse_time("", 0), None);
    assert_eq!(data::parse_time("1::2", 0), None);
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-25T22:30:15+01:00").unwrap();
    assert_eq!(data::parse_wall_time("@22:31", start), Some(45_000));
    assert_eq!(data::parse_wall_time("@22:30:15", start), Some(0));
    // After midnight on a night shift.
    assert_eq!(data::parse_wall_time("@00:30", start), Some(7_185_000));
    assert_eq!(data::parse_wall_time("@24:00", start), None);
    assert_eq!(data::parse_wall_time("22:31", start), None);
    assert_eq!(data::parse_wall_time("@2231", start), None);
}

#[test]
fn go_to_a_wall_clock_time() {
    let mut s = testdata::state();
    update(&mut s, Action::GoTo, 0);
    for c in "@09:22:12".chars() {
        update(&mut s, Action::Type(c), 0);
    }
    update(&mut s, Action::Submit, 0);
    // The session started at 09:18:00.
    assert_eq!(s.position_ms(), 252_000);
}

mod snapshots {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    fn screen(state: &ReplayState, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| draw(state, frame, frame.area()))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn replay_at_the_start() {
        let s = testdata::state();
        insta::assert_snapshot!(screen(&s, 80, 24));
    }

    #[test]
    fn replay_inside_a_nested_interruption() {
        let mut s = testdata::state();
        update(&mut s, Action::SeekTo(120_000), 0);
        update(&mut s, Action::TogglePlay, 0);
        update(&mut s, Action::Faster, 0);
        let text = screen(&s, 80, 24);
        assert!(text.contains("phone_pager"), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn replay_on_a_deviation() {
        let mut s = testdata::state();
        update(&mut s, Action::NextDeviation, 0);
        update(&mut s, Action::NextDeviation, 0);
        let text = screen(&s, 80, 24);
        assert!(text.contains("U unplanned call-pharmacy"), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn replay_zoomed() {
        let mut s = testdata::state();
        update(&mut s, Action::SeekTo(330_000), 0);
        update(&mut s, Action::ZoomIn, 0);
        update(&mut s, Action::ZoomIn, 0);
        let text = screen(&s, 80, 24);
        assert!(text.contains("zoom 4x 3:37-7:22"), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn replay_help_and_go_to_prompt() {
        let mut s = testdata::state();
        update(&mut s, Action::Help, 0);
        insta::assert_snapshot!("help", screen(&s, 80, 24));
        update(&mut s, Action::Cancel, 0);
        update(&mut s, Action::GoTo, 0);
        update(&mut s, Action::Type('4'), 0);
        let text = screen(&s, 80, 24);
        assert!(text.contains("Go to (4:12 +30 -1:00 @09:22): 4_"), "{text}");
    }

    #[test]
    fn replay_fits_a_narrow_screen_without_panicking() {
        let mut s = testdata::state();
        update(&mut s, Action::SeekTo(120_000), 0);
        for (w, h) in [(20, 5), (40, 10), (59, 24), (200, 60), (1, 1)] {
            let text = screen(&s, w, h);
            assert_eq!(text.lines().count(), h as usize);
        }
    }
}

mod sample {
    use std::path::Path;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::model::{Session, resolve_pathway};

    fn sample_state(id: &str) -> ReplayState {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-sessions")
            .join(format!("{id}.ron"));
        let session = Session::load(&path).unwrap();
        let (pathway, _) = resolve_pathway(&session.header.pathway_id).unwrap();
        ReplayState::new(ReplayData::compared(&session, &pathway))
    }

    #[test]
    fn a_sample_session_on_its_first_deviation_at_80x24() {
        let mut s = sample_state("20261116-0912-north-RN-07");
        assert!(!s.data.deviations.is_empty());
        let first = s.data.deviation_times[0];
        update(&mut s, Action::NextDeviation, 0);
        assert_eq!(s.position_ms(), first.0.max(s.position_ms()));
        let deviation = &s.data.deviations[s.current_deviation().unwrap()];
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| draw(&s, frame, frame.area()))
            .unwrap();
        let text = terminal.backend().to_string();
        assert!(text.contains(&deviation.kind), "{text}");
        insta::assert_snapshot!(text);
    }
}

#[test]
fn an_empty_session_replays_without_panicking() {
    let session = crate::model::Session::new(crate::testing::header_with_id("empty"));
    let mut s = ReplayState::new(ReplayData::new(&session, None));
    for action in [
        Action::TogglePlay,
        Action::Tick,
        Action::NextEvent,
        Action::PreviousDeviation,
        Action::ZoomIn,
        Action::End,
    ] {
        update(&mut s, action, 1_000);
    }
    assert_eq!(s.position_ms(), 0);
    assert!(!s.playback.playing);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(&s, frame, frame.area()))
        .unwrap();
    let text = terminal.backend().to_string();
    assert!(text.contains("(before the first event)"), "{text}");
    assert!(text.contains("no pathway"), "{text}");
}
