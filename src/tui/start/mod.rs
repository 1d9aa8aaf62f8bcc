//! Before capture: the start form (site, role, clinician code, auditor, pathway; every field has
//! a default, Enter starts). Key -> [`FormAction`] (`keys.rs`) -> [`update`] (`update.rs`, pure)
//! -> a [`FormOutcome`] the capture command acts on (start, quit, open the browser) -> [`draw`]
//! (`draw.rs`, reads only).

mod draw;
pub mod keys;
mod update;

use chrono::{DateTime, FixedOffset};

pub use draw::draw;
pub use keys::key_to_action;
pub use update::update;

/// The form's fields, in focus order: four text fields, then the pathway picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Site,
    Role,
    Clinician,
    Auditor,
    Pathway,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Site,
        Field::Role,
        Field::Clinician,
        Field::Auditor,
        Field::Pathway,
    ];

    /// The text fields, in order.
    pub const TEXT: [Field; 4] = [Field::Site, Field::Role, Field::Clinician, Field::Auditor];

    /// The label on the form.
    pub fn label(self) -> &'static str {
        match self {
            Field::Site => "Site",
            Field::Role => "Role",
            Field::Clinician => "Clinician code",
            Field::Auditor => "Auditor",
            Field::Pathway => "Pathway",
        }
    }

    /// Where the field's text is kept in [`StartForm::values`]; None for the pathway picker.
    pub fn text_index(self) -> Option<usize> {
        Field::TEXT.iter().position(|&f| f == self)
    }

    fn position(self) -> usize {
        Field::ALL.iter().position(|&f| f == self).unwrap_or(0)
    }

    /// The next field, round.
    pub fn next(self) -> Field {
        Field::ALL[(self.position() + 1) % Field::ALL.len()]
    }

    /// The previous field, round.
    pub fn previous(self) -> Field {
        Field::ALL[(self.position() + Field::ALL.len() - 1) % Field::ALL.len()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartForm {
    /// The text fields' values, in [`Field::TEXT`] order.
    pub values: [String; 4],
    /// Built-in pathways: (id, name).
    pub pathways: Vec<(String, String)>,
    pub pathway: usize,
    pub focus: Field,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    Type(char),
    /// A paste: text for the focused field, never keys.
    Paste(String),
    Backspace,
    Next,
    Prev,
    Left,
    Right,
    Submit,
    Cancel,
    /// `F2` or `Ctrl-B`: open the session browser.
    Browse,
}

/// What the capture command does after an action (the form's effect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Start,
    Cancel,
    /// Open the session browser on this terminal; the form comes back when it closes.
    Browse,
}

/// The longest text a field takes.
pub const FIELD_MAX_CHARS: usize = 40;

impl StartForm {
    pub fn new(values: [String; 4], pathways: Vec<(String, String)>, pathway: usize) -> StartForm {
        StartForm {
            values,
            pathway: pathway.min(pathways.len().saturating_sub(1)),
            pathways,
            focus: Field::Site,
            error: None,
        }
    }

    /// A text field's value, trimmed (the pathway field has none: "").
    pub fn value(&self, field: Field) -> &str {
        field.text_index().map_or("", |i| self.values[i].trim())
    }

    pub fn site(&self) -> &str {
        self.value(Field::Site)
    }
    pub fn role(&self) -> &str {
        self.value(Field::Role)
    }
    pub fn clinician(&self) -> &str {
        self.value(Field::Clinician)
    }
    pub fn auditor(&self) -> &str {
        self.value(Field::Auditor)
    }
    pub fn pathway_id(&self) -> &str {
        &self.pathways[self.pathway].0
    }

    /// Applies one action; see [`update`].
    pub fn update(&mut self, action: FormAction) -> FormOutcome {
        update(self, action)
    }
}

/// A file-name safe session id: `20261125-0918-north-RN-07` (start minute, site, clinician).
pub fn session_id(started_at: DateTime<FixedOffset>, site: &str, clinician: &str) -> String {
    let safe = |s: &str| -> String {
        let mapped: String = s
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let trimmed = mapped.trim_matches(|c| c == '-' || c == '.').to_string();
        if trimmed.is_empty() {
            "x".to_string()
        } else {
            trimmed
        }
    };
    format!(
        "{}-{}-{}",
        started_at.format("%Y%m%d-%H%M"),
        safe(site),
        safe(clinician)
    )
}

#[cfg(test)]
mod tests;
