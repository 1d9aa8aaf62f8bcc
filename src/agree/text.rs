//! The words of an agreement: what each disagreement means and what the auditors can do, and
//! the text report `shadowmap agree` prints.

use std::collections::HashMap;
use std::fmt::Write;

use super::figures::{Covered, StepProblem};
use super::pairing::OpenThen;
use super::{Agreement, EventAgreement, Verdict};

/// A label in words: `an interruption (phone_pager)`, `idle`, `` `sign` ``.
fn words(label: &str) -> String {
    if let Some(source) = label.strip_prefix("int:") {
        format!("an interruption ({source})")
    } else if label == super::IDLE {
        "the clinician idle".to_string()
    } else {
        format!("`{label}`")
    }
}

/// A step-level disagreement in words, with what to settle.
pub(super) fn step_issue(problem: &StepProblem) -> String {
    match problem {
        StepProblem::DifferentStep { at, a_step, b_step } => format!(
            "at {at} A logged `{a_step}` where B logged `{b_step}`: agree which step this is"
        ),
        StepProblem::StartGap {
            step,
            later,
            lag_secs,
            first,
            last,
        } => format!(
            "{} started `{step}` {} s later ({first} against {last}): agree on the moment a step starts",
            later.name(),
            fmt_secs(*lag_secs),
        ),
        StepProblem::Unpaired {
            who,
            at,
            step,
            active_secs,
            covered,
        } => {
            let (me, them) = (who.name(), who.other().name());
            let active = fmt_secs(*active_secs);
            match covered {
                Covered::Merged { theirs, mine } => {
                    let folded = if theirs == step { mine } else { step };
                    format!(
                        "at {at} {me} logged `{step}` ({active} s active); {them}'s `{theirs}` ran over it and over {me}'s `{mine}` (paired with that one): did {them} fold `{folded}` into `{theirs}`? agree whether `{folded}` is a step of its own"
                    )
                }
                Covered::Open(open) => format!(
                    "at {at} {me} logged `{step}` ({active} s active) and {them} has no step for it ({them} had {}): did {them} miss it or fold it into another step?",
                    open_then(open)
                ),
            }
        }
    }
}

/// What an auditor had open, in words.
fn open_then(open: &OpenThen) -> String {
    match open {
        OpenThen::Paused => "paused".to_string(),
        OpenThen::Interruption(source) => format!("an interruption ({source}) open"),
        OpenThen::Step(step) => format!("`{step}` open"),
        OpenThen::Nothing => "no step open".to_string(),
    }
}

/// One run of disagreeing slices, with what to settle.
pub(super) fn describe_run(from: &str, to: &str, secs: f64, a: &str, b: &str) -> String {
    let head = format!("{from}-{to} ({} s)", fmt_secs(secs));
    let (a_int, b_int) = (a.starts_with("int:"), b.starts_with("int:"));
    let (a_idle, b_idle) = (a == super::IDLE, b == super::IDLE);
    let what = if a_int && b_int {
        "both logged an interruption but from different sources: agree how to tell the sources apart"
            .to_string()
    } else if a_int || b_int {
        let (who, other) = if a_int { ("A", "B") } else { ("B", "A") };
        format!(
            "{who} logged an interruption that {other} did not: agree what counts as an interruption, and log it when it starts"
        )
    } else if a_idle || b_idle {
        "agree when a step ends (idle) and when the next begins".to_string()
    } else {
        "agree which step this is (read the two step definitions together)".to_string()
    };
    format!("{head}: A had {}, B had {}; {what}", words(a), words(b))
}

fn event_advice(noun: &str, e: &EventAgreement, tolerance_secs: f64) -> Vec<String> {
    let mut advice = Vec::new();
    // The same moment, named differently: an unmatched one of A's with an unmatched one of
    // B's within the tolerance.
    let mut renamed_a = vec![false; e.unmatched_a.len()];
    let mut renamed_b = vec![false; e.unmatched_b.len()];
    for (i, x) in e.unmatched_a.iter().enumerate() {
        let near = e.unmatched_b.iter().enumerate().find(|(j, y)| {
            !renamed_b[*j] && (x.offset_secs - y.offset_secs).abs() <= tolerance_secs
        });
        if let Some((j, y)) = near {
            renamed_a[i] = true;
            renamed_b[j] = true;
            advice.push(format!(
                "{noun}: at {} A logged {} where B logged {} ({} s apart): agree which kind it is",
                x.at,
                x.kind,
                y.kind,
                fmt_secs(((y.offset_secs - x.offset_secs).abs() * 10.0).round() / 10.0)
            ));
        }
    }
    if e.precision.min(e.recall) >= 0.8 {
        return advice;
    }
    let rest = |list: &[super::LoggedEvent], renamed: &[bool]| -> Vec<super::LoggedEvent> {
        list.iter()
            .zip(renamed)
            .filter(|(_, r)| !**r)
            .map(|(x, _)| x.clone())
            .collect()
    };
    let (only_a, only_b) = (
        rest(&e.unmatched_a, &renamed_a),
        rest(&e.unmatched_b, &renamed_b),
    );
    let mostly = |list: &[super::LoggedEvent]| -> String {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for x in list {
            *counts.entry(x.kind.as_str()).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
        match counts.as_slice() {
            [] => String::new(),
            [(k, _)] => format!(" ({k})"),
            [(k, _), ..] => format!(" (mostly {k})"),
        }
    };
    let mut parts = Vec::new();
    if !only_a.is_empty() {
        parts.push(format!(
            "A logged {} that B did not{}",
            only_a.len(),
            mostly(&only_a)
        ));
    }
    if !only_b.is_empty() {
        parts.push(format!(
            "B logged {} that A did not{}",
            only_b.len(),
            mostly(&only_b)
        ));
    }
    if !parts.is_empty() {
        advice.push(format!(
            "{noun}: {}; go through the unmatched ones together and agree what counts",
            parts.join(", ")
        ));
    }
    advice
}

/// What the two auditors can do, from the figures.
pub(super) fn advice(g: &Agreement) -> Vec<String> {
    let mut advice = Vec::new();
    if let Some(shift) = g.suggested_shift_b_secs {
        let gap = g.shift_b_secs - shift;
        advice.push(format!(
            "B's step starts are steadily {} s {} than A's: if B's laptop clock was off, run again with --shift-b {}",
            fmt_secs(gap.abs()),
            if gap > 0.0 { "later" } else { "earlier" },
            fmt_secs(shift),
        ));
    }
    if g.verdicts.naming_kappa.is_some_and(|v| v < Verdict::Good) {
        let mut confusions: HashMap<(&str, &str), usize> = HashMap::new();
        for p in g.paired_steps.iter().filter(|p| p.a_step != p.b_step) {
            *confusions.entry((&p.a_step, &p.b_step)).or_default() += 1;
        }
        let mut confusions: Vec<_> = confusions.into_iter().collect();
        confusions.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        if !confusions.is_empty() {
            let listed: Vec<String> = confusions
                .iter()
                .take(3)
                .map(|((a, b), n)| format!("A's `{a}` was B's `{b}` ({n}x)"))
                .collect();
            advice.push(format!(
                "step names: {}; read those step definitions together",
                listed.join(", ")
            ));
        }
        let only: usize = g
            .step_issues
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    super::StepIssueKind::OnlyA | super::StepIssueKind::OnlyB
                )
            })
            .count();
        if only > 0 {
            advice.push(format!(
                "{only} step{} logged by one auditor only: check whether short steps were missed or merged into the step before",
                if only == 1 { " was" } else { "s were" }
            ));
        }
    }
    if g.verdicts.duration_ccc.is_some_and(|v| v < Verdict::Good) && !g.paired_steps.is_empty() {
        let n = g.paired_steps.len() as f64;
        let mean: f64 = g
            .paired_steps
            .iter()
            .map(|p| p.b_active_secs - p.a_active_secs)
            .sum::<f64>()
            / n;
        advice.push(format!(
            "step durations: B's are on average {} s {} than A's; agree when a step ends (the next step's key, or `e` when the clinician stops) and log interruptions as they start",
            fmt_secs((mean.abs() * 10.0).round() / 10.0),
            if mean >= 0.0 { "longer" } else { "shorter" },
        ));
    }
    if g.verdicts
        .timing_gap_secs
        .is_some_and(|v| v < Verdict::Good)
        && g.suggested_shift_b_secs.is_none()
    {
        advice.push(format!(
            "step starts: one in ten is more than {} s apart; press the step key when the clinician begins the step, not when you notice it",
            g.timing_gap_secs.map_or(0.0, |t| (t.p90 * 10.0).round() / 10.0)
        ));
    }
    for (noun, e) in [
        ("interruptions", &g.interruptions),
        ("workarounds", &g.workarounds),
        ("system problems", &g.system_problems),
    ] {
        advice.extend(event_advice(noun, e, g.tolerance_secs));
    }
    match g.verdicts.overall {
        Verdict::Good => advice.push(
            "the two auditors agree well: their sessions can be pooled, and either can shadow alone"
                .to_string(),
        ),
        _ => advice.push(
            "calibrate: replay both sessions at the times listed, settle each rule in writing, then shadow one more clinician together and run agree again"
                .to_string(),
        ),
    }
    advice
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

fn verdict(v: Option<Verdict>) -> &'static str {
    v.map_or("n/a", Verdict::name)
}

/// The text report.
pub fn render_text(g: &Agreement) -> String {
    let mut out = String::new();
    write_header(&mut out, g);
    write_figures(&mut out, g);
    write_findings(&mut out, g);
    out
}

/// Which sessions, and the window compared.
fn write_header(w: &mut String, g: &Agreement) {
    let _ = writeln!(
        w,
        "Agreement of two auditors: pathway {}, clinician {}",
        g.a.pathway_id, g.a.clinician
    );
    for (name, s) in [("A", &g.a), ("B", &g.b)] {
        let _ = writeln!(
            w,
            "  {name}: {} (auditor {}, site {}), started {}, {} steps in the window",
            s.id, s.auditor, s.site, s.started_at, s.steps
        );
    }
    let _ = writeln!(
        w,
        "  window: {} to {} ({} s), B at {:+} s on A's clock (--shift-b {}), {} slices compared, {} paused left out",
        g.window.start,
        g.window.end,
        fmt_secs(g.window.secs),
        g.window.b_offset_secs,
        fmt_secs(g.shift_b_secs),
        g.window.compared_slices,
        g.window.paused_slices
    );
    for warning in &g.warnings {
        let _ = writeln!(w, "  warning: {warning}");
    }
}

/// The figures with their verdicts, as a table.
fn write_figures(w: &mut String, g: &Agreement) {
    let _ = writeln!(w);
    let _ = writeln!(w, "  {:<22} {:<34} verdict", "figure", "value");
    let v = &g.verdicts;
    let rows: Vec<(&str, String, &str)> = vec![
        (
            "time_slice_kappa",
            figure(Some(g.time_slice_kappa)),
            v.time_slice_kappa.name(),
        ),
        (
            "naming_kappa",
            figure(g.naming_kappa),
            verdict(v.naming_kappa),
        ),
        (
            "duration_ccc",
            figure(g.duration_ccc),
            verdict(v.duration_ccc),
        ),
        (
            "timing_gap_secs",
            g.timing_gap_secs.map_or_else(
                || "n/a".to_string(),
                |t| format!("median {:.1}, p90 {:.1}", t.median, t.p90),
            ),
            verdict(v.timing_gap_secs),
        ),
        (
            "sequence_similarity",
            figure(Some(g.sequence_similarity)),
            v.sequence_similarity.name(),
        ),
        (
            "interruptions",
            events(&g.interruptions),
            v.interruptions.name(),
        ),
        ("workarounds", events(&g.workarounds), v.workarounds.name()),
        (
            "system_problems",
            events(&g.system_problems),
            v.system_problems.name(),
        ),
    ];
    for (name, value, verdict) in rows {
        let _ = writeln!(w, "  {name:<22} {value:<34} {verdict}");
    }
    let _ = writeln!(w, "  {:<22} {:<34} {}", "overall", "", v.overall.name());
}

/// Where the two disagree, what only one logged, and what to do.
fn write_findings(w: &mut String, g: &Agreement) {
    if !g.disagreements.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(w, "Where they disagree most (A's clock):");
        for (n, d) in g.disagreements.iter().enumerate() {
            let _ = writeln!(w, "  {}. {}", n + 1, d.text);
        }
    }
    if !g.step_issues.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(w, "Steps:");
        const SHOWN: usize = 12;
        for issue in g.step_issues.iter().take(SHOWN) {
            let _ = writeln!(w, "  - {}", issue.text);
        }
        if g.step_issues.len() > SHOWN {
            let _ = writeln!(
                w,
                "  ... and {} more (--format json lists them all)",
                g.step_issues.len() - SHOWN
            );
        }
    }
    let unmatched: Vec<String> = [
        ("interruption", &g.interruptions),
        ("workaround", &g.workarounds),
        ("system problem", &g.system_problems),
    ]
    .iter()
    .flat_map(|(noun, e)| {
        let a = e.unmatched_a.iter().map(move |x| (x, "A", "B", noun));
        let b = e.unmatched_b.iter().map(move |x| (x, "B", "A", noun));
        a.chain(b)
    })
    .map(|(x, who, other, noun)| {
        let during = x
            .step
            .as_ref()
            .map(|s| format!(" during `{s}`"))
            .unwrap_or_default();
        format!(
            "{} {noun} {} logged by {who}{during}, not by {other}",
            x.at, x.kind
        )
    })
    .collect();
    if !unmatched.is_empty() {
        let _ = writeln!(w);
        let _ = writeln!(w, "Unmatched within {} s:", fmt_secs(g.tolerance_secs));
        for line in unmatched {
            let _ = writeln!(w, "  - {line}");
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "What to do:");
    for line in &g.advice {
        let _ = writeln!(w, "  - {line}");
    }
}

fn events(e: &EventAgreement) -> String {
    format!(
        "P {:.2} R {:.2} ({} matched; A {}, B {})",
        e.precision, e.recall, e.matched, e.a, e.b
    )
}

/// Seconds for sentences: whole seconds when whole, else one decimal.
pub(super) fn fmt_secs(secs: f64) -> String {
    if secs.fract() == 0.0 {
        format!("{secs:.0}")
    } else {
        format!("{secs:.1}")
    }
}
