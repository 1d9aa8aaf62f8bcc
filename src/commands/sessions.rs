//! `shadowmap sessions`: the sessions in the data folder, as a table or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use color_eyre::eyre::WrapErr;
use serde::Serialize;
use serde_json::{Value, json};
use shadowmap::model::SessionHeader;
use shadowmap::store::{DataDir, SessionEntry};
use shadowmap::text::{Escaped, escape_json_controls};

use crate::{ListFormat, SessionsArgs};

pub fn run(data_dir: Option<PathBuf>, args: SessionsArgs) -> color_eyre::Result<()> {
    let dir = DataDir::resolve(data_dir)?;
    let listing = dir
        .scan()
        .wrap_err_with(|| format!("listing the sessions in {}", dir.root().display()))?;
    for problem in &listing.problems {
        eprintln!("warning: {}", Escaped(problem));
    }
    match args.format {
        ListFormat::Json => {
            let rows: Vec<Row> = listing.entries.iter().map(entry_json).collect();
            let json = serde_json::to_string_pretty(&rows)?;
            println!("{}", escape_json_controls(&json));
        }
        ListFormat::Text => print!("{}", Escaped(table(&dir, &listing.entries))),
    }
    Ok(())
}

/// The status column: finished, recovered (reopened or repaired), or neither yet.
pub fn status(entry: &SessionEntry) -> &'static str {
    match (entry.finished, entry.recovered) {
        (true, false) => "finished",
        (true, true) => "finished, recovered",
        (false, true) => "unfinished, recovered",
        (false, false) => "unfinished",
    }
}

/// One session as JSON: the header fields, then `events`, `finished`, `recovered`, `path`
/// and, for a session read from its journal, what recovery found.
pub fn entry_json(entry: &SessionEntry) -> Row<'_> {
    let recovery = match &entry.recovery {
        Some(report) => json!({
            "segments": report.segments,
            "records_kept": report.records_kept,
            "bytes_dropped": report.bytes_dropped,
            "damage": report.damage.iter().map(|d| json!({
                "path": d.path.display().to_string(),
                "offset": d.offset,
                "bytes": d.bytes,
                "what": d.kind.to_string(),
            })).collect::<Vec<_>>(),
        }),
        None => Value::Null,
    };
    Row {
        header: &entry.header,
        events: entry.events,
        finished: entry.finished,
        recovered: entry.recovered,
        path: entry.path.display().to_string(),
        recovery,
    }
}

/// A session in `sessions --format json`, keys in this order.
#[derive(Serialize)]
pub struct Row<'a> {
    #[serde(flatten)]
    header: &'a SessionHeader,
    events: usize,
    finished: bool,
    recovered: bool,
    path: String,
    recovery: Value,
}

fn table(dir: &DataDir, entries: &[SessionEntry]) -> String {
    if entries.is_empty() {
        return format!("no sessions in {}\n", dir.sessions_dir().display());
    }
    let head = ["ID", "START", "SITE", "ROLE", "PATHWAY", "EVENTS", "STATUS"];
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.header.started_at.format("%Y-%m-%d %H:%M %:z").to_string(),
                e.header.site.clone(),
                e.header.role.clone(),
                e.header.pathway_id.clone(),
                e.events.to_string(),
                status(e).to_string(),
            ]
        })
        .collect();
    let mut widths = head.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else if i == 5 {
                let _ = write!(text, "{cell:>w$}  ", w = widths[i]);
            } else {
                let _ = write!(text, "{cell:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&head);
    for row in &rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}
