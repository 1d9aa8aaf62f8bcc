//! [`SessionBuilder`]: a session scripted step by step on a running clock.

use chrono::DateTime;

use crate::model::pathway::resolve_pathway;
use crate::model::{
    Event, EventKind, InterruptionSource as Src, ProblemKind as Prob, SESSION_FORMAT_VERSION, Seq,
    Session, SessionHeader, WorkaroundKind as Wa,
};

/// Builds one session event by event on a running clock, the way an auditor keys it: two
/// key presses are never closer than 0.8 s, work spreads its clicks over its seconds with a
/// little jitter. The jitter comes from a fixed-seed xorshift generator seeded from the
/// session id (not `fastrand`, whose sequence may change between its versions): the
/// committed sample sessions must stay byte for byte what this builder writes.
pub struct SessionBuilder {
    session: Session,
    now_ms: u64,
    rng: u64,
}

impl SessionBuilder {
    pub fn new(
        started_at: &str,
        site: &str,
        clinician: &str,
        auditor: &str,
        pathway_id: &str,
    ) -> SessionBuilder {
        let (pathway, _) = resolve_pathway(pathway_id).expect("a built-in pathway");
        SessionBuilder::on_pathway(started_at, site, clinician, auditor, &pathway)
    }

    /// A session on a pathway that is not built in (a site's own pathway file).
    pub fn on_pathway(
        started_at: &str,
        site: &str,
        clinician: &str,
        auditor: &str,
        pathway: &crate::model::Pathway,
    ) -> SessionBuilder {
        let started = DateTime::parse_from_rfc3339(started_at).expect("a valid start time");
        let role = clinician.split('-').next().expect("a role prefix");
        let id = format!("{}-{site}-{clinician}", started.format("%Y%m%d-%H%M"));
        let seed = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        SessionBuilder {
            session: Session::new(SessionHeader {
                format_version: SESSION_FORMAT_VERSION,
                id,
                started_at: started,
                site: site.into(),
                role: role.into(),
                clinician: clinician.into(),
                auditor: auditor.into(),
                pathway_id: pathway.id.clone(),
                pathway_version: pathway.version,
            }),
            // The auditor presses the first key a few seconds after starting the session.
            now_ms: 4_000,
            rng: seed,
        }
    }

    /// A number in 0..n from a fixed-seed xorshift generator.
    fn next(&mut self, n: u64) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % n.max(1)
    }

    /// One key press now (at least 0.8 s after the last one).
    pub fn push(&mut self, kind: EventKind) -> Seq {
        // Two key presses are never in the same instant.
        if let Some(last) = self.session.events.last() {
            self.now_ms = self.now_ms.max(last.at_ms + 800);
        }
        let seq = self.session.next_seq();
        self.session.events.push(Event {
            seq,
            at_ms: self.now_ms,
            kind,
        });
        seq
    }

    pub fn wait(&mut self, secs: f64) -> &mut Self {
        self.now_ms += (secs * 1000.0) as u64;
        self
    }

    pub fn step(&mut self, step: &str) -> &mut Self {
        self.push(EventKind::StepStart { step: step.into() });
        self
    }

    pub fn unplanned(&mut self, step: &str, label: &str) -> &mut Self {
        self.push(EventKind::UnplannedStep {
            step: step.into(),
            label: label.into(),
        });
        self
    }

    /// `secs` of work on what is open, with its clicks, screen changes and re-entries spread
    /// over it (with a little jitter), as an auditor would key them.
    pub fn act(&mut self, secs: f64, clicks: u32, screens: u32, reentries: u32) -> &mut Self {
        let total_ms = (secs * 1000.0) as u64;
        let n = u64::from(clicks + screens + reentries);
        let start = self.now_ms;
        let spacing = total_ms / (n + 1);
        let mut kinds = Vec::new();
        for i in 0..n {
            // Screens and re-entries fall evenly among the clicks.
            let s_before = i * u64::from(screens) / n.max(1);
            let s_after = (i + 1) * u64::from(screens) / n.max(1);
            let r_before = i * u64::from(reentries) / n.max(1);
            let r_after = (i + 1) * u64::from(reentries) / n.max(1);
            kinds.push(if s_after > s_before {
                EventKind::Screen
            } else if r_after > r_before {
                EventKind::Reentry
            } else {
                EventKind::Clicks { delta: 1 }
            });
        }
        // Fix the counts exactly whatever the interleaving rounding did.
        let count = |kinds: &[EventKind], f: fn(&EventKind) -> bool| {
            kinds.iter().filter(|k| f(k)).count() as u32
        };
        while count(&kinds, |k| matches!(k, EventKind::Screen)) < screens {
            let i = kinds
                .iter()
                .position(|k| matches!(k, EventKind::Clicks { .. }))
                .expect("room for a screen");
            kinds[i] = EventKind::Screen;
        }
        while count(&kinds, |k| matches!(k, EventKind::Reentry)) < reentries {
            let i = kinds
                .iter()
                .rposition(|k| matches!(k, EventKind::Clicks { .. }))
                .expect("room for a re-entry");
            kinds[i] = EventKind::Reentry;
        }
        for (i, kind) in kinds.into_iter().enumerate() {
            let jitter = self.next(spacing / 3 + 1);
            self.now_ms = start + spacing * (i as u64 + 1) - spacing / 6 + jitter;
            self.push(kind);
        }
        self.now_ms = start + total_ms;
        self
    }

    /// A step done in one stretch.
    pub fn work(&mut self, step: &str, secs: f64, clicks: u32, screens: u32) -> &mut Self {
        self.step(step).act(secs, clicks, screens, 0)
    }

    pub fn interrupt(&mut self, source: Src, note: &str) -> &mut Self {
        self.push(EventKind::InterruptionStart {
            source,
            note: note.into(),
        });
        self
    }

    pub fn resume(&mut self) -> &mut Self {
        self.push(EventKind::InterruptionEnd);
        self
    }

    pub fn workaround(&mut self, kind: Wa, note: &str) -> &mut Self {
        self.push(EventKind::Workaround {
            kind,
            note: note.into(),
        });
        self.typing(note)
    }

    pub fn problem(&mut self, kind: Prob, note: &str) -> &mut Self {
        self.push(EventKind::SystemProblem {
            kind,
            note: note.into(),
        });
        self.typing(note)
    }

    /// The auditor types a note after the kind key: the clock runs on meanwhile.
    pub fn typing(&mut self, text: &str) -> &mut Self {
        self.wait(2.0 + text.len() as f64 / 12.0)
    }

    pub fn note(&mut self, text: &str) -> &mut Self {
        self.push(EventKind::Note { text: text.into() });
        self.typing(text)
    }

    /// The auditor takes back the event just logged, a moment later.
    pub fn undo_last(&mut self) -> &mut Self {
        let target = self.session.events.last().expect("an event to undo").seq;
        self.wait(1.5);
        self.push(EventKind::Undo { target });
        self
    }

    pub fn idle(&mut self) -> &mut Self {
        self.push(EventKind::StepEnd);
        self
    }

    pub fn pause(&mut self, secs: f64) -> &mut Self {
        self.push(EventKind::Pause);
        self.wait(secs);
        self.push(EventKind::Resume);
        self
    }

    pub fn finish(&mut self) -> Session {
        self.wait(3.0);
        self.push(EventKind::Finish);
        self.session.clone()
    }

    /// The clinician answers the SUS and the raw NASA-TLX at the finish (None: skipped); the
    /// answers and the finish carry the same time, as the capture screen stamps them.
    pub fn finish_with_voice(&mut self, sus: [Option<u8>; 10], tlx: [Option<u8>; 6]) -> Session {
        self.wait(3.0);
        // The press of `v`: the answers and the finish all carry its time.
        let at_ms = self
            .session
            .events
            .last()
            .map_or(0, |e| e.at_ms + 800)
            .max(self.now_ms);
        let kinds = super::steps::voice_events(sus, tlx);
        for kind in kinds {
            let seq = self.session.next_seq();
            self.session.events.push(Event { seq, at_ms, kind });
        }
        self.session.clone()
    }
}
