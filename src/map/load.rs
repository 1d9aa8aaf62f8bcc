//! Sessions from files into maps: read in parallel a window at a time, filtered by `--where`,
//! folded in file order into one [`MapBuilder`] per pathway (so the map is the same on every
//! run), and dropped. Memory stays bounded by the window, whatever the number of sessions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::model::{Pathway, Session, SessionHeader, resolve_pathway};
use crate::report::stream::AfterFinish;

use super::{MapBuilder, ShadowMap, Trace};

/// Files read at once; bounds the traces held between reading and folding.
pub const WINDOW: usize = 512;

/// The keys `--where` accepts, in the order they are shown.
pub const FILTER_KEYS: [&str; 5] = ["site", "role", "clinician", "auditor", "version"];

/// Why no map could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    #[error(
        "unknown --where key `{key}`\n  hint: use one of {} (as KEY=VALUE; repeat a key for either value)",
        FILTER_KEYS.join(", ")
    )]
    UnknownKey { key: String },
    #[error(
        "--where `{clause}` is not KEY=VALUE\n  hint: write for example --where site=north,role=RN"
    )]
    Malformed { clause: String },
    #[error(
        "no session has {key}={value}\n  hint: the sessions have {key} {}",
        seen.join(", ")
    )]
    UnknownValue {
        key: String,
        value: String,
        seen: Vec<String>,
    },
    #[error(
        "the pathway `{pathway}` matches no session{}\n  hint: the sessions follow {}; choose one with --pathway",
        kept_note(.filtered),
        follow_list(.follows)
    )]
    NoSessionForPathway {
        pathway: String,
        filtered: bool,
        follows: Vec<(String, u64)>,
    },
    #[error(
        "--where keeps none of the {total} sessions\n  hint: loosen the filter; every value given exists, but not together"
    )]
    NothingKept { total: u64 },
    #[error(
        "none of the {files} files could be read as a session\n  hint: the first problem: {first}"
    )]
    NothingReadable { files: usize, first: String },
    #[error("{0}")]
    Pathway(String),
    #[error("no session files (.ron) to map\n  hint: give session files or folders that hold them")]
    NoFiles,
}

fn kept_note(filtered: &bool) -> &'static str {
    if *filtered { " that --where keeps" } else { "" }
}

fn follow_list(follows: &[(String, u64)]) -> String {
    if follows.is_empty() {
        return "no pathway".into();
    }
    follows
        .iter()
        .map(|(id, n)| format!("{id} ({n} sessions)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--where` clauses: a session is kept when, for every key given, its value is one of the
/// values given for that key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub clauses: BTreeMap<String, Vec<String>>,
}

impl Filter {
    /// Parses `KEY=VALUE` clauses (already split at commas).
    pub fn parse(items: &[String]) -> Result<Filter, MapError> {
        let mut clauses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let Some((key, value)) = item.split_once('=') else {
                return Err(MapError::Malformed {
                    clause: item.to_string(),
                });
            };
            let key = match key.trim() {
                "pathway_version" => "version",
                other => other,
            };
            if !FILTER_KEYS.contains(&key) {
                return Err(MapError::UnknownKey {
                    key: key.to_string(),
                });
            }
            let values = clauses.entry(key.to_string()).or_default();
            let value = value.trim().to_string();
            if !values.contains(&value) {
                values.push(value);
            }
        }
        Ok(Filter { clauses })
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    pub fn value_of(header: &SessionHeader, key: &str) -> String {
        match key {
            "site" => header.site.clone(),
            "role" => header.role.clone(),
            "clinician" => header.clinician.clone(),
            "auditor" => header.auditor.clone(),
            "version" => header.pathway_version.to_string(),
            _ => String::new(),
        }
    }

    pub fn keeps(&self, header: &SessionHeader) -> bool {
        self.clauses
            .iter()
            .all(|(key, values)| values.contains(&Filter::value_of(header, key)))
    }
}

/// What to map.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// Only the sessions of this pathway (an id or a file); `None`: every pathway found.
    pub pathway: Option<String>,
    pub filter: Filter,
    /// With `pathway`: map every session against it (as `report --pathway` compares them),
    /// not only the sessions recorded on it.
    pub every_session: bool,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
}

/// The maps of a set of session files.
#[derive(Debug, Clone)]
pub struct MapSet {
    /// One map per pathway, by pathway id.
    pub maps: Vec<ShadowMap>,
    /// Files that could not be read as a session, and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Sessions read (before the filter).
    pub read: u64,
    /// Each mapped session's id and file (for a replay from the map).
    pub files: Vec<(String, PathBuf)>,
    /// Sessions read with events after their finish left out, to be warned about.
    pub after_finish: Vec<AfterFinish>,
    /// The pathway each map was drawn against, in the order of `maps` (a site pathway file
    /// among the inputs, `--pathway`, or a built-in one).
    pub pathways: Vec<Pathway>,
}

/// One map of a set, the pathway it was drawn against, and the set's mapped session files.
pub type TakenMap = (ShadowMap, Pathway, Vec<(String, PathBuf)>);

impl MapSet {
    /// The map of `pathway_id` and the pathway it was drawn against.
    pub fn take(mut self, pathway_id: &str) -> Option<TakenMap> {
        let at = self.maps.iter().position(|m| m.pathway == pathway_id)?;
        let map = self.maps.swap_remove(at);
        let pathway = self.pathways.swap_remove(at);
        Some((map, pathway, self.files))
    }
}

type Loaded = Result<(SessionHeader, Trace, PathBuf, Option<AfterFinish>), (PathBuf, String)>;

fn load_one(path: &Path) -> Loaded {
    let session = Session::load(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    let trace = Trace::from_session(&session);
    let after = AfterFinish::of(path, &session);
    Ok((session.header, trace, path.to_path_buf(), after))
}

fn load_window(files: &[PathBuf], threads: usize) -> Vec<Loaded> {
    if threads <= 1 || files.len() < 2 {
        return files.iter().map(|p| load_one(p)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|p| load_one(p)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a map worker never panics"))
            .collect()
    })
}

/// Reads `files`, keeps the sessions `options` select and folds them into maps.
///
/// Errors: no files; no readable session; a `--where` value no session has; a pathway that
/// matches no (kept) session; a filter that keeps nothing.
pub fn build_maps(files: &[PathBuf], options: &MapOptions) -> Result<MapSet, MapError> {
    if files.is_empty() {
        return Err(MapError::NoFiles);
    }
    let fixed: Option<Pathway> = match &options.pathway {
        Some(id_or_file) => Some(
            crate::compare::load_pathway(id_or_file)
                .map_err(|e| MapError::Pathway(e.to_string()))?,
        ),
        None => None,
    };
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        n => n,
    };
    // A site's pathway file among the inputs is the pathway of the sessions naming its id.
    let inputs = crate::report::stream::split_pathway_files(files);
    let files = &inputs.sessions[..];
    let mut builders: BTreeMap<String, Result<MapBuilder, String>> = BTreeMap::new();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut follows: BTreeMap<String, u64> = BTreeMap::new();
    let mut skipped = inputs.refused.clone();
    let mut mapped = Vec::new();
    let mut after_finish = Vec::new();
    let (mut read, mut kept) = (0u64, 0u64);
    for window in files.chunks(WINDOW) {
        for loaded in load_window(window, threads) {
            let (header, trace, path) = match loaded {
                Ok((header, trace, path, after)) => {
                    after_finish.extend(after);
                    (header, trace, path)
                }
                Err(problem) => {
                    skipped.push(problem);
                    continue;
                }
            };
            read += 1;
            for key in options.filter.clauses.keys() {
                seen.entry(key.clone())
                    .or_default()
                    .insert(Filter::value_of(&header, key));
            }
            if !options.filter.keeps(&header) {
                continue;
            }
            kept += 1;
            *follows.entry(header.pathway_id.clone()).or_default() += 1;
            let key = match &fixed {
                Some(p) if options.every_session => p.id.clone(),
                Some(p) if p.id != header.pathway_id => continue,
                _ => header.pathway_id.clone(),
            };
            let builder = builders.entry(key).or_insert_with(|| {
                let site = inputs.pathway_for(&header.pathway_id, header.pathway_version);
                let pathway = match (&fixed, site) {
                    (Some(p), _) => Ok(p.clone()),
                    (None, Some(site)) => Ok(Pathway::clone(site)),
                    (None, None) => resolve_pathway(&header.pathway_id)
                        .map(|(p, _)| p)
                        .map_err(|e| e.to_string()),
                };
                pathway.map(|p| MapBuilder::new(p).with_filter(options.filter.clauses.clone()))
            });
            match builder {
                Ok(builder) => {
                    builder.add(&trace);
                    mapped.push((trace.id.clone(), path));
                }
                Err(why) => skipped.push((PathBuf::from(&trace.id), why.clone())),
            }
        }
    }
    if read == 0 {
        return Err(MapError::NothingReadable {
            files: files.len(),
            first: skipped
                .first()
                .map(|(p, e)| format!("{}: {e}", p.display()))
                .unwrap_or_default(),
        });
    }
    for (key, values) in &options.filter.clauses {
        let known = seen.get(key).cloned().unwrap_or_default();
        if let Some(value) = values.iter().find(|v| !known.contains(*v)) {
            return Err(MapError::UnknownValue {
                key: key.clone(),
                value: value.clone(),
                seen: known.into_iter().collect(),
            });
        }
    }
    if kept == 0 {
        return Err(MapError::NothingKept { total: read });
    }
    let (pathways, maps): (Vec<Pathway>, Vec<ShadowMap>) = builders
        .into_values()
        .filter_map(Result::ok)
        .filter(|b| b.sessions() > 0)
        .map(|b| (b.pathway().clone(), b.finish()))
        .unzip();
    if let Some(pathway) = &fixed
        && maps.is_empty()
    {
        return Err(MapError::NoSessionForPathway {
            pathway: pathway.id.clone(),
            filtered: !options.filter.is_empty(),
            follows: follows.into_iter().collect(),
        });
    }
    Ok(MapSet {
        maps,
        skipped,
        read,
        files: mapped,
        after_finish,
        pathways,
    })
}
