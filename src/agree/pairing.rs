//! Two sessions on one clock, A's: their slices labelled, their steps paired by overlap and
//! their logged events matched within the tolerance.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset};

use super::{
    AgreeError, EventAgreement, IDLE, LoggedEvent, MAX_SHIFT_B_SECS, MAX_TOLERANCE_SECS,
    MAX_WINDOW_MS, Options, SLICE_MS, SessionInfo,
};
use crate::model::{Session, Timeline};

pub(super) fn validate(
    a: &Session,
    b: &Session,
    options: &Options,
) -> Result<Vec<String>, AgreeError> {
    // Bounds keep the millisecond arithmetic far from overflow: a laptop whose clock reset
    // to 1970 is still within 100 years, and no two logged events a day apart are one.
    if !options.shift_b_secs.is_finite() || options.shift_b_secs.abs() > MAX_SHIFT_B_SECS {
        return Err(AgreeError::BadShift(options.shift_b_secs));
    }
    if !options.tolerance_secs.is_finite()
        || options.tolerance_secs < 0.0
        || options.tolerance_secs > MAX_TOLERANCE_SECS
    {
        return Err(AgreeError::BadTolerance(options.tolerance_secs));
    }
    let (ha, hb) = (&a.header, &b.header);
    if ha.pathway_id != hb.pathway_id {
        return Err(AgreeError::DifferentPathways {
            a_id: ha.id.clone(),
            a: ha.pathway_id.clone(),
            b_id: hb.id.clone(),
            b: hb.pathway_id.clone(),
        });
    }
    let mut warnings = Vec::new();
    if ha.clinician != hb.clinician {
        warnings.push(format!(
            "the sessions name different clinicians (A: {}, B: {}); agreement only means something when both auditors shadowed the same person",
            ha.clinician, hb.clinician
        ));
    }
    if ha.pathway_version != hb.pathway_version {
        warnings.push(format!(
            "the sessions use different versions of pathway {} (A: {}, B: {}); step ids that changed between versions count as disagreements",
            ha.pathway_id, ha.pathway_version, hb.pathway_version
        ));
    }
    if ha.id == hb.id {
        warnings.push(format!(
            "A and B are the same session ({}); every figure compares it with itself",
            ha.id
        ));
    } else if ha.auditor == hb.auditor {
        warnings.push(format!(
            "both sessions are by auditor {}; this measures one auditor's consistency, not agreement between two",
            ha.auditor
        ));
    }
    Ok(warnings)
}

/// Interned slice labels: `idle` is 0.
pub(super) struct LabelTable {
    pub(super) names: Vec<String>,
    pub(super) ids: HashMap<String, u32>,
}

impl LabelTable {
    pub(super) fn new() -> Self {
        let mut table = LabelTable {
            names: Vec::new(),
            ids: HashMap::new(),
        };
        table.intern(IDLE);
        table
    }

    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// Answers "which of these half-open spans is innermost at t" for increasing t: among the
/// spans open at t (start <= t < end), the one that started last (ties: the later index).
pub(super) struct Sweep {
    pub(super) spans: Vec<(i64, i64)>,
    pub(super) order: Vec<usize>,
    pub(super) next: usize,
    pub(super) open: Vec<usize>,
}

impl Sweep {
    pub(super) fn new(spans: Vec<(i64, i64)>) -> Sweep {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (spans[i].0, i));
        Sweep {
            spans,
            order,
            next: 0,
            open: Vec::new(),
        }
    }

    pub(super) fn at(&mut self, t: i64) -> Option<usize> {
        while let Some(&i) = self.order.get(self.next) {
            if self.spans[i].0 > t {
                break;
            }
            self.open.push(i);
            self.next += 1;
        }
        let spans = &self.spans;
        self.open.retain(|&i| spans[i].1 > t);
        self.open.iter().copied().max_by_key(|&i| (spans[i].0, i))
    }
}

/// One session on the common clock.
pub(super) struct Side<'s> {
    pub(super) session: &'s Session,
    pub(super) timeline: Timeline,
    /// Added to the session's own offsets to put them on A's clock.
    pub(super) offset_ms: i64,
}

impl Side<'_> {
    pub(super) fn common(&self, at_ms: u64) -> i64 {
        at_ms as i64 + self.offset_ms
    }

    pub(super) fn start(&self) -> i64 {
        self.offset_ms
    }

    pub(super) fn end(&self) -> i64 {
        self.common(self.timeline.end_ms)
    }

    /// Labels of each of this side's steps and interruptions, and sweeps to find them.
    pub(super) fn labeler(&self, labels: &mut LabelTable) -> Labeler {
        let steps = &self.timeline.steps;
        let interruptions = &self.timeline.interruptions;
        Labeler {
            step_labels: steps.iter().map(|s| labels.intern(&s.step)).collect(),
            interruption_labels: interruptions
                .iter()
                .map(|i| labels.intern(&format!("int:{}", i.source.name())))
                .collect(),
            steps: Sweep::new(
                steps
                    .iter()
                    .map(|s| (self.common(s.start_ms), self.common(s.end_ms)))
                    .collect(),
            ),
            interruptions: Sweep::new(
                interruptions
                    .iter()
                    .map(|i| (self.common(i.start_ms), self.common(i.end_ms)))
                    .collect(),
            ),
            pauses: Sweep::new(
                self.timeline
                    .pauses
                    .iter()
                    .map(|p| (self.common(p.start_ms), self.common(p.end_ms)))
                    .collect(),
            ),
        }
    }

    /// Indices of the steps in the window, in start order.
    pub(super) fn steps_in(&self, window: (i64, i64)) -> Vec<usize> {
        let (from, to) = window;
        (0..self.timeline.steps.len())
            .filter(|&i| {
                let s = &self.timeline.steps[i];
                let (start, end) = (self.common(s.start_ms), self.common(s.end_ms));
                if end > start {
                    start.max(from) < end.min(to)
                } else {
                    from <= start && start < to
                }
            })
            .collect()
    }

    pub(super) fn step_span(&self, i: usize) -> (i64, i64) {
        let s = &self.timeline.steps[i];
        (self.common(s.start_ms), self.common(s.end_ms))
    }

    pub(super) fn step_id(&self, i: usize) -> &str {
        &self.timeline.steps[i].step
    }

    pub(super) fn info(&self, steps: usize) -> SessionInfo {
        let h = &self.session.header;
        SessionInfo {
            id: h.id.clone(),
            auditor: h.auditor.clone(),
            clinician: h.clinician.clone(),
            site: h.site.clone(),
            role: h.role.clone(),
            pathway_id: h.pathway_id.clone(),
            pathway_version: h.pathway_version,
            started_at: h.started_at.to_rfc3339(),
            finished: self.timeline.finished,
            steps,
        }
    }

    /// The interruptions, workarounds and problems logged in the window, as (kind, time, step).
    pub(super) fn logged(&self, window: (i64, i64)) -> [Vec<(String, i64, Option<usize>)>; 3] {
        let inside = |t: i64| window.0 <= t && t <= window.1;
        let t = &self.timeline;
        let interruptions = t
            .interruptions
            .iter()
            .map(|i| (i.source.name().to_string(), self.common(i.start_ms), i.step))
            .filter(|e| inside(e.1))
            .collect();
        let workarounds = t
            .workarounds
            .iter()
            .map(|m| (m.kind.name().to_string(), self.common(m.at_ms), m.step))
            .filter(|e| inside(e.1))
            .collect();
        let problems = t
            .problems
            .iter()
            .map(|m| (m.kind.name().to_string(), self.common(m.at_ms), m.step))
            .filter(|e| inside(e.1))
            .collect();
        [interruptions, workarounds, problems]
    }
}

pub(super) struct Labeler {
    pub(super) step_labels: Vec<u32>,
    pub(super) interruption_labels: Vec<u32>,
    pub(super) steps: Sweep,
    pub(super) interruptions: Sweep,
    pub(super) pauses: Sweep,
}

impl Labeler {
    /// The label at `t` (A's clock, increasing from call to call), or `None` when paused.
    pub(super) fn at(&mut self, t: i64) -> Option<u32> {
        if self.pauses.at(t).is_some() {
            // Keep the other sweeps moving so that they stay monotonic.
            self.interruptions.at(t);
            self.steps.at(t);
            return None;
        }
        if let Some(i) = self.interruptions.at(t) {
            self.steps.at(t);
            return Some(self.interruption_labels[i]);
        }
        Some(self.steps.at(t).map_or(0, |s| self.step_labels[s]))
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Slice {
    pub(super) k: usize,
    pub(super) a: u32,
    pub(super) b: u32,
}

/// Two sessions on A's clock, with their slices labelled.
pub(super) struct Pair<'s> {
    pub(super) a: Side<'s>,
    pub(super) b: Side<'s>,
    pub(super) options: Options,
    pub(super) warnings: Vec<String>,
    pub(super) window: (i64, i64),
    pub(super) labels: LabelTable,
    pub(super) slices: Vec<Slice>,
    pub(super) whole_slices: usize,
}

impl<'s> Pair<'s> {
    pub(super) fn new(
        a: &'s Session,
        b: &'s Session,
        options: &Options,
    ) -> Result<Pair<'s>, AgreeError> {
        let warnings = validate(a, b, options)?;
        let shift_ms = (options.shift_b_secs * 1000.0).round() as i64;
        let starts_ms = (b.header.started_at - a.header.started_at).num_milliseconds();
        let a = Side {
            session: a,
            timeline: a.timeline(),
            offset_ms: 0,
        };
        let b = Side {
            session: b,
            timeline: b.timeline(),
            offset_ms: starts_ms + shift_ms,
        };
        let window = (a.start().max(b.start()), a.end().min(b.end()));
        if window.1 <= window.0 {
            let clock = |t: i64| wall(&a, t).format("%Y-%m-%d %H:%M:%S").to_string();
            return Err(AgreeError::NoOverlap {
                a_from: clock(a.start()),
                a_to: clock(a.end()),
                b_from: clock(b.start()),
                b_to: clock(b.end()),
                shift_b_secs: options.shift_b_secs,
            });
        }
        if window.1 - window.0 > MAX_WINDOW_MS {
            return Err(AgreeError::WindowTooLong {
                days: (window.1 - window.0) as f64 / 86_400_000.0,
                max_days: (MAX_WINDOW_MS / 86_400_000) as u64,
            });
        }
        let whole_slices = ((window.1 - window.0) / SLICE_MS) as usize;
        let mut labels = LabelTable::new();
        let mut label_a = a.labeler(&mut labels);
        let mut label_b = b.labeler(&mut labels);
        let mut slices = Vec::with_capacity(whole_slices);
        for k in 0..whole_slices {
            let middle = window.0 + k as i64 * SLICE_MS + SLICE_MS / 2;
            let (la, lb) = (label_a.at(middle), label_b.at(middle));
            if let (Some(a), Some(b)) = (la, lb) {
                slices.push(Slice { k, a, b });
            }
        }
        if slices.is_empty() {
            return Err(AgreeError::NothingInCommon {
                secs: (window.1 - window.0) as f64 / 1000.0,
            });
        }
        Ok(Pair {
            a,
            b,
            options: *options,
            warnings,
            window,
            labels,
            slices,
            whole_slices,
        })
    }

    pub(super) fn wall(&self, t: i64) -> DateTime<FixedOffset> {
        wall(&self.a, t)
    }

    /// A moment on A's clock as A's session time (`12:07`), the form replay's "go to" takes.
    pub(super) fn clock(&self, t: i64) -> String {
        crate::model::session_time::format(u64::try_from(t).unwrap_or(0))
    }

    pub(super) fn offset_secs(&self, t: i64) -> f64 {
        (t - self.window.0) as f64 / 1000.0
    }

    pub(super) fn label(&self, id: u32) -> &str {
        &self.labels.names[id as usize]
    }

    /// Pairs steps of A and B by greatest time overlap, each at most once: all overlapping
    /// pairs, largest overlap first (ties: earlier A step, then earlier B step), taken while
    /// both are free. Returns (A index, B index, overlap ms) in A's start order.
    pub(super) fn pair_steps(
        &self,
        steps_a: &[usize],
        steps_b: &[usize],
    ) -> Vec<(usize, usize, i64)> {
        let spans_b: Vec<(i64, i64)> = steps_b.iter().map(|&j| self.b.step_span(j)).collect();
        let mut candidates = Vec::new();
        for &i in steps_a {
            let (a0, a1) = self.a.step_span(i);
            // B's steps are in start order and never overlap each other, so their ends are in
            // order too: skip those that end before this one starts.
            let first = spans_b.partition_point(|&(_, b1)| b1 <= a0);
            for (offset, &(b0, b1)) in spans_b[first..].iter().enumerate() {
                if b0 >= a1 {
                    break;
                }
                let overlap = a1.min(b1) - a0.max(b0);
                if overlap > 0 {
                    candidates.push((overlap, i, steps_b[first + offset]));
                }
            }
        }
        candidates.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut used_a = HashSet::new();
        let mut used_b = HashSet::new();
        let mut pairs = Vec::new();
        for (overlap, i, j) in candidates {
            if !used_a.contains(&i) && !used_b.contains(&j) {
                used_a.insert(i);
                used_b.insert(j);
                pairs.push((i, j, overlap));
            }
        }
        pairs.sort_by_key(|p| (p.0, p.1));
        pairs
    }

    /// Matches logged events of the same kind within the tolerance, one to one, as many as
    /// possible: per kind, in time order, each of A's takes the earliest of B's not yet taken
    /// that is within the tolerance (the greedy that maximises matches when every event's
    /// window has the same width).
    pub(super) fn match_events(
        &self,
        a: &[(String, i64, Option<usize>)],
        b: &[(String, i64, Option<usize>)],
        tolerance_ms: i64,
    ) -> EventAgreement {
        let mut order_a: Vec<usize> = (0..a.len()).collect();
        order_a.sort_by(|&x, &y| {
            a[x].0
                .cmp(&a[y].0)
                .then(a[x].1.cmp(&a[y].1))
                .then(x.cmp(&y))
        });
        let mut matched_a = vec![false; a.len()];
        let mut matched_b = vec![false; b.len()];
        let mut by_kind_b: HashMap<&str, Vec<usize>> = HashMap::new();
        for (j, e) in b.iter().enumerate() {
            by_kind_b.entry(e.0.as_str()).or_default().push(j);
        }
        for list in by_kind_b.values_mut() {
            list.sort_by_key(|&j| (b[j].1, j));
        }
        let mut cursor: HashMap<&str, usize> = HashMap::new();
        for &i in &order_a {
            let (kind, at, _) = &a[i];
            let Some(list) = by_kind_b.get(kind.as_str()) else {
                continue;
            };
            let next = cursor.entry(kind.as_str()).or_insert(0);
            while *next < list.len() && b[list[*next]].1 < at - tolerance_ms {
                *next += 1;
            }
            if *next < list.len() && b[list[*next]].1 <= at + tolerance_ms {
                matched_a[i] = true;
                matched_b[list[*next]] = true;
                *next += 1;
            }
        }
        let matched = matched_a.iter().filter(|m| **m).count();
        let ratio = |count: usize| {
            if a.is_empty() && b.is_empty() {
                1.0
            } else if count == 0 {
                0.0
            } else {
                matched as f64 / count as f64
            }
        };
        let unmatched = |side: &Side, events: &[(String, i64, Option<usize>)], taken: &[bool]| {
            let mut list: Vec<LoggedEvent> = events
                .iter()
                .zip(taken)
                .filter(|(_, t)| !**t)
                .map(|((kind, at, step), _)| LoggedEvent {
                    kind: kind.clone(),
                    at: self.clock(*at),
                    offset_secs: self.offset_secs(*at),
                    step: step.map(|s| side.timeline.steps[s].step.clone()),
                })
                .collect();
            list.sort_by(|x, y| x.offset_secs.total_cmp(&y.offset_secs));
            list
        };
        EventAgreement {
            a: a.len(),
            b: b.len(),
            matched,
            precision: ratio(b.len()),
            recall: ratio(a.len()),
            unmatched_a: unmatched(&self.a, a, &matched_a),
            unmatched_b: unmatched(&self.b, b, &matched_b),
        }
    }
}

fn wall(a: &Side, t: i64) -> DateTime<FixedOffset> {
    a.session.header.started_at + Duration::milliseconds(t)
}

/// The step a side had open at `t` (A's clock).
pub(super) fn other_step_at(side: &Side, t: i64) -> Option<usize> {
    side.timeline
        .steps
        .iter()
        .position(|s| side.common(s.start_ms) <= t && t < side.common(s.end_ms))
}

/// What a side had open at some moment.
pub(super) enum OpenThen<'s> {
    Paused,
    /// An interruption from this source (the innermost).
    Interruption(&'static str),
    Step(&'s str),
    Nothing,
}

/// What a side had open at `t` (A's clock).
pub(super) fn open_at<'s>(side: &'s Side, t: i64) -> OpenThen<'s> {
    let tl = &side.timeline;
    if tl
        .pauses
        .iter()
        .any(|p| side.common(p.start_ms) <= t && t < side.common(p.end_ms))
    {
        return OpenThen::Paused;
    }
    let interruption = tl
        .interruptions
        .iter()
        .enumerate()
        .filter(|(_, i)| side.common(i.start_ms) <= t && t < side.common(i.end_ms))
        .max_by_key(|(index, i)| (i.start_ms, *index));
    if let Some((_, i)) = interruption {
        return OpenThen::Interruption(i.source.name());
    }
    match tl
        .steps
        .iter()
        .find(|s| side.common(s.start_ms) <= t && t < side.common(s.end_ms))
    {
        Some(s) => OpenThen::Step(&s.step),
        None => OpenThen::Nothing,
    }
}
