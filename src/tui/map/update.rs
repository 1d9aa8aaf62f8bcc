//! The map screen's update: pure (no I/O, no clock); effects say what the loop must do.

use super::{Action, Effect, Focus, MapState, Mode};

pub fn update(state: &mut MapState, action: Action) -> Vec<Effect> {
    state.status.clear();
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
        (Action::Replay, Focus::Steps | Focus::Flows) => {}
    }
    Vec::new()
}
