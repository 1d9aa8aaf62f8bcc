//! Redaction (docs/privacy.md): `--redact` removes note text and masks identifier-like strings
//! in every other free text: HIPAA Safe Harbor's identifiers as far as they can be told from
//! text (names after a title, addresses and postcodes, dates and ages over 89, phone and fax
//! numbers, e-mail addresses, record, health plan, account, licence, vehicle and device
//! numbers, URLs and IP addresses). One pure function of a session, reused by every export
//! and by the report.
//!
//! The masks are deliberately greedy: a false positive costs a few characters of a label, a
//! false negative leaks a patient identifier. The privacy page's table says what each
//! identifier becomes.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex, RegexSet, Replacer};

use crate::model::{Event, EventKind, Session};

/// What replaces an e-mail address.
pub const EMAIL: &str = "[email]";
/// What replaces a phone, fax or pager number, or an extension.
pub const PHONE: &str = "[phone]";
/// What replaces a date (a date of birth, or any other date more precise than a year).
pub const DATE: &str = "[date]";
/// What replaces a record number or another identifying number or code.
pub const ID: &str = "[id]";
/// What replaces a URL.
pub const URL: &str = "[url]";
/// What replaces an IP address.
pub const IP: &str = "[ip]";
/// What replaces a street address, an apartment or a post office box.
pub const ADDRESS: &str = "[address]";
/// What replaces a ZIP code or a postcode.
pub const POSTCODE: &str = "[postcode]";
/// What replaces a name after a title (`Mrs [name]`, `pt [name]`).
pub const NAME: &str = "[name]";
/// What `#1234567` becomes.
const HASH_ID: &str = "#[id]";
/// What an age over 89 becomes: Safe Harbor's single category of ages 90 and older.
pub const AGE_90_PLUS: &str = "90+";

/// Fewest digits a run of digits, spaces, dots, dashes and brackets needs to be taken for a
/// phone or record number.
const MIN_NUMBER_DIGITS: usize = 7;

/// Month names and their abbreviations, as whole words.
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?";
/// The months that are safe to take for a date without a year: not `may` (the verb), `mar`
/// (the medication administration record) or `dec` (decrease).
const MONTH_WITHOUT_YEAR: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|december)\b\.?";
/// `number`, `no.`, `#`, `id` after a label: `record number`, `policy no.`.
const NUMBER_WORD: &str = r"(?:\s?(?:number|num|no\.?|#|id))";
/// A labelled identifier: letters and digits with at least one digit (`00123456`,
/// `AB-12-34`, `1EG4-TE5-MK72`, `943 476 5919`).
const ID_VALUE: &str = r"[a-z]{0,6}[\-/]?[0-9](?:[0-9a-z/\-]|[ .][0-9])*";
/// Top-level domains taken for a web address without `http://` or `www.`.
const TLD: &str =
    r"(?:com|org|net|edu|gov|mil|int|info|biz|health|io|uk|us|ca|au|nz|ie|de|fr|nl|eu)";
/// Capitalised words after `patient` that name a thing, not a person (`Patient Portal`).
const NOT_NAMES: &[&str] = &[
    "Access",
    "Advocate",
    "Banner",
    "Bed",
    "Care",
    "Chart",
    "Demographics",
    "Details",
    "Education",
    "Experience",
    "Flow",
    "Handoff",
    "Handover",
    "Header",
    "History",
    "Identification",
    "Info",
    "Information",
    "List",
    "Lookup",
    "Name",
    "Note",
    "Notes",
    "Portal",
    "Record",
    "Records",
    "Registration",
    "Room",
    "Safety",
    "Search",
    "Summary",
    "Transfer",
    "Transport",
];

/// Masks identifier-like strings in free text. Build it once (`Redactor::standard()`): the
/// expressions are compiled when it is created.
pub struct Redactor {
    /// Cheap test for text without digits or `@` that may still hold a name or a URL.
    wordy: Regex,
    /// Every pass's expression: one scan tells which passes have something to mask.
    any: RegexSet,
    /// The masks, in the order they run.
    passes: Vec<(Regex, Replace)>,
}

/// What a pass puts in place of what its expression found.
#[derive(Debug, Clone, Copy)]
enum Replace {
    /// The whole match.
    With(&'static str),
    /// The value after the label (groups 1 and 2, kept), when the match has at least this many
    /// digits; a match without a label (an unlabelled alternative) is replaced whole.
    KeepLabel(&'static str, usize),
    /// An age over 89 (group 3 after a label, or group 1 before `years`) becomes `90+`.
    Age,
    /// See [`mask_name`].
    Name,
    /// A run of digits: `[id]`, `[phone]`, or kept when it is short.
    Number,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

/// Runs one replacement, allocating only when it matched.
fn pass<R: Replacer>(text: &mut Cow<'_, str>, re: &Regex, replacer: R) {
    if let Cow::Owned(replaced) = re.replace_all(text, replacer) {
        *text = Cow::Owned(replaced);
    }
}

fn digits(text: &str) -> usize {
    text.chars().filter(|c| c.is_numeric()).count()
}

impl Redactor {
    pub fn new() -> Redactor {
        let wordy = Regex::new(&format!(
            r"(?i)://|\bwww\.|\b(?:pt|patient|mrs?|ms|miss|mx)\b|[a-z0-9]\.{TLD}\b"
        ))
        .expect("redaction patterns are valid");
        // In the order they run.
        let passes: Vec<(String, Replace)> = vec![
            // Web and e-mail addresses first: they hold digits, dates and names of their own.
            // http://, https://, ftp://, file:// and www. addresses, without trailing punctuation.
            (r#"(?i)\b(?:(?:https?|ftp|file)://|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}]"#.into(), Replace::With(URL)),
            // jane.doe@example.org, and jane@localhost.
            (r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*".into(), Replace::With(EMAIL)),
            // example.org/patients/123, portal.example.com
            (format!(
                r#"(?i)\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.{TLD}\b(?:/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}}])?"#
            ), Replace::With(URL)),
            // Numbers with dots, dashes and colons the dates would take a piece of.
            // 00:1A:2B:3C:4D:5E, a device's network address
            (r"(?i)\b[0-9a-f]{2}(?:[:\-][0-9a-f]{2}){5}\b".into(), Replace::With(ID)),
            // 192.168.10.23 (before the dates, which would take 68.10.23)
            (r"\b(?:\d{1,3}\.){3}\d{1,3}\b".into(), Replace::With(IP)),
            // 123-45-6789 without a label (before the dates, which would take 23-45-6789)
            (r"\b\d{3}-\d{2}-\d{4}\b".into(), Replace::With(ID)),
            // Addresses before the labelled values: `ID 12 Baker Street` is an address.
            // 12 Baker Street, 221B Baker St, 1600 Pennsylvania Ave
            (r"(?i)\b\d{1,5}[a-z]?,?(?:\s+[a-z][a-z'\-.]*){1,4}?\s+(?:street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|highway|hwy|parkway|pkwy|terrace|crescent|gardens|grove|mews|court|square)\b\.?".into(), Replace::With(ADDRESS)),
            // Apt 4B, flat 3, suite 200
            (r"(?i)\b(?:apt|apartment|flat|suite)\.?\s*#?\s*\d+[a-z]?\b".into(), Replace::With(ADDRESS)),
            // PO Box 123
            (r"(?i)\bP\.?\s?O\.?\s*Box\s*\d+".into(), Replace::With(ADDRESS)),
            // Labelled values before the dates, which would take a piece of `XJ4-55-1234`.
            // MRN 00123456, MR# 123, record no. A-12, NHS number 943 476 5919, patient id 77,
            // SSN, health plan, account, licence, device and vehicle numbers with their label.
            (format!(
                concat!(
                    r"(?i)\b(MRN|MR\s?#|MR\s?no\.?|URN|UR\s?no\.?|NHS{n}?|SSN|SIN|social\s+security{n}?|",
                    r"(?:medical\s+)?record{n}?|chart{n}|patient{n}|account{n}?|acct\.?|ID|bed|room|",
                    r"medicare{n}?|medicaid{n}?|MBI|HICN|insurance{n}?|insurer{n}?|policy{n}?|member{n}|",
                    r"subscriber{n}?|beneficiary{n}?|(?:health\s+)?plan{n}|health\s+plan|group{n}|",
                    r"licen[cs]e{n}?|DEA|NPI|passport{n}?|certificate{n}?|",
                    r"serial{n}?|S/N|SN|UDI|IMEI|device{n}|VIN)",
                    r"(\s*[:#=]?\s*){v}",
                ),
                n = NUMBER_WORD,
                v = ID_VALUE
            ), Replace::KeepLabel(ID, 0)),
            // chart 445566, encounter E12345, MR 123456: words that also mean other things
            // need three digits.
            (r"(?i)\b(MR|chart|encounter|enc|visit|case|admission|episode|CSN|FIN|HAR|accession|specimen|claim)(\s*[:#=]?\s*)[a-z]{0,3}-?[0-9]{3,}[0-9a-z\-]*".into(), Replace::KeepLabel(ID, 0)),
            // plate AB12 CDE, licence plate 7ABC123; and UK plates without a label.
            (r"(?i)\b((?:(?:licen[cs]e|number|registration|reg|vehicle|car)\s+)?plate|reg(?:istration)?\s?(?:number|no\.?|#|mark)|VRN)(\s*[:#=]?\s*)[a-z0-9]*[0-9][a-z0-9]*(?:[ \-][a-z0-9]{1,4}\b)?|(?-i:\b[A-Z]{2}[0-9]{2}\s?[A-Z]{3}\b)".into(), Replace::KeepLabel(ID, 0)),
            // ext 4421, fax: 4421, bleep 3344
            (r"(?i)\b(ext|extn|extension|tel|telephone|phone|fax|mobile|cell|pager|bleep|beeper)\b(\.?\s*[:#=]?\s*)\+?\d(?:[\d \-().]*\d)?".into(), Replace::KeepLabel(PHONE, 3)),
            // 1956-04-03, 1956/4/3
            (r"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}".into(), Replace::With(DATE)),
            // 03/04/1956, 3.4.56, 03-04-1956
            (r"\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}".into(), Replace::With(DATE)),
            // 3 April 1956, 3rd of Apr. 1956, 03-Apr-1956
            (format!(
                    r"(?i)\d{{1,2}}(?:st|nd|rd|th)?[\s\-/.]+(?:of\s+)?\b{MONTH},?[\s\-/.]+\d{{2,4}}"
                ), Replace::With(DATE)),
            // April 3, 1956; Mar-14-1957 (also run into a word before it)
            (format!(
                    r"(?i){MONTH}[\s\-/.]*\d{{1,2}}(?:st|nd|rd|th)?,?[\s\-/.]+\d{{4}}"
                ), Replace::With(DATE)),
            // March 1957, Mar '57
            (format!(r"(?i)\b{MONTH},?[\s\-/.]*(?:\d{{4}}|'\d{{2}})"), Replace::With(DATE)),
            // April 3, 3rd of April, 14 March (not `may 3`, `MAR 12`, `dec 2`)
            (format!(
                    r"(?i)\b{MONTH_WITHOUT_YEAR}[\s\-/]*\d{{1,2}}(?:st|nd|rd|th)?\b"
                ), Replace::With(DATE)),
            (format!(
                    r"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?[\s\-/]+(?:of\s+)?{MONTH_WITHOUT_YEAR}"
                ), Replace::With(DATE)),
            // 2001:db8:0:0:0:0:2:1, fe80::1 (after the dates: `1956-04-03::` is not one)
            (r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5}\b".into(), Replace::With(IP)),
            // "DOB 1956", "born: 1956" (a full date is caught by the date patterns).
            (r"(?i)\b(DOB|D\.O\.B\.?|date\s+of\s+birth|born)(\s*[:#=\-]?\s*)[0-9](?:[0-9/\-]|\.[0-9])*".into(), Replace::KeepLabel(DATE, 0)),
            // age 92, aged: 95, ages 90
            (r"(?i)\b(age[ds]?)(\s*[:=]?\s*)(\d{2,3})\b".into(), Replace::Age),
            // 92 years old, 92-year-old, 92 yo, 92 y/o, 92yo, 92F, 92 M
            (r"\b(\d{2,3})(\s?-?\s?(?:(?i:years?|yrs?|yo|y/o|y\.o\.?)\b|[MF]\b|(?i:y)\b))".into(), Replace::Age),
            // x4421
            (r"(?i)\bx\d{4,5}\b".into(), Replace::With(PHONE)),
            // zip 02139, postcode: SW1A 1AA
            (r"(?i)\b(zip(?:\s?code)?|post(?:al)?\s?code)(\s*[:#=]?\s*)(?:\d{5}(?:-\d{4})?|[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d|\d{4,6})\b".into(), Replace::KeepLabel(POSTCODE, 0)),
            // Cambridge, MA 02139
            (r"\b(AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)(,?\s+)\d{5}(?:-\d{4})?\b".into(), Replace::KeepLabel(POSTCODE, 0)),
            // ZIP+4 without a label
            (r"\b\d{5}-\d{4}\b".into(), Replace::With(POSTCODE)),
            // SW1A 1AA, M1 1AE (UK), K1A 0B1 (Canada): capitals, as they are written
            (r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b".into(), Replace::With(POSTCODE)),
            // pt Smith, Mrs. Jane Doe, patient O'Brien
            (r"\b((?i:pt|patient|mrs?|ms|miss|mx))(\.?\s+)(\p{Lu}[\p{L}'’\-]*(?:\.?\s+\p{Lu}[\p{L}'’\-]*)*\.?)".into(), Replace::Name),
            // #1234567, # 1234
            (r"#\s?\d{3,}".into(), Replace::With(HASH_ID)),
            // A1234567, RX0012345
            (r"(?i)[a-z]{1,3}\d{6,}".into(), Replace::With(ID)),
            // 555-123-4567, +44 20 7946 0958, (555) 123 4567, 00123456
            (r"(?:\+\d|\(\d|\d)[\d \t().\-]*\d\)?".into(), Replace::Number),
        ];
        let any = RegexSet::new(passes.iter().map(|(pattern, _)| pattern))
            .expect("redaction patterns are valid");
        let passes = passes
            .into_iter()
            .map(|(pattern, replace)| {
                (
                    Regex::new(&pattern).expect("redaction patterns are valid"),
                    replace,
                )
            })
            .collect();
        Redactor { wordy, any, passes }
    }

    /// The one shared instance.
    pub fn standard() -> &'static Redactor {
        static REDACTOR: LazyLock<Redactor> = LazyLock::new(Redactor::new);
        &REDACTOR
    }

    /// The text with every identifier-like string replaced by a placeholder (`[email]`,
    /// `[phone]`, `[date]`, `[id]`, `[url]`, `[ip]`, `[address]`, `[postcode]`, `[name]`)
    /// and ages over 89 by `90+`; labels such as `MRN` or `DOB` are kept, so the reader still
    /// sees what was there.
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        // Quick exit: without a digit or an @, only a name after a title or a web address.
        if !text.chars().any(|c| c.is_numeric() || c == '@') && !self.wordy.is_match(text) {
            return Cow::Borrowed(text);
        }
        let found = self.any.matches(text);
        if !found.matched_any() {
            return Cow::Borrowed(text);
        }
        // A pass runs only if its expression matched the original text: what earlier passes
        // write is a bracketed placeholder without digits (or `90+` where an age's digits
        // were), so it never makes a new match.
        let mut out = Cow::Borrowed(text);
        for index in found.iter() {
            let (re, replace) = &self.passes[index];
            match *replace {
                Replace::With(mask) => pass(&mut out, re, mask),
                Replace::KeepLabel(mask, min_digits) => {
                    pass(&mut out, re, |c: &Captures| match (c.get(1), c.get(2)) {
                        _ if digits(&c[0]) < min_digits => c[0].to_string(),
                        (Some(label), Some(separator)) => {
                            format!("{}{}{mask}", label.as_str(), separator.as_str())
                        }
                        _ => mask.to_string(),
                    });
                }
                Replace::Age => pass(&mut out, re, mask_age),
                Replace::Name => pass(&mut out, re, mask_name),
                Replace::Number => pass(&mut out, re, |c: &Captures| {
                    let found = &c[0];
                    if digits(found) < MIN_NUMBER_DIGITS {
                        found.to_string()
                    } else if found.chars().all(char::is_numeric) {
                        ID.to_string()
                    } else {
                        PHONE.to_string()
                    }
                }),
            }
        }
        // A pass that matched may have kept what it found.
        if out == text {
            Cow::Borrowed(text)
        } else {
            out
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

/// `aged 92` -> `aged 90+`, `93-year-old` -> `90+-year-old`; younger ages are kept.
fn mask_age(c: &Captures) -> String {
    let over_89 = |age: &str| {
        if age.parse::<u32>().is_ok_and(|age| age > 89) {
            AGE_90_PLUS.to_string()
        } else {
            age.to_string()
        }
    };
    match c.get(3) {
        Some(age) => format!("{}{}{}", &c[1], &c[2], over_89(age.as_str())),
        None => format!("{}{}", over_89(&c[1]), &c[2]),
    }
}

/// `Mrs Jane Doe` -> `Mrs [name]`: the capitalised words after the title that have a small
/// letter (so `patient ID 77` and `Mr MRN` are left to the other masks), unless the first
/// names a thing (`Patient Portal`). A title among them (`pt Mrs Smith`) starts a new name;
/// a word ending a sentence (`Smith.`) ends it.
fn mask_name(c: &Captures) -> String {
    let words = &c[3];
    let mut out = format!("{}{}", &c[1], &c[2]);
    // Bytes of `words` written to `out` so far.
    let mut done = 0;
    let mut after_title = true;
    let mut in_name = false;
    for word in words.split_whitespace() {
        let start = done + words[done..].find(word).unwrap_or(0);
        let separator = &words[done..start];
        let bare = word.trim_end_matches('.');
        if is_title(bare) {
            out.push_str(separator);
            out.push_str(word);
            (after_title, in_name) = (true, false);
        } else {
            let is_name =
                bare.chars().any(char::is_lowercase) && !(after_title && NOT_NAMES.contains(&bare));
            if !is_name {
                break;
            }
            if !in_name {
                out.push_str(separator);
                out.push_str(NAME);
            }
            (after_title, in_name) = (false, true);
            if bare.len() < word.len() {
                out.push_str(&word[bare.len()..]);
                done = start + word.len();
                break;
            }
        }
        done = start + word.len();
    }
    out.push_str(&words[done..]);
    out
}

fn is_title(word: &str) -> bool {
    ["pt", "patient", "mr", "mrs", "ms", "miss", "mx"]
        .iter()
        .any(|title| word.eq_ignore_ascii_case(title))
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
            "BP 120/80 at 09:30:15",
            "2 units of blood",
            "MAR 12 doses, may 3 units",
            "aged 45",
            "plan 2 steps",
            "e.g. the ward, i.e. twice, etc.",
            "Dr. Jones",
            "v1.2.3",
            "",
        ] {
            assert!(
                matches!(mask(text), Cow::Borrowed(_)),
                "{text:?} became {:?}",
                mask(text)
            );
        }
    }

    #[test]
    fn masks_social_security_numbers_without_a_label() {
        assert_eq!(masked("123-45-6789"), "[id]");
        assert_eq!(masked("card says 123-45-6789."), "card says [id].");
        assert_eq!(masked("SSN: 123456789"), "SSN: [id]");
    }

    #[test]
    fn masks_labelled_record_numbers_with_letters_and_short_ones() {
        assert_eq!(masked("MRN: AB-12-34"), "MRN: [id]");
        assert_eq!(masked("MR 123456 seen"), "MR [id] seen");
        assert_eq!(masked("pulled chart 445566"), "pulled chart [id]");
        assert_eq!(masked("encounter E12345 opened"), "encounter [id] opened");
        assert_eq!(masked("CSN: 99123"), "CSN: [id]");
        // Words that also mean other things need three digits.
        assert_eq!(masked("chart 2 times"), "chart 2 times");
    }

    #[test]
    fn masks_health_plan_account_and_licence_numbers() {
        assert_eq!(masked("medicare 1EG4-TE5-MK72"), "medicare [id]");
        assert_eq!(masked("Medicaid # 44 551 12"), "Medicaid # [id]");
        assert_eq!(masked("member id: XJ4-55-1234"), "member id: [id]");
        assert_eq!(masked("policy no. 88-231A ok"), "policy no. [id] ok");
        assert_eq!(masked("acct 7782"), "acct [id]");
        assert_eq!(masked("licence D1234-567"), "licence [id]");
    }

    #[test]
    fn masks_dates_in_every_written_form() {
        assert_eq!(masked("DOB Mar-14-1957"), "DOB [date]");
        assert_eq!(masked("born March 1957"), "born [date]");
        assert_eq!(masked("admitted 14 March"), "admitted [date]");
        assert_eq!(masked("seen April 3rd"), "seen [date]");
        assert_eq!(masked("since Sept. '21"), "since [date]");
        assert_eq!(masked("3rd of Apr. 1956"), "[date]");
        // Short forms that are words too stay without a year.
        assert_eq!(masked("may 3 units"), "may 3 units");
        assert_eq!(masked("MAR 12 doses"), "MAR 12 doses");
        assert_eq!(masked("dec 2 mg"), "dec 2 mg");
    }

    #[test]
    fn ages_over_89_become_90_plus_and_younger_ones_stay() {
        assert_eq!(masked("aged 92"), "aged 90+");
        assert_eq!(masked("age: 104, lives alone"), "age: 90+, lives alone");
        assert_eq!(masked("a 93-year-old"), "a 90+-year-old");
        assert_eq!(masked("95 y/o F"), "90+ y/o F");
        assert_eq!(masked("91yo"), "90+yo");
        assert_eq!(masked("92F with CHF"), "90+F with CHF");
        assert_eq!(masked("aged 67"), "aged 67");
        assert_eq!(masked("89 years old"), "89 years old");
    }

    #[test]
    fn masks_street_addresses_and_postcodes() {
        assert_eq!(masked("lives at 12 Baker Street"), "lives at [address]");
        assert_eq!(masked("221B Baker St."), "[address]");
        assert_eq!(masked("1600 Pennsylvania Ave NW"), "[address] NW");
        assert_eq!(masked("Apt 4B"), "[address]");
        assert_eq!(masked("PO Box 123"), "[address]");
        assert_eq!(masked("zip 02139"), "zip [postcode]");
        assert_eq!(masked("Cambridge, MA 02139"), "Cambridge, MA [postcode]");
        assert_eq!(masked("02139-4307"), "[postcode]");
        assert_eq!(masked("London SW1A 1AA"), "London [postcode]");
        assert_eq!(masked("Ottawa K1A 0B1"), "Ottawa [postcode]");
        assert_eq!(masked("postcode: m1 1ae"), "postcode: [postcode]");
    }

    #[test]
    fn masks_phone_extensions_and_short_labelled_numbers() {
        assert_eq!(masked("ext 4421"), "ext [phone]");
        assert_eq!(masked("call x4421"), "call [phone]");
        assert_eq!(masked("bleep 3344"), "bleep [phone]");
        assert_eq!(masked("fax: 020 7946"), "fax: [phone]");
        assert_eq!(masked("phone 2 times"), "phone 2 times");
    }

    #[test]
    fn masks_addresses_on_the_network() {
        assert_eq!(masked("mail jane@localhost"), "mail [email]");
        assert_eq!(masked("from 192.168.10.23 today"), "from [ip] today");
        assert_eq!(masked("fe80::1ff:fe23:4567:890a"), "[ip]");
        assert_eq!(masked("2001:db8:0:0:0:0:2:1"), "[ip]");
        assert_eq!(
            masked("see https://portal.example.org/pt/123?x=1."),
            "see [url]."
        );
        assert_eq!(masked("(www.example.com/jd)"), "([url])");
        assert_eq!(masked("on example.org/p/77"), "on [url]");
        assert_eq!(masked("at portal.nhs.uk"), "at [url]");
    }

    #[test]
    fn masks_device_and_vehicle_identifiers() {
        assert_eq!(masked("pump serial no. SN-88213"), "pump serial no. [id]");
        assert_eq!(masked("S/N 4471-XB"), "S/N [id]");
        assert_eq!(masked("IMEI 356938035643809"), "IMEI [id]");
        assert_eq!(masked("MAC 00:1A:2B:3C:4D:5E"), "MAC [id]");
        assert_eq!(masked("UDI 00844588003288"), "UDI [id]");
        assert_eq!(masked("plate AB12 CDE"), "plate [id]");
        assert_eq!(masked("licence plate 7ABC123"), "licence plate [id]");
        assert_eq!(masked("parked AB12 CDE"), "parked [id]");
        assert_eq!(masked("VIN 1HGCM82633A004352"), "VIN [id]");
    }

    #[test]
    fn masks_names_after_a_title() {
        assert_eq!(masked("pt Smith refused"), "pt [name] refused");
        assert_eq!(masked("patient Jane Doe agreed"), "patient [name] agreed");
        assert_eq!(masked("Mrs. O'Brien called"), "Mrs. [name] called");
        assert_eq!(masked("Mr Ødegård"), "Mr [name]");
        assert_eq!(
            masked("spoke to Ms Lee, Mx Kay"),
            "spoke to Ms [name], Mx [name]"
        );
        // Codes and things are not names.
        assert_eq!(masked("patient ID 77"), "patient ID [id]");
        assert_eq!(masked("Patient Portal down"), "Patient Portal down");
        assert_eq!(masked("pt Smith MRN 00123456"), "pt [name] MRN [id]");
        assert_eq!(masked("pt Mrs. Jane Doe"), "pt Mrs. [name]");
        assert_eq!(masked("saw Mr Smith. He left"), "saw Mr [name]. He left");
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

        /// (planted form, what must never survive the mask), with a space on either side.
        const PLANTED_BETWEEN_WORDS: &[(&str, &str)] = &[
            ("123-45-6789", "6789"),
            ("MRN: AB-12-34", "12-34"),
            ("MR 123456", "123456"),
            ("chart 445566", "445566"),
            ("encounter E12345", "12345"),
            ("medicare 1EG4-TE5-MK72", "MK72"),
            ("DOB Mar-14-1957", "14"),
            ("born March 1957", "1957"),
            ("aged 93", "93"),
            ("96 y/o", "96"),
            ("12 Baker Street", "Baker"),
            ("zip 02139", "02139"),
            ("SW1A 1AA", "1AA"),
            ("ext 4421", "4421"),
            ("jane@localhost", "jane"),
            ("192.168.10.23", "168"),
            ("https://portal.example.org/pt/123", "example"),
            ("www.example.com", "example"),
            ("serial no. SN-88213", "88213"),
            ("plate AB12 CDE", "AB12"),
            ("Mrs. Jane Doe", "Jane"),
            ("pt Smith", "Smith"),
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
                // Short of a title before a capital or a web address, which it rarely is.
                prop_assume!(!Redactor::standard().wordy.is_match(&text));
                prop_assert_eq!(mask(&text), Cow::Borrowed(text.as_str()));
            }

            #[test]
            fn a_planted_identifier_between_words_never_survives(
                prefix in "[a-zA-Z ,.:;()\"'/-]{0,12}",
                suffix in "[a-zA-Z ,.:;()\"'/-]{0,12}",
                which in 0..PLANTED_BETWEEN_WORDS.len(),
            ) {
                let (form, core) = PLANTED_BETWEEN_WORDS[which];
                let text = format!("{prefix} {form} {suffix}");
                let out = mask(&text);
                prop_assert!(!out.contains(core), "{text:?} -> {out:?}");
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
