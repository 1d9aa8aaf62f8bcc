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
mod tests;
