//! OCEL 2.0 (object-centric event log, JSON form) of many sessions, for object-centric
//! process-mining tools such as pm4py (`read_ocel2_json`). docs/exchange.md lists the object
//! and event types.
//!
//! Objects: every session, clinician, site and observed step occurrence. Events: every journal
//! event still in effect (undone events and the undo records themselves are left out), each
//! related to its session, clinician and site and, when a step was open, to that step's
//! occurrence.

use std::collections::{BTreeMap, BTreeSet};

use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{EventKind, Session};
use crate::report::Digested;
use crate::report::export::rows::event_rows;

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    pub attributes: Vec<AttributeDef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    #[serde(rename = "objectId")]
    pub object_id: String,
    pub qualifier: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectAttribute {
    pub name: String,
    pub time: String,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Object {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributes: Vec<ObjectAttribute>,
    pub relationships: Vec<Relationship>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventAttribute {
    pub name: String,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct OcelEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub time: String,
    pub attributes: Vec<EventAttribute>,
    pub relationships: Vec<Relationship>,
}

/// The whole log, in the OCEL 2.0 JSON form.
#[derive(Debug, Clone, Serialize)]
pub struct Ocel {
    #[serde(rename = "objectTypes")]
    pub object_types: Vec<TypeDef>,
    #[serde(rename = "eventTypes")]
    pub event_types: Vec<TypeDef>,
    pub objects: Vec<Object>,
    pub events: Vec<OcelEvent>,
}

/// Object types and their attributes (name, OCEL type).
const OBJECT_TYPES: [(&str, &[(&str, &str)]); 4] = [
    (
        "session",
        &[
            ("pathway_id", "string"),
            ("pathway_version", "integer"),
            ("role", "string"),
            ("auditor", "string"),
            ("fitness", "float"),
            ("started_at", "time"),
        ],
    ),
    ("clinician", &[("role", "string")]),
    ("site", &[]),
    (
        "step_occurrence",
        &[
            ("step", "string"),
            ("planned", "boolean"),
            ("move", "string"),
            ("active_secs", "float"),
            ("clicks", "integer"),
            ("over_time", "boolean"),
            ("over_clicks", "boolean"),
        ],
    ),
];

/// The attributes every event type may carry.
const EVENT_ATTRIBUTES: [(&str, &str); 4] = [
    ("step", "string"),
    ("detail", "string"),
    ("delta", "integer"),
    ("note", "string"),
];

/// Builds the log one session at a time.
#[derive(Debug, Default)]
pub struct OcelBuilder {
    objects: Vec<Object>,
    events: Vec<OcelEvent>,
    clinicians: BTreeMap<String, String>,
    sites: BTreeSet<String>,
    event_types: BTreeSet<&'static str>,
}

fn def(name: &str, attributes: &[(&str, &str)]) -> TypeDef {
    TypeDef {
        name: name.to_string(),
        attributes: attributes
            .iter()
            .map(|(n, t)| AttributeDef {
                name: (*n).to_string(),
                kind: (*t).to_string(),
            })
            .collect(),
    }
}

fn relationship(object_id: &str, qualifier: &str) -> Relationship {
    Relationship {
        object_id: object_id.to_string(),
        qualifier: qualifier.to_string(),
    }
}

/// Object attributes hold for the whole log: OCEL's "since the beginning" time.
const SINCE_ALWAYS: &str = "1970-01-01T00:00:00Z";

fn attributes(pairs: Vec<(&str, Value)>) -> Vec<ObjectAttribute> {
    pairs
        .into_iter()
        .map(|(name, value)| ObjectAttribute {
            name: name.to_string(),
            time: SINCE_ALWAYS.to_string(),
            value,
        })
        .collect()
}

pub fn session_object_id(id: &str) -> String {
    format!("session:{id}")
}

fn utc(session: &Session, at_ms: u64) -> String {
    session
        .wall_clock(at_ms)
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl OcelBuilder {
    pub fn add(&mut self, digested: &Digested) {
        let Digested {
            session, digest, ..
        } = digested;
        let h = &session.header;
        let session_id = session_object_id(&h.id);
        let clinician_id = format!("clinician:{}", h.clinician);
        let site_id = format!("site:{}", h.site);
        self.clinicians
            .entry(h.clinician.clone())
            .or_insert_with(|| h.role.clone());
        self.sites.insert(h.site.clone());
        self.objects.push(Object {
            id: session_id.clone(),
            kind: "session".into(),
            attributes: attributes(vec![
                ("pathway_id", json!(digest.pathway_id)),
                ("pathway_version", json!(digest.pathway_version)),
                ("role", json!(h.role)),
                ("auditor", json!(h.auditor)),
                ("fitness", json!(digest.fitness)),
                (
                    "started_at",
                    json!(
                        h.started_at
                            .with_timezone(&chrono::Utc)
                            .to_rfc3339_opts(SecondsFormat::Millis, true)
                    ),
                ),
            ]),
            relationships: vec![
                relationship(&clinician_id, "shadows"),
                relationship(&site_id, "at"),
            ],
        });
        let occurrence_id = |n: usize| format!("step:{}#{n}", h.id);
        for (index, step) in digest.steps.iter().enumerate() {
            self.objects.push(Object {
                id: occurrence_id(index + 1),
                kind: "step_occurrence".into(),
                attributes: attributes(vec![
                    ("step", json!(step.step)),
                    ("planned", json!(step.planned)),
                    ("move", json!(if step.synced { "sync" } else { "log" })),
                    ("active_secs", json!(step.active_secs)),
                    ("clicks", json!(step.clicks)),
                    ("over_time", json!(step.over_time)),
                    ("over_clicks", json!(step.over_clicks)),
                ]),
                relationships: vec![relationship(&session_id, "part of")],
            });
        }
        // The step occurrence open at each event: effective step starts open the next
        // occurrence in order (as the timeline counts them), an effective step end closes it.
        let mut open: Option<usize> = None;
        let mut started = 0usize;
        for (row, event) in event_rows(session).into_iter().zip(&session.events) {
            let undo = matches!(event.kind, EventKind::Undo { .. });
            if row.undone || undo {
                continue;
            }
            match event.kind {
                EventKind::StepStart { .. } | EventKind::UnplannedStep { .. } => {
                    started += 1;
                    open = Some(started);
                }
                EventKind::StepEnd => open = None,
                _ => {}
            }
            let kind = row.kind;
            self.event_types.insert(kind);
            let mut attrs = Vec::new();
            if !row.step.is_empty() {
                attrs.push(("step", json!(row.step)));
            }
            if !row.detail.is_empty() {
                attrs.push(("detail", json!(row.detail)));
            }
            if let Some(delta) = row.delta {
                attrs.push(("delta", json!(delta)));
            }
            if let Some(text) = row.text.filter(|t| !t.is_empty()) {
                attrs.push(("note", json!(text)));
            }
            let mut relationships = vec![
                relationship(&session_id, "session"),
                relationship(&clinician_id, "clinician"),
                relationship(&site_id, "site"),
            ];
            if let Some(n) = open.filter(|n| *n <= digest.steps.len()) {
                relationships.push(relationship(&occurrence_id(n), "step"));
            }
            self.events.push(OcelEvent {
                id: format!("{}#{}", h.id, event.seq),
                kind: kind.to_string(),
                time: utc(session, event.at_ms),
                attributes: attrs
                    .into_iter()
                    .map(|(name, value)| EventAttribute {
                        name: name.to_string(),
                        value,
                    })
                    .collect(),
                relationships,
            });
            if matches!(event.kind, EventKind::Finish) {
                open = None;
            }
        }
    }

    pub fn finish(mut self) -> Ocel {
        for (code, role) in &self.clinicians {
            self.objects.push(Object {
                id: format!("clinician:{code}"),
                kind: "clinician".into(),
                attributes: attributes(vec![("role", json!(role))]),
                relationships: Vec::new(),
            });
        }
        for site in &self.sites {
            self.objects.push(Object {
                id: format!("site:{site}"),
                kind: "site".into(),
                attributes: Vec::new(),
                relationships: Vec::new(),
            });
        }
        Ocel {
            object_types: OBJECT_TYPES
                .iter()
                .map(|(name, attrs)| def(name, attrs))
                .collect(),
            event_types: self
                .event_types
                .iter()
                .map(|name| def(name, &EVENT_ATTRIBUTES))
                .collect(),
            objects: self.objects,
            events: self.events,
        }
    }
}
