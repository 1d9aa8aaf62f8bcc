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
    /// The session's file.
    pub path: PathBuf,
    pub session: Session,
    pub pathway: Arc<Pathway>,
    pub digest: SessionDigest,
    /// Events after a finish the digest leaves out, to be warned about.
    pub after_finish: Option<AfterFinish>,
}

/// A session file with events after a `Finish` that nothing cancels (docs/durability.md):
/// every analysis ignores them, and every command that reads the file says so, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterFinish {
    pub path: PathBuf,
    /// How many events are ignored.
    pub events: usize,
}

impl AfterFinish {
    /// The events `session` (read from `path`) holds after its finish, if any. Cheap when
    /// the finish is the last event, as capture writes it.
    pub fn of(path: &Path, session: &Session) -> Option<AfterFinish> {
        let finish = session
            .events
            .iter()
            .position(|e| matches!(e.kind, crate::model::EventKind::Finish))?;
        if finish + 1 == session.events.len() {
            return None;
        }
        let events = session.timeline().ignored_after_finish;
        (events > 0).then(|| AfterFinish {
            path: path.to_path_buf(),
            events,
        })
    }

    /// The warning, the same from every command (its control characters not yet escaped).
    pub fn warning(&self) -> String {
        format!(
            "warning: {}: {} event(s) after the session's Finish are ignored by every analysis \
             (capture never writes them; the file was edited or joined by hand)\n  hint: to \
             count them, remove the Finish in the middle of the file (a session keeps one \
             Finish, at its end); if they belong to another session, move them out",
            self.path.display(),
            self.events
        )
    }

    /// Masks the path (`--redact`).
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        self.path = mask(&self.path.to_string_lossy()).into();
    }
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
    site: &SplitInputs,
    cache: &mut HashMap<(String, u32), Result<Compiled, String>>,
    redact: bool,
) -> Outcome {
    let mut session = Session::load(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    if redact {
        session = super::export::redact_session(&session);
    }
    let (pathway, model) = match fixed {
        Some(compiled) => compiled,
        None => cache
            .entry((
                session.header.pathway_id.clone(),
                session.header.pathway_version,
            ))
            .or_insert_with(|| {
                let header = &session.header;
                if let Some(pathway) = site.pathway_for(&header.pathway_id, header.pathway_version)
                {
                    return Ok(compile(pathway.clone()));
                }
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
        after_finish: AfterFinish::of(path, &session),
        path: path.to_path_buf(),
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
            if let Some(after) = &d.after_finish {
                builder.after_finish(after.clone());
            }
            also(&d);
        }
        Err((path, error)) => builder.skip(path, error),
    })?;
    Ok(builder.finish(overrides))
}

/// How far into a file [`split_pathway_files`] looks for `Pathway(`: past a comment block.
const PATHWAY_SNIFF_BYTES: u64 = 4096;

/// Whether a file is a pathway rather than a session: its first word, after comments and
/// blank space, is `Pathway`. Reads only the file's first few kilobytes.
/// Only a regular file is opened, and without blocking: a FIFO or a device among the inputs
/// is left to the session reader, which skips it with a warning.
fn is_pathway_file(path: &Path) -> bool {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .and_then(|file| {
            if !file.metadata()?.is_file() {
                return Err(std::io::ErrorKind::InvalidInput.into());
            }
            file.take(PATHWAY_SNIFF_BYTES).read_to_end(&mut head)
        });
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            break;
        }
    }
    rest.strip_prefix("Pathway")
        .is_some_and(|after| after.trim_start().starts_with('('))
}

/// The pathway files among a command's inputs (a site's own pathway kept beside its
/// sessions); the session files left; and the pathway files that could not be used, with why
/// (one that does not parse, or differs from an earlier file of the same id and version).
pub struct SplitInputs {
    /// By id: every distinct version given.
    pub pathways: HashMap<String, Vec<Arc<Pathway>>>,
    pub sessions: Vec<PathBuf>,
    pub refused: Vec<(PathBuf, String)>,
}

impl SplitInputs {
    /// The pathway of a session naming `id` and `version`: that version when it was given,
    /// else the first file of that id.
    pub fn pathway_for(&self, id: &str, version: u32) -> Option<&Arc<Pathway>> {
        let files = self.pathways.get(id)?;
        files
            .iter()
            .find(|p| p.version == version)
            .or(files.first())
    }
}

/// Splits the pathway files off `files` (see [`SplitInputs`]). The same file given twice (or
/// a copy of it in each round's folder) is one pathway.
pub fn split_pathway_files(files: &[PathBuf]) -> SplitInputs {
    let mut split = SplitInputs {
        pathways: HashMap::new(),
        sessions: Vec::with_capacity(files.len()),
        refused: Vec::new(),
    };
    let mut first_of: HashMap<(String, u32), PathBuf> = HashMap::new();
    for path in files {
        if !is_pathway_file(path) {
            split.sessions.push(path.clone());
            continue;
        }
        let pathway = match Pathway::load(path) {
            Ok(pathway) => pathway,
            Err(e) => {
                split.refused.push((path.clone(), e.to_string()));
                continue;
            }
        };
        let same_id = split.pathways.entry(pathway.id.clone()).or_default();
        match same_id.iter().find(|p| p.version == pathway.version) {
            Some(known) if **known == pathway => {}
            Some(_) => {
                let first = &first_of[&(pathway.id.clone(), pathway.version)];
                split.refused.push((
                    path.clone(),
                    format!(
                        "pathway `{}` version {} differs from the file of the same id and version, {}; the sessions use that one\n  hint: give each site's pathway file its own id, and a changed pathway a new version",
                        pathway.id,
                        pathway.version,
                        first.display()
                    ),
                ));
            }
            None => {
                first_of.insert((pathway.id.clone(), pathway.version), path.clone());
                same_id.push(Arc::new(pathway));
            }
        }
    }
    split
}

/// Loads, compares and digests `files` on worker threads and hands each outcome to `fold` in
/// file order (the same order on every run), holding at most [`WINDOW`] sessions at once.
/// Pathway files among `files` come first: one that could not be used is an `Err` outcome, one
/// that could gives none (it is the pathway of the sessions naming its id); match outcomes to
/// files by their path, not by their place.
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
    // Pathway files among the inputs (a site's own pathway kept beside its sessions) are the
    // pathways of the sessions that name their id; they are no sessions themselves.
    let mut inputs = split_pathway_files(files);
    for refusal in std::mem::take(&mut inputs.refused) {
        fold(Err(refusal));
    }
    let files = &inputs.sessions[..];
    let site = &inputs;
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
                    let outcome = load_one(&files[i], fixed, site, &mut cache, options.redact);
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
