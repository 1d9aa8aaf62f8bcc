//! The report screen's update: pure. The wall clock of the moment comes in as `now`; saving
//! the overrides file is an effect.

use chrono::{DateTime, FixedOffset};

use super::{Action, Effect, Mode, State, View};
use crate::report::Override;
use crate::tui::keymap::pasted_line;

pub fn update(state: &mut State, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let last = state.findings.len().saturating_sub(1);
    match (state.mode.clone(), action.clone()) {
        (_, Action::Quit) => state.quit = true,
        (Mode::List, Action::ToggleRounds) => match (&state.rounds, state.view) {
            (None, _) => {
                state.status = "no rounds: start with --split folder|version|date:...".into();
            }
            (Some(_), View::Findings) => state.view = View::Rounds,
            (Some(_), View::Rounds) => state.view = View::Findings,
        },
        (
            Mode::List,
            Action::Up | Action::Down | Action::PreviousComparison | Action::NextComparison,
        ) if state.view == View::Rounds => {
            if let Some(view) = &mut state.rounds {
                match action {
                    Action::Up => view.scroll(-1),
                    Action::Down => view.scroll(1),
                    Action::PreviousComparison => view.select(-1),
                    _ => view.select(1),
                }
            }
        }
        (Mode::List, Action::Up) => state.selected = state.selected.saturating_sub(1),
        (Mode::List, Action::Down) => state.selected = (state.selected + 1).min(last),
        (Mode::List, Action::Top) => state.selected = 0,
        (Mode::List, Action::Bottom) => state.selected = last,
        (Mode::List, Action::OpenCauseMenu) if state.current().is_some() => {
            state.mode = Mode::PickCause;
            state.status = "pick a cause".into();
        }
        (Mode::List, Action::OpenMap) if state.current().is_some() => {
            return vec![Effect::OpenMap(state.selected)];
        }
        (Mode::List, Action::RemoveOverride) => {
            let Some(id) = state.current().map(|f| f.id.clone()) else {
                return vec![];
            };
            if state.overrides.remove(&id) {
                state.apply_overrides();
                state.status = format!("override of {id} removed");
                return vec![Effect::SaveOverrides(state.overrides.clone())];
            }
            state.status = format!("{id} has no override");
        }
        (Mode::PickCause, Action::PickCause(cause)) => {
            state.mode = Mode::Who { cause };
            state.input = state.last_who.clone();
            state.status = format!("cause {cause}: who decides? (Enter)");
        }
        (Mode::Who { .. } | Mode::Why { .. }, Action::Char(c)) => state.input.push(c),
        (Mode::Who { .. } | Mode::Why { .. }, Action::Paste(text)) => {
            state.input.push_str(&pasted_line(&text));
        }
        (Mode::Who { .. } | Mode::Why { .. }, Action::Backspace) => {
            state.input.pop();
        }
        (Mode::Who { cause }, Action::Submit) => {
            let who = state.input.trim().to_string();
            if who.is_empty() {
                state.status = "who: type your name or code".into();
            } else {
                state.last_who = who.clone();
                state.mode = Mode::Why { cause, who };
                state.input.clear();
                state.status = "why? (Enter saves)".into();
            }
        }
        (Mode::Why { cause, who }, Action::Submit) => {
            let why = state.input.trim().to_string();
            if why.is_empty() {
                state.status = "why: say what the evidence shows".into();
                return vec![];
            }
            let Some(id) = state.current().map(|f| f.id.clone()) else {
                return vec![];
            };
            state.overrides.set(Override {
                finding: id.clone(),
                cause,
                who,
                why,
                when: now,
            });
            state.apply_overrides();
            state.mode = Mode::List;
            state.input.clear();
            state.status = format!("{id}: cause set to {cause}; saving");
            return vec![Effect::SaveOverrides(state.overrides.clone())];
        }
        (_, Action::Cancel) => {
            state.mode = Mode::List;
            state.input.clear();
            state.status = "cancelled".into();
        }
        _ => {}
    }
    vec![]
}
