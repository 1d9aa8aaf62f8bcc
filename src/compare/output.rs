//! The JSON form of comparisons (domain.md section 5): other tools read these keys.

use serde_json::{Map, Value, json};

use super::{Comparison, SessionFigures};
use crate::model::Pathway;

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
