//! The fixed vocabularies of docs/reference.md section 2. The snake_case names are a file format:
//! sessions, exports and other tools read them, so a variant is never renamed or removed.

use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum with its stable file name and its screen label, in one table,
/// so the two can never drift apart.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $file:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[serde(rename = $file)] $variant,)+
        }

        impl $name {
            /// Every entry, in the order the screen lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case name used in files and exports.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $file,)+ }
            }

            /// The label shown on screen.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses the stable snake_case name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($file => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// Who or what broke into the clinician's work.
    InterruptionSource {
        Colleague => "colleague", "Colleague";
        Patient => "patient", "Patient";
        Family => "family", "Family";
        PhonePager => "phone_pager", "Phone / pager";
        AlarmDevice => "alarm_device", "Alarm / device";
        EhrAlert => "ehr_alert", "EHR alert";
        SelfInitiated => "self", "Self (breaks off)";
        Environment => "environment", "Environment";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// How the clinician got around the system.
    WorkaroundKind {
        PaperNote => "paper_note", "Paper note";
        CopyPaste => "copy_paste", "Copy-paste";
        DuplicateEntry => "duplicate_entry", "Duplicate entry";
        SecondSystem => "second_system", "Second system";
        VerbalHandoff => "verbal_handoff", "Verbal handoff";
        SharedLogin => "shared_login", "Shared login";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// What went wrong with the system itself.
    ProblemKind {
        SlowResponse => "slow_response", "Slow response";
        ErrorMessage => "error_message", "Error message";
        Downtime => "downtime", "Downtime";
        LoginTimeout => "login_timeout", "Login timeout";
        MissingData => "missing_data", "Missing data";
        AlertFatigue => "alert_fatigue", "Alert fatigue";
        Hardware => "hardware", "Hardware";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// The suggested cause of a finding.
    Cause {
        Training => "training", "Training";
        Design => "design", "Design";
        Integration => "integration", "Integration";
        Infrastructure => "infrastructure", "Infrastructure";
        Policy => "policy", "Policy";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_domain_reference() {
        let names: Vec<&str> = InterruptionSource::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(
            names,
            [
                "colleague",
                "patient",
                "family",
                "phone_pager",
                "alarm_device",
                "ehr_alert",
                "self",
                "environment",
                "other"
            ]
        );
        for kind in WorkaroundKind::ALL {
            assert_eq!(WorkaroundKind::from_name(kind.name()), Some(*kind));
        }
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(Cause::ALL.len(), 5);
        assert_eq!(
            serde_json::to_string(&InterruptionSource::SelfInitiated).unwrap(),
            "\"self\""
        );
    }
}
