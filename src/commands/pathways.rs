//! `shadowmap pathways list|show|check|diff`.

use color_eyre::Result;
use color_eyre::eyre::eyre;
use shadowmap::compare::{load_pathway, load_pathway_json, pathway_to_json};
use shadowmap::model::pathway::{Element, TEMPLATES};
use shadowmap::model::{FileError, Pathway};
use shadowmap::suggest::diff::diff;
use shadowmap::text::{Escaped, counted, escape_json_controls};

use crate::{PathwayFormat, PathwaysCommand};

pub fn run(command: PathwaysCommand) -> Result<()> {
    match command {
        PathwaysCommand::List => {
            println!("{:<28} {:>3} {:>6}  NAME", "ID", "VER", "STEPS");
            for template in TEMPLATES {
                let pathway = template.parse();
                println!(
                    "{:<28} {:>3} {:>6}  {}",
                    pathway.id,
                    pathway.version,
                    pathway.all_steps().count(),
                    pathway.name
                );
            }
            Ok(())
        }
        PathwaysCommand::Show { pathway, format } => {
            let pathway = load_pathway(&pathway).map_err(user_error)?;
            match format {
                PathwayFormat::Ron => print!("{}", Escaped(pathway.to_ron())),
                PathwayFormat::Json => println!(
                    "{}",
                    escape_json_controls(&pathway_to_json(&pathway).to_string())
                ),
            }
            Ok(())
        }
        PathwaysCommand::Diff { a, b } => {
            let a = load_pathway(&a).map_err(user_error)?;
            let b = load_pathway(&b).map_err(user_error)?;
            let changes = diff(&a, &b);
            if changes.is_empty() {
                println!("No difference: the two pathways say the same.");
            }
            for change in changes {
                println!("- {}", Escaped(change));
            }
            Ok(())
        }
        PathwaysCommand::Check { file } => {
            // The JSON form (`pathways show --format json`) is checked as `--pathway` reads it.
            let pathway = if file.extension().is_some_and(|e| e == "json") {
                load_pathway_json(&file)
            } else {
                Pathway::load(&file)
            }
            .map_err(user_error)?;
            let groups = pathway
                .steps
                .iter()
                .filter(|e| matches!(e, Element::AnyOrder(_)))
                .count();
            println!(
                "{}: ok: `{}` version {}, {} steps, {} any-order group{}",
                Escaped(file.display()),
                Escaped(&pathway.id),
                pathway.version,
                pathway.all_steps().count(),
                groups,
                if groups == 1 { "" } else { "s" }
            );
            let site = &pathway.vocabulary;
            if !site.is_empty() {
                let count = |n: usize, one: &str, many: &str| counted(n as u64, one, many);
                println!(
                    "  site vocabulary: {}, {}, {}",
                    count(
                        site.interruptions.len(),
                        "interruption source",
                        "interruption sources"
                    ),
                    count(
                        site.workarounds.len(),
                        "workaround kind",
                        "workaround kinds"
                    ),
                    count(site.problems.len(), "problem kind", "problem kinds"),
                );
            }
            Ok(())
        }
    }
}

/// A file error is the user's to fix: print it plainly, without a backtrace section.
pub fn user_error(error: FileError) -> color_eyre::Report {
    eyre!("{error}")
}
