//! The JSON form of comparisons (docs/reference.md section 5): other tools read these keys.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::{Comparison, SessionFigures};
use crate::model::Pathway;
use crate::text::{escape_controls, escape_json_controls, may_hold_controls};

/// Rounded to `decimals`; never `-0` (an empty sum of f64 is -0.0, and JSON readers print it).
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f + 0.0
}

fn opt(x: Option<f64>, decimals: i32) -> Value {
    x.map_or(Value::Null, |x| json!(round(x, decimals)))
}

/// The figures object; a trace without a session timeline has only its fitness.
pub fn figures_json(f: &SessionFigures) -> Value {
    let mut map = Map::new();
    map.insert("fitness".into(), json!(round(f.fitness, 6)));
    if f.timed {
        let kinds = |pairs: Vec<(&str, usize)>| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, n)| (k.to_string(), json!(n)))
                    .collect(),
            )
        };
        map.insert(
            "observed_minutes".into(),
            json!(round(f.observed_minutes, 3)),
        );
        map.insert("active_minutes".into(), json!(round(f.active_minutes, 3)));
        map.insert(
            "synced_active_minutes".into(),
            json!(round(f.synced_active_minutes, 3)),
        );
        map.insert(
            "expected_minutes".into(),
            json!(round(f.expected_minutes, 3)),
        );
        map.insert("time_ratio".into(), opt(f.time_ratio, 4));
        map.insert("clicks".into(), json!(f.clicks));
        map.insert("expected_clicks".into(), json!(f.expected_clicks));
        map.insert("click_excess".into(), json!(f.click_excess));
        map.insert("reentries".into(), json!(f.reentries));
        map.insert(
            "workarounds".into(),
            kinds(f.workarounds.iter().map(|(k, n)| (k.name(), *n)).collect()),
        );
        map.insert("interruptions".into(), json!(f.interruptions));
        map.insert(
            "interruptions_per_hour".into(),
            opt(f.interruptions_per_hour, 3),
        );
        map.insert("interrupted_share".into(), opt(f.interrupted_share, 4));
        map.insert(
            "problems".into(),
            kinds(f.problems.iter().map(|(k, n)| (k.name(), *n)).collect()),
        );
    }
    Value::Object(map)
}

/// One trace object: `case_id`, `n_steps`, `cost`, `worst_cost`, `fitness`, `moves`,
/// `deviations`, `figures`.
pub fn trace_json(c: &Comparison) -> Value {
    json!({
        "case_id": c.case_id,
        "n_steps": c.n_steps,
        "cost": c.cost,
        "worst_cost": c.worst_cost,
        "fitness": round(c.fitness, 6),
        "moves": c.moves.iter().map(|m| json!({"type": m.kind.name(), "step": m.step})).collect::<Vec<_>>(),
        "deviations": c.deviations.iter().map(|d| json!({"kind": d.kind.name(), "step": d.step, "text": d.text})).collect::<Vec<_>>(),
        "figures": figures_json(&c.figures),
    })
}

/// The whole document: `pathway`, `pathway_version`, `traces`.
pub fn comparisons_json(pathway: &Pathway, comparisons: &[Comparison]) -> Value {
    json!({
        "pathway": pathway.id,
        "pathway_version": pathway.version,
        "traces": comparisons.iter().map(trace_json).collect::<Vec<_>>(),
    })
}

/// One trace object as it stands in the pretty-printed document: indented for its place in the
/// `traces` list, no separator. What [`Document`] writes, rendered on a worker thread.
///
/// Written by hand for speed, in exactly the form `serde_json`'s pretty printer gives
/// [`trace_json`] (keys sorted, two-space indents; `tests/compare_engine.rs` checks it byte for
/// byte): strings and numbers still go through `serde_json`.
pub fn trace_json_pretty(c: &Comparison) -> Vec<u8> {
    use std::io::Write as _;
    fn string(out: &mut Vec<u8>, s: &str) {
        serde_json::to_writer(&mut *out, s).expect("writing to memory cannot fail");
    }
    fn number(out: &mut Vec<u8>, x: f64) {
        serde_json::to_writer(&mut *out, &x).expect("writing to memory cannot fail");
    }
    /// A list of objects of string fields, at the trace's key depth.
    fn objects<'a>(
        out: &mut Vec<u8>,
        items: impl ExactSizeIterator<Item = [(&'a str, &'a str); 3]>,
    ) {
        if items.len() == 0 {
            out.extend_from_slice(b"[]");
            return;
        }
        out.extend_from_slice(b"[");
        for (i, fields) in items.enumerate() {
            out.extend_from_slice(if i == 0 {
                b"\n        {"
            } else {
                b",\n        {"
            });
            for (j, (key, value)) in fields.iter().enumerate() {
                if key.is_empty() {
                    continue;
                }
                out.extend_from_slice(if j == 0 {
                    b"\n          \""
                } else {
                    b",\n          \""
                });
                out.extend_from_slice(key.as_bytes());
                out.extend_from_slice(b"\": ");
                string(out, value);
            }
            out.extend_from_slice(b"\n        }");
        }
        out.extend_from_slice(b"\n      ]");
    }
    let mut out = Vec::with_capacity(256 + 64 * (c.moves.len() + 2 * c.deviations.len()));
    out.extend_from_slice(b"    {\n      \"case_id\": ");
    string(&mut out, &c.case_id);
    let _ = write!(
        out,
        ",\n      \"cost\": {},\n      \"deviations\": ",
        c.cost
    );
    objects(
        &mut out,
        c.deviations.iter().map(|d| {
            [
                ("kind", d.kind.name()),
                ("step", d.step.as_str()),
                ("text", d.text.as_str()),
            ]
        }),
    );
    out.extend_from_slice(b",\n      \"figures\": ");
    if c.figures.timed {
        // Rare (a session, not an XES trace): the whole figures object, re-indented.
        let figures = serde_json::to_vec_pretty(&figures_json(&c.figures))
            .expect("a JSON value always serializes");
        for (i, line) in figures.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\n      ");
            }
            out.extend_from_slice(line);
        }
    } else {
        out.extend_from_slice(b"{\n        \"fitness\": ");
        number(&mut out, round(c.figures.fitness, 6));
        out.extend_from_slice(b"\n      }");
    }
    out.extend_from_slice(b",\n      \"fitness\": ");
    number(&mut out, round(c.fitness, 6));
    out.extend_from_slice(b",\n      \"moves\": ");
    objects(
        &mut out,
        c.moves
            .iter()
            .map(|m| [("step", m.step.as_str()), ("type", m.kind.name()), ("", "")]),
    );
    let _ = write!(
        out,
        ",\n      \"n_steps\": {},\n      \"worst_cost\": {}\n    }}",
        c.n_steps, c.worst_cost
    );
    out
}

/// `bytes` (UTF-8) with `escape` applied, copied only when something was escaped.
fn visible(bytes: Vec<u8>, escape: fn(&str) -> Cow<'_, str>) -> Vec<u8> {
    if !may_hold_controls(&bytes) {
        return bytes;
    }
    let text = String::from_utf8(bytes).expect("rendered text is UTF-8");
    match escape(&text) {
        Cow::Borrowed(_) => text.into_bytes(),
        Cow::Owned(escaped) => escaped.into_bytes(),
    }
}

/// The output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
}

/// One comparison rendered for [`Document`], with what its closing summary needs.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub fitness: f64,
    pub cost: u32,
}

/// Renders one comparison in `format` (run this on the worker threads), control characters
/// from the input made visible (`\u001b` in JSON, `\u{1b}` in text): a hostile session or log
/// must not drive the reader's terminal.
pub fn render(format: Format, pathway: &Pathway, c: &Comparison) -> Rendered {
    Rendered {
        bytes: match format {
            Format::Json => visible(trace_json_pretty(c), escape_json_controls),
            Format::Text => visible(
                super::text::render_one(pathway, c).into_bytes(),
                escape_controls,
            ),
        },
        fitness: c.fitness,
        cost: c.cost,
    }
}

/// A `compare` document written trace by trace as results come: the JSON of docs/reference.md
/// section 5 (`pathway`, `pathway_version`, `traces`, then `distinct_sequences`), or the text
/// with its summary line. Nothing is written before the first trace, so an input without
/// traces can still end in an error alone.
pub struct Document<'a, W: std::io::Write> {
    format: Format,
    pathway: &'a Pathway,
    out: W,
    traces: usize,
    fitness_sum: f64,
    cost_sum: f64,
    fitting: usize,
}

impl<'a, W: std::io::Write> Document<'a, W> {
    pub fn new(format: Format, pathway: &'a Pathway, out: W) -> Self {
        Document {
            format,
            pathway,
            out,
            traces: 0,
            fitness_sum: 0.0,
            cost_sum: 0.0,
            fitting: 0,
        }
    }

    pub fn traces(&self) -> usize {
        self.traces
    }

    pub fn push(&mut self, trace: &Rendered) -> std::io::Result<()> {
        if self.traces == 0 {
            match self.format {
                Format::Json => {
                    let header = format!(
                        "{{\n  \"pathway\": {},\n  \"pathway_version\": {},\n  \"traces\": [\n",
                        Value::from(self.pathway.id.as_str()),
                        self.pathway.version
                    );
                    self.out
                        .write_all(escape_json_controls(&header).as_bytes())?;
                }
                Format::Text => self
                    .out
                    .write_all(escape_controls(&super::text::header(self.pathway)).as_bytes())?,
            }
        } else if self.format == Format::Json {
            self.out.write_all(b",\n")?;
        }
        self.out.write_all(&trace.bytes)?;
        self.traces += 1;
        self.fitness_sum += trace.fitness;
        self.cost_sum += f64::from(trace.cost);
        self.fitting += usize::from(trace.cost == 0);
        Ok(())
    }

    /// Closes the document; `distinct` is the number of distinct step sequences.
    pub fn finish(mut self, distinct: usize) -> std::io::Result<W> {
        match self.format {
            Format::Json => write!(
                self.out,
                "\n  ],\n  \"distinct_sequences\": {distinct}\n}}\n"
            )?,
            Format::Text if self.traces > 1 => {
                let n = self.traces as f64;
                writeln!(
                    self.out,
                    "{} traces ({distinct} distinct step sequences): mean fitness {:.3}, mean cost {:.2}, {} fit the pathway exactly",
                    self.traces,
                    self.fitness_sum / n,
                    self.cost_sum / n,
                    self.fitting
                )?;
            }
            Format::Text => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
