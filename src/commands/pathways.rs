//! `shadowmap pathways list|show|check`.

use color_eyre::Result;
use color_eyre::eyre::eyre;
use shadowmap::model::pathway::{Element, TEMPLATES, resolve_pathway};
use shadowmap::model::{FileError, Pathway};
use shadowmap::text::Escaped;

use crate::PathwaysCommand;

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
        PathwaysCommand::Show { pathway } => {
            let (pathway, _) = resolve_pathway(&pathway).map_err(user_error)?;
            print!("{}", Escaped(pathway.to_ron()));
            Ok(())
        }
        PathwaysCommand::Check { file } => {
            let pathway = Pathway::load(&file).map_err(user_error)?;
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
            Ok(())
        }
    }
}

/// A file error is the user's to fix: print it plainly, without a backtrace section.
pub fn user_error(error: FileError) -> color_eyre::Report {
    eyre!("{error}")
}
