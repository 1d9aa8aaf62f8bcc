//! Inter-observer agreement of two auditors who shadowed the same clinician (issue 7): the
//! composite reliability figures of time-motion research, computed on the model's timelines.
//!
//! The two sessions are put on one clock, A's: B's events sit at
//! `(B.started_at - A.started_at) + shift_b + at_ms`. The compared window is where both ran,
//! from the later start to the earlier end. All arithmetic is in whole milliseconds (the
//! shift is rounded to the millisecond), so every figure is exactly reproducible.
//!
//! Pure: no I/O, no clock, no terminal. `commands::agree` loads the files and prints.

pub mod stats;
mod text;

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use crate::model::{Session, Timeline};

pub use text::render_text;

/// `--tolerance` when none is given: interruptions, workarounds and problems logged by the two
/// auditors within this many seconds of each other (and of the same kind) are the same one.
pub const DEFAULT_TOLERANCE_SECS: f64 = 10.0;
/// The length of one time slice.
pub const SLICE_MS: i64 = 1000;
/// The label of a slice with no step and no interruption open.
pub const IDLE: &str = "idle";
/// The label an unpaired step is counted against in `naming_kappa`.
pub const NONE: &str = "none";
/// How many of the longest disagreement runs are reported.
pub const MAX_DISAGREEMENTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Seconds added to B's clock.
    pub shift_b_secs: f64,
    /// Seconds within which two logged events of the same kind match.
    pub tolerance_secs: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            shift_b_secs: 0.0,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
        }
    }
}

/// The largest `--shift-b` accepted: 100 years of seconds.
pub const MAX_SHIFT_B_SECS: f64 = 100.0 * 365.25 * 86_400.0;
/// The largest `--tolerance` accepted: a day.
pub const MAX_TOLERANCE_SECS: f64 = 86_400.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AgreeError {
    #[error(
        "--shift-b must be a finite number of seconds within 100 years either way (±3155760000), not {0}"
    )]
    BadShift(f64),
    #[error(
        "--tolerance must be a finite number of seconds, 0 or more and at most a day (86400), not {0}"
    )]
    BadTolerance(f64),
    #[error(
        "the two sessions follow different pathways: A ({a_id}) follows `{a}`, B ({b_id}) follows `{b}`\n  hint: agreement compares two auditors who shadowed the same clinician on the same pathway; pick the matching pair of sessions"
    )]
    DifferentPathways {
        a_id: String,
        a: String,
        b_id: String,
        b: String,
    },
    #[error(
        "the two sessions never ran at the same time: A ran {a_from} to {a_to}, B ran {b_from} to {b_to} (on A's clock, after --shift-b {shift_b_secs} s)\n  hint: check that both sessions are of the same shadowing; if B's laptop clock was off, give the difference in seconds with --shift-b"
    )]
    NoOverlap {
        a_from: String,
        a_to: String,
        b_from: String,
        b_to: String,
        shift_b_secs: f64,
    },
    #[error(
        "the two sessions share {secs:.1} s, but not one whole second in which neither was paused\n  hint: agreement needs a stretch of time both auditors observed; check --shift-b and the pauses of both sessions"
    )]
    NothingInCommon { secs: f64 },
    #[error(
        "the two sessions overlap for {days:.1} days; agreement compares at most {max_days} days (one-second slices)\n  hint: check the sessions' start times and --shift-b; a session this long is likely a damaged or hand-edited file"
    )]
    WindowTooLong { days: f64, max_days: u64 },
}

/// The longest compared window: a week of one-second slices.
pub const MAX_WINDOW_MS: i64 = 7 * 24 * 3_600_000;

/// good / acceptable / poor (issue 7's thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Poor,
    Acceptable,
    Good,
}

impl Verdict {
    /// Kappa, similarity, precision and recall: good >= 0.80, acceptable >= 0.60.
    pub fn of_agreement(value: f64) -> Verdict {
        Verdict::from_thresholds(value, 0.80, 0.60)
    }

    /// Lin's CCC: good >= 0.90, acceptable >= 0.60.
    pub fn of_ccc(value: f64) -> Verdict {
        Verdict::from_thresholds(value, 0.90, 0.60)
    }

    /// Step start gaps: good when 90 % of them are within the tolerance, acceptable when half
    /// of them are, poor otherwise.
    pub fn of_timing(gap: &TimingGap, tolerance_secs: f64) -> Verdict {
        if gap.p90 <= tolerance_secs {
            Verdict::Good
        } else if gap.median <= tolerance_secs {
            Verdict::Acceptable
        } else {
            Verdict::Poor
        }
    }

    fn from_thresholds(value: f64, good: f64, acceptable: f64) -> Verdict {
        if value >= good {
            Verdict::Good
        } else if value >= acceptable {
            Verdict::Acceptable
        } else {
            Verdict::Poor
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Acceptable => "acceptable",
            Verdict::Poor => "poor",
        }
    }
}

/// Who, what and when each session is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionInfo {
    pub id: String,
    pub auditor: String,
    pub clinician: String,
    pub site: String,
    pub role: String,
    pub pathway_id: String,
    pub pathway_version: u32,
    pub started_at: String,
    pub finished: bool,
    /// Steps in the compared window.
    pub steps: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Wall clock on A's clock (A's UTC offset).
    pub start: String,
    pub end: String,
    pub secs: f64,
    /// Where B's start falls on A's clock, in seconds from A's start (shift included).
    pub b_offset_secs: f64,
    /// Whole seconds in the window.
    pub slices: usize,
    /// Slices left out because either session was paused (or in a crash gap).
    pub paused_slices: usize,
    /// Slices that count in `time_slice_kappa`.
    pub compared_slices: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimingGap {
    pub median: f64,
    pub p90: f64,
}

/// One step of A paired with one step of B (greatest time overlap).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepPair {
    pub a_step: String,
    pub b_step: String,
    /// A's session time of each start.
    pub a_start: String,
    pub b_start: String,
    /// B's start minus A's start.
    pub start_gap_secs: f64,
    pub overlap_secs: f64,
    pub a_active_secs: f64,
    pub b_active_secs: f64,
}

/// An interruption, workaround or system problem one auditor logged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoggedEvent {
    /// The source (interruptions) or kind (workarounds, problems), by its stable name.
    pub kind: String,
    /// A's session time.
    pub at: String,
    /// Seconds from the window's start.
    pub offset_secs: f64,
    /// The step open when it was logged.
    pub step: Option<String>,
}

/// How well the two auditors' interruptions (or workarounds, or problems) match, taking A as
/// the reference: recall = matched / A's, precision = matched / B's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventAgreement {
    pub a: usize,
    pub b: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub unmatched_a: Vec<LoggedEvent>,
    pub unmatched_b: Vec<LoggedEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdicts {
    pub time_slice_kappa: Verdict,
    pub naming_kappa: Option<Verdict>,
    pub duration_ccc: Option<Verdict>,
    pub timing_gap_secs: Option<Verdict>,
    pub sequence_similarity: Verdict,
    pub interruptions: Verdict,
    pub workarounds: Verdict,
    pub system_problems: Verdict,
    /// The worst of the verdicts above that exist.
    pub overall: Verdict,
}

/// A run of consecutive slices where the two auditors' labels differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub from: String,
    pub to: String,
    /// Seconds from the window's start.
    pub offset_secs: f64,
    pub secs: f64,
    /// The labels that differ for most of the run.
    pub a_label: String,
    pub b_label: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepIssueKind {
    /// A step of A with no step of B paired with it.
    OnlyA,
    /// A step of B with no step of A paired with it.
    OnlyB,
    /// Paired steps named differently.
    DifferentStep,
    /// Paired steps whose starts are further apart than the tolerance.
    StartGap,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepIssue {
    pub kind: StepIssueKind,
    pub at: String,
    pub offset_secs: f64,
    pub a_step: Option<String>,
    pub b_step: Option<String>,
    pub text: String,
}

/// Everything `shadowmap agree` reports. The figure names are a file format (issue 7).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub a: SessionInfo,
    pub b: SessionInfo,
    pub shift_b_secs: f64,
    pub tolerance_secs: f64,
    pub window: Window,
    /// Different clinicians, the same auditor, other pathway versions: worth a look, not fatal.
    pub warnings: Vec<String>,
    pub time_slice_kappa: f64,
    pub naming_kappa: Option<f64>,
    pub duration_ccc: Option<f64>,
    pub timing_gap_secs: Option<TimingGap>,
    pub sequence_similarity: f64,
    pub interruptions: EventAgreement,
    pub workarounds: EventAgreement,
    pub system_problems: EventAgreement,
    pub verdicts: Verdicts,
    /// The longest runs of disagreeing slices, longest first.
    pub disagreements: Vec<Disagreement>,
    /// Step-level disagreements in time order.
    pub step_issues: Vec<StepIssue>,
    pub paired_steps: Vec<StepPair>,
    /// A `--shift-b` that would line B's step starts up with A's, when they are steadily off.
    pub suggested_shift_b_secs: Option<f64>,
    /// What the two auditors can do, in words.
    pub advice: Vec<String>,
}

/// The labels of the compared slices, for checking the kappa against another implementation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceLabels {
    /// The slice numbers (k: the slice's middle is window start + k s + 0.5 s); paused ones
    /// are missing.
    pub slices: Vec<usize>,
    pub a: Vec<String>,
    pub b: Vec<String>,
}

/// Compares two sessions of the same clinician and pathway by two auditors.
pub fn agree(a: &Session, b: &Session, options: &Options) -> Result<Agreement, AgreeError> {
    let pair = Pair::new(a, b, options)?;
    Ok(pair.agreement())
}

/// The slice labels `time_slice_kappa` is computed on.
pub fn slice_labels(
    a: &Session,
    b: &Session,
    options: &Options,
) -> Result<SliceLabels, AgreeError> {
    let pair = Pair::new(a, b, options)?;
    let label = |id: u32| pair.labels.names[id as usize].clone();
    Ok(SliceLabels {
        slices: pair.slices.iter().map(|s| s.k).collect(),
        a: pair.slices.iter().map(|s| label(s.a)).collect(),
        b: pair.slices.iter().map(|s| label(s.b)).collect(),
    })
}

fn validate(a: &Session, b: &Session, options: &Options) -> Result<Vec<String>, AgreeError> {
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
struct LabelTable {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl LabelTable {
    fn new() -> Self {
        let mut table = LabelTable {
            names: Vec::new(),
            ids: HashMap::new(),
        };
        table.intern(IDLE);
        table
    }

    fn intern(&mut self, name: &str) -> u32 {
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
struct Sweep {
    spans: Vec<(i64, i64)>,
    order: Vec<usize>,
    next: usize,
    open: Vec<usize>,
}

impl Sweep {
    fn new(spans: Vec<(i64, i64)>) -> Sweep {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (spans[i].0, i));
        Sweep {
            spans,
            order,
            next: 0,
            open: Vec::new(),
        }
    }

    fn at(&mut self, t: i64) -> Option<usize> {
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
struct Side<'s> {
    session: &'s Session,
    timeline: Timeline,
    /// Added to the session's own offsets to put them on A's clock.
    offset_ms: i64,
}

impl Side<'_> {
    fn common(&self, at_ms: u64) -> i64 {
        at_ms as i64 + self.offset_ms
    }

    fn start(&self) -> i64 {
        self.offset_ms
    }

    fn end(&self) -> i64 {
        self.common(self.timeline.end_ms)
    }

    /// Labels of each of this side's steps and interruptions, and sweeps to find them.
    fn labeler(&self, labels: &mut LabelTable) -> Labeler {
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
    fn steps_in(&self, window: (i64, i64)) -> Vec<usize> {
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

    fn step_span(&self, i: usize) -> (i64, i64) {
        let s = &self.timeline.steps[i];
        (self.common(s.start_ms), self.common(s.end_ms))
    }

    fn step_id(&self, i: usize) -> &str {
        &self.timeline.steps[i].step
    }

    fn info(&self, steps: usize) -> SessionInfo {
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
    fn logged(&self, window: (i64, i64)) -> [Vec<(String, i64, Option<usize>)>; 3] {
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

struct Labeler {
    step_labels: Vec<u32>,
    interruption_labels: Vec<u32>,
    steps: Sweep,
    interruptions: Sweep,
    pauses: Sweep,
}

impl Labeler {
    /// The label at `t` (A's clock, increasing from call to call), or `None` when paused.
    fn at(&mut self, t: i64) -> Option<u32> {
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
struct Slice {
    k: usize,
    a: u32,
    b: u32,
}

/// Two sessions on A's clock, with their slices labelled.
struct Pair<'s> {
    a: Side<'s>,
    b: Side<'s>,
    options: Options,
    warnings: Vec<String>,
    window: (i64, i64),
    labels: LabelTable,
    slices: Vec<Slice>,
    whole_slices: usize,
}

impl<'s> Pair<'s> {
    fn new(a: &'s Session, b: &'s Session, options: &Options) -> Result<Pair<'s>, AgreeError> {
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

    fn wall(&self, t: i64) -> DateTime<FixedOffset> {
        wall(&self.a, t)
    }

    /// A moment on A's clock as A's session time (`12:07`), the form replay's "go to" takes.
    fn clock(&self, t: i64) -> String {
        crate::model::session_time::format(u64::try_from(t).unwrap_or(0))
    }

    fn offset_secs(&self, t: i64) -> f64 {
        (t - self.window.0) as f64 / 1000.0
    }

    fn label(&self, id: u32) -> &str {
        &self.labels.names[id as usize]
    }

    fn agreement(&self) -> Agreement {
        let tolerance_ms = (self.options.tolerance_secs * 1000.0).round() as i64;

        // Time slices.
        let slice_a: Vec<u32> = self.slices.iter().map(|s| s.a).collect();
        let slice_b: Vec<u32> = self.slices.iter().map(|s| s.b).collect();
        let time_slice_kappa =
            stats::cohen_kappa(&slice_a, &slice_b).expect("a pair always has compared slices");

        // Steps: pairing by greatest overlap.
        let steps_a = self.a.steps_in(self.window);
        let steps_b = self.b.steps_in(self.window);
        let pairs = self.pair_steps(&steps_a, &steps_b);
        let paired_a: std::collections::HashSet<usize> = pairs.iter().map(|p| p.0).collect();
        let paired_b: std::collections::HashSet<usize> = pairs.iter().map(|p| p.1).collect();

        let mut names_a: Vec<Option<&str>> = Vec::new();
        let mut names_b: Vec<Option<&str>> = Vec::new();
        for &(i, j, _) in &pairs {
            names_a.push(Some(self.a.step_id(i)));
            names_b.push(Some(self.b.step_id(j)));
        }
        for &i in steps_a.iter().filter(|i| !paired_a.contains(i)) {
            names_a.push(Some(self.a.step_id(i)));
            names_b.push(None);
        }
        for &j in steps_b.iter().filter(|j| !paired_b.contains(j)) {
            names_a.push(None);
            names_b.push(Some(self.b.step_id(j)));
        }
        let naming_kappa = stats::cohen_kappa(&names_a, &names_b);

        let active = |side: &Side, i: usize| side.timeline.steps[i].active_ms as f64 / 1000.0;
        let durations_a: Vec<f64> = pairs.iter().map(|p| active(&self.a, p.0)).collect();
        let durations_b: Vec<f64> = pairs.iter().map(|p| active(&self.b, p.1)).collect();
        let duration_ccc = stats::lin_ccc(&durations_a, &durations_b);

        let signed_gaps: Vec<f64> = pairs
            .iter()
            .map(|&(i, j, _)| (self.b.step_span(j).0 - self.a.step_span(i).0) as f64 / 1000.0)
            .collect();
        let gaps: Vec<f64> = signed_gaps.iter().map(|g| g.abs()).collect();
        let timing_gap_secs = stats::median(&gaps).map(|median| TimingGap {
            median,
            p90: stats::percentile(&gaps, 0.9).unwrap_or(median),
        });

        let sequence_a: Vec<&str> = steps_a.iter().map(|&i| self.a.step_id(i)).collect();
        let sequence_b: Vec<&str> = steps_b.iter().map(|&j| self.b.step_id(j)).collect();
        let sequence_similarity = stats::sequence_similarity(&sequence_a, &sequence_b);

        // Logged events.
        let [ia, wa, pa] = self.a.logged(self.window);
        let [ib, wb, pb] = self.b.logged(self.window);
        let interruptions = self.match_events(&ia, &ib, tolerance_ms);
        let workarounds = self.match_events(&wa, &wb, tolerance_ms);
        let system_problems = self.match_events(&pa, &pb, tolerance_ms);

        let events_verdict = |e: &EventAgreement| Verdict::of_agreement(e.precision.min(e.recall));
        let mut verdicts = Verdicts {
            time_slice_kappa: Verdict::of_agreement(time_slice_kappa),
            naming_kappa: naming_kappa.map(Verdict::of_agreement),
            duration_ccc: duration_ccc.map(Verdict::of_ccc),
            timing_gap_secs: timing_gap_secs
                .as_ref()
                .map(|g| Verdict::of_timing(g, self.options.tolerance_secs)),
            sequence_similarity: Verdict::of_agreement(sequence_similarity),
            interruptions: events_verdict(&interruptions),
            workarounds: events_verdict(&workarounds),
            system_problems: events_verdict(&system_problems),
            overall: Verdict::Good,
        };
        verdicts.overall = [
            Some(verdicts.time_slice_kappa),
            verdicts.naming_kappa,
            verdicts.duration_ccc,
            verdicts.timing_gap_secs,
            Some(verdicts.sequence_similarity),
            Some(verdicts.interruptions),
            Some(verdicts.workarounds),
            Some(verdicts.system_problems),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(Verdict::Good);

        let paired_steps: Vec<StepPair> = pairs
            .iter()
            .map(|&(i, j, overlap)| {
                let (sa, sb) = (self.a.step_span(i).0, self.b.step_span(j).0);
                StepPair {
                    a_step: self.a.step_id(i).to_string(),
                    b_step: self.b.step_id(j).to_string(),
                    a_start: self.clock(sa),
                    b_start: self.clock(sb),
                    start_gap_secs: (sb - sa) as f64 / 1000.0,
                    overlap_secs: overlap as f64 / 1000.0,
                    a_active_secs: active(&self.a, i),
                    b_active_secs: active(&self.b, j),
                }
            })
            .collect();

        let step_issues = self.step_issues(&steps_a, &steps_b, &pairs, &paired_a, &paired_b);
        let disagreements = self.disagreements();
        let suggested_shift_b_secs = self.suggested_shift(&pairs, &signed_gaps);

        let window = Window {
            start: self.wall(self.window.0).to_rfc3339(),
            end: self.wall(self.window.1).to_rfc3339(),
            secs: (self.window.1 - self.window.0) as f64 / 1000.0,
            b_offset_secs: self.b.offset_ms as f64 / 1000.0,
            slices: self.whole_slices,
            paused_slices: self.whole_slices - self.slices.len(),
            compared_slices: self.slices.len(),
        };
        let mut agreement = Agreement {
            a: self.a.info(steps_a.len()),
            b: self.b.info(steps_b.len()),
            shift_b_secs: self.options.shift_b_secs,
            tolerance_secs: self.options.tolerance_secs,
            window,
            warnings: self.warnings.clone(),
            time_slice_kappa,
            naming_kappa,
            duration_ccc,
            timing_gap_secs,
            sequence_similarity,
            interruptions,
            workarounds,
            system_problems,
            verdicts,
            disagreements,
            step_issues,
            paired_steps,
            suggested_shift_b_secs,
            advice: Vec::new(),
        };
        agreement.advice = text::advice(&agreement);
        agreement
    }

    /// Pairs steps of A and B by greatest time overlap, each at most once: all overlapping
    /// pairs, largest overlap first (ties: earlier A step, then earlier B step), taken while
    /// both are free. Returns (A index, B index, overlap ms) in A's start order.
    fn pair_steps(&self, steps_a: &[usize], steps_b: &[usize]) -> Vec<(usize, usize, i64)> {
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
        let mut used_a = std::collections::HashSet::new();
        let mut used_b = std::collections::HashSet::new();
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
    fn match_events(
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

    fn step_issues(
        &self,
        steps_a: &[usize],
        steps_b: &[usize],
        pairs: &[(usize, usize, i64)],
        paired_a: &std::collections::HashSet<usize>,
        paired_b: &std::collections::HashSet<usize>,
    ) -> Vec<StepIssue> {
        let tolerance_ms = (self.options.tolerance_secs * 1000.0).round() as i64;
        let mut issues: Vec<(i64, StepIssue)> = Vec::new();
        for &(i, j, _) in pairs {
            let (ida, idb) = (self.a.step_id(i), self.b.step_id(j));
            let (sa, sb) = (self.a.step_span(i).0, self.b.step_span(j).0);
            let at = sa.min(sb).max(self.window.0);
            if ida != idb {
                issues.push((
                    at,
                    StepIssue {
                        kind: StepIssueKind::DifferentStep,
                        at: self.clock(at),
                        offset_secs: self.offset_secs(at),
                        a_step: Some(ida.to_string()),
                        b_step: Some(idb.to_string()),
                        text: format!(
                            "at {} A logged `{ida}` where B logged `{idb}`: agree which step this is",
                            self.clock(at)
                        ),
                    },
                ));
            } else if (sb - sa).abs() > tolerance_ms {
                let (who, lag) = if sb > sa {
                    ("B", sb - sa)
                } else {
                    ("A", sa - sb)
                };
                issues.push((
                    at,
                    StepIssue {
                        kind: StepIssueKind::StartGap,
                        at: self.clock(at),
                        offset_secs: self.offset_secs(at),
                        a_step: Some(ida.to_string()),
                        b_step: Some(idb.to_string()),
                        text: format!(
                            "{who} started `{ida}` {} s later ({} against {}): agree on the moment a step starts",
                            fmt_secs(lag as f64 / 1000.0),
                            self.clock(sa.min(sb)),
                            self.clock(sa.max(sb)),
                        ),
                    },
                ));
            }
        }
        let a_of_b: HashMap<usize, usize> = pairs.iter().map(|&(i, j, _)| (j, i)).collect();
        let b_of_a: HashMap<usize, usize> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
        let mut lonely = |side: &Side,
                          other: &Side,
                          steps: &[usize],
                          paired: &std::collections::HashSet<usize>,
                          partner_of_other: &HashMap<usize, usize>,
                          kind| {
            let (me, them) = if kind == StepIssueKind::OnlyA {
                ("A", "B")
            } else {
                ("B", "A")
            };
            for &i in steps.iter().filter(|i| !paired.contains(i)) {
                let (start, end) = side.step_span(i);
                let at = start.max(self.window.0);
                let middle = (start.max(self.window.0) + end.min(self.window.1)) / 2;
                let id = side.step_id(i);
                let active = fmt_secs(side.timeline.steps[i].active_ms as f64 / 1000.0);
                let clock = self.clock(at);
                // The other's step that covered this one, and the step of mine it is paired
                // with instead: the other merged two of my steps into one.
                let merged = other_step_at(other, middle).and_then(|j| {
                    partner_of_other
                        .get(&j)
                        .map(|&mine| (other.step_id(j), side.step_id(mine)))
                });
                let text = match merged {
                    Some((theirs, mine)) => {
                        let folded = if theirs == id { mine } else { id };
                        format!(
                            "at {clock} {me} logged `{id}` ({active} s active); {them}'s `{theirs}` ran over it and over {me}'s `{mine}` (paired with that one): did {them} fold `{folded}` into `{theirs}`? agree whether `{folded}` is a step of its own"
                        )
                    }
                    None => format!(
                        "at {clock} {me} logged `{id}` ({active} s active) and {them} has no step for it ({them} had {}): did {them} miss it or fold it into another step?",
                        other_state(other, middle)
                    ),
                };
                issues.push((
                    at,
                    StepIssue {
                        kind,
                        at: clock,
                        offset_secs: self.offset_secs(at),
                        a_step: (kind == StepIssueKind::OnlyA).then(|| id.to_string()),
                        b_step: (kind == StepIssueKind::OnlyB).then(|| id.to_string()),
                        text,
                    },
                ));
            }
        };
        lonely(
            &self.a,
            &self.b,
            steps_a,
            paired_a,
            &a_of_b,
            StepIssueKind::OnlyA,
        );
        lonely(
            &self.b,
            &self.a,
            steps_b,
            paired_b,
            &b_of_a,
            StepIssueKind::OnlyB,
        );
        issues.sort_by_key(|x| x.0);
        issues.into_iter().map(|(_, issue)| issue).collect()
    }

    /// The longest runs of consecutive disagreeing slices (a paused slice ends a run).
    fn disagreements(&self) -> Vec<Disagreement> {
        let mut runs: Vec<(usize, usize)> = Vec::new(); // [from, to) indices into slices
        let mut index = 0;
        while index < self.slices.len() {
            if self.slices[index].a == self.slices[index].b {
                index += 1;
                continue;
            }
            let from = index;
            index += 1;
            while index < self.slices.len()
                && self.slices[index].a != self.slices[index].b
                && self.slices[index].k == self.slices[index - 1].k + 1
            {
                index += 1;
            }
            runs.push((from, index));
        }
        runs.sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then(x.0.cmp(&y.0)));
        runs.truncate(MAX_DISAGREEMENTS);
        runs.into_iter()
            .map(|(from, to)| {
                let mut counts: HashMap<(u32, u32), usize> = HashMap::new();
                for s in &self.slices[from..to] {
                    *counts.entry((s.a, s.b)).or_default() += 1;
                }
                let (&(la, lb), _) = counts
                    .iter()
                    .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                    .expect("a run has slices");
                let start = self.window.0 + self.slices[from].k as i64 * SLICE_MS;
                let end = self.window.0 + (self.slices[to - 1].k as i64 + 1) * SLICE_MS;
                let secs = (to - from) as f64;
                let (a_label, b_label) = (self.label(la), self.label(lb));
                Disagreement {
                    from: self.clock(start),
                    to: self.clock(end),
                    offset_secs: self.offset_secs(start),
                    secs,
                    a_label: a_label.to_string(),
                    b_label: b_label.to_string(),
                    text: text::describe_run(
                        &self.clock(start),
                        &self.clock(end),
                        secs,
                        a_label,
                        b_label,
                    ),
                }
            })
            .collect()
    }

    /// When B's step starts are steadily early or late against A's (same steps, at least
    /// three of them, nine in ten on the same side, median more than 2 s and more than the
    /// tolerance's half), the shift that would line them up.
    fn suggested_shift(&self, pairs: &[(usize, usize, i64)], signed_gaps: &[f64]) -> Option<f64> {
        let same: Vec<f64> = pairs
            .iter()
            .zip(signed_gaps)
            .filter(|((i, j, _), _)| self.a.step_id(*i) == self.b.step_id(*j))
            .map(|(_, g)| *g)
            .collect();
        if same.len() < 3 {
            return None;
        }
        let median = stats::median(&same)?;
        let threshold = 2.0f64.max(self.options.tolerance_secs / 2.0);
        let same_side = same
            .iter()
            .filter(|g| g.signum() == median.signum() && **g != 0.0)
            .count();
        if median.abs() <= threshold || (same_side as f64) < 0.9 * same.len() as f64 {
            return None;
        }
        Some((self.options.shift_b_secs - median).round())
    }
}

fn wall(a: &Side, t: i64) -> DateTime<FixedOffset> {
    a.session.header.started_at + Duration::milliseconds(t)
}

/// The step a side had open at `t` (A's clock).
fn other_step_at(side: &Side, t: i64) -> Option<usize> {
    side.timeline
        .steps
        .iter()
        .position(|s| side.common(s.start_ms) <= t && t < side.common(s.end_ms))
}

/// What a side had open at `t` (A's clock), in words.
fn other_state(side: &Side, t: i64) -> String {
    let tl = &side.timeline;
    if tl
        .pauses
        .iter()
        .any(|p| side.common(p.start_ms) <= t && t < side.common(p.end_ms))
    {
        return "paused".to_string();
    }
    let interruption = tl
        .interruptions
        .iter()
        .enumerate()
        .filter(|(_, i)| side.common(i.start_ms) <= t && t < side.common(i.end_ms))
        .max_by_key(|(index, i)| (i.start_ms, *index));
    if let Some((_, i)) = interruption {
        return format!("an interruption ({}) open", i.source.name());
    }
    match tl
        .steps
        .iter()
        .find(|s| side.common(s.start_ms) <= t && t < side.common(s.end_ms))
    {
        Some(s) => format!("`{}` open", s.step),
        None => "no step open".to_string(),
    }
}

/// Seconds for sentences: whole seconds when whole, else one decimal.
fn fmt_secs(secs: f64) -> String {
    if secs.fract() == 0.0 {
        format!("{secs:.0}")
    } else {
        format!("{secs:.1}")
    }
}

#[cfg(test)]
mod tests;
