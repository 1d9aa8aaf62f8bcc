//! `shadowmap suggest PATHS... [--pathway ID|FILE] [--min-share F] [--retime] [--out FILE]
//! [--format text|json|ron]`: the pathway the work suggests, per pathway the sessions follow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::eyre;
use serde_json::json;
use shadowmap::compare::{self, pathway_to_json, xes};
use shadowmap::model::{Pathway, Session, resolve_pathway};
use shadowmap::report::collect_session_files;
use shadowmap::report::stream::AfterFinish;
use shadowmap::suggest::html::suggestion_box;
use shadowmap::suggest::text::render_text;
use shadowmap::suggest::{Options, Suggestion, Trace, suggest};
use shadowmap::text::{escape_controls, escape_json_controls};

use super::output::{Protected, write_output};
use crate::commands::pathways::user_error;
use crate::{SuggestArgs, SuggestFormat};

pub fn run(data_dir: Option<PathBuf>, args: SuggestArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&args.min_share) {
        return Err(eyre!(
            "--min-share {} is not a share: give a number from 0 to 1 (0.2 means a fifth of the sessions)",
            args.min_share
        ));
    }
    let mut protected = Protected::new(data_dir.as_deref());
    for path in &args.paths {
        if path.is_dir() {
            protected.folder(path);
        } else {
            protected.file(path, "an input of this suggestion");
        }
    }
    if let Some(out) = &args.out {
        protected.check(out)?;
    }
    let fixed = match &args.pathway {
        Some(arg) => {
            let pathway = compare::load_pathway(arg).map_err(user_error)?;
            if Path::new(arg).is_file() {
                protected.file(Path::new(arg), "the pathway this suggestion revises");
                if let Some(out) = &args.out {
                    protected.check(out)?;
                }
            }
            Some(pathway)
        }
        None => None,
    };
    let groups = read_traces(&args.paths, fixed.as_ref(), true)?;
    if args.format == SuggestFormat::Ron && groups.len() > 1 {
        return Err(eyre!(
            "the sessions follow {} pathways ({}); --format ron writes one: choose it with --pathway ID",
            groups.len(),
            groups.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let options = Options {
        min_share: args.min_share,
        retime: args.retime,
        ..Options::default()
    };
    let mut suggestions = Vec::new();
    for (id, (pathway, traces)) in &groups {
        let suggestion =
            suggest(pathway, traces, &options).map_err(|e| eyre!("pathway `{id}`: {e}"))?;
        suggestions.push((pathway, suggestion));
    }
    let text = match args.format {
        SuggestFormat::Ron => suggestions[0].1.pathway.to_ron(),
        SuggestFormat::Json => {
            let list: Vec<_> = suggestions
                .iter()
                .map(|(_, s)| suggestion_json(s))
                .collect();
            serde_json::to_string_pretty(&json!({ "suggestions": list }))? + "\n"
        }
        SuggestFormat::Text => suggestions
            .iter()
            .map(|(_, s)| render_text(s))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    // Ids, sites and labels come from files anyone may have written: no control characters
    // reach the terminal or the file raw.
    let text = match args.format {
        SuggestFormat::Json => escape_json_controls(&text),
        SuggestFormat::Text | SuggestFormat::Ron => escape_controls(&text),
    };
    write_output(args.out.as_deref(), &protected, text.as_bytes())
}

/// The traces of every input, by the pathway they are revised against (pathway id order).
fn read_traces(
    paths: &[PathBuf],
    fixed: Option<&Pathway>,
    warn: bool,
) -> Result<BTreeMap<String, (Pathway, Vec<Trace>)>> {
    let mut groups: BTreeMap<String, (Pathway, Vec<Trace>)> = BTreeMap::new();
    let mut session_paths = Vec::new();
    for path in paths {
        let lower = path.to_string_lossy().to_ascii_lowercase();
        if !(lower.ends_with(".xes") || lower.ends_with(".xes.gz")) {
            session_paths.push(path.clone());
            continue;
        }
        let Some(pathway) = fixed else {
            return Err(eyre!(
                "{}: an XES log names no pathway; give one with --pathway ID|FILE",
                path.display()
            ));
        };
        let group = groups
            .entry(pathway.id.clone())
            .or_insert_with(|| (pathway.clone(), Vec::new()));
        for trace in xes::open(path).map_err(user_error)? {
            let trace = trace.map_err(user_error)?;
            group
                .1
                .push(Trace::bare(&trace.case_id, &trace.activities()));
        }
    }
    let files = collect_session_files(&session_paths).map_err(|e| eyre!("{e}"))?;
    // A site's pathway file among the inputs is the pathway of the sessions naming its id.
    let inputs = shadowmap::report::stream::split_pathway_files(&files);
    for (path, why) in inputs.refused.iter().filter(|_| warn) {
        super::load::print_skipped_file(path, why);
    }
    let mut unknown: BTreeMap<String, String> = BTreeMap::new();
    let mut other_pathways = Vec::new();
    for file in &inputs.sessions {
        let session = match Session::load(file) {
            Ok(session) => session,
            Err(e) => {
                if warn {
                    super::load::print_skipped_file(file, &e.to_string());
                }
                continue;
            }
        };
        if let Some(after) = AfterFinish::of(file, &session).filter(|_| warn) {
            super::load::warn_after_finish(&after, false);
        }
        let header = &session.header;
        let site = inputs.pathway_for(&header.pathway_id, header.pathway_version);
        let pathway = match (fixed, site) {
            (Some(p), _) => p.clone(),
            (None, Some(site)) => Pathway::clone(site),
            (None, None) => match resolve_pathway(&header.pathway_id) {
                Ok((p, _)) => p,
                Err(e) => {
                    unknown
                        .entry(header.pathway_id.clone())
                        .or_insert_with(|| e.message.clone());
                    continue;
                }
            },
        };
        let trace = Trace::from_session(&session);
        if fixed.is_some() && header.pathway_id != pathway.id {
            // Sessions of another pathway: used only when none follows the one asked for.
            other_pathways.push(trace);
            continue;
        }
        groups
            .entry(pathway.id.clone())
            .or_insert_with(|| (pathway, Vec::new()))
            .1
            .push(trace);
    }
    if let Some(p) = fixed {
        if groups.is_empty() {
            groups.insert(p.id.clone(), (p.clone(), other_pathways));
        } else if !other_pathways.is_empty() && warn {
            eprintln!(
                "note: left out {} session(s) captured against other pathways than `{}`",
                other_pathways.len(),
                p.id
            );
        }
    }
    for (id, why) in unknown.iter().filter(|_| warn) {
        eprintln!(
            "warning: skipped the sessions of the unknown pathway `{id}` ({why}); pass --pathway ID|FILE"
        );
    }
    groups.retain(|_, (_, traces)| !traces.is_empty());
    if groups.is_empty() {
        return Err(eyre!(
            "no sessions or traces to learn from in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(groups)
}

/// The "what the work suggests" boxes of `report --format html`, fed from the report's own read
/// of the sessions ([`ReportSuggestions::add`]) rather than a second one: each session under the
/// pathway the report compared it with; with `--pathway`, the sessions captured against it (all
/// of them when none was), as `suggest --pathway` takes them.
pub struct ReportSuggestions {
    fixed: bool,
    groups: BTreeMap<String, (Pathway, Vec<Trace>)>,
    /// With `--pathway`: the sessions captured against other pathways, and that pathway.
    others: Option<(Pathway, Vec<Trace>)>,
}

impl ReportSuggestions {
    pub fn new(fixed: bool) -> ReportSuggestions {
        ReportSuggestions {
            fixed,
            groups: BTreeMap::new(),
            others: None,
        }
    }

    /// Adds `session`, compared against `pathway` by the report.
    pub fn add(&mut self, session: &Session, pathway: &Pathway) {
        let trace = Trace::from_session(session);
        if self.fixed && session.header.pathway_id != pathway.id {
            self.others
                .get_or_insert_with(|| (pathway.clone(), Vec::new()))
                .1
                .push(trace);
            return;
        }
        self.groups
            .entry(pathway.id.clone())
            .or_insert_with(|| (pathway.clone(), Vec::new()))
            .1
            .push(trace);
    }

    /// The report's HTML with a box in each pathway's section (before its charts). `redact`:
    /// what sessions wrote is masked as the report masks it.
    pub fn add_to_html(mut self, html: String, redact: bool) -> String {
        if self.groups.is_empty()
            && let Some((pathway, traces)) = self.others.take()
        {
            self.groups.insert(pathway.id.clone(), (pathway, traces));
        }
        let mut html = html;
        for (pathway, traces) in self.groups.values() {
            let Ok(mut suggestion) = suggest(pathway, traces, &Options::default()) else {
                continue;
            };
            if redact {
                suggestion.redact(&shadowmap::report::render::mask);
            }
            // The section the report wrote for this pathway: its heading, then its charts.
            let heading = format!(
                "<h2>Pathway <code>{}</code>",
                maud::html! { (pathway.id) }.into_string()
            );
            let Some(at) = html
                .find(&heading)
                .and_then(|h| html[h..].find("<div class=\"charts\">").map(|c| h + c))
            else {
                continue;
            };
            html.insert_str(
                at,
                &escape_controls(&suggestion_box(&suggestion).into_string()),
            );
        }
        html
    }
}

fn suggestion_json(s: &Suggestion) -> serde_json::Value {
    let mut value = serde_json::to_value(s).expect("a suggestion serialises");
    value["version"] = json!(s.pathway.version);
    value["revised"] = pathway_to_json(&s.pathway);
    value["revised_ron"] = json!(s.pathway.to_ron());
    value
}
