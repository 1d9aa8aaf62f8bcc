//! Redaction (domain.md section 8): `--redact` removes note text and masks identifier-like
//! strings (record numbers, phone numbers, dates of birth, e-mail addresses) in every other
//! free text. One pure function of a session, reused by every export and by the report.
//!
//! The masks are deliberately greedy: a false positive costs a few characters of a label, a
//! false negative leaks a patient identifier.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::model::{Event, EventKind, Session};

/// What replaces an e-mail address.
pub const EMAIL: &str = "[email]";
/// What replaces a phone number.
pub const PHONE: &str = "[phone]";
/// What replaces a date (a date of birth, or any other full date in free text).
pub const DATE: &str = "[date]";
/// What replaces a record number or another identifier.
pub const ID: &str = "[id]";

/// Fewest digits a run of digits, spaces, dots, dashes and brackets needs to be taken for a
/// phone or record number.
const MIN_NUMBER_DIGITS: usize = 7;

const MONTH: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";

/// Masks identifier-like strings in free text. Build it once (`Redactor::standard()`): the
/// expressions are compiled when it is created.
pub struct Redactor {
    email: Regex,
    labelled_date: Regex,
    dates: Vec<Regex>,
    labelled_id: Regex,
    hash_id: Regex,
    letter_id: Regex,
    number: Regex,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        let re = |pattern: &str| Regex::new(pattern).expect("redaction patterns are valid");
        Redactor {
            email: re(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}"),
            // "DOB 1956", "born: 1956" (a full date is caught by the date patterns).
            labelled_date: re(
                r"(?i)\b(DOB|D\.O\.B\.?|date\s+of\s+birth|born)(\s*[:#=\-]?\s*)[0-9](?:[0-9/\-]|\.[0-9])*",
            ),
            dates: vec![
                // 1956-04-03, 1956/4/3
                re(r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}"),
                // 03/04/1956, 3.4.56, 03-04-1956
                re(r"\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}"),
                // 3 April 1956, 3rd of Apr. 1956, 03-Apr-1956
                re(&format!(
                    r"(?i)\d{{1,2}}(?:st|nd|rd|th)?[\s\-]+(?:of\s+)?{MONTH},?[\s\-]+\d{{2,4}}"
                )),
                // April 3, 1956
                re(&format!(
                    r"(?i){MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                )),
            ],
            // MRN 00123456, MR# 123, record no. A-12, NHS number 943 476 5919, patient id 77
            labelled_id: re(concat!(
                r"(?i)\b(MRN|MR\s?#|MR\s?no\.?|URN|UR\s?no\.?|NHS(?:\s?(?:number|no\.?))?|SSN|",
                r"(?:medical\s+)?record(?:\s?(?:number|no\.?|#))?|chart\s?(?:number|no\.?|#)|",
                r"patient\s?(?:id|number|no\.?|#)|account(?:\s?(?:number|no\.?|#))?|acct\.?|ID|bed|room)",
                r"(\s*[:#=]?\s*)[a-z]{0,3}[0-9](?:[0-9a-z/\-]|[ .][0-9])*",
            )),
            // #1234567, # 1234
            hash_id: re(r"#\s?\d{3,}"),
            // A1234567, RX0012345
            letter_id: re(r"(?i)[a-z]{1,3}\d{6,}"),
            // 555-123-4567, +44 20 7946 0958, (555) 123 4567, 00123456
            number: re(r"(?:\+\d|\(\d|\d)[\d \t().\-]*\d\)?"),
        }
    }

    /// The one shared instance.
    pub fn standard() -> &'static Redactor {
        static REDACTOR: LazyLock<Redactor> = LazyLock::new(Redactor::new);
        &REDACTOR
    }

    /// The text with every identifier-like string replaced by a placeholder (`[email]`,
    /// `[phone]`, `[date]`, `[id]`); labels such as `MRN` or `DOB` are kept, so the reader
    /// still sees what was there.
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        // Quick exit: nothing to mask without a digit or an @.
        if !text.chars().any(|c| c.is_numeric() || c == '@') {
            return Cow::Borrowed(text);
        }
        let mut out = self.email.replace_all(text, EMAIL).into_owned();
        for date in &self.dates {
            out = date.replace_all(&out, DATE).into_owned();
        }
        out = self
            .labelled_date
            .replace_all(&out, |c: &Captures| format!("{}{}{DATE}", &c[1], &c[2]))
            .into_owned();
        out = self
            .labelled_id
            .replace_all(&out, |c: &Captures| format!("{}{}{ID}", &c[1], &c[2]))
            .into_owned();
        out = self
            .hash_id
            .replace_all(&out, |_: &Captures| format!("#{ID}"))
            .into_owned();
        out = self.letter_id.replace_all(&out, ID).into_owned();
        out = self
            .number
            .replace_all(&out, |c: &Captures| {
                let found = &c[0];
                let digits = found.chars().filter(|c| c.is_numeric()).count();
                if digits < MIN_NUMBER_DIGITS {
                    found.to_string()
                } else if found.chars().all(char::is_numeric) {
                    ID.to_string()
                } else {
                    PHONE.to_string()
                }
            })
            .into_owned();
        if out == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(out)
        }
    }

    /// True when `mask` would change the text.
    pub fn looks_identifying(&self, text: &str) -> bool {
        matches!(self.mask(text), Cow::Owned(_))
    }

    /// The session with note text removed (notes, and the notes of interruptions,
    /// workarounds and problems) and identifier-like strings masked in every other free
    /// text: unplanned steps' labels and ids, and the header's site, role, clinician and
    /// auditor. The session id, the pathway, times, counts and kinds are kept, so every
    /// figure and comparison of the redacted session equals the original's.
    pub fn session(&self, session: &Session) -> Session {
        let mut header = session.header.clone();
        for field in [
            &mut header.site,
            &mut header.role,
            &mut header.clinician,
            &mut header.auditor,
        ] {
            *field = self.mask(field).into_owned();
        }
        let events = session
            .events
            .iter()
            .map(|event| Event {
                seq: event.seq,
                at_ms: event.at_ms,
                kind: self.event_kind(&event.kind),
            })
            .collect();
        Session { header, events }
    }

    fn event_kind(&self, kind: &EventKind) -> EventKind {
        match kind {
            EventKind::InterruptionStart { source, .. } => EventKind::InterruptionStart {
                source: *source,
                note: String::new(),
            },
            EventKind::Workaround { kind, .. } => EventKind::Workaround {
                kind: *kind,
                note: String::new(),
            },
            EventKind::SystemProblem { kind, .. } => EventKind::SystemProblem {
                kind: *kind,
                note: String::new(),
            },
            EventKind::Note { .. } => EventKind::Note {
                text: String::new(),
            },
            EventKind::UnplannedStep { step, label } => EventKind::UnplannedStep {
                step: self.mask(step).into_owned(),
                label: self.mask(label).into_owned(),
            },
            other => other.clone(),
        }
    }
}

/// Masks identifier-like strings with the shared redactor.
pub fn mask(text: &str) -> Cow<'_, str> {
    Redactor::standard().mask(text)
}

/// The redacted copy of a session (see `Redactor::session`).
pub fn redact_session(session: &Session) -> Session {
    Redactor::standard().session(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InterruptionSource, ProblemKind, SessionHeader, WorkaroundKind};

    fn masked(text: &str) -> String {
        mask(text).into_owned()
    }

    #[test]
    fn masks_record_numbers() {
        assert_eq!(masked("MRN 00123456"), "MRN [id]");
        assert_eq!(masked("mrn:00123456 checked"), "mrn:[id] checked");
        assert_eq!(masked("pt #1234567 in bay"), "pt #[id] in bay");
        assert_eq!(masked("MR# 44-1234"), "MR# [id]");
        assert_eq!(masked("NHS number 943 476 5919"), "NHS number [id]");
        assert_eq!(masked("record A0012345 again"), "record [id] again");
        assert_eq!(masked("ref RX0012345"), "ref [id]");
        assert_eq!(masked("scanned 00123456"), "scanned [id]");
        // Digits of other scripts are digits too.
        assert_eq!(masked("رقم ٠٠١٢٣٤٥٦"), "رقم [id]");
    }

    #[test]
    fn masks_phone_numbers() {
        assert_eq!(masked("call 555-123-4567 now"), "call [phone] now");
        assert_eq!(masked("+44 20 7946 0958"), "[phone]");
        assert_eq!(masked("ring (555) 123 4567."), "ring [phone].");
        assert_eq!(masked("tel 555.123.4567"), "tel [phone]");
        assert_eq!(masked("+1-555-123-4567"), "[phone]");
    }

    #[test]
    fn masks_dates_of_birth() {
        assert_eq!(masked("DOB 03/04/1956"), "DOB [date]");
        assert_eq!(masked("dob: 1956-04-03"), "dob: [date]");
        assert_eq!(masked("born 3 April 1956"), "born [date]");
        assert_eq!(masked("April 3, 1956"), "[date]");
        assert_eq!(masked("DOB 1956"), "DOB [date]");
        assert_eq!(masked("d.o.b. 3.4.56"), "d.o.b. [date]");
    }

    #[test]
    fn masks_email_addresses() {
        assert_eq!(
            masked("mail jane.doe@example.org re meds"),
            "mail [email] re meds"
        );
        assert_eq!(masked("J_Doe+ward@nhs.net"), "[email]");
    }

    #[test]
    fn keeps_ordinary_clinical_text() {
        for text in [
            "RN-07",
            "north",
            "open-chart",
            "BP 120 80, HR 72",
            "gave 500 mg at 09:30",
            "step 3 of 10",
            "x01",
            "waited 45 s for the screen",
            "",
        ] {
            assert!(
                matches!(mask(text), Cow::Borrowed(_)),
                "{text:?} became {:?}",
                mask(text)
            );
        }
    }

    mod random {
        use super::*;
        use proptest::prelude::*;

        /// (planted form, what must never survive the mask)
        const PLANTED: &[(&str, &str)] = &[
            ("MRN 00123456", "123456"),
            ("MRN:00123456", "123456"),
            ("mrn# 00123456", "123456"),
            ("#1234567", "1234567"),
            ("00123456", "123456"),
            ("A1234567", "1234567"),
            ("555-123-4567", "4567"),
            ("555.123.4567", "4567"),
            ("+44 20 7946 0958", "7946"),
            ("(555) 123 4567", "4567"),
            ("+1 (555) 123-4567", "4567"),
            ("DOB 03/04/1956", "1956"),
            ("dob: 3.4.1956", "1956"),
            ("1956-04-03", "1956"),
            ("3 April 1956", "1956"),
            ("April 3, 1956", "1956"),
            ("03-Apr-1956", "1956"),
            ("jane.doe@example.org", "jane.doe"),
            ("J_Doe+ward@mail.nhs.net", "J_Doe"),
        ];

        proptest! {
            #[test]
            fn a_planted_identifier_never_survives(
                prefix in "[a-zA-Z ,.:;()\"'/-]{0,12}",
                suffix in "[a-zA-Z ,.:;()\"'/-]{0,12}",
                which in 0..PLANTED.len(),
            ) {
                let (form, core) = PLANTED[which];
                let text = format!("{prefix}{form}{suffix}");
                let out = mask(&text);
                prop_assert!(!out.contains(core), "{text:?} -> {out:?}");
            }

            #[test]
            fn text_without_digits_or_at_is_kept(text in "[a-zA-Z ,.:;()\"'/#+-]{0,40}") {
                prop_assert_eq!(mask(&text), Cow::Borrowed(text.as_str()));
            }
        }
    }

    fn planted() -> Session {
        let mut s = Session::new(SessionHeader {
            site: "north ward 555-123-4567".into(),
            auditor: "jane.doe@example.org".into(),
            ..crate::testing::header()
        });
        let kinds = [
            EventKind::StepStart {
                step: "open-chart".into(),
            },
            EventKind::InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: "son called 555-123-4567".into(),
            },
            EventKind::InterruptionEnd,
            EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "MRN 00123456 on glove".into(),
            },
            EventKind::SystemProblem {
                kind: ProblemKind::MissingData,
                note: "no DOB 03/04/1956".into(),
            },
            EventKind::Note {
                text: "pt jane.doe@example.org".into(),
            },
            EventKind::UnplannedStep {
                step: "call-555-123-4567".into(),
                label: "Call GP for MRN 00123456".into(),
            },
            EventKind::Finish,
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            s.events.push(Event {
                seq: i as u64 + 1,
                at_ms: i as u64 * 1000,
                kind,
            });
        }
        s
    }

    #[test]
    fn redacted_session_holds_no_planted_identifier_and_keeps_structure() {
        let original = planted();
        let redacted = redact_session(&original);
        let text = redacted.to_ron();
        for planted in [
            "555-123-4567",
            "00123456",
            "jane.doe",
            "1956",
            "glove",
            "son called",
        ] {
            assert!(!text.contains(planted), "{planted} left in {text}");
        }
        assert_eq!(redacted.header.site, "north ward [phone]");
        assert_eq!(redacted.header.auditor, "[email]");
        assert_eq!(redacted.header.id, original.header.id);
        assert_eq!(redacted.events.len(), original.events.len());
        assert_eq!(
            redacted.events[6].kind,
            EventKind::UnplannedStep {
                step: "call-[phone]".into(),
                label: "Call GP for MRN [id]".into()
            }
        );
        // Figures are unchanged: same steps, same clocks, same counts.
        let (a, b) = (original.timeline(), redacted.timeline());
        assert_eq!(a.steps.len(), b.steps.len());
        assert_eq!(a.end_ms, b.end_ms);
        assert_eq!(a.steps[0].active_ms, b.steps[0].active_ms);
        assert_eq!(a.workarounds.len(), b.workarounds.len());
        assert!(b.workarounds.iter().all(|w| w.text.is_empty()));
    }
}
