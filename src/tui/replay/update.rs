//! The replay's update: an action at a clock reading changes the state. No I/O, no clock read:
//! `now_ms` comes in from the loop.

use super::data::{parse_time, parse_wall_time};
use super::{Action, Effect, Mode, ReplayState};
use crate::model::session_time;

/// Applies an action at clock reading `now_ms`. No I/O, no clock read.
pub fn update(state: &mut ReplayState, action: Action, now_ms: u64) -> Vec<Effect> {
    state.playback.advance(now_ms);
    if action != Action::Tick {
        state.status.clear();
    }
    let position = state.position_ms();
    match action {
        Action::Tick => {}
        Action::TogglePlay => state.playback.toggle(now_ms),
        Action::Faster => state.playback.faster(now_ms),
        Action::Slower => state.playback.slower(now_ms),
        Action::SeekBy(delta) => state.playback.seek_by(delta, now_ms),
        Action::SeekTo(at) => state.playback.seek_to(at, now_ms),
        Action::Start => state.playback.seek_to(0, now_ms),
        Action::End => state.playback.seek_to(u64::MAX, now_ms),
        Action::NextEvent => match state.data.next_event_ms(position) {
            Some(at) => state.playback.seek_to(at, now_ms),
            None => state.status = "no event after this one".into(),
        },
        Action::PreviousEvent => match state.data.previous_event_ms(position) {
            Some(at) => state.playback.seek_to(at, now_ms),
            None => state.status = "no event before this one".into(),
        },
        Action::NextDeviation => match state.data.next_deviation_ms(position) {
            Some(at) => {
                state.playback.seek_to(at, now_ms);
                state.playback.playing = false;
            }
            None => state.status = no_deviation(state, "after"),
        },
        Action::PreviousDeviation => match state.data.previous_deviation_ms(position) {
            Some(at) => {
                state.playback.seek_to(at, now_ms);
                state.playback.playing = false;
            }
            None => state.status = no_deviation(state, "before"),
        },
        Action::ZoomIn => {
            state.playback.zoom_in();
            if state.playback.zoom == state.playback.max_zoom() {
                state.status = format!("zoom {}x is the closest", state.playback.zoom_factor());
            }
        }
        Action::ZoomOut => state.playback.zoom_out(),
        Action::ZoomReset => state.playback.zoom_reset(),
        Action::GoTo => state.mode = Mode::GoTo(String::new()),
        Action::Type(c) => {
            if let Mode::GoTo(text) = &mut state.mode
                && text.len() < 12
            {
                text.push(c);
            }
        }
        Action::Backspace => {
            if let Mode::GoTo(text) = &mut state.mode {
                text.pop();
            }
        }
        Action::Submit => {
            if let Mode::GoTo(text) = &state.mode {
                let at = if text.starts_with('@') {
                    parse_wall_time(text, state.data.header.started_at)
                } else {
                    parse_time(text, position)
                };
                match at {
                    Some(at) => {
                        state.playback.seek_to(at, now_ms);
                        state.mode = Mode::Normal;
                    }
                    None => {
                        state.status = format!(
                            "`{text}` is not a time: type 4:12, 1:02:03, 90, +30, -1:00 or @09:22"
                        );
                    }
                }
            }
        }
        Action::Cancel => state.mode = Mode::Normal,
        Action::Help => state.mode = Mode::Help,
        Action::Quit => return vec![Effect::Quit],
    }
    Vec::new()
}

fn no_deviation(state: &ReplayState, direction: &str) -> String {
    if state.data.deviations.is_empty() {
        match &state.data.comparison_note {
            Some(note) => note.clone(),
            None => "no deviation in this session".into(),
        }
    } else {
        format!(
            "no deviation {direction} {}",
            session_time::format(state.position_ms())
        )
    }
}
