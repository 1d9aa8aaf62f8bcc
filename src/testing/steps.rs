//! Sessions from a plan of steps ([`StepSpec`]): each step's seconds, clicks and marks exact,
//! so a test can assert the figures the report computes from them; and random realistic ones
//! built the same way, for the report benchmark.

use crate::model::{
    Event, EventKind, InterruptionSource, ProblemKind, Session, SessionHeader, WorkaroundKind,
};

use super::header;

/// One step as it happened.
#[derive(Clone, Debug)]
pub struct StepSpec {
    pub step: String,
    /// An unplanned step's label (the step is then an unplanned one).
    pub unplanned: Option<String>,
    pub secs: u64,
    pub clicks: u32,
    pub workarounds: Vec<(WorkaroundKind, String)>,
    pub problems: Vec<(ProblemKind, String)>,
    /// Interruptions inside the step: source and seconds.
    pub interruptions: Vec<(InterruptionSource, u64)>,
    pub notes: Vec<String>,
}

pub fn step(id: &str, secs: u64, clicks: u32) -> StepSpec {
    StepSpec {
        step: id.to_string(),
        unplanned: None,
        secs,
        clicks,
        workarounds: vec![],
        problems: vec![],
        interruptions: vec![],
        notes: vec![],
    }
}

impl StepSpec {
    pub fn workaround(mut self, kind: WorkaroundKind, note: &str) -> Self {
        self.workarounds.push((kind, note.to_string()));
        self
    }
    pub fn problem(mut self, kind: ProblemKind, note: &str) -> Self {
        self.problems.push((kind, note.to_string()));
        self
    }
    pub fn interrupted(mut self, source: InterruptionSource, secs: u64) -> Self {
        self.interruptions.push((source, secs));
        self
    }
    pub fn note(mut self, text: &str) -> Self {
        self.notes.push(text.to_string());
        self
    }
    pub fn unplanned(mut self, label: &str) -> Self {
        self.unplanned = Some(label.to_string());
        self
    }
}

/// [`header`] for a session of `clinician` (`role`) at `site` on `pathway`.
pub fn header_for(
    id: &str,
    pathway: &str,
    site: &str,
    role: &str,
    clinician: &str,
) -> SessionHeader {
    SessionHeader {
        id: id.into(),
        pathway_id: pathway.into(),
        site: site.into(),
        role: role.into(),
        clinician: clinician.into(),
        ..header()
    }
}

/// A finished session doing `steps` one after the other.
pub fn session_of_steps(header: SessionHeader, steps: &[StepSpec]) -> Session {
    let mut s = Session::new(header);
    let mut at: u64 = 1_000;
    let push = |s: &mut Session, at: u64, kind: EventKind| {
        let seq = s.next_seq();
        s.events.push(Event {
            seq,
            at_ms: at,
            kind,
        });
    };
    for spec in steps {
        let kind = match &spec.unplanned {
            Some(label) => EventKind::UnplannedStep {
                step: spec.step.clone(),
                label: label.clone(),
            },
            None => EventKind::StepStart {
                step: spec.step.clone(),
            },
        };
        push(&mut s, at, kind);
        // Spread the marks over the step's active time.
        let marks = u64::from(spec.clicks)
            + spec.workarounds.len() as u64
            + spec.problems.len() as u64
            + spec.notes.len() as u64
            + spec.interruptions.len() as u64
            + 1;
        let slice = (spec.secs * 1000) / marks;
        let mut t = at;
        for _ in 0..spec.clicks {
            t += slice;
            push(&mut s, t, EventKind::Clicks { delta: 1 });
        }
        for (kind, note) in &spec.workarounds {
            t += slice;
            push(
                &mut s,
                t,
                EventKind::Workaround {
                    kind: *kind,
                    note: note.clone(),
                },
            );
        }
        for (kind, note) in &spec.problems {
            t += slice;
            push(
                &mut s,
                t,
                EventKind::SystemProblem {
                    kind: *kind,
                    note: note.clone(),
                },
            );
        }
        for text in &spec.notes {
            t += slice;
            push(&mut s, t, EventKind::Note { text: text.clone() });
        }
        for (source, secs) in &spec.interruptions {
            t += slice;
            push(
                &mut s,
                t,
                EventKind::InterruptionStart {
                    source: *source,
                    note: String::new(),
                },
            );
            t += secs * 1000;
            push(&mut s, t, EventKind::InterruptionEnd);
        }
        at = t + slice;
    }
    push(&mut s, at, EventKind::Finish);
    s
}

/// The clinician's SUS and raw NASA-TLX answers (None: skipped), then the finish: the events
/// the capture screen writes when the finish is handed to the clinician.
pub fn voice_events(sus: [Option<u8>; 10], tlx: [Option<u8>; 6]) -> [EventKind; 3] {
    use crate::model::questionnaire::Instrument;
    [
        EventKind::Questionnaire {
            instrument: Instrument::Sus,
            answers: sus.to_vec(),
        },
        EventKind::Questionnaire {
            instrument: Instrument::Tlx,
            answers: tlx.to_vec(),
        },
        EventKind::Finish,
    ]
}

/// `session` (finished, as [`session_of_steps`] writes it) with the clinician's answers before
/// its finish, at the finish's time.
pub fn with_voice(mut session: Session, sus: [Option<u8>; 10], tlx: [Option<u8>; 6]) -> Session {
    let finish = session
        .events
        .pop_if(|e| e.kind == EventKind::Finish)
        .expect("a finished session");
    for kind in voice_events(sus, tlx) {
        let seq = session.next_seq();
        session.events.push(Event {
            seq,
            at_ms: finish.at_ms,
            kind,
        });
    }
    session
}

/// Answers to the SUS that give `score` (a multiple of 2.5, 0-100): each item in turn gives
/// what is left of the score, up to its 4 points.
pub fn sus_answers(score: f64) -> [Option<u8>; 10] {
    let mut left = (score / 2.5).round() as u32;
    let mut answers = [None; 10];
    for (i, a) in answers.iter_mut().enumerate() {
        let room = left.min(4);
        left -= room;
        *a = Some(if i % 2 == 0 {
            1 + room as u8
        } else {
            5 - room as u8
        });
    }
    answers
}

/// Two rounds of med-rec-admission sessions done as expected, where only the clinicians' voice
/// changed: the baseline's SUS 30-50 and raw TLX 55-80, the second round's SUS 60-80 and TLX
/// 25-45 (8 scores each); the baseline has a ninth session whose SUS has an item skipped and
/// whose TLX was not answered at all (no score).
pub fn voice_rounds() -> [(&'static str, Vec<Session>); 2] {
    let round = |name: &'static str, scores: [(f64, u8); 8], skipped: bool| {
        let mut sessions: Vec<Session> = scores
            .iter()
            .enumerate()
            .map(|(n, &(sus, tlx))| {
                let id = format!("{name}-{n:02}");
                let h = header_for(
                    &id,
                    "med-rec-admission",
                    ["north", "south"][n % 2],
                    "RN",
                    &format!("RN-{n:02}"),
                );
                with_voice(
                    session_of_steps(h, &as_expected()),
                    sus_answers(sus),
                    [Some(tlx); 6],
                )
            })
            .collect();
        if skipped {
            let id = format!("{name}-08");
            let h = header_for(&id, "med-rec-admission", "north", "RN", "RN-08");
            let mut sus = sus_answers(20.0);
            sus[4] = None;
            sessions.push(with_voice(
                session_of_steps(h, &as_expected()),
                sus,
                [None; 6],
            ));
        }
        (name, sessions)
    };
    [
        round(
            "baseline",
            [
                (30.0, 60),
                (35.0, 65),
                (40.0, 70),
                (42.5, 55),
                (45.0, 75),
                (47.5, 60),
                (50.0, 80),
                (37.5, 70),
            ],
            true,
        ),
        round(
            "after",
            [
                (60.0, 40),
                (65.0, 35),
                (70.0, 30),
                (72.5, 45),
                (75.0, 25),
                (67.5, 40),
                (62.5, 30),
                (80.0, 35),
            ],
            false,
        ),
    ]
}

/// The med-rec-admission steps done as expected.
pub fn as_expected() -> Vec<StepSpec> {
    vec![
        step("open-chart", 18, 4),
        step("review-allergies", 25, 3),
        step("ask-patient", 170, 0),
        step("pharmacy-record", 55, 8),
        step("enter-home-meds", 230, 38),
        step("sign", 14, 3),
    ]
}

/// A random, realistic med-rec-admission session of about `target_events` events: steps in
/// order with jittered times and clicks, some repeats, interruptions, workarounds, problems,
/// notes and an occasional unplanned step.
pub fn random_session(rng: &mut fastrand::Rng, n: usize, target_events: usize) -> Session {
    const SITES: [&str; 4] = ["north", "south", "east", "west"];
    const ROLES: [&str; 2] = ["RN", "Pharmacist"];
    let site = SITES[rng.usize(..SITES.len())];
    let role = ROLES[rng.usize(..ROLES.len())];
    let clinician = format!("{}-{:02}", role, rng.usize(1..30));
    let h = header_for(
        &format!("bench-{n:05}-{site}-{clinician}"),
        "med-rec-admission",
        site,
        role,
        &clinician,
    );
    let base = as_expected();
    let mut steps = Vec::new();
    let events = |steps: &[StepSpec]| -> usize {
        steps
            .iter()
            .map(|s| {
                s.clicks as usize
                    + 1
                    + s.workarounds.len()
                    + s.problems.len()
                    + 2 * s.interruptions.len()
                    + s.notes.len()
            })
            .sum()
    };
    let jitter = |rng: &mut fastrand::Rng, b: &StepSpec, slow: f64| -> StepSpec {
        let mut s = step(
            &b.step,
            ((b.secs as f64) * slow * (0.6 + rng.f64() * 0.9)) as u64 + 1,
            (f64::from(b.clicks) * (0.7 + rng.f64() * 0.7)) as u32,
        );
        if rng.u8(..10) == 0 {
            s = s.interrupted(InterruptionSource::ALL[rng.usize(..9)], rng.u64(5..90));
        }
        if b.step == "pharmacy-record" && rng.u8(..4) == 0 {
            s = s.workaround(WorkaroundKind::SecondSystem, "checked the pharmacy portal");
        }
        if rng.u8(..20) == 0 {
            s = s.problem(ProblemKind::ALL[rng.usize(..8)], "screen froze");
        }
        if rng.u8(..25) == 0 {
            s = s.note("patient unsure of dose");
        }
        s
    };
    for b in &base[..4] {
        if b.step == "review-allergies" && rng.u8(..10) < 3 {
            continue;
        }
        let s = jitter(rng, b, 1.0);
        steps.push(s);
    }
    if rng.u8(..8) == 0 {
        steps.push(step("call-gp", 60 + rng.u64(..120), 0).unplanned("Call the GP surgery"));
    }
    // One entry per home medication, until the session has about `target_events` events.
    let slow = if site == "north" { 1.8 } else { 1.0 };
    loop {
        let s = jitter(rng, &base[4], slow);
        steps.push(s);
        if events(&steps) + 5 >= target_events {
            break;
        }
    }
    let s = jitter(rng, &base[5], 1.0);
    steps.push(s);
    session_of_steps(h, &steps)
}
