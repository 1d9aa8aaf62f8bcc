//! `shadowmap bundle [IDS...] --out FILE [--unfinished] [--who NAME]` and
//! `shadowmap import FILE...`: sessions between laptops (docs/exchange.md).

use std::fmt::Write as _;
use std::path::PathBuf;

use color_eyre::eyre::{WrapErr, bail, eyre};
use shadowmap::exchange::bundle::{self, PackRequest};
use shadowmap::model::session::read_regular_file;
use shadowmap::store::DataDir;

use crate::{BundleArgs, ImportArgs};

pub fn run(data_dir: Option<PathBuf>, args: BundleArgs) -> color_eyre::Result<()> {
    let dir = DataDir::resolve(data_dir)
        .map_err(|e| eyre!("{e}"))
        .wrap_err("opening the data folder")?;
    let who = args
        .who
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".to_string());
    let request = PackRequest {
        ids: args.ids,
        include_unfinished: args.unfinished,
        created_by: who,
        created_at: chrono::Local::now().fixed_offset(),
    };
    let packed = bundle::collect(&dir, &request).map_err(|e| eyre!("{e}"))?;
    if packed.manifest.sessions.is_empty() {
        bail!(
            "no session to bundle in {}\n  hint: `shadowmap sessions` lists them; unfinished ones need --unfinished",
            dir.sessions_dir().display()
        );
    }
    let bytes = bundle::pack(&packed).wrap_err("packing the bundle")?;
    let protected = super::output::Protected::new(Some(dir.root()));
    super::output::write_output(Some(&args.out), &protected, &bytes)?;
    let finished = packed
        .manifest
        .sessions
        .iter()
        .filter(|s| s.finished)
        .count();
    let unfinished = packed.manifest.sessions.len() - finished;
    eprintln!(
        "bundled {} session{} ({finished} finished, {unfinished} unfinished){} into {} ({} bytes)",
        packed.manifest.sessions.len(),
        if packed.manifest.sessions.len() == 1 {
            ""
        } else {
            "s"
        },
        if packed
            .files
            .iter()
            .any(|(p, _)| p == shadowmap::report::OVERRIDES_FILE)
        {
            " with the overrides"
        } else {
            ""
        },
        args.out.display(),
        bytes.len()
    );
    if !packed.left_out_unfinished.is_empty() {
        eprintln!(
            "note: left out {} unfinished session(s): {}; add --unfinished to pack them",
            packed.left_out_unfinished.len(),
            packed.left_out_unfinished.join(", ")
        );
    }
    Ok(())
}

pub fn import(data_dir: Option<PathBuf>, args: ImportArgs) -> color_eyre::Result<()> {
    let dir = DataDir::resolve(data_dir)
        .map_err(|e| eyre!("{e}"))
        .wrap_err("opening the data folder")?;
    // Every bundle is read and verified before anything is planned or written.
    let mut opened = Vec::with_capacity(args.bundles.len());
    for path in &args.bundles {
        // Regular files only (a FIFO would block, /dev/zero never end), read as sessions are.
        let bytes = read_regular_file(path, bundle::MAX_UNPACKED_BYTES).map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::IsADirectory {
                "a folder, not a regular file".to_string()
            } else {
                e.to_string()
            };
            eyre!(
                "{}: {why}\n  hint: give bundle files made by `shadowmap bundle`",
                path.display()
            )
        })?;
        opened.push(bundle::open(path, &bytes).map_err(|e| eyre!("{e}"))?);
    }
    let plan = bundle::plan_import(&dir, &opened).map_err(|e| eyre!("{e}"))?;
    if plan.has_conflicts() {
        let mut message = String::from("nothing was imported: ");
        let n = plan.conflicts.len() + plan.override_conflicts.len();
        let _ = write!(message, "{n} conflict{}", if n == 1 { "" } else { "s" });
        for conflict in &plan.conflicts {
            let _ = write!(message, "\n  {conflict}");
        }
        for conflict in &plan.override_conflicts {
            let _ = write!(message, "\n  {conflict}");
        }
        if !plan.conflicts.is_empty() {
            message.push_str(
                "\n  hint: the same session id with other content means one copy was changed or \
                 continued after it was copied; compare both (shadowmap export ID --format ron), \
                 keep the right one, and bundle again without the other",
            );
        }
        if !plan.override_conflicts.is_empty() {
            message.push_str(
                "\n  hint: two auditors overrode the same finding differently; agree on one \
                 (shadowmap report --tui) in either folder, then bundle again",
            );
        }
        bail!(message);
    }
    bundle::commit_import(&dir, &plan)
        .wrap_err_with(|| format!("writing into {}", dir.root().display()))?;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    eprintln!(
        "imported {} new session{}, skipped {} already here{}",
        plan.new_sessions.len(),
        plural(plan.new_sessions.len()),
        plan.duplicates.len(),
        if plan.overrides_added.is_empty() {
            String::new()
        } else {
            format!(
                ", added {} override{}",
                plan.overrides_added.len(),
                plural(plan.overrides_added.len())
            )
        }
    );
    for (id, _) in &plan.new_sessions {
        println!("{}", shadowmap::text::Escaped(id));
    }
    Ok(())
}
