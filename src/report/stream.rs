//! Reading many sessions into one report without holding them: worker threads load, compare
//! and digest sessions; the calling thread folds the digests in file order (so the report is
//! the same on every run), at most [`WINDOW`] sessions ahead of the fold.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::model::{FileError, Pathway, Session, resolve_pathway};

use super::aggregate::{Report, ReportBuilder};
use super::digest::{SessionDigest, digest_with_engine};
use super::overrides::{OVERRIDES_FILE, Overrides};
use crate::compare::engine::Engine;

/// How far workers may run ahead of the fold: bounds the digests held at once.
pub const WINDOW: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Compare every session against this pathway (id or file) instead of its own.
    pub pathway: Option<String>,
    pub by: Vec<String>,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// Redact each session as it is loaded, before it is compared (the exports' `--redact`:
    /// notes removed, identifiers masked, masked unplanned steps compared as masked).
    pub redact: bool,
}

/// The session files among `paths`: files as given, and the `.ron` files directly inside
/// folders (sorted by name; the overrides file left out). A `.ron` that is not a regular file
/// (a FIFO, a link to a device) is listed too, so reading it skips it with a warning.
pub fn collect_session_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FileError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                FileError::new(path, None, format!("cannot list the folder: {e}"))
                    .with_hint("check the path and that the folder is readable")
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    !p.is_dir()
                        && p.extension().is_some_and(|x| x == "ron")
                        && p.file_name().is_some_and(|n| n != OVERRIDES_FILE)
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(FileError::new(path, None, "no such session file or folder")
                .with_hint("give session files (.ron) or folders that hold them"));
        }
    }
    Ok(files)
}

/// One session as the report reads it: the session, the pathway it was compared with, and
/// its digest.
#[derive(Debug, Clone)]
pub struct Digested {
    pub session: Session,
    pub pathway: Arc<Pathway>,
    pub digest: SessionDigest,
}

/// A session file digested, or why it could not be (its path and the reason).
pub type Outcome = Result<Digested, (PathBuf, String)>;

/// A pathway and the comparator's engine for it (`None` when the comparator cannot compile
/// it: such sessions get the comparator's explained no-sync comparison). The engine of
/// `--pathway` is shared by every worker, so each distinct step sequence is aligned once.
type Compiled = (Arc<Pathway>, Option<Engine>);

fn compile(pathway: Arc<Pathway>) -> Compiled {
    let engine = Engine::new(&pathway).ok();
    (pathway, engine)
}

fn load_one(
    path: &Path,
    fixed: Option<&Compiled>,
    cache: &mut HashMap<String, Result<Compiled, String>>,
    redact: bool,
) -> Outcome {
    let mut session = Session::load(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    if redact {
        session = super::export::redact_session(&session);
    }
    let (pathway, model) = match fixed {
        Some(compiled) => compiled,
        None => cache
            .entry(session.header.pathway_id.clone())
            .or_insert_with(|| {
                resolve_pathway(&session.header.pathway_id)
                    .map(|(p, _)| compile(Arc::new(p)))
                    .map_err(|e| {
                        format!(
                            "the session's pathway `{}` is unknown: {}; pass --pathway ID|FILE",
                            session.header.pathway_id, e.message
                        )
                    })
            })
            .as_ref()
            .map_err(|e| (path.to_path_buf(), e.clone()))?,
    };
    let digest = digest_with_engine(&session, pathway, model.as_ref()).map_err(|e| {
        (
            path.to_path_buf(),
            format!("session `{}` not compared: {e}", session.header.id),
        )
    })?;
    Ok(Digested {
        session,
        pathway: pathway.clone(),
        digest,
    })
}

/// Builds the report of `files`, streaming. Files that cannot be read as sessions are listed
/// in `Report::skipped`; a bad `--pathway` or `--by` is an error.
pub fn build_report(
    files: &[PathBuf],
    options: &ReportOptions,
    overrides: &Overrides,
) -> Result<Report, String> {
    build_report_and(files, options, overrides, |_| {})
}

/// [`build_report`], handing every digested session to `also` as it is folded, so that what
/// else a report draws from the sessions (the HTML's maps and suggestions) comes from the same
/// single read.
pub fn build_report_and(
    files: &[PathBuf],
    options: &ReportOptions,
    overrides: &Overrides,
    mut also: impl FnMut(&Digested),
) -> Result<Report, String> {
    let mut builder = ReportBuilder::new(&options.by)?;
    for_each_digested(files, options, |outcome| match outcome {
        Ok(d) => {
            builder.add(&d.pathway, &d.digest);
            also(&d);
        }
        Err((path, error)) => builder.skip(path, error),
    })?;
    Ok(builder.finish(overrides))
}

/// Loads, compares and digests `files` on worker threads and hands each outcome to `fold` in
/// file order (the same order on every run), holding at most [`WINDOW`] sessions at once.
/// The one engine behind the report and the table exports. A bad `--pathway` is an error.
pub fn for_each_digested(
    files: &[PathBuf],
    options: &ReportOptions,
    mut fold: impl FnMut(Outcome),
) -> Result<(), String> {
    let fixed = match &options.pathway {
        Some(p) => Some(compile(Arc::new(
            resolve_pathway(p).map_err(|e| e.to_string())?.0,
        ))),
        None => None,
    };
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        options.threads
    }
    .clamp(1, files.len().max(1));

    let next = AtomicUsize::new(0);
    let folded = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(WINDOW);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, folded, fixed) = (&next, &folded, fixed.as_ref());
            scope.spawn(move || {
                let mut cache = HashMap::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    while i >= folded.load(Ordering::Acquire) + WINDOW {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    let outcome = load_one(&files[i], fixed, &mut cache, options.redact);
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut want = 0usize;
        for (i, outcome) in rx {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&want) {
                fold(outcome);
                want += 1;
                folded.store(want, Ordering::Release);
            }
        }
    });
    Ok(())
}
