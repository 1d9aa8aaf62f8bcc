//! The browser's filter line: `site:north role:RN pathway:med-rec-admission date:2026-11` plus
//! free words, all of which must match (case-insensitive). A keyed term names a whole value
//! (`role:MD` is the role MD, never PharmD), `date:` a prefix or a range; a free word is
//! found anywhere in the id, site, role, clinician, auditor or pathway.

use super::BrowseRow;

/// The keys a filter term can name.
pub const KEYS: [&str; 6] = ["site", "role", "pathway", "date", "clinician", "auditor"];

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    /// `key:value`: the field holds exactly this value, case aside.
    Field(&'static str, String),
    /// `date:FROM..TO`, inclusive, either side optional; dates compare as `YYYY-MM-DD` text.
    DateRange(String, String),
    DatePrefix(String),
    Word(String),
}

impl Filter {
    /// Parses a filter line. A term with an unknown `key:` is left out, and the message
    /// that comes back names it and the known keys.
    pub fn parse(text: &str) -> (Filter, Option<String>) {
        let mut terms = Vec::new();
        let mut error = None;
        for token in text.split_whitespace() {
            let term = match token.split_once(':') {
                Some((key, value)) => {
                    let key = key.to_ascii_lowercase();
                    let value = value.to_lowercase();
                    let Some(known) = KEYS.iter().find(|k| **k == key).copied() else {
                        error = Some(format!(
                            "unknown filter `{key}:` (left out); use {}",
                            KEYS.map(|k| format!("{k}:")).join(" ")
                        ));
                        continue;
                    };
                    if known == "date" {
                        match value.split_once("..") {
                            Some((from, to)) => Term::DateRange(from.into(), to.into()),
                            None => Term::DatePrefix(value),
                        }
                    } else {
                        Term::Field(known, value)
                    }
                }
                None => Term::Word(token.to_lowercase()),
            };
            terms.push(term);
        }
        (Filter { terms }, error)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, row: &BrowseRow) -> bool {
        let h = &row.header;
        let date = row.date();
        self.terms.iter().all(|term| match term {
            Term::Field(key, value) => {
                let field = match *key {
                    "site" => &h.site,
                    "role" => &h.role,
                    "pathway" => &h.pathway_id,
                    "clinician" => &h.clinician,
                    _ => &h.auditor,
                };
                field.to_lowercase() == *value
            }
            Term::DatePrefix(prefix) => date.starts_with(prefix.as_str()),
            Term::DateRange(from, to) => {
                (from.is_empty() || date.as_str() >= from.as_str())
                    && (to.is_empty()
                        || date.as_str() <= to.as_str()
                        || date.starts_with(to.as_str()))
            }
            Term::Word(word) => [
                &row.id,
                &h.site,
                &h.role,
                &h.clinician,
                &h.auditor,
                &h.pathway_id,
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(word.as_str())),
        })
    }
}
