//! `shadowmap compare INPUT --pathway ID|FILE [--format text|json]`: a session (id or file) or
//! an XES log against a pathway, by optimal alignment, with every deviation explained.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::compare::output::comparisons_json;
use shadowmap::compare::text::render_text;
use shadowmap::compare::{self, Comparison, Model, compare_session, compare_with_model, xes};
use shadowmap::model::{Pathway, derive_timeline};
use shadowmap::text::{Escaped, escape_controls, escape_json_controls};

use crate::commands::pathways::user_error;
use crate::{CompareArgs, ListFormat};

pub fn run(data_dir: Option<PathBuf>, args: CompareArgs) -> Result<()> {
    let lower = args.input.to_ascii_lowercase();
    let (pathway, comparisons) = if lower.ends_with(".xes") || lower.ends_with(".xes.gz") {
        compare_log(&args)?
    } else {
        compare_one_session(data_dir, &args)?
    };
    let text = match args.format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&comparisons_json(&pathway, &comparisons))?;
            escape_json_controls(&json).into_owned() + "\n"
        }
        ListFormat::Text => escape_controls(&render_text(&pathway, &comparisons)).into_owned(),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // `shadowmap compare ... | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A built-in id, a pathway file (RON), or the oracle's pathway JSON, checked for alignment.
fn load_pathway(arg: &str) -> Result<Pathway> {
    let pathway = compare::load_pathway(arg).map_err(user_error)?;
    compare::check_pathway(&pathway).map_err(|e| eyre!("pathway `{}`: {e}", pathway.id))?;
    Ok(pathway)
}

fn compare_log(args: &CompareArgs) -> Result<(Pathway, Vec<Comparison>)> {
    let Some(arg) = args.pathway.as_deref() else {
        return Err(eyre!(
            "{}: an XES log names no pathway; give one with --pathway ID|FILE (`shadowmap pathways list` shows the built-in ones)",
            args.input
        ));
    };
    let pathway = load_pathway(arg)?;
    let model = Model::compile(&pathway)?;
    let mut comparisons = Vec::new();
    for trace in xes::open(Path::new(&args.input)).map_err(user_error)? {
        let trace = trace.map_err(user_error)?;
        comparisons.push(compare_with_model(
            &trace.case_id,
            &trace.observed(),
            &pathway,
            &model,
        ));
    }
    if comparisons.is_empty() {
        return Err(eyre!(
            "{}: the log has no traces: nothing to compare",
            args.input
        ));
    }
    Ok((pathway, comparisons))
}

fn compare_one_session(
    data_dir: Option<PathBuf>,
    args: &CompareArgs,
) -> Result<(Pathway, Vec<Comparison>)> {
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
    Ok((pathway.clone(), vec![compare_session(&session, &pathway)]))
}
