//! `shadowmap export PATHS... --format parquet --out DIR` and `--format ocel`: many sessions
//! as tables for DuckDB and Spark, or as an OCEL 2.0 log (docs/exchange.md).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use color_eyre::eyre::{WrapErr, bail, eyre};
use shadowmap::exchange::{ocel, parquet::Tables};
use shadowmap::report::{ReportOptions, for_each_digested};

use shadowmap::text::escape_json_controls;

use crate::{ExportArgs, ExportFormat};

/// The session files named by PATHS: folders (their `.ron` files), files, or session ids of
/// the data folder; none: the data folder's finished sessions.
fn session_files(
    data_dir: Option<PathBuf>,
    args: &[String],
    redact: bool,
) -> color_eyre::Result<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(args.len());
    for arg in args {
        let path = Path::new(arg);
        if path.exists() {
            paths.push(path.to_path_buf());
        } else {
            // A session id of the data folder: the one loader says where its file is.
            paths.push(super::load::load_quietly(data_dir.as_deref(), arg)?.path);
        }
    }
    Ok(super::report::session_files(data_dir, &paths, redact)?.files)
}

pub fn run(data_dir: Option<PathBuf>, args: ExportArgs) -> color_eyre::Result<()> {
    let files = session_files(data_dir.clone(), &args.sessions, args.redact)?;
    let options = ReportOptions {
        redact: args.redact,
        ..ReportOptions::default()
    };
    match args.format {
        ExportFormat::Parquet => {
            let Some(out) = args.out.as_deref() else {
                bail!("--format parquet writes three files: give the folder with --out DIR");
            };
            parquet(&files, &options, out)
        }
        ExportFormat::Ocel => {
            let mut log = ocel::OcelBuilder::default();
            let mut skipped = 0;
            for_each_digested(&files, &options, |outcome| match outcome {
                Ok(d) => {
                    if let Some(after) = &d.after_finish {
                        super::load::warn_after_finish(after, options.redact);
                    }
                    log.add(&d);
                }
                Err((path, error)) => {
                    skipped += 1;
                    super::load::warn_skipped(path, error, options.redact);
                }
            })
            .map_err(|e| eyre!("{e}"))?;
            // serde_json leaves C1 controls raw: escaped, as every output is.
            let json = serde_json::to_string_pretty(&log.finish())?;
            let mut text = escape_json_controls(&json).into_owned();
            text.push('\n');
            let mut protected = super::output::Protected::new(data_dir.as_deref());
            for file in &files {
                protected.file(file, "a session this export reads");
            }
            super::output::write_output(args.out.as_deref(), &protected, &text)
        }
        _ => unreachable!("export dispatches only parquet and ocel here"),
    }
}

/// The three tables, each written to a temporary file in `out`, synced, then renamed into
/// place (so a reader never sees half a table), and the folder synced.
fn parquet(files: &[PathBuf], options: &ReportOptions, out: &Path) -> color_eyre::Result<()> {
    if out.exists() && !out.is_dir() {
        bail!(
            "{}: --out must name a folder for --format parquet (it is a file)",
            out.display()
        );
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(out)
        .wrap_err_with(|| format!("creating {}", out.display()))?;
    let names = ["sessions.parquet", "steps.parquet", "events.parquet"];
    let temp = |name: &str| out.join(format!(".{name}.{}.tmp", std::process::id()));
    let open = |name: &str| -> std::io::Result<BufWriter<File>> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(temp(name))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };
    let written = (|| -> color_eyre::Result<usize> {
        let mut tables = Tables::new(open(names[0])?, open(names[1])?, open(names[2])?)?;
        let mut sessions = 0;
        let mut failed = None;
        for_each_digested(files, options, |outcome| match outcome {
            Ok(d) => {
                if let Some(after) = &d.after_finish {
                    super::load::warn_after_finish(after, options.redact);
                }
                if failed.is_none() {
                    match tables.add(&d) {
                        Ok(()) => sessions += 1,
                        Err(e) => failed = Some(e),
                    }
                }
            }
            Err((path, error)) => super::load::warn_skipped(path, error, options.redact),
        })
        .map_err(|e| eyre!("{e}"))?;
        if let Some(error) = failed {
            return Err(error.into());
        }
        let (a, b, c) = tables.finish()?;
        for writer in [a, b, c] {
            let file = writer
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            file.sync_all()?;
        }
        Ok(sessions)
    })();
    let sessions = match written {
        Ok(counts) => counts,
        Err(error) => {
            for name in names {
                let _ = fs::remove_file(temp(name));
            }
            return Err(error.wrap_err(format!("writing Parquet tables into {}", out.display())));
        }
    };
    for name in names {
        fs::rename(temp(name), out.join(name))?;
    }
    File::open(out)?.sync_all()?;
    eprintln!(
        "wrote {sessions} session{} to {}: {}",
        if sessions == 1 { "" } else { "s" },
        out.display(),
        names.join(", ")
    );
    std::io::stderr().flush()?;
    Ok(())
}
