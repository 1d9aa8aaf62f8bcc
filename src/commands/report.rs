//! `shadowmap report PATHS... [--pathway ID|FILE] [--by site,role] [--format ...] [--out FILE]
//! [--redact]`: findings across sessions, streamed one session at a time.

use std::path::{Path, PathBuf};

use color_eyre::eyre::{WrapErr, eyre};

use shadowmap::report::{
    Format, OVERRIDES_FILE, Overrides, ReportOptions, build_report_and, collect_session_files,
    render,
};

use shadowmap::rounds::{RoundsOptions, build_rounds};
use shadowmap::store::SESSIONS_FOLDER;
use shadowmap::text::Escaped;

use super::map::ReportMaps;
use super::output::{Protected, write_output};
use super::suggest::ReportSuggestions;
use crate::{ReportArgs, ReportFormat};

/// Where the overrides live: beside the sessions (the first folder given, the folder of the
/// first file given, or the data folder).
pub fn overrides_path(paths: &[PathBuf], data_root: Option<&Path>) -> PathBuf {
    match paths.first() {
        Some(p) if p.is_dir() => p.join(OVERRIDES_FILE),
        Some(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(OVERRIDES_FILE),
        None => data_root.unwrap_or(Path::new(".")).join(OVERRIDES_FILE),
    }
}

pub fn run(data_dir: Option<PathBuf>, args: ReportArgs) -> color_eyre::Result<()> {
    let mut protected = Protected::new(data_dir.as_deref());
    let found = session_files(data_dir, &args.paths, args.redact)?;
    for folder in &found.folders {
        protected.folder(folder);
    }
    let (files, overrides_file) = (found.files, found.overrides);
    for file in &files {
        protected.file(file, "a session this report reads");
    }
    protected.file(&overrides_file, "the overrides file this report reads");
    if let Some(out) = &args.out {
        // Refused before the work, not after it.
        protected.check(out)?;
    }
    let overrides = Overrides::load(&overrides_file).map_err(|e| eyre!("{e}"))?;
    let options = ReportOptions {
        pathway: args.pathway.clone(),
        by: args.by.clone(),
        threads: 0,
        redact: false,
    };
    // The HTML's maps and suggestions come from the report's own read of the sessions.
    let drawn = format_of(args.format) == Format::Html && !args.tui;
    let fixed = args.pathway.is_some();
    let (mut maps, mut suggestions) = (ReportMaps::new(fixed), ReportSuggestions::new(fixed));
    let mut report = build_report_and(&files, &options, &overrides, |d| {
        if drawn {
            maps.add(&d.session, &d.pathway);
            suggestions.add(&d.session, &d.pathway);
        }
    })
    .map_err(|e| eyre!("{e}"))?;
    // Redacted before anything is shown, the warnings below included.
    if args.redact {
        report.redact(&shadowmap::report::render::mask);
    }
    for after in &report.after_finish {
        super::load::warn_after_finish(after, false);
    }
    // Masked above with the rest of the report under --redact.
    report.skipped.iter().for_each(super::load::print_skipped);
    if report.sessions == 0 {
        return Err(eyre!(
            "none of the {} files could be read as a session",
            files.len()
        ));
    }
    if args.tui {
        let rounds = screen_rounds(&args, &files)?;
        return shadowmap::tui::report::run(
            report.findings,
            overrides,
            &overrides_file,
            shadowmap::tui::map::run::MapSource {
                files: files.clone(),
                against: args.pathway.clone(),
                redact: args.redact,
            },
            rounds,
        )
        .wrap_err("running the report screen");
    }
    let out = match format_of(args.format) {
        Format::Html => {
            let maps = maps.finish(args.redact);
            let html = shadowmap::report::render::render_with_maps(&report, Format::Html, &maps);
            suggestions.add_to_html(html, args.redact)
        }
        format => render(&report, format),
    };
    // Owner-only (0600) and atomic, like every export: a report quotes notes and codes.
    write_output(args.out.as_deref(), &protected, &out)
}

/// With `--split`, the rounds of the same sessions for the report screen: the folders given
/// (or, for the data folder, its session files).
fn screen_rounds(
    args: &ReportArgs,
    files: &[PathBuf],
) -> color_eyre::Result<Option<shadowmap::rounds::Rounds>> {
    let Some(split) = &args.split else {
        return Ok(None);
    };
    let paths = if args.paths.is_empty() {
        files.to_vec()
    } else {
        session_folders(&args.paths)
    };
    let options = RoundsOptions {
        split: split.parse().map_err(|e: String| eyre!("--split: {e}"))?,
        pathway: args.pathway.clone(),
        by: args.by.clone(),
        threads: 0,
    };
    let mut rounds = build_rounds(&paths, &options).map_err(|e| eyre!("{e}"))?;
    if args.redact {
        rounds.redact(&shadowmap::report::render::mask);
    }
    Ok(Some(rounds))
}

/// The command line's format as the renderers name it (the report's and the rounds').
pub fn format_of(format: ReportFormat) -> Format {
    match format {
        ReportFormat::Text => Format::Text,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
    }
}

/// The folders to read sessions from: a data folder given as a path (it holds `sessions/`
/// and no session files of its own) stands for its `sessions/`.
fn session_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|path| {
            let sessions = path.join(SESSIONS_FOLDER);
            let holds_sessions = || {
                std::fs::read_dir(path).is_ok_and(|mut entries| {
                    entries.any(|e| {
                        e.is_ok_and(|e| {
                            let name = e.file_name();
                            let name = name.to_string_lossy();
                            name.ends_with(".ron") && name != OVERRIDES_FILE
                        })
                    })
                })
            };
            if path.is_dir() && sessions.is_dir() && !holds_sessions() {
                sessions
            } else {
                path.clone()
            }
        })
        .collect()
}

/// The session files a report-like command reads, where the overrides live, and the folders
/// read (which an output must not be written into).
pub struct SessionFiles {
    pub files: Vec<PathBuf>,
    pub overrides: PathBuf,
    pub folders: Vec<PathBuf>,
}

/// The finished sessions of the data folder when no PATHS are given, else the files given and
/// the `.ron` files inside the folders given (a data folder given as a path stands for its
/// `sessions/`). `redact`: the warnings about unreadable files are redacted (`--redact`).
pub fn session_files(
    data_dir: Option<PathBuf>,
    paths: &[PathBuf],
    redact: bool,
) -> color_eyre::Result<SessionFiles> {
    Ok(if paths.is_empty() {
        // The data folder: its finished sessions (an unfinished one is still being captured,
        // or waits for recovery in capture).
        let dir = shadowmap::store::DataDir::resolve(data_dir)
            .map_err(|e| eyre!("{e}"))
            .wrap_err("opening the data folder")?;
        let listing = dir.scan().map_err(|e| eyre!("{e}"))?;
        for problem in &listing.problems {
            let problem = problem.to_string();
            let problem = if redact {
                shadowmap::report::render::mask(&problem)
            } else {
                problem
            };
            eprintln!("warning: skipped: {}", Escaped(problem));
        }
        let entries = listing.entries;
        let unfinished = entries.iter().filter(|e| !e.finished).count();
        if unfinished > 0 {
            eprintln!(
                "note: {unfinished} unfinished session(s) left out; finish or recover them with `shadowmap capture`"
            );
        }
        let mut files: Vec<PathBuf> = entries
            .into_iter()
            .filter(|e| e.finished)
            .map(|e| e.path)
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(eyre!(
                "no finished sessions in the data folder {}; give session files or folders",
                dir.root().display()
            ));
        }
        SessionFiles {
            files,
            overrides: overrides_path(&[], Some(dir.root())),
            folders: Vec::new(),
        }
    } else {
        let folders = session_folders(paths);
        let files = collect_session_files(&folders).map_err(|e| eyre!("{e}"))?;
        if files.is_empty() {
            return Err(eyre!(
                "no session files (.ron) in {}\n  hint: give session files or folders that hold them (not recursive), or no PATHS for the data folder",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let overrides = overrides_path(paths, None);
        let folders = folders.into_iter().filter(|p| p.is_dir()).collect();
        SessionFiles {
            files,
            overrides,
            folders,
        }
    })
}
