//! The resume menu's update: pure, no I/O, no clock.

use super::{ResumeAction, ResumeMenu, ResumeOutcome, in_use_message};

/// Applies one action; the outcome says what the capture command does next. A session in use
/// by another shadowmap is never continued or finished here: the menu says so instead.
pub fn update(menu: &mut ResumeMenu, action: ResumeAction) -> ResumeOutcome {
    let n = menu.sessions.len();
    menu.message = None;
    let selected = menu.sessions.get(menu.selected);
    match action {
        ResumeAction::Continue | ResumeAction::FinishAsIs if selected.is_some_and(|s| s.in_use) => {
            menu.message = selected.map(|s| in_use_message(&s.id));
        }
        ResumeAction::Up => menu.selected = menu.selected.saturating_sub(1),
        ResumeAction::Down => menu.selected = (menu.selected + 1).min(n.saturating_sub(1)),
        ResumeAction::Select(i) if i < n => menu.selected = i,
        ResumeAction::Continue => {
            if let Some(s) = selected {
                return ResumeOutcome::Continue(s.id.clone());
            }
        }
        ResumeAction::FinishAsIs => {
            if let Some(s) = selected {
                return ResumeOutcome::FinishAsIs(s.id.clone());
            }
        }
        ResumeAction::New => return ResumeOutcome::New,
        ResumeAction::Quit => return ResumeOutcome::Quit,
        ResumeAction::Select(_) => {}
    }
    ResumeOutcome::Choosing
}
