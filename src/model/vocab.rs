//! The vocabularies of docs/reference.md section 2, and the entries a site adds in its pathway
//! file (docs/pathways.md, "Site vocabulary"). The snake_case names are a file format:
//! sessions, exports and other tools read them, so a built-in variant is never renamed or
//! removed.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The longest id a site may give one of its own entries.
pub const MAX_CUSTOM_ID_LEN: usize = 64;

/// How many distinct site ids one run of the program holds. Ids are interned for the life of
/// the process (so a kind stays `Copy`); a file with more distinct ids than this is damaged or
/// hostile, and is refused rather than allowed to grow memory without bound.
pub const MAX_CUSTOM_IDS: usize = 10_000;

static CUSTOM_IDS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The id of an entry a site added to a vocabulary: snake_case (`[a-z][a-z0-9_]*`, at most
/// [`MAX_CUSTOM_ID_LEN`] bytes), so it is a bare RON identifier, a CSV field and an XES value
/// without quoting or escaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomId(&'static str);

/// Why a text is not a site id: the message names what is wrong.
pub fn custom_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("the id is empty".to_string());
    }
    if id.len() > MAX_CUSTOM_ID_LEN {
        return Some(format!(
            "the id is {} bytes long; at most {MAX_CUSTOM_ID_LEN}",
            id.len()
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some(format!(
            "the id `{}` does not start with a lowercase letter a-z",
            id.escape_debug()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
    {
        return Some(format!(
            "the id `{}` holds `{}`; ids are snake_case: a-z, 0-9 and _",
            id.escape_debug(),
            bad.escape_debug()
        ));
    }
    // RON reads these bare words as values, not as ids.
    if matches!(id, "true" | "false" | "inf" | "nan") {
        return Some(format!("`{id}` is a reserved word in RON files"));
    }
    None
}

impl CustomId {
    /// The id, if `id` is snake_case (see [`custom_id_problem`]) and the program does not
    /// already hold [`MAX_CUSTOM_IDS`] others.
    pub fn new(id: &str) -> Option<CustomId> {
        if custom_id_problem(id).is_some() {
            return None;
        }
        let mut ids = CUSTOM_IDS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&known) = ids.get(id) {
            return Some(CustomId(known));
        }
        if ids.len() >= MAX_CUSTOM_IDS {
            return None;
        }
        let leaked: &'static str = Box::leak(id.to_string().into_boxed_str());
        ids.insert(leaked);
        Some(CustomId(leaked))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// What a reader says when a kind's name is neither built in nor a valid site id.
fn not_a_kind<E: serde::de::Error>(what: &str, name: &str) -> E {
    let why = custom_id_problem(name)
        .unwrap_or_else(|| format!("more than {MAX_CUSTOM_IDS} distinct site ids"));
    E::custom(format!(
        "`{}` is not a {what}: {why} (a site's own kinds are snake_case ids from its pathway file)",
        name.escape_debug()
    ))
}

/// A variant's name as the format hands it over: RON gives a bare identifier only to an
/// identifier reader, not to a string reader.
struct VariantName(String);

impl<'de> Deserialize<'de> for VariantName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Identifier;
        impl serde::de::Visitor<'_> for Identifier {
            type Value = VariantName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a snake_case name")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<VariantName, E> {
                Ok(VariantName(name.to_string()))
            }
        }
        deserializer.deserialize_identifier(Identifier)
    }
}

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

/// Declares a vocabulary a site may extend: the built-in entries of the table, and `Custom`
/// for an id from a pathway file's `vocabulary`. Files hold both as bare snake_case names
/// (`kind: paper_note`, `kind: fax`), so a session reads the same with or without its
/// pathway file at hand.
macro_rules! open_vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal, $list:ident { $($variant:ident => $file:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// An entry the site's pathway file adds; listed after the built-in ones.
            Custom(CustomId),
        }

        impl $name {
            /// The built-in entries, in the order the screen lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            const NAMES: &'static [&'static str] = &[$($file),+];

            /// The stable snake_case name used in files and exports: a site's id as it is.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $file,)+ $name::Custom(id) => id.as_str() }
            }

            /// The built-in label; a site's entry shows its id here (its label lives in the
            /// pathway file: [`Vocabulary::label`]).
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ $name::Custom(id) => id.as_str() }
            }

            /// Parses a name: a built-in one, or any valid site id (a session keeps reading
            /// when its pathway file is gone or no longer lists the id).
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($file => Some($name::$variant),)+
                    _ => CustomId::new(name).map($name::Custom),
                }
            }

            /// The built-in entry of this name, if there is one.
            pub fn builtin(name: &str) -> Option<Self> {
                match name { $($file => Some($name::$variant),)+ _ => None }
            }

            pub fn is_custom(self) -> bool {
                matches!(self, $name::Custom(_))
            }
        }

        impl VocabularyKind for $name {
            const WHAT: &'static str = $what;
            const BUILTIN: &'static [Self] = $name::ALL;
            fn entries(vocabulary: &Vocabulary) -> &[Entry] {
                &vocabulary.$list
            }
            fn name(self) -> &'static str {
                $name::name(self)
            }
            fn builtin_label(self) -> &'static str {
                $name::label(self)
            }
            fn from_name(name: &str) -> Option<Self> {
                $name::from_name(name)
            }
            fn builtin(name: &str) -> Option<Self> {
                $name::builtin(name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let index = $name::ALL.iter().position(|k| k == self).unwrap_or($name::ALL.len());
                serializer.serialize_unit_variant(stringify!($name), index as u32, self.name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Named;
                impl<'de> serde::de::Visitor<'de> for Named {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        write!(f, "a {} name (snake_case)", $what)
                    }
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<$name, E> {
                        $name::from_name(name).ok_or_else(|| not_a_kind($what, name))
                    }
                    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<$name, A::Error> {
                        use serde::de::VariantAccess;
                        let (VariantName(name), variant) = data.variant()?;
                        variant.unit_variant()?;
                        self.visit_str(&name)
                    }
                }
                deserializer.deserialize_enum(stringify!($name), $name::NAMES, Named)
            }
        }
    };
}

/// What the three open vocabularies share, so the pickers, the report and the exports treat
/// a site's kinds the way they treat the built-in ones.
pub trait VocabularyKind: Copy + Ord + std::hash::Hash + std::fmt::Debug + 'static {
    /// What one entry is called in messages: "workaround kind".
    const WHAT: &'static str;
    const BUILTIN: &'static [Self];
    /// The site's entries of this vocabulary in a pathway file.
    fn entries(vocabulary: &Vocabulary) -> &[Entry];
    fn name(self) -> &'static str;
    fn builtin_label(self) -> &'static str;
    fn from_name(name: &str) -> Option<Self>;
    fn builtin(name: &str) -> Option<Self>;
}

open_vocabulary! {
    /// Who or what broke into the clinician's work.
    InterruptionSource, "interruption source", interruptions {
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

open_vocabulary! {
    /// How the clinician got around the system.
    WorkaroundKind, "workaround kind", workarounds {
        PaperNote => "paper_note", "Paper note";
        CopyPaste => "copy_paste", "Copy-paste";
        DuplicateEntry => "duplicate_entry", "Duplicate entry";
        SecondSystem => "second_system", "Second system";
        VerbalHandoff => "verbal_handoff", "Verbal handoff";
        SharedLogin => "shared_login", "Shared login";
        Other => "other", "Other";
    }
}

open_vocabulary! {
    /// What went wrong with the system itself.
    ProblemKind, "problem kind", problems {
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

/// One entry a site adds to a vocabulary in its pathway file.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// snake_case; stored in sessions and named in exports and reports.
    pub id: String,
    /// What the capture picker and the report show.
    pub label: String,
    /// The cause a finding with this kind points to (docs/findings.md); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// The entries a site adds to the built-in vocabularies; the built-in ones always stay.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interruptions: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workarounds: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Entry>,
}

impl Vocabulary {
    pub fn is_empty(&self) -> bool {
        self.interruptions.is_empty() && self.workarounds.is_empty() && self.problems.is_empty()
    }

    /// The entry of a site kind, if this file lists it.
    pub fn entry<K: VocabularyKind>(&self, kind: K) -> Option<&Entry> {
        if K::builtin(kind.name()).is_some() {
            return None;
        }
        K::entries(self).iter().find(|e| e.id == kind.name())
    }

    /// What a picker offers: the built-in entries, then the site's, each with its label.
    /// Entries whose id is not a valid site id (`pathways check` reports them) are left out.
    pub fn choices<K: VocabularyKind>(&self) -> Vec<(K, String)> {
        let builtin = K::BUILTIN
            .iter()
            .map(|&k| (k, k.builtin_label().to_string()));
        let mut seen = BTreeSet::new();
        let site = K::entries(self).iter().filter_map(|e| {
            let kind = K::from_name(&e.id).filter(|_| K::builtin(&e.id).is_none())?;
            seen.insert(kind).then(|| (kind, e.label.clone()))
        });
        builtin.chain(site).collect()
    }

    /// The label to show: the built-in one, the site's, or the id as it is when the file does
    /// not (or no longer) list it.
    pub fn label<K: VocabularyKind>(&self, kind: K) -> String {
        match self.entry(kind) {
            Some(entry) if !entry.label.trim().is_empty() => entry.label.clone(),
            _ => kind.builtin_label().to_string(),
        }
    }

    /// The cause the site's file gives a kind of its own (built-in kinds: none here; the
    /// cause rules class them).
    pub fn cause<K: VocabularyKind>(&self, kind: K) -> Option<Cause> {
        self.entry(kind).and_then(|e| e.cause)
    }
}

/// Counts by kind of one vocabulary: every built-in kind (zero or not, so tables keep their
/// columns), then each site kind seen, in that order; grouped by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCounts<K: VocabularyKind>(std::collections::BTreeMap<K, u32>);

impl<K: VocabularyKind> Default for KindCounts<K> {
    fn default() -> Self {
        KindCounts(K::BUILTIN.iter().map(|&k| (k, 0)).collect())
    }
}

impl<K: VocabularyKind> KindCounts<K> {
    pub fn add(&mut self, kind: K, n: u32) {
        *self.0.entry(kind).or_default() += n;
    }

    pub fn get(&self, kind: K) -> u32 {
        self.0.get(&kind).copied().unwrap_or(0)
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &KindCounts<K>) {
        for (&kind, &n) in &other.0 {
            self.add(kind, n);
        }
    }

    /// Built-in kinds first, in their screen order, then site kinds by id.
    pub fn iter(&self) -> impl Iterator<Item = (K, u32)> + '_ {
        self.0.iter().map(|(&k, &n)| (k, n))
    }

    pub fn total(&self) -> u32 {
        self.0.values().sum()
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

    #[test]
    fn a_site_id_reads_and_writes_as_a_bare_name_in_ron_and_json() {
        let fax = WorkaroundKind::from_name("fax").unwrap();
        assert_eq!(fax, WorkaroundKind::Custom(CustomId::new("fax").unwrap()));
        assert_eq!(ron::to_string(&fax).unwrap(), "fax");
        assert_eq!(ron::from_str::<WorkaroundKind>("fax").unwrap(), fax);
        assert_eq!(serde_json::to_string(&fax).unwrap(), "\"fax\"");
        assert_eq!(
            serde_json::from_str::<WorkaroundKind>("\"fax\"").unwrap(),
            fax
        );
        // Built-in names still read as the built-in kind, and sort before every site id.
        assert_eq!(
            ron::from_str::<WorkaroundKind>("copy_paste").unwrap(),
            WorkaroundKind::CopyPaste
        );
        assert!(WorkaroundKind::Other < fax);
        assert_eq!(fax.name(), "fax");
    }

    #[test]
    fn a_name_that_is_no_site_id_is_refused_with_why() {
        let e = ron::from_str::<ProblemKind>("Badge")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`Badge` is not a problem kind"), "{e}");
        assert!(e.contains("lowercase"), "{e}");
        let e = serde_json::from_str::<ProblemKind>("\"a-b\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("holds `-`"), "{e}");
        for bad in ["", "9lives", "fax ", "true", &"a".repeat(65)] {
            assert!(custom_id_problem(bad).is_some(), "{bad:?}");
            assert_eq!(InterruptionSource::from_name(bad), None);
        }
        assert_eq!(custom_id_problem("bed_manager_2"), None);
    }

    #[test]
    fn choices_list_the_defaults_then_the_site_entries_with_labels_and_causes() {
        let vocabulary = Vocabulary {
            workarounds: vec![
                Entry {
                    id: "fax".into(),
                    label: "Fax to the pharmacy".into(),
                    cause: Some(Cause::Integration),
                },
                // A shadowing or malformed entry is left out of the picker (`pathways check`
                // reports it).
                Entry {
                    id: "paper_note".into(),
                    label: "Paper again".into(),
                    cause: None,
                },
                Entry {
                    id: "Bad Id".into(),
                    label: "x".into(),
                    cause: None,
                },
            ],
            ..Vocabulary::default()
        };
        let choices = vocabulary.choices::<WorkaroundKind>();
        assert_eq!(choices.len(), WorkaroundKind::ALL.len() + 1);
        assert_eq!(
            choices[0],
            (WorkaroundKind::PaperNote, "Paper note".to_string())
        );
        let fax = WorkaroundKind::from_name("fax").unwrap();
        assert_eq!(
            choices.last().unwrap(),
            &(fax, "Fax to the pharmacy".to_string())
        );
        assert_eq!(vocabulary.label(fax), "Fax to the pharmacy");
        assert_eq!(vocabulary.cause(fax), Some(Cause::Integration));
        assert_eq!(vocabulary.label(WorkaroundKind::PaperNote), "Paper note");
        // An id the file does not list shows as it is.
        let gone = WorkaroundKind::from_name("telex").unwrap();
        assert_eq!(vocabulary.label(gone), "telex");
        assert_eq!(vocabulary.cause(gone), None);
        assert_eq!(
            vocabulary.choices::<ProblemKind>().len(),
            ProblemKind::ALL.len()
        );
    }
}
