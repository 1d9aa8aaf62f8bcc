//! `shadowmap report PATHS... [--pathway ID|FILE] [--by site,role] [--format ...] [--out FILE]
//! [--redact]`: findings across sessions, streamed one session at a time.

use std::path::{Path, PathBuf};

use color_eyre::eyre::{WrapErr, eyre};

use shadowmap::report::{
    Format, OVERRIDES_FILE, Overrides, ReportOptions, build_report, collect_session_files,
    render,
};

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
    let (paths, data_root) = if args.paths.is_empty() {
        let root = data_dir.ok_or_else(|| {
            eyre!("give session files or folders to report on (or --data-dir / SHADOWMAP_DATA_DIR)")
        })?;
        (vec![root.clone()], Some(root))
    } else {
        (args.paths.clone(), None)
    };
    let files = collect_session_files(&paths).map_err(|e| eyre!("{e}"))?;
    if files.is_empty() {
        return Err(eyre!(
            "no session files (.ron) in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let overrides_file = overrides_path(&paths, data_root.as_deref());
    let overrides = Overrides::load(&overrides_file).map_err(|e| eyre!("{e}"))?;
    let options = ReportOptions {
        pathway: args.pathway.clone(),
        by: args.by.clone(),
        threads: 0,
    };
    let mut report = build_report(&files, &options, &overrides).map_err(|e| eyre!("{e}"))?;
    for skipped in &report.skipped {
        eprintln!("warning: skipped {}: {}", skipped.path.display(), skipped.error);
    }
    if report.sessions == 0 {
        return Err(eyre!("none of the {} files could be read as a session", files.len()));
    }
    if args.tui {
        if args.redact {
            report.redact(&shadowmap::report::render::mask);
        }
        return shadowmap::tui::report::run(report.findings, overrides, &overrides_file)
            .wrap_err("running the report screen");
    }
    if args.redact {
        report.redact(&shadowmap::report::render::mask);
    }
    let format = match args.format {
        ReportFormat::Text => Format::Text,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
    };
    let out = render(&report, format);
    match &args.out {
        Some(path) => std::fs::write(path, out)
            .wrap_err_with(|| format!("writing the report to {}", path.display()))?,
        None => print!("{out}"),
    }
    Ok(())
}
