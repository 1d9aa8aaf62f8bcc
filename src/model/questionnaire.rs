//! The clinician's own voice: the System Usability Scale and the raw NASA Task Load Index, as
//! the clinician answers them on the auditor's laptop at the end of a session (docs/capture.md).
//! Pure: the items, the answer ranges and the scores.

use serde::{Deserialize, Serialize};

/// Which questionnaire a set of answers belongs to.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instrument {
    /// System Usability Scale: 10 items, 1 (strongly disagree) to 5 (strongly agree).
    Sus,
    /// Raw NASA-TLX: 6 subscales, 0 to 100 in steps of 5.
    Tlx,
}

/// The SUS items, in order (odd items are worded positively, even ones negatively).
pub const SUS_ITEMS: [&str; 10] = [
    "I think that I would like to use this system frequently.",
    "I found the system unnecessarily complex.",
    "I thought the system was easy to use.",
    "I think that I would need the support of a technical person to be able to use this system.",
    "I found the various functions in this system were well integrated.",
    "I thought there was too much inconsistency in this system.",
    "I would imagine that most people would learn to use this system very quickly.",
    "I found the system very cumbersome to use.",
    "I felt very confident using the system.",
    "I needed to learn a lot of things before I could get going with this system.",
];

/// The NASA-TLX subscales: (name, the question, the low and high anchors).
pub const TLX_SUBSCALES: [(&str, &str, &str, &str); 6] = [
    (
        "Mental demand",
        "How mentally demanding was the task?",
        "very low",
        "very high",
    ),
    (
        "Physical demand",
        "How physically demanding was the task?",
        "very low",
        "very high",
    ),
    (
        "Temporal demand",
        "How hurried or rushed was the pace of the task?",
        "very low",
        "very high",
    ),
    (
        "Performance",
        "How successful were you in accomplishing what you were asked to do?",
        "perfect",
        "failure",
    ),
    (
        "Effort",
        "How hard did you have to work to accomplish your level of performance?",
        "very low",
        "very high",
    ),
    (
        "Frustration",
        "How insecure, discouraged, irritated, stressed and annoyed were you?",
        "very low",
        "very high",
    ),
];

/// The published mean SUS of EHRs (Melnick et al. 2020), the report's reference line.
pub const EHR_SUS_MEAN: f64 = 45.9;
/// Its standard deviation.
pub const EHR_SUS_SD: f64 = 21.9;
/// Where the EHR mean comes from, as the report cites it (docs/report.md).
pub const EHR_SUS_SOURCE: &str =
    "Melnick et al. 2020, Mayo Clinic Proceedings 95(3):476-487, US physicians rating their EHR";

impl Instrument {
    pub fn name(self) -> &'static str {
        match self {
            Instrument::Sus => "sus",
            Instrument::Tlx => "tlx",
        }
    }

    /// How many answers a complete set holds.
    pub fn items(self) -> usize {
        match self {
            Instrument::Sus => SUS_ITEMS.len(),
            Instrument::Tlx => TLX_SUBSCALES.len(),
        }
    }

    /// Whether `value` is an answer this instrument takes.
    pub fn accepts(self, value: u8) -> bool {
        match self {
            Instrument::Sus => (1..=5).contains(&value),
            Instrument::Tlx => value <= 100 && value.is_multiple_of(5),
        }
    }

    /// The score of a set of answers: SUS 0-100, or raw TLX (the mean of the six ratings);
    /// None when an item was skipped or an answer is out of range (no score from part of it).
    pub fn score(self, answers: &[Option<u8>]) -> Option<f64> {
        if answers.len() != self.items() {
            return None;
        }
        let values: Vec<u8> = answers.iter().copied().collect::<Option<Vec<u8>>>()?;
        if !values.iter().all(|&v| self.accepts(v)) {
            return None;
        }
        Some(match self {
            Instrument::Sus => {
                let sum: u32 = values
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| {
                        let x = u32::from(x);
                        // Items 1, 3, 5... (index 0, 2, 4...) are the odd ones.
                        if i % 2 == 0 { x - 1 } else { 5 - x }
                    })
                    .sum();
                2.5 * f64::from(sum)
            }
            Instrument::Tlx => {
                values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(values: &[u8]) -> Vec<Option<u8>> {
        values.iter().map(|&v| Some(v)).collect()
    }

    #[test]
    fn sus_scores_as_published() {
        // Best answers: odd items 5, even items 1.
        let best = all(&[5, 1, 5, 1, 5, 1, 5, 1, 5, 1]);
        assert_eq!(Instrument::Sus.score(&best), Some(100.0));
        assert_eq!(Instrument::Sus.score(&all(&[3; 10])), Some(50.0));
        assert_eq!(
            Instrument::Sus.score(&all(&[1, 5, 1, 5, 1, 5, 1, 5, 1, 5])),
            Some(0.0)
        );
        // 2.5 x ((4+3+4+2+3) odd-1 + (4+3+4+1+2) 5-even) = 2.5 x 30 = 75
        let mixed = all(&[5, 1, 4, 2, 5, 1, 3, 4, 4, 3]);
        assert_eq!(Instrument::Sus.score(&mixed), Some(75.0));
        let mut skipped = best.clone();
        skipped[3] = None;
        assert_eq!(Instrument::Sus.score(&skipped), None);
        assert_eq!(Instrument::Sus.score(&all(&[6; 10])), None);
    }

    #[test]
    fn raw_tlx_is_the_mean_of_six_ratings_in_steps_of_five() {
        assert_eq!(
            Instrument::Tlx.score(&all(&[50, 20, 75, 10, 60, 85])),
            Some(50.0)
        );
        assert_eq!(Instrument::Tlx.score(&all(&[50, 20, 75, 10, 60, 83])), None);
        assert_eq!(Instrument::Tlx.score(&all(&[50, 20])), None);
        assert!(Instrument::Tlx.accepts(0) && Instrument::Tlx.accepts(100));
        assert!(!Instrument::Tlx.accepts(105));
    }
}
