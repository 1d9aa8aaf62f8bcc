//! `shadowmap map PATHS... [--pathway ID|FILE] [--where KEY=VALUE,...] [--min-share F]
//! [--format text|json|dot|svg|html] [--out FILE]`: how the work really flows (docs/map.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use color_eyre::eyre::{WrapErr, eyre};

use shadowmap::map::draw::{dot::dot, svg, text::text};
use shadowmap::map::load::{Filter, MapOptions, MapSet, build_maps};
use shadowmap::map::{MapBuilder, ShadowMap, Trace};
use shadowmap::model::{Pathway, Session};

use super::output::{Protected, write_output};
use crate::{MapArgs, MapFormat};

/// The variants listed in the text form.
const TEXT_VARIANTS: usize = 10;

/// The session files to map (those given, or the data folder's finished sessions; read as
/// the report reads them), and what `--out` may not replace.
fn session_files(
    data_dir: Option<PathBuf>,
    paths: &[PathBuf],
) -> color_eyre::Result<(Vec<PathBuf>, Protected)> {
    let mut protected = Protected::new(data_dir.as_deref());
    let found = super::report::session_files(data_dir, paths, false)?;
    for folder in &found.folders {
        protected.folder(folder);
    }
    for file in &found.files {
        protected.file(file, "a session this map reads");
    }
    Ok((found.files, protected))
}

pub fn run(data_dir: Option<PathBuf>, args: MapArgs) -> color_eyre::Result<()> {
    if !(0.0..=1.0).contains(&args.min_share) {
        return Err(eyre!(
            "--min-share {} is not a share\n  hint: give a number from 0 to 1, e.g. 0.05 for 5 % of sessions",
            args.min_share
        ));
    }
    let filter = Filter::parse(&args.r#where).map_err(|e| eyre!("{e}"))?;
    let (files, protected) = session_files(data_dir, &args.paths)?;
    if let Some(out) = &args.out {
        // Refused before the work, not after it.
        protected.check(out)?;
    }
    let options = MapOptions {
        pathway: args.pathway.clone(),
        filter,
        every_session: false,
        threads: 0,
    };
    let set = build_maps(&files, &options).map_err(|e| eyre!("{e}"))?;
    for after in &set.after_finish {
        super::load::warn_after_finish(after, false);
    }
    for (path, why) in &set.skipped {
        super::load::print_skipped_file(path, why);
    }
    if set.maps.is_empty() {
        return Err(eyre!(
            "no map: none of the sessions' pathways could be loaded\n  hint: give the pathway with --pathway ID|FILE"
        ));
    }
    if args.tui {
        let id = single_map(&set, "--tui")?.pathway.clone();
        // The pathway the map was drawn against: a site pathway file among the inputs too.
        let (map, pathway, files) = set
            .take(&id)
            .ok_or_else(|| eyre!("no map: {id}: no session to map"))?;
        return shadowmap::tui::map::run::run(map, pathway, files.into_iter().collect())
            .wrap_err("running the map screen");
    }
    let out = render(&set, &args)?;
    write_output(args.out.as_deref(), &protected, &out)
}

/// The one map of `set`, or an error asking for `--pathway` (`what` draws one map only).
fn single_map<'s>(
    set: &'s MapSet,
    what: &str,
) -> color_eyre::Result<&'s shadowmap::map::ShadowMap> {
    match set.maps.as_slice() {
        [map] => Ok(map),
        maps => {
            let ids: Vec<String> = maps
                .iter()
                .map(|m| format!("{} ({} sessions)", m.pathway, m.sessions))
                .collect();
            Err(eyre!(
                "the sessions follow {} pathways: {}\n  hint: {what} draws one map; choose its pathway with --pathway ID",
                maps.len(),
                ids.join(", "),
            ))
        }
    }
}

fn render(set: &MapSet, args: &MapArgs) -> color_eyre::Result<String> {
    let format = format!("--format {}", format_name(args.format));
    let single = || single_map(set, &format);
    Ok(match args.format {
        MapFormat::Text => set
            .maps
            .iter()
            .map(|m| text(m, args.min_share, TEXT_VARIANTS))
            .collect::<Vec<_>>()
            .join("\n"),
        MapFormat::Html => svg::html_page(&set.maps, args.min_share),
        MapFormat::Json => single()?.to_json() + "\n",
        MapFormat::Svg => svg::svg_document(single()?, args.min_share),
        MapFormat::Dot => dot(single()?, args.min_share),
    })
}

fn format_name(format: MapFormat) -> &'static str {
    match format {
        MapFormat::Text => "text",
        MapFormat::Json => "json",
        MapFormat::Dot => "dot",
        MapFormat::Svg => "svg",
        MapFormat::Html => "html",
    }
}

/// The maps `report --format html` draws above each pathway's step table: the same sessions,
/// against the same pathway as the report compares them with, fed from the report's own read
/// of the sessions ([`ReportMaps::add`]) rather than a second one.
pub struct ReportMaps {
    /// `--pathway`: every session is mapped against it, as the report compares them.
    fixed: bool,
    builders: BTreeMap<String, MapBuilder>,
}

impl ReportMaps {
    pub fn new(fixed: bool) -> ReportMaps {
        ReportMaps {
            fixed,
            builders: BTreeMap::new(),
        }
    }

    /// Adds `session`, compared against `pathway` by the report.
    pub fn add(&mut self, session: &Session, pathway: &Pathway) {
        // Keyed as `shadowmap map` keys them, so the maps come out in its order.
        let key = if self.fixed {
            pathway.id.clone()
        } else {
            session.header.pathway_id.clone()
        };
        self.builders
            .entry(key)
            .or_insert_with(|| MapBuilder::new(pathway.clone()).with_filter(BTreeMap::new()))
            .add(&Trace::from_session(session));
    }

    /// The maps, redacted with the report when `redact`.
    pub fn finish(self, redact: bool) -> Vec<ShadowMap> {
        let mut maps: Vec<ShadowMap> = self
            .builders
            .into_values()
            .filter(|b| b.sessions() > 0)
            .map(MapBuilder::finish)
            .collect();
        if redact {
            for map in &mut maps {
                map.redact(&shadowmap::report::render::mask);
            }
        }
        maps
    }
}
