//! `shadowmap compare INPUT --pathway ID|FILE [--format text|json]`: a session (id or file) or
//! an XES log against a pathway, by optimal alignment, with every deviation explained.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::compare::engine::{Engine, Trace};
use shadowmap::compare::output::{Document, Format, render};
use shadowmap::compare::{self, xes};
use shadowmap::model::{Pathway, derive_timeline};
use shadowmap::text::Escaped;

use crate::commands::pathways::user_error;
use crate::{CompareArgs, ListFormat};

pub fn run(data_dir: Option<PathBuf>, args: CompareArgs) -> Result<()> {
    let format = match args.format {
        ListFormat::Json => Format::Json,
        ListFormat::Text => Format::Text,
    };
    let stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let lower = args.input.to_ascii_lowercase();
    if lower.ends_with(".xes") || lower.ends_with(".xes.gz") {
        compare_log(&args, format, stdout)
    } else {
        compare_one_session(data_dir, &args, format, stdout)
    }
}

/// A built-in id, a pathway file (RON), or the oracle's pathway JSON, checked for alignment.
fn load_pathway(arg: &str) -> Result<Pathway> {
    let pathway = compare::load_pathway(arg).map_err(user_error)?;
    compare::check_pathway(&pathway).map_err(|e| eyre!("pathway `{}`: {e}", pathway.id))?;
    Ok(pathway)
}

/// Streams the log through the engine: traces are read here, aligned (each distinct sequence
/// once) and rendered on every core, and written in log order as they come.
fn compare_log(args: &CompareArgs, format: Format, out: impl std::io::Write) -> Result<()> {
    let Some(arg) = args.pathway.as_deref() else {
        return Err(eyre!(
            "{}: an XES log names no pathway; give one with --pathway ID|FILE (`shadowmap pathways list` shows the built-in ones)",
            args.input
        ));
    };
    let pathway = load_pathway(arg)?;
    let engine = Engine::new(&pathway)?;
    // `--threads 1` reads on one thread too; by default a large plain log is read on every core.
    let traces = xes::open_with_threads(Path::new(&args.input), args.threads)
        .map_err(user_error)?
        .map(|trace| {
            let mut trace = trace.map_err(user_error)?;
            Ok::<_, color_eyre::Report>(Trace {
                case_id: std::mem::take(&mut trace.case_id),
                observed: trace.into_observed(),
            })
        });
    let mut document = Document::new(format, &pathway, out);
    engine.compare_in_order(
        traces,
        threads_for(args),
        |result| result.map(|c| render(format, &pathway, &c)),
        |result| {
            let rendered = result.map_err(|e| {
                eyre!(
                    "{}: {e}\n  hint: the output stops before this trace; compare the rest with a log without it",
                    args.input
                )
            })?;
            Ok(document.push(&rendered)?)
        },
    )?;
    if document.traces() == 0 {
        return Err(eyre!(
            "{}: the log has no traces: nothing to compare",
            args.input
        ));
    }
    document.finish(engine.distinct_sequences())?;
    Ok(())
}

/// A log under this many bytes (a `.gz` under an eighth of it) is compared on one thread unless
/// `--threads` says otherwise: starting workers costs more than they save (road traffic's 0.2 MB:
/// 2.6 ms on one thread, 3.6 ms with a worker per core; the help desk copy, 3.2 MB: 12.5 and
/// 11.5 ms; docs/dev/performance.md).
const SMALL_LOG_BYTES: u64 = 1 << 20;

/// `--threads`, or for its default (0) one worker per core, or one thread for a small log.
fn threads_for(args: &CompareArgs) -> usize {
    if args.threads != 0 {
        return args.threads;
    }
    let size = std::fs::metadata(&args.input).map_or(u64::MAX, |m| m.len());
    let inflated = if args.input.to_ascii_lowercase().ends_with(".gz") {
        size.saturating_mul(8)
    } else {
        size
    };
    usize::from(inflated < SMALL_LOG_BYTES)
}

fn compare_one_session(
    data_dir: Option<PathBuf>,
    args: &CompareArgs,
    format: Format,
    out: impl std::io::Write,
) -> Result<()> {
    let input = &args.input;
    if Path::new(input).is_dir() {
        return Err(eyre!(
            "{input} is a folder: compare takes one session (id or file) or one XES log\n  hint: `shadowmap report {input}` compares every session of a folder and ranks the findings"
        ));
    }
    let session = super::load::load_session(data_dir.as_deref(), input)?.session;
    let pathway = match &args.pathway {
        Some(arg) => load_pathway(arg)?,
        // A session captured against a pathway file names an id that is not built in.
        None => load_pathway(&session.header.pathway_id).wrap_err_with(|| {
            format!(
                "session `{}` was captured against pathway `{}`, which is not built in: give its file with --pathway FILE",
                session.header.id, session.header.pathway_id
            )
        })?,
    };
    if pathway.id == session.header.pathway_id && pathway.version != session.header.pathway_version
    {
        eprintln!(
            "note: session `{}` was captured against `{}` version {}; comparing with version {}",
            Escaped(&session.header.id),
            Escaped(&pathway.id),
            session.header.pathway_version,
            pathway.version
        );
    }
    if derive_timeline(&session.events).steps.is_empty() {
        return Err(eyre!(
            "session `{}` has no steps (no step was started, or every start was undone): nothing to compare",
            session.header.id
        ));
    }
    let engine = Engine::new(&pathway)?;
    let comparison = engine
        .compare_timeline(&session.header.id, &derive_timeline(&session.events))
        .map_err(|e| eyre!("session `{}`: {e}", session.header.id))?;
    let mut document = Document::new(format, &pathway, out);
    document.push(&render(format, &pathway, &comparison))?;
    document.finish(engine.distinct_sequences())?;
    Ok(())
}
