//! `shadowmap rounds PATHS... --split folder|version|date:YYYY-MM-DD[,...] [--pathway ID|FILE]
//! [--by site,role] [--format ...] [--out FILE] [--redact]`: did the change work? Rounds of sessions
//! compared step by step, with honest statistics (docs/rounds.md).

use std::path::PathBuf;

use color_eyre::eyre::eyre;

use shadowmap::rounds::render::render;
use shadowmap::rounds::{RoundsOptions, Split, build_rounds};

use super::output::{Protected, write_output};
use crate::RoundsArgs;

pub fn run(data_dir: Option<PathBuf>, args: RoundsArgs) -> color_eyre::Result<()> {
    let split: Split = args
        .split
        .parse()
        .map_err(|e: String| eyre!("--split: {e}"))?;
    // --out never replaces a session or anything else the data folder or these rounds hold;
    // refused before the work, not after it.
    let mut protected = Protected::new(data_dir.as_deref());
    for path in &args.paths {
        if path.is_dir() {
            protected.folder(path);
        } else {
            protected.file(path, "a session these rounds read");
        }
    }
    if let Some(out) = &args.out {
        protected.check(out)?;
    }
    if split == Split::Folder && args.paths.len() < 2 {
        eprintln!(
            "note: --split folder makes each PATH a round; with one PATH there is nothing to compare"
        );
    }
    let options = RoundsOptions {
        split,
        pathway: args.pathway.clone(),
        by: args.by.clone(),
        threads: 0,
    };
    let mut rounds = build_rounds(&args.paths, &options).map_err(|e| eyre!("{e}"))?;
    // Redacted before anything is shown, the warnings below included.
    if args.redact {
        rounds.redact(&shadowmap::report::render::mask);
    }
    for after in &rounds.after_finish {
        super::load::warn_after_finish(after, false);
    }
    // Masked above with the rest of the rounds under --redact.
    rounds.skipped.iter().for_each(super::load::print_skipped);
    if rounds.rounds.iter().all(|r| r.sessions == 0) {
        return Err(eyre!("none of the files given could be read as a session"));
    }
    write_output(
        args.out.as_deref(),
        &protected,
        render(&rounds, super::report::format_of(args.format)),
    )
}
