//! The sample sessions of `sample-sessions/`: realistic, finished shadowing sessions over
//! the built-in pathways, three sites and five roles, for the tests, the docs and demos.
//!
//! Deterministic: the same program writes the same bytes (no clock, no system randomness; the
//! small jitter between clicks comes from a fixed-seed generator per session). `cargo run --example
//! make_samples` writes them; `tests/samples.rs` checks that the committed files are exactly
//! what these scripts build.
//!
//! Patterns planted on purpose, for compare and report:
//! - design-like: `enter-home-meds` (med-rec-admission), `review-alert` (cpoe-med-order) and
//!   `pdmp-query` (eprescribe-controlled) run well over expected at every site;
//! - training-like: `scan-medication` and `document-admin` (med-administration) are slow at
//!   site `river` only, with extra screens, while `north` and `lake` do them as expected;
//! - integration: `second_system`, `copy_paste`, `duplicate_entry` workarounds and `missing_data`
//!   problems around outside pharmacy records, outside labs and the PDMP portal;
//! - infrastructure: `slow_response`, `login_timeout`, `hardware`;
//! - policy: `shared_login` workarounds, and the steps rules force (PDMP query, wristband scan);
//! - recurring departures from the configured order, each shown by at least two sessions (so
//!   that `shadowmap suggest` has evidence for a revision): allergies reviewed after the home
//!   medications are entered (med-rec-admission), a wristband scanned twice before it reads
//!   (med-administration), the controlled drug selected before the PDMP check, which the EHR
//!   then prompts (eprescribe-controlled), renal function checked before the dose is edited
//!   (cpoe-med-order);
//! - the clinicians' voice: three clinicians answer the SUS and the raw NASA-TLX at the finish
//!   (one skips an item, so only their TLX scores).
//!
//! `sample-sessions/round-2/` is a second audit round ([`round_two_sessions`]) for `shadowmap
//! rounds`: a home-medication order set at `north`, a badge tap-in login at `lake`.

use crate::model::{InterruptionSource as Src, ProblemKind as Prob, Session, WorkaroundKind as Wa};

use super::SessionBuilder;

/// Every sample session, in a fixed order.
pub fn all_sessions() -> Vec<Session> {
    vec![
        med_rec_north(),
        med_rec_river(),
        med_rec_lake(),
        med_rec_north_pharmacist(),
        med_rec_north_allergies_last(),
        med_rec_lake_pharmacist(),
        bcma_north(),
        bcma_river(),
        bcma_river_second(),
        bcma_lake(),
        bcma_north_wristband(),
        bcma_lake_wristband(),
        epcs_north(),
        epcs_river(),
        epcs_lake(),
        epcs_north_drug_first(),
        epcs_river_drug_first(),
        cpoe_north(),
        cpoe_river(),
        cpoe_lake(),
        cpoe_river_renal(),
        lab_review_river(),
        triage_clerk_lake(),
        triage_rn_north(),
    ]
}

// ---- Medication reconciliation at admission: `enter-home-meds` is slow everywhere (design),
// outside pharmacy records are not in the EHR (integration).

fn med_rec_north() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-16T09:12:00+01:00",
        "north",
        "RN-07",
        "ak",
        "med-rec-admission",
    );
    b.work("open-chart", 24.0, 5, 1);
    b.work("review-allergies", 38.0, 4, 1);
    b.step("ask-patient").act(95.0, 0, 0, 0);
    b.interrupt(Src::Family, "daughter arrives with a bag of pill bottles")
        .act(45.0, 0, 0, 0)
        .resume();
    b.act(110.0, 0, 0, 0)
        .note("Patient unsure of the statin dose; bottles say 40 mg, patient says 20 mg");
    b.step("pharmacy-record").act(40.0, 5, 1, 0);
    b.problem(
        Prob::MissingData,
        "No outside dispensing history in the EHR for this patient",
    );
    b.workaround(
        Wa::SecondSystem,
        "Looked up fill history in the regional pharmacy portal",
    );
    b.act(105.0, 10, 2, 0);
    b.step("enter-home-meds").act(140.0, 24, 2, 2);
    b.workaround(
        Wa::CopyPaste,
        "Copied the list from the last discharge summary, then edited",
    );
    b.act(90.0, 16, 1, 2);
    b.interrupt(Src::Colleague, "charge nurse asks about a bed")
        .act(25.0, 0, 0, 0);
    b.interrupt(
        Src::PhonePager,
        "pager: lab critical value for another patient",
    )
    .act(30.0, 2, 1, 0)
    .resume();
    b.act(12.0, 0, 0, 0).resume();
    b.act(235.0, 32, 2, 3);
    b.work("sign", 21.0, 3, 0);
    b.finish_with_voice(
        [4, 2, 3, 3, 2, 3, 4, 4, 3, 2].map(Some),
        [70, 35, 80, 40, 75, 65].map(Some),
    )
}

fn med_rec_river() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T14:05:00+01:00",
        "river",
        "RN-12",
        "jm",
        "med-rec-admission",
    );
    b.work("open-chart", 19.0, 4, 1);
    // Optional allergy review left out; the pharmacy record first (the group allows any order).
    b.step("pharmacy-record").act(50.0, 6, 1, 0);
    b.problem(
        Prob::MissingData,
        "Outpatient pharmacy fills from another chain not visible",
    );
    b.workaround(
        Wa::SecondSystem,
        "Asked outpatient pharmacy to fax the list",
    );
    b.act(60.0, 6, 1, 0);
    b.unplanned(
        "call-pharmacy",
        "Phone the outpatient pharmacy for fill history",
    )
    .act(175.0, 2, 0, 0);
    b.work("ask-patient", 165.0, 0, 0);
    b.step("enter-home-meds").act(150.0, 26, 2, 2);
    b.problem(
        Prob::SlowResponse,
        "Drug search takes about 8 s per medication",
    );
    b.act(140.0, 22, 1, 2);
    // The auditor keyed one click too many and took it back.
    b.act(2.0, 1, 0, 0).undo_last();
    b.act(150.0, 18, 1, 1);
    b.step("enter-home-meds").act(95.0, 13, 1, 1);
    b.note("Second pass after the faxed list arrived");
    b.work("sign", 16.0, 3, 0);
    b.finish()
}

fn med_rec_lake() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T07:30:00+01:00",
        "lake",
        "RN-03",
        "ak",
        "med-rec-admission",
    );
    b.step("open-chart").act(10.0, 2, 0, 0);
    b.problem(
        Prob::LoginTimeout,
        "Session timed out at the bedside; badge re-login took 40 s",
    );
    b.act(22.0, 4, 1, 0);
    b.work("review-allergies", 33.0, 3, 1);
    b.step("ask-patient").act(120.0, 0, 0, 0);
    b.interrupt(Src::AlarmDevice, "IV pump occlusion alarm")
        .act(50.0, 0, 0, 0)
        .resume();
    b.act(110.0, 0, 0, 0);
    b.step("pharmacy-record").act(45.0, 6, 1, 0);
    b.workaround(
        Wa::CopyPaste,
        "Pasted the fill list from the pharmacy portal into a note",
    );
    b.act(45.0, 5, 1, 0);
    b.step("enter-home-meds").act(60.0, 6, 1, 0);
    b.workaround(
        Wa::PaperNote,
        "Wrote doses on paper at the bedside, typed them in later",
    );
    b.act(440.0, 69, 3, 7);
    b.interrupt(Src::Colleague, "rapid response called on the unit")
        .act(20.0, 0, 0, 0);
    // She leaves for the rapid response: a task switch, and the reconciliation stays unsigned.
    b.unplanned("rapid-response", "Rapid response on another patient")
        .act(600.0, 0, 0, 0);
    b.note("Called to rapid response; reconciliation left unsigned at end of observation");
    b.finish()
}

fn med_rec_north_pharmacist() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-19T10:10:00+01:00",
        "north",
        "PharmD-02",
        "jm",
        "med-rec-admission",
    );
    b.work("open-chart", 16.0, 3, 1);
    b.step("pharmacy-record").act(25.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "Dispensing history only in the pharmacy system",
    );
    b.act(35.0, 5, 0, 0);
    b.work("ask-patient", 150.0, 0, 0);
    // The auditor's break, agreed with the pharmacist: paused time counts for nothing.
    b.wait(5.0).pause(300.0);
    b.step("enter-home-meds").act(200.0, 34, 2, 2);
    b.workaround(
        Wa::DuplicateEntry,
        "Entered the same meds again in the pharmacy intervention log",
    );
    b.act(205.0, 30, 2, 2);
    // Allergies reviewed after entering the medications: out of the pathway's order.
    b.work("review-allergies", 29.0, 3, 1);
    b.work("sign", 14.0, 3, 0);
    b.finish()
}

/// North, another nurse: allergies confirmed on the signing screen, after the home
/// medications (as the pharmacist does): the pathway has them right after the chart.
fn med_rec_north_allergies_last() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T09:40:00+01:00",
        "north",
        "RN-22",
        "ak",
        "med-rec-admission",
    );
    b.work("open-chart", 21.0, 4, 1);
    b.work("ask-patient", 170.0, 0, 0);
    b.step("pharmacy-record").act(35.0, 5, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "Looked up fill history in the regional pharmacy portal",
    );
    b.act(80.0, 8, 2, 0);
    b.step("enter-home-meds").act(150.0, 22, 2, 1);
    b.workaround(
        Wa::CopyPaste,
        "Copied the list from the last discharge summary, then edited",
    );
    b.act(160.0, 24, 1, 2);
    b.interrupt(Src::PhonePager, "phone: bed management about a transfer")
        .act(35.0, 0, 0, 0)
        .resume();
    b.act(110.0, 15, 1, 1);
    b.work("review-allergies", 31.0, 3, 1);
    b.note("Allergies confirmed when the signing screen asked for them, after the med list");
    b.work("sign", 17.0, 3, 0);
    b.finish()
}

/// Lake's pharmacist: the pharmacy record first, allergies at the end, as at north.
fn med_rec_lake_pharmacist() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T11:20:00+01:00",
        "lake",
        "PharmD-06",
        "ak",
        "med-rec-admission",
    );
    b.step("open-chart").act(8.0, 2, 0, 0);
    b.problem(
        Prob::LoginTimeout,
        "Timed out between patients; badge re-login took 35 s",
    );
    b.act(20.0, 3, 1, 0);
    b.step("pharmacy-record").act(30.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "Dispensing history only in the pharmacy system",
    );
    b.act(40.0, 6, 1, 0);
    b.work("ask-patient", 140.0, 0, 0);
    b.step("enter-home-meds").act(180.0, 30, 2, 2);
    b.interrupt(Src::Colleague, "nurse asks about an IV compatibility")
        .act(40.0, 0, 0, 0)
        .resume();
    b.act(170.0, 26, 2, 1);
    b.work("review-allergies", 26.0, 3, 1);
    b.work("sign", 13.0, 3, 0);
    b.finish()
}

// ---- Bar-code medication administration: slow at `river` only (training-like); shared
// login for the co-signature (policy).

fn bcma_north() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-16T08:05:00+01:00",
        "north",
        "RN-07",
        "ak",
        "med-administration",
    );
    b.work("open-mar", 16.0, 3, 1);
    b.work("scan-wristband", 11.0, 1, 0);
    b.work("scan-medication", 14.0, 2, 0);
    b.step("scan-medication").act(8.0, 1, 0, 0);
    b.interrupt(Src::Patient, "patient asks for water")
        .act(25.0, 0, 0, 0)
        .resume();
    b.act(9.0, 1, 0, 0);
    b.work("scan-medication", 16.0, 2, 0);
    b.work("verify-dose", 34.0, 5, 1);
    b.step("document-admin").act(10.0, 2, 0, 0);
    b.interrupt(Src::Colleague, "student nurse asks about a dressing")
        .act(20.0, 0, 0, 0);
    b.interrupt(Src::PhonePager, "phone: pharmacy about a missing dose")
        .act(40.0, 1, 0, 0)
        .resume();
    b.act(15.0, 0, 0, 0).resume();
    b.act(12.0, 2, 0, 0);
    b.work("reassess", 28.0, 4, 1);
    b.finish()
}

fn bcma_river() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T08:10:00+01:00",
        "river",
        "RN-12",
        "jm",
        "med-administration",
    );
    b.work("open-mar", 19.0, 3, 1);
    b.work("scan-wristband", 14.0, 1, 0);
    b.work("scan-medication", 52.0, 6, 3);
    b.note("Looked for the partial-dose option in three menus");
    b.work("scan-medication", 47.0, 5, 2);
    b.work("verify-dose", 40.0, 6, 1);
    b.step("document-admin").act(30.0, 6, 2, 0);
    b.note(
        "New MAR documentation screen since go-live three weeks ago; nurse unsure of the fields",
    );
    b.act(48.0, 9, 2, 1);
    b.finish_with_voice(
        [2, 4, 2, 4, 3, 4, 3, 5, 2, 4].map(Some),
        [85, 60, 90, 55, 85, 90].map(Some),
    )
}

fn bcma_river_second() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T13:30:00+01:00",
        "river",
        "RN-15",
        "jm",
        "med-administration",
    );
    b.work("open-mar", 17.0, 3, 1);
    // Medication scanned before the patient: out of order against the wristband-first rule.
    b.work("scan-medication", 55.0, 6, 3);
    b.work("scan-wristband", 13.0, 1, 0);
    b.work("scan-medication", 50.0, 5, 2);
    b.step("document-admin").act(70.0, 13, 3, 1);
    b.interrupt(Src::EhrAlert, "high-alert medication pop-up")
        .problem(
            Prob::AlertFatigue,
            "Same insulin pop-up dismissed without reading",
        )
        .act(6.0, 1, 0, 0)
        .resume();
    b.act(10.0, 1, 0, 0);
    b.step("cosign").act(20.0, 2, 0, 0);
    b.workaround(
        Wa::SharedLogin,
        "Second nurse co-signed on the first nurse's open session",
    );
    b.act(15.0, 2, 0, 0);
    b.finish()
}

fn bcma_lake() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-19T08:15:00+01:00",
        "lake",
        "RN-03",
        "ak",
        "med-administration",
    );
    b.work("open-mar", 15.0, 3, 1);
    b.work("scan-wristband", 10.0, 1, 0);
    // The auditor pressed the wrong step key and took it back.
    b.step("document-admin").undo_last();
    b.work("scan-medication", 15.0, 2, 0);
    b.work("scan-medication", 17.0, 2, 0);
    b.step("verify-dose").act(12.0, 2, 0, 0);
    b.interrupt(Src::Patient, "patient reports new chest pain")
        .act(30.0, 0, 0, 0);
    // She never goes back to the dose check: a task switch out of the interruption.
    b.unplanned("pain-assessment", "Focused pain assessment and ECG request")
        .act(180.0, 9, 2, 0);
    b.work("document-admin", 21.0, 4, 0);
    b.step("reassess").act(25.0, 3, 1, 0);
    b.problem(
        Prob::Hardware,
        "Workstation on wheels battery died; moved to the hall computer",
    );
    b.act(20.0, 1, 0, 0);
    b.finish()
}

/// North: the wristband label is creased and the scanner reads it only the second time.
fn bcma_north_wristband() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T08:00:00+01:00",
        "north",
        "RN-22",
        "ak",
        "med-administration",
    );
    b.work("open-mar", 14.0, 3, 1);
    b.step("scan-wristband").act(9.0, 1, 0, 0);
    b.problem(
        Prob::Hardware,
        "Creased wristband label: the scanner would not read it",
    );
    b.act(6.0, 0, 0, 0);
    b.step("scan-wristband").act(12.0, 1, 0, 0);
    b.note("Flattened the band and scanned again; it read");
    b.work("scan-medication", 15.0, 2, 0);
    b.work("verify-dose", 31.0, 5, 1);
    b.work("document-admin", 19.0, 4, 0);
    b.finish()
}

/// Lake, the evening round: a worn wristband takes two scans, as at north.
fn bcma_lake_wristband() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T20:15:00+01:00",
        "lake",
        "RN-11",
        "ak",
        "med-administration",
    );
    b.work("open-mar", 16.0, 3, 1);
    b.step("scan-wristband").act(10.0, 1, 0, 0);
    b.problem(
        Prob::Hardware,
        "Worn wristband barcode; the first scan failed",
    );
    b.act(5.0, 0, 0, 0);
    b.work("scan-wristband", 11.0, 1, 0);
    b.work("scan-medication", 14.0, 2, 0);
    b.step("scan-medication").act(9.0, 1, 0, 0);
    b.interrupt(Src::Patient, "patient asks what the tablets are for")
        .act(30.0, 0, 0, 0)
        .resume();
    b.act(7.0, 1, 0, 0);
    b.work("verify-dose", 29.0, 5, 1);
    b.work("document-admin", 22.0, 4, 0);
    b.finish()
}

// ---- E-prescribing of a controlled substance: the PDMP lives in a separate portal
// (integration, slow everywhere), two-factor signing times out (infrastructure).

fn epcs_north() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-16T15:20:00+01:00",
        "north",
        "MD-21",
        "ak",
        "eprescribe-controlled",
    );
    b.work("open-chart", 22.0, 4, 1);
    b.work("review-med-list", 31.0, 3, 0);
    // The prescription is started before the PDMP check: out of order.
    b.work("select-drug", 34.0, 6, 1);
    b.step("pdmp-query").act(30.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "PDMP is a separate state web portal with its own login",
    );
    b.act(110.0, 8, 2, 1);
    b.work("review-pdmp", 58.0, 5, 1);
    b.step("document-pdmp").act(12.0, 2, 0, 0);
    b.workaround(Wa::CopyPaste, "Pasted the PDMP summary into the visit note");
    b.act(26.0, 2, 0, 0);
    b.work("enter-sig", 50.0, 11, 1);
    b.step("two-factor-sign").act(20.0, 2, 0, 0);
    b.problem(
        Prob::Hardware,
        "Token phone in the locker; walked to fetch it",
    );
    b.act(55.0, 2, 0, 0);
    b.work("transmit", 11.0, 2, 0);
    b.finish()
}

fn epcs_river() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T11:00:00+01:00",
        "river",
        "NP-04",
        "jm",
        "eprescribe-controlled",
    );
    b.work("open-chart", 18.0, 4, 1);
    b.step("pdmp-query").act(20.0, 3, 1, 0);
    b.problem(
        Prob::SlowResponse,
        "State PDMP portal took 45 s to return the report",
    );
    b.workaround(
        Wa::SecondSystem,
        "Logged into the PDMP portal in a second browser",
    );
    b.act(115.0, 8, 2, 1);
    b.work("review-pdmp", 48.0, 4, 1);
    // The PDMP review is never documented: a missing step the policy requires.
    b.work("select-drug", 28.0, 6, 1);
    b.step("enter-sig").act(40.0, 9, 1, 0);
    b.note("Pharmacy to call back about quantity: MRN 00482913, callback 555-0142");
    b.act(10.0, 1, 0, 0);
    b.work("choose-pharmacy", 14.0, 3, 0);
    b.step("two-factor-sign").act(25.0, 2, 0, 0);
    b.problem(
        Prob::LoginTimeout,
        "Two-factor prompt timed out; token entered again",
    );
    b.act(40.0, 3, 0, 1);
    b.work("transmit", 9.0, 2, 0);
    b.finish()
}

fn epcs_lake() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T15:45:00+01:00",
        "lake",
        "MD-09",
        "ak",
        "eprescribe-controlled",
    );
    b.work("open-chart", 20.0, 4, 1);
    b.work("review-med-list", 28.0, 3, 0);
    b.step("pdmp-query").act(40.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "PDMP checked in the state portal, outside the EHR",
    );
    b.act(115.0, 7, 1, 1);
    b.work("review-pdmp", 50.0, 4, 1);
    b.work("document-pdmp", 24.0, 3, 0);
    b.work("select-drug", 30.0, 6, 1);
    b.step("enter-sig").act(35.0, 8, 1, 0);
    b.interrupt(Src::EhrAlert, "opioid dose warning")
        .problem(
            Prob::AlertFatigue,
            "Morphine-equivalent warning shown for a low dose",
        )
        .act(12.0, 2, 0, 0)
        .resume();
    b.problem(
        Prob::ErrorMessage,
        "Quantity exceeds days' supply; sig re-entered",
    );
    b.act(40.0, 8, 1, 2);
    // Auditor's break while the physician sees another patient.
    b.pause(420.0);
    b.work("two-factor-sign", 42.0, 4, 0);
    b.work("transmit", 10.0, 2, 0);
    b.finish()
}

/// North again: the drug is selected first, and choosing a controlled drug brings up the
/// PDMP prompt (as in `epcs_north`).
fn epcs_north_drug_first() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-19T14:30:00+01:00",
        "north",
        "MD-21",
        "ak",
        "eprescribe-controlled",
    );
    b.work("open-chart", 19.0, 4, 1);
    b.work("review-med-list", 26.0, 3, 0);
    b.work("select-drug", 31.0, 6, 1);
    b.note("PDMP prompt appeared on selecting the controlled drug");
    b.step("pdmp-query").act(25.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "PDMP is a separate state web portal with its own login",
    );
    b.act(105.0, 7, 2, 1);
    b.work("review-pdmp", 52.0, 5, 1);
    b.work("document-pdmp", 25.0, 3, 0);
    b.work("enter-sig", 46.0, 10, 1);
    b.work("two-factor-sign", 24.0, 2, 0);
    b.work("transmit", 10.0, 2, 0);
    b.finish()
}

/// River, a physician: the drug first, then the PDMP the EHR prompts for.
fn epcs_river_drug_first() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T10:15:00+01:00",
        "river",
        "MD-30",
        "jm",
        "eprescribe-controlled",
    );
    b.work("open-chart", 17.0, 4, 1);
    b.work("select-drug", 27.0, 6, 1);
    b.step("pdmp-query").act(20.0, 3, 1, 0);
    b.problem(
        Prob::SlowResponse,
        "State PDMP portal took 50 s to return the report",
    );
    b.act(120.0, 8, 2, 1);
    b.work("review-pdmp", 44.0, 4, 1);
    b.work("document-pdmp", 21.0, 3, 0);
    b.work("enter-sig", 42.0, 9, 1);
    b.work("two-factor-sign", 23.0, 2, 0);
    b.work("transmit", 9.0, 2, 0);
    b.finish()
}

// ---- CPOE medication order: interaction alerts take long at every site (design).

fn cpoe_north() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-16T10:40:00+01:00",
        "north",
        "MD-21",
        "ak",
        "cpoe-med-order",
    );
    b.work("open-orders", 15.0, 3, 1);
    b.step("search-drug").act(15.0, 2, 0, 0);
    b.problem(Prob::SlowResponse, "Order search spun for 20 s");
    b.act(28.0, 3, 0, 0);
    b.work("pick-order-sentence", 16.0, 2, 0);
    b.work("edit-dose", 42.0, 8, 1);
    b.step("review-alert").act(20.0, 3, 1, 0);
    b.problem(
        Prob::AlertFatigue,
        "Duplicate-therapy alert for an order discontinued yesterday",
    );
    b.act(22.0, 3, 0, 0);
    b.work("override-reason", 18.0, 3, 0);
    b.step("review-alert").act(15.0, 2, 0, 0);
    b.interrupt(Src::PhonePager, "page from the ED about an admission")
        .act(40.0, 0, 0, 0);
    b.interrupt(Src::Colleague, "resident asks a question at the desk")
        .act(35.0, 0, 0, 0)
        .resume();
    b.act(20.0, 0, 0, 0).resume();
    b.act(30.0, 3, 1, 0);
    b.work("review-alert", 44.0, 5, 1);
    b.work("override-reason", 17.0, 3, 0);
    b.work("sign-order", 11.0, 2, 0);
    b.finish()
}

fn cpoe_river() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-17T16:15:00+01:00",
        "river",
        "MD-30",
        "jm",
        "cpoe-med-order",
    );
    b.work("open-orders", 14.0, 3, 1);
    b.work("search-drug", 22.0, 4, 0);
    b.work("pick-order-sentence", 14.0, 2, 0);
    b.step("review-alert").act(25.0, 3, 1, 0);
    b.problem(
        Prob::AlertFatigue,
        "Interaction alert (moderate) for a combination given for years",
    );
    b.act(24.0, 3, 0, 0);
    b.work("override-reason", 16.0, 3, 0);
    b.work("review-alert", 47.0, 6, 1);
    b.work("sign-order", 10.0, 2, 0);
    b.finish()
}

fn cpoe_lake() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T09:50:00+01:00",
        "lake",
        "MD-09",
        "ak",
        "cpoe-med-order",
    );
    b.work("open-orders", 16.0, 3, 1);
    b.work("search-drug", 21.0, 4, 0);
    b.work("pick-order-sentence", 15.0, 2, 0);
    b.step("check-renal").act(15.0, 3, 1, 0);
    b.problem(
        Prob::MissingData,
        "Creatinine from the outside lab this morning not in the EHR",
    );
    b.workaround(
        Wa::SecondSystem,
        "Looked the result up in the reference lab's portal",
    );
    b.act(70.0, 7, 2, 1);
    b.unplanned(
        "call-pharmacist",
        "Call the unit pharmacist about renal dosing",
    )
    .act(95.0, 0, 0, 0);
    b.work("edit-dose", 38.0, 8, 1);
    b.step("review-alert").act(20.0, 3, 0, 0);
    b.problem(
        Prob::AlertFatigue,
        "Renal dosing alert repeats the adjustment just made",
    );
    b.act(25.0, 3, 1, 0);
    b.work("review-alert", 43.0, 5, 1);
    b.work("override-reason", 19.0, 3, 0);
    b.work("sign-order", 12.0, 2, 0);
    b.finish_with_voice(
        [
            Some(3),
            Some(3),
            Some(4),
            None,
            Some(2),
            Some(3),
            Some(4),
            Some(3),
            Some(3),
            Some(2),
        ],
        [60, 20, 55, 30, 60, 50].map(Some),
    )
}

/// River: renal function checked before the dose is edited (as at lake), the reverse of the
/// pathway's order.
fn cpoe_river_renal() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-19T15:10:00+01:00",
        "river",
        "MD-30",
        "jm",
        "cpoe-med-order",
    );
    b.work("open-orders", 15.0, 3, 1);
    b.work("search-drug", 20.0, 4, 0);
    b.work("pick-order-sentence", 14.0, 2, 0);
    b.work("check-renal", 34.0, 5, 1);
    b.note("eGFR 28: dose to be reduced before anything else");
    b.work("edit-dose", 44.0, 9, 1);
    b.step("review-alert").act(20.0, 3, 1, 0);
    b.problem(
        Prob::AlertFatigue,
        "Renal dosing alert for the dose just reduced",
    );
    b.act(22.0, 2, 0, 0);
    b.work("override-reason", 18.0, 3, 0);
    b.work("sign-order", 11.0, 2, 0);
    b.finish()
}

// ---- Lab result review.

fn lab_review_river() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-19T13:00:00+01:00",
        "river",
        "MD-30",
        "jm",
        "lab-result-review",
    );
    b.work("open-inbox", 16.0, 2, 1);
    b.work("open-result", 14.0, 2, 0);
    b.step("view-trend").act(15.0, 3, 1, 0);
    b.problem(
        Prob::MissingData,
        "Potassium values from the outside clinic missing from the trend",
    );
    b.act(25.0, 3, 0, 0);
    b.step("notify-patient").act(40.0, 5, 1, 0);
    b.workaround(
        Wa::DuplicateEntry,
        "Portal message template lacks the value field; value typed by hand",
    );
    b.act(50.0, 5, 0, 1);
    b.interrupt(Src::SelfInitiated, "opens another result in the inbox")
        .act(35.0, 4, 1, 0)
        .resume();
    b.work("document-plan", 62.0, 6, 1);
    b.work("order-follow-up", 47.0, 9, 1);
    b.work("acknowledge", 5.0, 1, 0);
    b.idle().wait(20.0);
    b.finish()
}

// ---- ED triage: a registration clerk (only the first step is hers) and a triage nurse.

fn triage_clerk_lake() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-18T22:10:00+01:00",
        "lake",
        "Clerk-05",
        "ak",
        "ed-triage",
    );
    b.step("quick-register").act(30.0, 6, 1, 0);
    b.workaround(
        Wa::SharedLogin,
        "Registration PC stays logged in as the charge clerk all night",
    );
    b.act(100.0, 16, 3, 1);
    b.unplanned("verify-insurance", "Verify insurance in the payer portal")
        .act(40.0, 5, 1, 0);
    b.workaround(
        Wa::DuplicateEntry,
        "Typed demographics again into the payer portal",
    );
    b.act(55.0, 9, 1, 2);
    b.idle().wait(30.0);
    b.finish()
}

fn triage_rn_north() -> Session {
    let mut b = SessionBuilder::new(
        "2026-11-16T23:30:00+01:00",
        "north",
        "RN-44",
        "jm",
        "ed-triage",
    );
    // Registration was done by the clerk: the nurse starts at the triage form.
    b.work("open-triage-form", 14.0, 3, 1);
    b.work("chief-complaint", 50.0, 7, 0);
    b.step("vital-signs").act(20.0, 3, 0, 0);
    b.problem(
        Prob::MissingData,
        "Vitals monitor not interfaced; values not in the EHR",
    );
    b.workaround(
        Wa::DuplicateEntry,
        "Read vitals off the monitor and typed them in",
    );
    b.act(55.0, 9, 1, 1);
    b.work("pain-score", 14.0, 2, 0);
    b.step("allergies-meds").act(40.0, 6, 1, 0);
    b.interrupt(Src::Family, "family member asks how long the wait is")
        .act(30.0, 0, 0, 0)
        .resume();
    b.act(45.0, 7, 0, 0);
    b.work("suicide-screen", 48.0, 6, 1);
    b.work("sepsis-screen", 32.0, 5, 0);
    b.work("assign-esi", 22.0, 3, 0);
    b.step("protocol-orders").act(35.0, 8, 1, 0);
    b.interrupt(Src::AlarmDevice, "waiting-room call bell")
        .act(15.0, 0, 0, 0)
        .resume();
    b.work("protocol-orders", 38.0, 8, 1);
    b.work("sign-triage", 11.0, 2, 0);
    b.finish()
}

/// The re-audit three weeks later (`sample-sessions/round-2/`), after two changes: at `north`
/// a new home-medication order set (`enter-home-meds` takes about half the time and the
/// copy-paste from old discharge summaries stops), at `lake` a badge tap-in login (no more
/// login timeouts when opening the chart). `river` changed nothing. `shadowmap rounds
/// sample-sessions sample-sessions/round-2 --split folder` tells that story.
pub fn round_two_sessions() -> Vec<Session> {
    vec![
        med_rec_north_order_set("2026-12-07T09:05:00+01:00", "RN-07", 120.0, 95.0),
        med_rec_north_order_set("2026-12-07T13:40:00+01:00", "RN-15", 105.0, 80.0),
        med_rec_north_order_set("2026-12-08T08:20:00+01:00", "RN-22", 130.0, 70.0),
        med_rec_north_pharmacist_order_set(),
        med_rec_river_again(),
        med_rec_lake_tap_in(),
        epcs_lake_tap_in(),
        epcs_river_again(),
    ]
}

/// North with the order set: home medications picked from the order set, no copy-paste.
fn med_rec_north_order_set(at: &str, clinician: &str, first: f64, second: f64) -> Session {
    let mut b = SessionBuilder::new(at, "north", clinician, "ak", "med-rec-admission");
    b.work("open-chart", 22.0, 4, 1);
    b.work("review-allergies", 35.0, 3, 1);
    b.step("ask-patient").act(150.0, 0, 0, 0);
    b.interrupt(Src::Colleague, "charge nurse asks about a bed")
        .act(30.0, 0, 0, 0)
        .resume();
    b.act(40.0, 0, 0, 0);
    b.step("pharmacy-record").act(45.0, 4, 1, 0);
    b.problem(
        Prob::MissingData,
        "No outside dispensing history in the EHR for this patient",
    );
    b.workaround(
        Wa::SecondSystem,
        "Looked up fill history in the regional pharmacy portal",
    );
    b.act(40.0, 6, 1, 0);
    b.step("enter-home-meds").act(first, 18, 1, 0);
    b.note("Home medications picked from the new order set");
    b.act(second, 12, 1, 0);
    b.work("sign", 19.0, 3, 0);
    b.finish()
}

fn med_rec_north_pharmacist_order_set() -> Session {
    let mut b = SessionBuilder::new(
        "2026-12-10T10:15:00+01:00",
        "north",
        "PharmD-02",
        "jm",
        "med-rec-admission",
    );
    b.work("open-chart", 15.0, 3, 1);
    b.work("review-allergies", 27.0, 3, 1);
    b.step("pharmacy-record").act(30.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "Dispensing history only in the pharmacy system",
    );
    b.act(30.0, 5, 0, 0);
    b.work("ask-patient", 140.0, 0, 0);
    b.step("enter-home-meds").act(150.0, 22, 1, 1);
    b.workaround(
        Wa::DuplicateEntry,
        "Entered the same meds again in the pharmacy intervention log",
    );
    b.act(95.0, 14, 1, 0);
    b.work("sign", 15.0, 3, 0);
    b.finish()
}

/// River changed nothing (the same nurse, a similar admission): the slow drug search and the phone call for fill history remain.
fn med_rec_river_again() -> Session {
    let mut b = SessionBuilder::new(
        "2026-12-08T14:10:00+01:00",
        "river",
        "RN-12",
        "jm",
        "med-rec-admission",
    );
    b.work("open-chart", 20.0, 4, 1);
    b.step("pharmacy-record").act(55.0, 6, 1, 0);
    b.problem(
        Prob::MissingData,
        "Outpatient pharmacy fills from another chain not visible",
    );
    b.workaround(
        Wa::SecondSystem,
        "Asked outpatient pharmacy to fax the list",
    );
    b.act(50.0, 5, 1, 0);
    b.unplanned(
        "call-pharmacy",
        "Phone the outpatient pharmacy for fill history",
    )
    .act(160.0, 2, 0, 0);
    b.work("ask-patient", 170.0, 0, 0);
    b.step("enter-home-meds").act(160.0, 27, 2, 2);
    b.problem(
        Prob::SlowResponse,
        "Drug search takes about 8 s per medication",
    );
    b.act(150.0, 22, 1, 2);
    b.act(140.0, 18, 1, 1);
    b.work("sign", 17.0, 3, 0);
    b.finish()
}

/// Lake with badge tap-in: the chart opens without a login timeout.
fn med_rec_lake_tap_in() -> Session {
    let mut b = SessionBuilder::new(
        "2026-12-09T07:45:00+01:00",
        "lake",
        "RN-03",
        "ak",
        "med-rec-admission",
    );
    b.work("open-chart", 14.0, 3, 0);
    b.work("review-allergies", 31.0, 3, 1);
    b.step("ask-patient").act(200.0, 0, 0, 0);
    b.step("pharmacy-record").act(40.0, 6, 1, 0);
    b.workaround(
        Wa::CopyPaste,
        "Pasted the fill list from the pharmacy portal into a note",
    );
    b.act(40.0, 5, 1, 0);
    b.step("enter-home-meds").act(60.0, 6, 1, 0);
    b.workaround(
        Wa::PaperNote,
        "Wrote doses on paper at the bedside, typed them in later",
    );
    b.act(380.0, 60, 3, 5);
    b.work("sign", 18.0, 3, 0);
    b.finish()
}

fn epcs_lake_tap_in() -> Session {
    let mut b = SessionBuilder::new(
        "2026-12-09T15:30:00+01:00",
        "lake",
        "MD-09",
        "ak",
        "eprescribe-controlled",
    );
    b.work("open-chart", 12.0, 3, 0);
    b.work("review-med-list", 26.0, 3, 0);
    b.step("pdmp-query").act(35.0, 4, 1, 0);
    b.workaround(
        Wa::SecondSystem,
        "PDMP checked in the state portal, outside the EHR",
    );
    b.act(110.0, 7, 1, 1);
    b.work("review-pdmp", 46.0, 4, 1);
    b.work("document-pdmp", 22.0, 3, 0);
    b.work("select-drug", 29.0, 6, 1);
    b.work("enter-sig", 48.0, 9, 1);
    b.work("two-factor-sign", 18.0, 2, 0);
    b.work("transmit", 9.0, 2, 0);
    b.finish()
}

fn epcs_river_again() -> Session {
    let mut b = SessionBuilder::new(
        "2026-12-10T11:20:00+01:00",
        "river",
        "NP-04",
        "jm",
        "eprescribe-controlled",
    );
    b.work("open-chart", 19.0, 4, 1);
    b.step("pdmp-query").act(25.0, 3, 1, 0);
    b.problem(
        Prob::SlowResponse,
        "State PDMP portal took 40 s to return the report",
    );
    b.workaround(
        Wa::SecondSystem,
        "Logged into the PDMP portal in a second browser",
    );
    b.act(105.0, 8, 2, 1);
    b.work("review-pdmp", 45.0, 4, 1);
    b.work("select-drug", 27.0, 6, 1);
    b.work("enter-sig", 45.0, 9, 0);
    b.work("choose-pharmacy", 13.0, 3, 0);
    b.step("two-factor-sign").act(22.0, 2, 0, 0);
    b.problem(
        Prob::LoginTimeout,
        "Two-factor prompt timed out; token entered again",
    );
    b.act(38.0, 3, 0, 1);
    b.work("transmit", 9.0, 2, 0);
    b.finish()
}

// ---- A site with its own vocabulary: `harbor` (sample-sessions/harbor/).

/// The file name of Harbor's pathway in `sample-sessions/harbor/`.
pub const HARBOR_PATHWAY_FILE: &str = "harbor-med-rec.ron";

/// Harbor's own pathway file: medication reconciliation as this hospital configured it, with
/// the interruption sources, workaround kinds and problem kinds its wards have and the
/// built-in vocabularies lack (docs/pathways.md, "Site vocabulary"). Two interruption
/// sources more than the nine built-in ones, so the capture picker pages with Tab.
pub const HARBOR_PATHWAY: &str = r#"// Harbor General: medication reconciliation at admission, as the hospital configured it.
Pathway(
    id: "harbor-med-rec",
    version: 1,
    name: "Medication reconciliation at admission (Harbor General)",
    description: "Admitting nurse reconciles home medications; the GP surgery holds the list.",
    roles: ["RN", "PharmD"],
    steps: [
        Step(id: "open-chart", label: "Open the patient's chart", expected_secs: 20, expected_clicks: 4),
        AnyOrder(id: "gather-sources", label: "Gather medication sources", steps: [
            Step(id: "ask-patient", label: "Ask patient or family", expected_secs: 150, expected_clicks: 0),
            Step(id: "gp-list", label: "Get the GP surgery's medication list", expected_secs: 90, expected_clicks: 6),
        ]),
        Step(id: "enter-home-meds", label: "Enter home medications", expected_secs: 240,
             expected_clicks: 40, repeat: true),
        Step(id: "sign", label: "Sign reconciliation", expected_secs: 15, expected_clicks: 3),
    ],
    vocabulary: Vocabulary(
        interruptions: [
            Entry(id: "bed_manager", label: "Bed manager"),
            Entry(id: "porter", label: "Porter / transport"),
        ],
        workarounds: [
            Entry(id: "fax", label: "Fax to or from the GP surgery", cause: Some(integration)),
            Entry(id: "ward_whiteboard", label: "Ward whiteboard"),
        ],
        problems: [
            Entry(id: "badge_reader", label: "Badge reader fails", cause: Some(infrastructure)),
            Entry(id: "wifi_dropout", label: "Wi-Fi drops on the ward", cause: Some(infrastructure)),
        ],
    ),
)
"#;

/// Harbor's pathway, parsed.
pub fn harbor_pathway() -> crate::model::Pathway {
    crate::model::Pathway::from_ron_str(HARBOR_PATHWAY, std::path::Path::new(HARBOR_PATHWAY_FILE))
        .expect("Harbor's pathway is valid")
}

/// A kind of Harbor's own vocabulary, by its id.
fn harbor<K: crate::model::VocabularyKind>(id: &str) -> K {
    let kind = K::from_name(id).expect("a snake_case id");
    assert!(
        harbor_pathway().vocabulary.entry(kind).is_some(),
        "{id} is in Harbor's file"
    );
    kind
}

/// Harbor's sessions: the GP list arrives by fax at every visit (integration, by the `cause:`
/// of the `fax` entry), the badge readers fail on one ward, the bed manager and porters break
/// in; two clinicians answer the SUS and the raw NASA-TLX.
pub fn harbor_sessions() -> Vec<Session> {
    let pathway = harbor_pathway();
    let new = |at: &str, clinician: &str, auditor: &str| {
        super::SessionBuilder::on_pathway(at, "harbor", clinician, auditor, &pathway)
    };
    let mut sessions = Vec::new();

    let mut b = new("2026-11-23T08:10:00+00:00", "RN-31", "ak");
    b.work("open-chart", 25.0, 5, 1);
    b.problem(
        harbor("badge_reader"),
        "badge reader on bay 2 did not log in",
    );
    b.act(20.0, 2, 0, 0);
    b.step("gp-list").act(40.0, 4, 1, 0);
    b.workaround(harbor("fax"), "rang the surgery; list faxed to the ward");
    b.act(170.0, 3, 0, 0);
    b.step("ask-patient").act(120.0, 0, 0, 0);
    b.interrupt(
        harbor("bed_manager"),
        "bed manager needs the discharge time of bay 4",
    )
    .act(60.0, 0, 0, 0)
    .resume();
    b.step("enter-home-meds").act(280.0, 44, 2, 2);
    b.workaround(
        harbor("ward_whiteboard"),
        "doses copied to the whiteboard for the round",
    );
    b.act(40.0, 4, 0, 0);
    b.work("sign", 18.0, 3, 0);
    sessions.push(b.finish_with_voice(
        [3, 3, 3, 3, 2, 3, 4, 4, 3, 2].map(Some),
        [65, 30, 75, 50, 70, 60].map(Some),
    ));

    let mut b = new("2026-11-23T10:40:00+00:00", "RN-33", "ak");
    b.work("open-chart", 22.0, 4, 1);
    b.step("ask-patient").act(140.0, 0, 0, 0);
    b.step("gp-list").act(35.0, 3, 1, 0);
    b.workaround(harbor("fax"), "surgery faxed the repeat prescription list");
    b.act(210.0, 2, 0, 0);
    b.interrupt(
        harbor("porter"),
        "porter arrives to take the patient to X-ray",
    )
    .act(90.0, 0, 0, 0)
    .resume();
    b.step("enter-home-meds").act(300.0, 46, 2, 3);
    b.work("sign", 16.0, 3, 0);
    sessions.push(b.finish());

    let mut b = new("2026-11-24T09:05:00+00:00", "RN-31", "jb");
    b.work("open-chart", 30.0, 6, 1);
    b.problem(
        harbor("wifi_dropout"),
        "workstation on wheels lost the network",
    );
    b.act(45.0, 3, 1, 0);
    b.step("gp-list").act(30.0, 4, 1, 0);
    b.workaround(harbor("fax"), "list faxed; two pages missing, asked again");
    b.act(240.0, 4, 0, 0);
    b.step("ask-patient").act(160.0, 0, 0, 0);
    b.interrupt(Src::Family, "son brings the blister pack")
        .act(40.0, 0, 0, 0)
        .resume();
    b.step("enter-home-meds").act(260.0, 40, 2, 2);
    b.work("sign", 20.0, 3, 0);
    sessions.push(b.finish());

    let mut b = new("2026-11-24T13:20:00+00:00", "PharmD-06", "jb");
    b.work("open-chart", 18.0, 4, 1);
    b.step("gp-list").act(30.0, 5, 1, 0);
    b.workaround(harbor("fax"), "GP list by fax again");
    b.act(150.0, 3, 0, 0);
    b.step("ask-patient").act(110.0, 0, 0, 0);
    b.step("enter-home-meds").act(230.0, 38, 2, 1);
    b.problem(
        harbor("badge_reader"),
        "badge reader timed out at the drug room",
    );
    b.act(30.0, 2, 0, 0);
    b.interrupt(harbor("bed_manager"), "bed manager asks about a transfer")
        .act(45.0, 0, 0, 0)
        .resume();
    b.work("sign", 15.0, 3, 0);
    sessions.push(b.finish_with_voice(
        [4, 2, 4, 2, 3, 2, 4, 3, 4, 2].map(Some),
        [Some(55), Some(20), Some(60), Some(35), Some(55), None],
    ));

    let mut b = new("2026-11-25T08:30:00+00:00", "RN-35", "ak");
    b.work("open-chart", 21.0, 4, 1);
    b.step("ask-patient").act(130.0, 0, 0, 0);
    b.step("gp-list").act(40.0, 4, 1, 0);
    b.workaround(
        harbor("fax"),
        "fax machine out of paper; list read out by phone",
    );
    b.act(200.0, 2, 0, 0);
    b.step("enter-home-meds").act(270.0, 42, 2, 2);
    b.workaround(
        Wa::PaperNote,
        "doses on a paper slip while the chart reloads",
    );
    b.act(30.0, 3, 0, 0);
    b.work("sign", 17.0, 3, 0);
    sessions.push(b.finish());
    sessions
}
