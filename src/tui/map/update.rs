//! The map screen's update: pure (no I/O, no clock); effects say what the loop must do.

use super::{Action, Effect, Focus, MapState, Mode, Suggested};

pub fn update(state: &mut MapState, action: Action) -> Vec<Effect> {
    state.status.clear();
    match action {
        Action::Help => {
            state.help = !state.help;
            return Vec::new();
        }
        Action::Suggested(result) => {
            state.suggested = match result {
                Ok(suggestion) => Suggested::Ready(suggestion),
                Err(why) => Suggested::Failed(why),
            };
            return Vec::new();
        }
        Action::Suggest => {
            state.mode = Mode::Suggestion { scroll: 0 };
            // Computed once; a failure may be tried again.
            return match state.suggested {
                Suggested::NotAsked | Suggested::Failed(_) => {
                    state.suggested = Suggested::Computing;
                    vec![Effect::Suggest]
                }
                Suggested::Computing | Suggested::Ready(_) => Vec::new(),
            };
        }
        _ => {}
    }
    if let Mode::Suggestion { .. } = state.mode {
        return in_suggestion(state, action);
    }
    if let Mode::Sessions { edge, selected } = &mut state.mode {
        let taken = state.map.edges[*edge].taken_by.len();
        match action {
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Down => *selected = (*selected + 1).min(taken.saturating_sub(1)),
            Action::Replay | Action::Open => {
                if let Some((session, at_ms)) = state.map.edges[*edge].taken_by.get(*selected) {
                    return vec![Effect::Replay {
                        session: session.clone(),
                        at_ms: *at_ms,
                    }];
                }
            }
            Action::Back | Action::SwitchFocus => state.mode = Mode::Map,
            Action::Quit => return vec![Effect::Quit],
            _ => {}
        }
        return Vec::new();
    }
    match (action, state.focus) {
        (Action::Quit, _) | (Action::Back, Focus::Steps) => return vec![Effect::Quit],
        (Action::Up, Focus::Steps) => {
            state.selected = state.selected.saturating_sub(1);
            state.flow = 0;
        }
        (Action::Down, Focus::Steps) => {
            state.selected = (state.selected + 1).min(state.steps.len().saturating_sub(1));
            state.flow = 0;
        }
        (Action::Up, Focus::Flows) => state.flow = state.flow.saturating_sub(1),
        (Action::Down, Focus::Flows) => {
            state.flow = (state.flow + 1).min(state.flow_list().len().saturating_sub(1));
        }
        (Action::SwitchFocus, Focus::Steps) | (Action::Open, Focus::Steps) => {
            if state.flow_list().is_empty() {
                state.status = "no session did this step: it has no flows".into();
            } else {
                state.focus = Focus::Flows;
                state.flow = state.flow.min(state.flow_list().len() - 1);
            }
        }
        (Action::SwitchFocus, Focus::Flows) | (Action::Back, Focus::Flows) => {
            state.focus = Focus::Steps;
        }
        (Action::Open, Focus::Flows) => {
            if let Some(edge) = state.selected_flow() {
                if state.map.edges[edge].conforming {
                    state.status =
                        "this flow follows the pathway; Enter lists the sessions of flows that leave it"
                            .into();
                } else {
                    state.mode = Mode::Sessions { edge, selected: 0 };
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The suggestion: scroll it (never past its last page), go back to the map, or quit.
fn in_suggestion(state: &mut MapState, action: Action) -> Vec<Effect> {
    let page = state.suggestion_page();
    let last = state.suggestion_lines().len().saturating_sub(page);
    let Mode::Suggestion { scroll } = &mut state.mode else {
        return Vec::new();
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(last),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = (*scroll + page).min(last),
        Action::Back => state.mode = Mode::Map,
        Action::Quit => return vec![Effect::Quit],
        _ => {}
    }
    Vec::new()
}
