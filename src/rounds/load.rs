//! Reading the sessions of every round: files are read, compared and digested on worker
//! threads, a batch at a time (each thread takes a contiguous share, so results come back in
//! file order), then folded into the rounds on the calling thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::compare::Model;
use crate::model::{Pathway, Session, resolve_pathway};
use crate::report::collect_session_files;
use crate::report::digest::{SessionDigest, digest_with_model};

use super::{Rounds, RoundsBuilder, Split};

/// Sessions digested between two folds.
const BATCH: usize = 512;

#[derive(Debug, Clone)]
pub struct RoundsOptions {
    pub split: Split,
    /// Compare every session against this pathway (id or file) instead of its own.
    pub pathway: Option<String>,
    pub by: Vec<String>,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
}

pub(crate) struct Loaded {
    pub pathway: Arc<Pathway>,
    pub digest: SessionDigest,
    pub started: NaiveDate,
}

pub(crate) type Outcome = Result<Loaded, (PathBuf, String)>;

/// The rounds of the sessions in `paths`. With [`Split::Folder`] each path is a round, named
/// by its folder (by its own path when two share a name). Unreadable files are listed in
/// `Rounds::skipped`; no session file at all, a bad `--pathway` or `--by` is an error.
pub fn build_rounds(paths: &[PathBuf], options: &RoundsOptions) -> Result<Rounds, String> {
    let mut builder = RoundsBuilder::new(&options.split.describe(), &options.by)?;
    // Each file with its folder round, when rounds are folders.
    let mut files: Vec<(PathBuf, Option<usize>)> = Vec::new();
    let mut folder_names: Vec<String> = Vec::new();
    if options.split == Split::Folder {
        folder_names = folder_round_names(paths);
        for (i, path) in paths.iter().enumerate() {
            let found =
                collect_session_files(std::slice::from_ref(path)).map_err(|e| e.to_string())?;
            if found.is_empty() {
                return Err(format!(
                    "{}: no session files (.ron) in this round's folder; give one folder (or file) per round",
                    path.display()
                ));
            }
            builder.round(i as u64, &folder_names[i]);
            files.extend(found.into_iter().map(|f| (f, Some(i))));
        }
    } else {
        files = collect_session_files(paths)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|f| (f, None))
            .collect();
    }
    if files.is_empty() {
        return Err("no session files (.ron) given: give session files or folders".into());
    }
    // Batches bound the digests held at once; the samples kept grow only with occurrences.
    for batch in files.chunks(BATCH) {
        let outcomes = digest_files(batch, options.pathway.as_deref(), options.threads)?;
        for ((path, folder), outcome) in batch.iter().zip(outcomes) {
            match outcome {
                Ok(loaded) => {
                    let (order, name) = match (&options.split, folder) {
                        (_, Some(i)) => (*i as u64, folder_names[*i].clone()),
                        (Split::Dates(cuts), None) => Split::date_round(cuts, loaded.started),
                        _ => (
                            u64::from(loaded.digest.pathway_version),
                            format!("v{}", loaded.digest.pathway_version),
                        ),
                    };
                    builder.add(order, &name, &loaded.pathway, &loaded.digest);
                }
                Err((_, error)) => builder.skip(path.clone(), error),
            }
        }
    }
    Ok(builder.finish())
}

type Compiled = (Arc<Pathway>, Option<Model>);

/// Reads, compares and digests `files` (the second of each pair is carried along) on worker
/// threads, in file order; `fixed`: one pathway (id or file) for every session.
pub(crate) fn digest_files<T: Sync>(
    files: &[(PathBuf, T)],
    fixed: Option<&str>,
    threads: usize,
) -> Result<Vec<Outcome>, String> {
    let fixed = match fixed {
        Some(p) => Some(Arc::new(resolve_pathway(p).map_err(|e| e.to_string())?.0)),
        None => None,
    };
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        threads
    }
    .clamp(1, files.len().max(1));
    let share = files.len().div_ceil(threads).max(1);
    let outcomes: Vec<Vec<Outcome>> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(share)
            .map(|chunk| {
                let fixed = fixed.clone();
                scope.spawn(move || {
                    let fixed = fixed.map(|p| {
                        let model = Model::compile(&p).ok();
                        (p, model)
                    });
                    let mut cache = HashMap::new();
                    chunk
                        .iter()
                        .map(|(path, _)| load(path, fixed.as_ref(), &mut cache))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker never panics on bad input"))
            .collect()
    });
    Ok(outcomes.into_iter().flatten().collect())
}

fn load(
    path: &Path,
    fixed: Option<&Compiled>,
    cache: &mut HashMap<String, Result<Compiled, String>>,
) -> Outcome {
    let session = Session::load(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    let (pathway, model) = match fixed {
        Some(compiled) => compiled,
        None => cache
            .entry(session.header.pathway_id.clone())
            .or_insert_with(|| match resolve_pathway(&session.header.pathway_id) {
                Ok((p, _)) => {
                    let model = Model::compile(&p).ok();
                    Ok((Arc::new(p), model))
                }
                Err(e) => Err(format!(
                    "the session's pathway `{}` is unknown ({}); pass --pathway ID|FILE",
                    session.header.pathway_id, e.message
                )),
            })
            .as_ref()
            .map_err(|e| (path.to_path_buf(), e.clone()))?,
    };
    Ok(Loaded {
        pathway: pathway.clone(),
        digest: digest_with_model(&session, pathway, model.as_ref()),
        started: session.header.started_at.date_naive(),
    })
}

/// Each path's folder name (a file's parent folder), or the path itself where names repeat.
fn folder_round_names(paths: &[PathBuf]) -> Vec<String> {
    let name = |p: &Path| {
        let folder = if p.is_dir() { Some(p) } else { p.parent() };
        folder
            .and_then(|f| f.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let names: Vec<String> = paths.iter().map(|p| name(p)).collect();
    names
        .iter()
        .zip(paths)
        .map(|(n, p)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                p.display().to_string()
            } else {
                n.clone()
            }
        })
        .collect()
}
