//! Replay benchmark: open a 20,000-event session to its first frame (target < 150 ms), and
//! one seek plus redraw (target < 2 ms). Prints the figures; `cargo bench --bench replay`.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shadowmap::compare::compare_session;
use shadowmap::model::Session;
use shadowmap::model::pathway::builtin_pathways;
use shadowmap::store::DataDir;
use shadowmap::testing::{percentile, random_shift, thread_cpu_time};
use shadowmap::tui::replay::{Action, ReplayData, ReplayState, draw, update};

const EVENTS: usize = 20_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rng = fastrand::Rng::with_seed(7);
    let session = random_shift(&mut rng, EVENTS - 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench-20000.ron");
    std::fs::write(&path, session.to_ron()).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let pathway = builtin_pathways()
        .into_iter()
        .find(|p| p.id == "med-rec-admission")
        .unwrap();

    // Open to the first frame, as `shadowmap replay FILE` does: read and parse the file
    // (through the store), derive the timeline, build the replay, draw (80x24, and 200x50);
    // then compare with the pathway and draw again (the deviations appear).
    let mut first_frame = Vec::new();
    let mut parse_only = Vec::new();
    let mut with_deviations = Vec::new();
    let mut first_frame_cpu = Vec::new();
    for _ in 0..10 {
        for (width, height) in [(80, 24), (200, 50)] {
            let cpu_started = thread_cpu_time();
            let started = Instant::now();
            let loaded = DataDir::load_path(&path).unwrap().session;
            let parsed = started.elapsed();
            let mut state = ReplayState::new(ReplayData::new(&loaded, Some(&pathway)));
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal
                .draw(|frame| draw(&state, frame, frame.area()))
                .unwrap();
            let first = started.elapsed();
            if width == 80 {
                first_frame_cpu.push(thread_cpu_time() - cpu_started);
            }
            state
                .data
                .set_comparison(&compare_session(&loaded, &pathway));
            terminal
                .draw(|frame| draw(&state, frame, frame.area()))
                .unwrap();
            let compared = started.elapsed();
            if width == 80 {
                first_frame.push(first);
                parse_only.push(parsed);
                with_deviations.push(compared);
            }
        }
    }
    first_frame.sort();
    first_frame_cpu.sort();
    parse_only.sort();
    with_deviations.sort();

    // One seek and redraw, at random places, zoomed out and zoomed in.
    let loaded = Session::load(&path).unwrap();
    let mut state = ReplayState::new(ReplayData::compared(&loaded, &pathway));
    let end = state.playback.end_ms;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut seeks = Vec::new();
    let mut jumps = Vec::new();
    for round in 0..2_000 {
        if round == 1_000 {
            for _ in 0..4 {
                update(&mut state, Action::ZoomIn, 0);
            }
        }
        let target = rng.u64(0..=end);
        let started = Instant::now();
        update(&mut state, Action::SeekTo(target), 0);
        terminal
            .draw(|frame| draw(&state, frame, frame.area()))
            .unwrap();
        seeks.push(started.elapsed());
        let started = Instant::now();
        update(&mut state, Action::NextEvent, 0);
        terminal
            .draw(|frame| draw(&state, frame, frame.area()))
            .unwrap();
        jumps.push(started.elapsed());
    }
    seeks.sort();

    jumps.sort();

    println!(
        "replay bench: {} events, {:.1} MB RON, {} steps, {} interruptions, session {:.1} h",
        loaded.events.len(),
        size as f64 / 1e6,
        state.data.timeline.steps.len(),
        state.data.timeline.interruptions.len(),
        end as f64 / 3.6e6
    );
    println!(
        "open to first frame (80x24): p50 {:.1} ms, p99 {:.1} ms (target < 150 ms); of which read+parse p50 {:.1} ms",
        ms(percentile(&first_frame, 0.5)),
        ms(percentile(&first_frame, 0.99)),
        ms(percentile(&parse_only, 0.5)),
    );
    if !first_frame_cpu.is_empty() {
        println!(
            "  the same in CPU time of this thread: p50 {:.1} ms, max {:.1} ms",
            ms(percentile(&first_frame_cpu, 0.5)),
            ms(*first_frame_cpu.last().unwrap()),
        );
    }
    println!(
        "open to the frame with the comparator's deviations: p50 {:.1} ms, p99 {:.1} ms",
        ms(percentile(&with_deviations, 0.5)),
        ms(percentile(&with_deviations, 0.99)),
    );
    println!(
        "seek + redraw (80x24): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (target < 2 ms)",
        ms(percentile(&seeks, 0.5)),
        ms(percentile(&seeks, 0.99)),
        ms(*seeks.last().unwrap()),
    );
    println!(
        "next event + redraw (80x24): p50 {:.3} ms, p99 {:.3} ms",
        ms(percentile(&jumps, 0.5)),
        ms(percentile(&jumps, 0.99)),
    );
}
