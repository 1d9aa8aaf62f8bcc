//! The start form's update: pure, no I/O, no clock.

use super::{FIELD_MAX_CHARS, Field, FormAction, FormOutcome, StartForm};
use crate::tui::keymap::pasted_line;

/// Applies one action; the outcome says what the capture command does next.
pub fn update(form: &mut StartForm, action: FormAction) -> FormOutcome {
    let n = form.pathways.len().max(1);
    let text = form.focus.text_index();
    match (form.focus, action) {
        (_, FormAction::Type(c)) if text.is_some() && !c.is_control() => {
            let value = &mut form.values[text.unwrap_or_default()];
            if value.chars().count() < FIELD_MAX_CHARS {
                value.push(c);
            }
        }
        (_, FormAction::Paste(pasted)) if text.is_some() => {
            let value = &mut form.values[text.unwrap_or_default()];
            let room = FIELD_MAX_CHARS.saturating_sub(value.chars().count());
            value.extend(pasted_line(&pasted).chars().take(room));
        }
        (Field::Pathway, FormAction::Type(' ') | FormAction::Right) => {
            form.pathway = (form.pathway + 1) % n;
        }
        (Field::Pathway, FormAction::Left) => form.pathway = (form.pathway + n - 1) % n,
        (Field::Pathway, FormAction::Type(c @ '1'..='9')) => {
            let i = c as usize - '1' as usize;
            if i < n {
                form.pathway = i;
            }
        }
        (_, FormAction::Backspace) if text.is_some() => {
            form.values[text.unwrap_or_default()].pop();
        }
        (_, FormAction::Next) => form.focus = form.focus.next(),
        (_, FormAction::Prev) => form.focus = form.focus.previous(),
        (_, FormAction::Submit) => {
            if let Some(empty) = Field::TEXT.into_iter().find(|&f| form.value(f).is_empty()) {
                form.error = Some(format!("{} is empty: type one", empty.label()));
                form.focus = empty;
                return FormOutcome::Editing;
            }
            return FormOutcome::Start;
        }
        (_, FormAction::Cancel) => return FormOutcome::Cancel,
        (_, FormAction::Browse) => return FormOutcome::Browse,
        _ => {}
    }
    form.error = None;
    FormOutcome::Editing
}
