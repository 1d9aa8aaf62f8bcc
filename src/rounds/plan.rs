//! Planning a round: how many sessions are needed to detect a given relative reduction of a
//! step's median active time (Noether's formula for a two-sided Mann-Whitney test, equal
//! groups), from pilot sessions (docs/rounds.md).

use std::path::PathBuf;

use serde::Serialize;

use crate::report::{ReportOptions, collect_session_files, for_each_digested};

use super::stats;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub step: String,
    pub label: String,
    pub reduction: f64,
    pub power: f64,
    pub alpha: f64,
    pub pilot_sessions: u64,
    pub pilot_occurrences: u64,
    pub pilot_median_active_secs: Option<f64>,
    pub occurrences_per_session: f64,
    /// P(after < before) with the pilot's occurrences scaled by 1 - reduction.
    pub p_lower: f64,
    /// Occurrences needed per round (Noether), rounded up; `None` when nothing can be detected.
    pub occurrences_per_round: Option<u64>,
    pub sessions_per_round: Option<u64>,
    /// The smallest reduction the pilot's own size (its occurrences per round) would detect at
    /// this power and alpha, to 0.1 %; `None` when not even 99 %.
    pub pilot_detects_reduction: Option<f64>,
}

/// The plan from the pilot's occurrences of the step (active seconds) and its session count.
pub fn plan(
    step: &str,
    label: &str,
    pilot: &[f64],
    pilot_sessions: u64,
    reduction: f64,
    power: f64,
    alpha: f64,
) -> Result<Plan, String> {
    if !(reduction > 0.0 && reduction < 1.0) {
        return Err(format!(
            "--reduction {reduction}: give a share between 0 and 1, e.g. 0.3 for 30 %"
        ));
    }
    let share = |v: f64| v > 0.0 && v < 1.0;
    if !(share(power) && share(alpha)) {
        return Err("--power and --alpha are shares between 0 and 1 (e.g. 0.8, 0.05)".into());
    }
    if pilot.is_empty() || pilot_sessions == 0 {
        return Err(format!(
            "the pilot sessions never show step `{step}`: check the step id (`shadowmap pathways show ID`)"
        ));
    }
    let per_session = pilot.len() as f64 / pilot_sessions as f64;
    let p_lower = stats::probability_lower(pilot, reduction).expect("pilot is not empty");
    let needed = stats::noether_n(p_lower, alpha, power);
    let occurrences = needed.is_finite().then(|| needed.ceil() as u64);
    let sessions = needed
        .is_finite()
        .then(|| (needed / per_session).ceil() as u64);
    Ok(Plan {
        step: step.to_string(),
        label: label.to_string(),
        reduction,
        power,
        alpha,
        pilot_sessions,
        pilot_occurrences: pilot.len() as u64,
        pilot_median_active_secs: stats::median(pilot),
        occurrences_per_session: per_session,
        p_lower,
        occurrences_per_round: occurrences,
        sessions_per_round: sessions,
        pilot_detects_reduction: detectable_reduction(pilot, alpha, power),
    })
}

/// The smallest reduction (to 0.1 %) whose Noether size fits in the pilot's occurrences.
fn detectable_reduction(pilot: &[f64], alpha: f64, power: f64) -> Option<f64> {
    let fits = |thousandths: u32| {
        let p = stats::probability_lower(pilot, f64::from(thousandths) / 1000.0)
            .expect("pilot is not empty");
        stats::noether_n(p, alpha, power) <= pilot.len() as f64
    };
    if !fits(990) {
        return None;
    }
    // P(after < before) grows with the reduction: bisect on thousandths.
    let (mut low, mut high) = (0u32, 990u32);
    while high - low > 1 {
        let middle = (low + high) / 2;
        if fits(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    Some(f64::from(high) / 1000.0)
}

/// A plan and what reading its pilot met: files skipped (with why), and sessions read with
/// events after their finish left out.
pub struct PlanRead {
    pub plan: Plan,
    pub skipped: Vec<(PathBuf, String)>,
    pub after_finish: Vec<crate::report::stream::AfterFinish>,
}

/// The plan from pilot session files or folders.
pub fn plan_from_files(
    paths: &[PathBuf],
    pathway: Option<&str>,
    step: &str,
    reduction: f64,
    power: f64,
    alpha: f64,
) -> Result<PlanRead, String> {
    let files = collect_session_files(paths).map_err(|e| e.to_string())?;
    if files.is_empty() {
        return Err("no pilot session files (.ron) given: give session files or folders".into());
    }
    let reading = ReportOptions {
        pathway: pathway.map(str::to_string),
        ..ReportOptions::default()
    };
    let mut pilot = Vec::new();
    let mut sessions = 0u64;
    let mut label = None;
    let mut skipped = Vec::new();
    let mut after_finish = Vec::new();
    for_each_digested(&files, &reading, |outcome| match outcome {
        // Sessions of other pathways say nothing about this step's rate per session.
        Ok(d)
            if d.pathway.step(step).is_none() && !d.digest.steps.iter().any(|s| s.step == step) => {
        }
        Ok(d) => {
            after_finish.extend(d.after_finish);
            sessions += 1;
            if label.is_none() {
                label = d.pathway.step(step).map(|s| s.label.clone());
            }
            pilot.extend(
                d.digest
                    .steps
                    .iter()
                    .filter(|s| s.step == step)
                    .map(|s| s.active_secs),
            );
        }
        Err(e) => skipped.push(e),
    })?;
    let label = label.unwrap_or_else(|| step.to_string());
    plan(step, &label, &pilot, sessions, reduction, power, alpha).map(|plan| PlanRead {
        plan,
        skipped,
        after_finish,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noether_grows_as_the_reduction_shrinks() {
        let pilot: Vec<f64> = (1..=40).map(|i| 60.0 + f64::from(i) * 3.0).collect();
        let big = plan("s", "S", &pilot, 20, 0.5, 0.8, 0.05).unwrap();
        let small = plan("s", "S", &pilot, 20, 0.1, 0.8, 0.05).unwrap();
        assert!(big.sessions_per_round.unwrap() < small.sessions_per_round.unwrap());
        // Two occurrences a session: sessions are half the occurrences, rounded up.
        let occ = small.occurrences_per_round.unwrap();
        let needed = stats::noether_n(small.p_lower, 0.05, 0.8);
        assert_eq!(occ, needed.ceil() as u64);
        assert_eq!(small.sessions_per_round, Some((needed / 2.0).ceil() as u64));
        let detects = big.pilot_detects_reduction.unwrap();
        assert!(detects > 0.0 && detects < 0.5, "{detects}");
    }

    #[test]
    fn bad_plans_say_what_to_give() {
        assert!(
            plan("s", "S", &[1.0], 1, 1.5, 0.8, 0.05)
                .unwrap_err()
                .contains("--reduction")
        );
        assert!(
            plan("s", "S", &[], 3, 0.3, 0.8, 0.05)
                .unwrap_err()
                .contains("`s`")
        );
    }
}
