//! Reading the sessions of every round with the report's engine (worker threads read,
//! compare and digest; the outcomes come back in file order), folded into the rounds.

use std::path::{Path, PathBuf};

use crate::report::stream::for_each_digested;
use crate::report::{ReportOptions, collect_session_files};

use super::{Rounds, RoundsBuilder, Split};

#[derive(Debug, Clone)]
pub struct RoundsOptions {
    pub split: Split,
    /// Compare every session against this pathway (id or file) instead of its own.
    pub pathway: Option<String>,
    pub by: Vec<String>,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
}

impl RoundsOptions {
    /// How the report's engine reads the sessions.
    pub(crate) fn reading(&self) -> ReportOptions {
        ReportOptions {
            pathway: self.pathway.clone(),
            by: Vec::new(),
            threads: self.threads,
            redact: false,
        }
    }
}

/// The rounds of the sessions in `paths`. With [`Split::Folder`] each path is a round, named
/// by its folder (by its own path when two share a name). Unreadable files are listed in
/// `Rounds::skipped`; no session file at all, a bad `--pathway` or `--by` is an error.
pub fn build_rounds(paths: &[PathBuf], options: &RoundsOptions) -> Result<Rounds, String> {
    let mut builder = RoundsBuilder::new(&options.split.describe(), &options.by)?;
    // Each file, and its folder's round when rounds are folders.
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folders: Vec<usize> = Vec::new();
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
            folders.extend(std::iter::repeat_n(i, found.len()));
            files.extend(found);
        }
    } else {
        files = collect_session_files(paths).map_err(|e| e.to_string())?;
    }
    if files.is_empty() {
        return Err("no session files (.ron) given: give session files or folders".into());
    }
    // Each session's round folder, by its file (pathway files among them give no outcome); a
    // file given in two rounds is in the first, then the second, as the outcomes come in order.
    let mut folder_of: std::collections::HashMap<&Path, std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    for (file, &folder) in files.iter().zip(&folders) {
        folder_of
            .entry(file.as_path())
            .or_default()
            .push_back(folder);
    }
    for_each_digested(&files, &options.reading(), |outcome| {
        let path = match &outcome {
            Ok(d) => d.path.as_path(),
            Err((path, _)) => path.as_path(),
        };
        let folder = folder_of
            .get_mut(path)
            .and_then(std::collections::VecDeque::pop_front);
        match outcome {
            Ok(d) => {
                let (order, name) = match (&options.split, folder) {
                    (_, Some(i)) => (i as u64, folder_names[i].clone()),
                    (Split::Dates(cuts), None) => {
                        Split::date_round(cuts, d.session.header.started_at.date_naive())
                    }
                    _ => (
                        u64::from(d.digest.pathway_version),
                        format!("v{}", d.digest.pathway_version),
                    ),
                };
                builder.add(order, &name, &d.pathway, &d.digest);
                if let Some(after) = d.after_finish {
                    builder.after_finish(after);
                }
            }
            Err((path, error)) => builder.skip(path, error),
        }
    })?;
    Ok(builder.finish())
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
