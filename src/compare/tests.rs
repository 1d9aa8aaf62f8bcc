//! Unit tests of the comparator's explanations, friction and figures, on the built-in
//! `med-rec-admission` pathway (docs/reference.md section 4's example) and sessions built here.

use super::*;
use crate::model::pathway::builtin_pathways;
use crate::model::{Event, EventKind, InterruptionSource, Tolerance};

fn med_rec() -> Pathway {
    builtin_pathways()
        .into_iter()
        .find(|p| p.id == "med-rec-admission")
        .unwrap()
}

fn kinds(c: &Comparison) -> Vec<DeviationKind> {
    c.deviations.iter().map(|d| d.kind).collect()
}

const RUN: &[&str] = &[
    "open-chart",
    "review-allergies",
    "pharmacy-record",
    "ask-patient",
    "enter-home-meds",
    "enter-home-meds",
    "sign",
];

#[test]
fn a_run_has_no_deviation_and_fitness_one() {
    let c = compare_trace("t", RUN, &med_rec());
    assert_eq!((c.cost, c.worst_cost, c.fitness), (0, 12, 1.0));
    assert!(c.deviations.is_empty());
    assert!(c.moves.iter().all(|m| m.kind == MoveKind::Sync));
}

#[test]
fn skipped_optional_is_information_not_a_deviation() {
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
            "sign",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 0);
    assert!(c.deviations.is_empty());
    assert_eq!(c.skipped_optional, ["review-allergies"]);
    assert_eq!(
        c.moves[1],
        Move {
            kind: MoveKind::Skip,
            step: "review-allergies".into(),
            observed: None
        }
    );
}

#[test]
fn missing_names_the_step_and_where_it_was_expected() {
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 1);
    assert_eq!(kinds(&c), [DeviationKind::Missing]);
    let d = &c.deviations[0];
    assert_eq!(d.step, "sign");
    assert_eq!(
        d.text,
        "`sign` (Sign reconciliation) was not done (expected after `enter-home-meds`)."
    );
    assert_eq!((d.observed, d.at_ms), (None, None));
}

#[test]
fn unplanned_gives_time_event_and_label() {
    let observed: Vec<ObservedStep> = [
        "open-chart",
        "call-pharmacy",
        "ask-patient",
        "pharmacy-record",
        "enter-home-meds",
        "sign",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| ObservedStep {
        step: s.to_string(),
        event: Some(10 + i as u64),
        at_ms: Some(60_000 * i as u64 + 5_000),
        label: (*s == "call-pharmacy").then(|| "Called the pharmacy".to_string()),
    })
    .collect();
    let c = compare_observed("t", &observed, &med_rec());
    assert_eq!(kinds(&c), [DeviationKind::Unplanned]);
    let d = &c.deviations[0];
    assert_eq!(
        d.text,
        "`call-pharmacy` (\"Called the pharmacy\") was done at 1:05 (event 11); it is not in the pathway."
    );
    assert_eq!((d.observed, d.at_ms), (Some(1), Some(65_000)));
}

#[test]
fn out_of_order_says_what_it_came_after_and_where_the_pathway_has_it() {
    // `sign` before the home medications: one log move and one model move of the same step.
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "sign",
            "enter-home-meds",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 2);
    assert_eq!(kinds(&c), [DeviationKind::OutOfOrder]);
    let d = &c.deviations[0];
    let log = c.moves.iter().find(|m| m.kind == MoveKind::Log).unwrap();
    let model = c.moves.iter().find(|m| m.kind == MoveKind::Model).unwrap();
    assert_eq!(log.step, model.step, "one step, done elsewhere");
    assert_eq!(d.step, log.step);
    if d.step == "sign" {
        assert_eq!(
            d.text,
            "`sign` (Sign reconciliation) was done as observed step 4, after `pharmacy-record`, but the pathway has it after `enter-home-meds`."
        );
    } else {
        assert_eq!(
            d.text,
            "`enter-home-meds` (Enter home medications) was done as observed step 5, after `sign`, but the pathway has it before `sign`."
        );
    }
}

#[test]
fn repeated_points_at_both_occurrences() {
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "open-chart",
            "pharmacy-record",
            "enter-home-meds",
            "sign",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 1);
    assert_eq!(kinds(&c), [DeviationKind::Repeated]);
    assert_eq!(
        c.deviations[0].text,
        "`open-chart` (Open the patient's chart) was done again as observed step 3; it was also done as observed step 1, and the pathway has it once."
    );
}

#[test]
fn a_repeat_step_redone_too_late_is_out_of_order() {
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
            "sign",
            "enter-home-meds",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 1);
    assert_eq!(kinds(&c), [DeviationKind::OutOfOrder]);
    assert!(
        c.deviations[0]
            .text
            .contains("was redone as observed step 6, after `sign`; the pathway lets it be redone only until the next step starts"),
        "{}",
        c.deviations[0].text
    );
}

#[test]
fn an_optional_step_done_out_of_place_is_out_of_order() {
    let c = compare_trace(
        "t",
        &[
            "open-chart",
            "ask-patient",
            "pharmacy-record",
            "review-allergies",
            "enter-home-meds",
            "sign",
        ],
        &med_rec(),
    );
    assert_eq!(c.cost, 1);
    assert_eq!(kinds(&c), [DeviationKind::OutOfOrder]);
    assert_eq!(
        c.deviations[0].text,
        "`review-allergies` (Review allergies) was done as observed step 4, after `pharmacy-record`, but the pathway has it before `ask-patient`."
    );
}

#[test]
fn fitness_is_one_when_worst_cost_is_zero() {
    let p = pathway_from_json_str(
        r#"{"steps":[{"id":"a","optional":true,"repeat":true}]}"#,
        std::path::Path::new("p.json"),
    )
    .unwrap();
    let c = compare_trace("empty", &[], &p);
    assert_eq!((c.cost, c.worst_cost, c.fitness), (0, 0, 1.0));
    let c = compare_trace("empty", &[], &med_rec());
    assert_eq!((c.cost, c.worst_cost, c.fitness), (5, 5, 0.0));
    assert_eq!(c.deviations_of(DeviationKind::Missing).count(), 5);
}

#[test]
fn a_group_too_large_is_reported_not_a_panic() {
    let members: Vec<String> = (0..MAX_GROUP_MEMBERS + 1)
        .map(|i| format!("{{\"id\":\"m{i}\"}}"))
        .collect();
    let json = format!(
        "{{\"steps\":[{{\"group\":\"g\",\"steps\":[{}]}}]}}",
        members.join(",")
    );
    let e = pathway_from_json_str(&json, std::path::Path::new("p.json")).unwrap_err();
    assert!(e.message.contains("at most 16"), "{e}");
    assert_eq!(
        e.location.map(|l| (l.line, l.column)),
        Some((1, 20)),
        "the group's id: {e}"
    );
    // A pathway built in code (not read from a file) still gets a clear comparison.
    let mut p = pathway_from_json_str(
        &json.replace(&format!(",{{\"id\":\"m{MAX_GROUP_MEMBERS}\"}}"), ""),
        std::path::Path::new("p.json"),
    )
    .unwrap();
    let crate::model::Element::AnyOrder(group) = &mut p.steps[0] else {
        unreachable!("the pathway is one group")
    };
    let mut extra = group.steps[0].clone();
    extra.id = format!("m{MAX_GROUP_MEMBERS}");
    group.steps.push(extra);
    let e = check_pathway(&p).unwrap_err();
    assert!(e.to_string().contains("at most 16"), "{e}");
    let c = compare_trace("t", &["m0"], &p);
    assert_eq!(c.cost, c.worst_cost);
    assert!(
        c.deviations
            .iter()
            .all(|d| d.text.contains("could not be aligned"))
    );
}

// ---------------------------------------------------------------- sessions: friction, figures

struct Builder {
    events: Vec<Event>,
}

impl Builder {
    fn new() -> Builder {
        Builder { events: Vec::new() }
    }

    fn at(&mut self, secs: u64, kind: EventKind) -> &mut Builder {
        let seq = self.events.len() as u64 + 1;
        self.events.push(Event {
            seq,
            at_ms: secs * 1000,
            kind,
        });
        self
    }

    fn step(&mut self, secs: u64, step: &str) -> &mut Builder {
        self.at(
            secs,
            EventKind::StepStart {
                step: step.to_string(),
            },
        )
    }

    fn clicks(&mut self, secs: u64, n: usize) -> &mut Builder {
        for _ in 0..n {
            self.at(secs, EventKind::Clicks { delta: 1 });
        }
        self
    }

    fn session(&self) -> Session {
        Session {
            header: crate::testing::header(),
            events: self.events.clone(),
        }
    }
}

/// A morning med-rec: a slow chart, an interrupted pharmacy check with a workaround and a
/// slow system, home medications entered twice (allowed), sign.
fn sample_session() -> Session {
    let mut b = Builder::new();
    b.step(0, "open-chart")
        .clicks(5, 6) // 6 clicks against 4 expected: +50 %, over the 30 % tolerance
        .at(6, EventKind::Screen)
        .step(40, "ask-patient") // 40 s against 20 s for open-chart: +100 %
        .step(200, "pharmacy-record")
        .clicks(210, 8)
        .at(
            220,
            EventKind::InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: String::new(),
            },
        )
        .at(280, EventKind::InterruptionEnd)
        .at(
            290,
            EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "doses on paper".into(),
            },
        )
        .at(
            295,
            EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: String::new(),
            },
        )
        .step(300, "enter-home-meds")
        .clicks(310, 30)
        .at(320, EventKind::Reentry)
        .at(330, EventKind::Pause)
        .at(630, EventKind::Resume)
        .step(700, "enter-home-meds")
        .clicks(710, 20)
        .step(900, "sign")
        .clicks(905, 3)
        .at(915, EventKind::Finish);
    b.session()
}

#[test]
fn friction_of_synced_steps_from_the_timeline() {
    let c = compare_session(&sample_session(), &med_rec());
    assert_eq!(c.case_id, "20261125-0918-north-RN-07");
    assert_eq!((c.cost, c.n_steps, c.worst_cost), (0, 6, 11));
    let f: Vec<(&str, f64, u32, bool, bool)> = c
        .frictions
        .iter()
        .map(|f| {
            (
                f.step.as_str(),
                f.active_secs,
                f.clicks,
                f.over_time,
                f.over_clicks,
            )
        })
        .collect();
    assert_eq!(
        f,
        [
            ("open-chart", 40.0, 6, true, true),
            ("ask-patient", 160.0, 0, false, false),
            // 100 s, minus the 60 s phone call: 40 s active against 60 s expected.
            ("pharmacy-record", 40.0, 8, false, false),
            // 400 s minus a 300 s pause.
            ("enter-home-meds", 100.0, 30, false, false),
            ("enter-home-meds", 200.0, 20, false, false),
            ("sign", 15.0, 3, false, false),
        ]
    );
    let pharmacy = &c.frictions[2];
    assert_eq!(
        (
            pharmacy.interruptions,
            pharmacy.workarounds,
            pharmacy.problems
        ),
        (1, 1, 1)
    );
    assert_eq!(c.frictions[3].reentries, 1);
    assert_eq!(c.frictions[0].screens, 1);
    assert_eq!(c.frictions[0].time_ratio(), Some(2.0));
    assert_eq!(c.frictions[0].click_excess(), 2);

    let over: Vec<(DeviationKind, &str)> = c
        .deviations
        .iter()
        .map(|d| (d.kind, d.text.as_str()))
        .collect();
    assert_eq!(
        over,
        [
            (
                DeviationKind::OverTime,
                "`open-chart` (Open the patient's chart) at 0:00 (event 1) took 0:40 of active time against 0:20 expected (+100 %; the tolerance is 50 %)."
            ),
            (
                DeviationKind::OverClicks,
                "`open-chart` (Open the patient's chart) at 0:00 (event 1) took 6 clicks against 4 expected (+50 %; the tolerance is 30 %)."
            ),
        ]
    );
}

#[test]
fn a_pathway_tolerance_changes_what_is_over() {
    let mut p = med_rec();
    p.tolerance = Some(Tolerance {
        time_pct: 100,
        clicks_pct: 50,
    });
    let c = compare_session(&sample_session(), &p);
    // +100 % is not above a 100 % tolerance; +50 % clicks is not above 50 %.
    assert!(c.deviations.is_empty(), "{:?}", c.deviations);
}

#[test]
fn session_figures() {
    let c = compare_session(&sample_session(), &med_rec());
    let f = &c.figures;
    assert!(f.timed);
    assert_eq!(f.fitness, 1.0);
    // 915 s observed minus a 300 s pause.
    assert!((f.observed_minutes - 615.0 / 60.0).abs() < 1e-9);
    // Active: 40 + 160 + 40 + 100 + 200 + 15 = 555 s.
    assert!((f.active_minutes - 555.0 / 60.0).abs() < 1e-9);
    assert!((f.synced_active_minutes - 555.0 / 60.0).abs() < 1e-9);
    // Expected: 20 + 180 + 60 + 240 + 240 + 15 = 755 s.
    assert!((f.expected_minutes - 755.0 / 60.0).abs() < 1e-9);
    assert!((f.time_ratio.unwrap() - 555.0 / 755.0).abs() < 1e-9);
    assert_eq!((f.clicks, f.expected_clicks, f.click_excess), (67, 95, -28));
    assert_eq!(f.reentries, 1);
    assert_eq!(f.workarounds, [(WorkaroundKind::PaperNote, 1)]);
    assert_eq!(f.problems, [(ProblemKind::SlowResponse, 1)]);
    assert_eq!(f.interruptions, 1);
    // One interruption in 615 s observed; 60 s of it interrupted.
    assert!((f.interruptions_per_hour.unwrap() - 3600.0 / 615.0).abs() < 1e-9);
    assert!((f.interrupted_share.unwrap() - 60.0 / 615.0).abs() < 1e-9);

    let json = output::comparisons_json(&med_rec(), std::slice::from_ref(&c));
    let figures = &json["traces"][0]["figures"];
    assert_eq!(figures["workarounds"]["paper_note"], 1);
    assert_eq!(figures["problems"]["slow_response"], 1);
    assert_eq!(figures["click_excess"], -28);
}

#[test]
fn figures_of_a_session_with_no_synced_step_are_plain_zeros_in_json() {
    // No step of the session is in this pathway: the sums of synced steps are empty (an empty
    // f64 sum is -0.0), and JSON must say 0.0, not -0.0.
    let other = crate::model::resolve_pathway("ed-triage").unwrap().0;
    let c = compare_session(&sample_session(), &other);
    assert!(c.moves.iter().all(|m| m.kind != MoveKind::Sync));
    let json = output::comparisons_json(&other, std::slice::from_ref(&c));
    let figures = &json["traces"][0]["figures"];
    let synced = figures["synced_active_minutes"].as_f64().unwrap();
    assert!(synced == 0.0 && synced.is_sign_positive(), "{synced}");
    assert!(!serde_json::to_string(&json).unwrap().contains("-0.0"));
}

#[test]
fn the_text_has_the_table_each_deviation_and_the_figures() {
    let c = compare_session(&sample_session(), &med_rec());
    let text = text::render_text(&med_rec(), std::slice::from_ref(&c));
    assert!(
        text.starts_with("Against `med-rec-admission` version 3"),
        "{text}"
    );
    assert!(
        text.contains(&format!("fitness {:.3}", c.fitness)),
        "{text}"
    );
    let table_rows = text.lines().filter(|l| l.starts_with("  ok ")).count();
    assert_eq!(
        table_rows,
        c.moves.iter().filter(|m| m.kind == MoveKind::Sync).count()
    );
    for d in &c.deviations {
        assert!(text.contains(&d.text), "{text}");
    }
    assert!(text.contains("re-entries               1"), "{text}");
    assert!(text.contains("paper_note 1"), "{text}");
}

#[test]
fn json_has_exactly_the_keys_of_domain_md() {
    let c = compare_trace(
        "case-1",
        &[
            "open-chart",
            "x01",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
        ],
        &med_rec(),
    );
    let json = output::comparisons_json(&med_rec(), &[c]);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), ["pathway", "pathway_version", "traces"]);
    assert_eq!(json["pathway"], "med-rec-admission");
    assert_eq!(json["pathway_version"], 3);
    let t = &json["traces"][0];
    assert_eq!(
        keys(t),
        [
            "case_id",
            "cost",
            "deviations",
            "figures",
            "fitness",
            "moves",
            "n_steps",
            "worst_cost"
        ]
    );
    assert_eq!(t["cost"], 2);
    assert_eq!(t["worst_cost"], 10);
    assert_eq!(t["fitness"], 0.8);
    assert_eq!(keys(&t["moves"][0]), ["step", "type"]);
    assert_eq!(
        t["moves"][1],
        serde_json::json!({"type": "skip", "step": "review-allergies"})
    );
    assert_eq!(
        t["moves"][2],
        serde_json::json!({"type": "log", "step": "x01"})
    );
    assert_eq!(keys(&t["deviations"][0]), ["kind", "step", "text"]);
    assert_eq!(t["figures"], serde_json::json!({"fitness": 0.8}));
}

#[test]
fn deviations_come_in_the_order_of_the_session() {
    let mut b = Builder::new();
    b.step(0, "open-chart")
        .step(100, "call-pharmacy") // open-chart: 100 s against 20 s
        .step(130, "ask-patient")
        .step(200, "pharmacy-record")
        .step(260, "enter-home-meds")
        .at(400, EventKind::Finish);
    let c = compare_session(&b.session(), &med_rec());
    assert_eq!(
        kinds(&c),
        [
            DeviationKind::OverTime,
            DeviationKind::Unplanned,
            DeviationKind::Missing
        ]
    );
    assert!(
        c.deviations[0]
            .text
            .contains("took 1:40 of active time against 0:20 expected (+400 %")
    );
    assert!(c.deviations[1].text.contains("at 1:40 (event 2)"));
}

#[test]
fn absurd_click_counts_saturate_instead_of_overflowing() {
    // A hand-edited session: two steps with i32::MAX clicks each. Their sum does not fit in
    // a u32; the figures saturate rather than panic (as they did before, in debug builds).
    let mut b = Builder::new();
    b.step(0, "open-chart")
        .at(1, EventKind::Clicks { delta: i32::MAX })
        .at(2, EventKind::Clicks { delta: i32::MAX })
        .step(10, "ask-patient")
        .at(11, EventKind::Clicks { delta: i32::MAX })
        .at(12, EventKind::Reentry)
        .at(20, EventKind::Finish);
    let c = compare_session(&b.session(), &med_rec());
    assert_eq!(c.frictions[0].clicks, u32::MAX - 1);
    assert_eq!(c.figures.clicks, u32::MAX);
    assert_eq!(c.figures.reentries, 1);
    assert_eq!(
        c.figures.click_excess,
        i64::from(u32::MAX) - i64::from(c.figures.expected_clicks)
    );
}
