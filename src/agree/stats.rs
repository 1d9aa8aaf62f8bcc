//! The statistics behind the agreement figures: Cohen's kappa, Lin's concordance correlation
//! coefficient, percentiles and the Needleman-Wunsch similarity of two sequences. Pure
//! functions over plain slices, each with its edge cases written down.

use std::collections::HashMap;
use std::hash::Hash;

/// Cohen's kappa of two raters who labelled the same items (`a[i]` and `b[i]` are the two
/// labels of item `i`), the same value scikit-learn's `cohen_kappa_score` gives.
///
/// kappa = (p_o - p_e) / (1 - p_e), computed as 1 - n (n - agreed) / (n² - Σ r_l c_l) with
/// integer counts (r_l, c_l: how often each rater used label l), so only one rounding happens.
///
/// Edge cases:
/// - no items: `None` (nothing to compare);
/// - both raters used one and the same label for every item (p_e = 1, where the formula is
///   0/0 and scikit-learn answers NaN): 1.0, since the two agree on everything;
/// - each rater used a single label but not the same one: 0.0 (the formula gives it).
///
/// # Panics
/// When the two slices differ in length (a programming error, never user input).
pub fn cohen_kappa<T: Eq + Hash>(a: &[T], b: &[T]) -> Option<f64> {
    assert_eq!(a.len(), b.len(), "kappa needs two labels per item");
    if a.is_empty() {
        return None;
    }
    let mut counts: HashMap<&T, (u64, u64)> = HashMap::new();
    let mut agreed = 0u64;
    for (x, y) in a.iter().zip(b) {
        counts.entry(x).or_default().0 += 1;
        counts.entry(y).or_default().1 += 1;
        if x == y {
            agreed += 1;
        }
    }
    let n = a.len() as u128;
    let chance: u128 = counts
        .values()
        .map(|&(r, c)| u128::from(r) * u128::from(c))
        .sum();
    let expected_disagreement = n * n - chance;
    if expected_disagreement == 0 {
        return Some(1.0);
    }
    let observed_disagreement = n * (n - u128::from(agreed));
    Some(1.0 - observed_disagreement as f64 / expected_disagreement as f64)
}

/// Lin's concordance correlation coefficient of paired measurements:
/// ρc = 2 s_xy / (s_x² + s_y² + (x̄ - ȳ)²), with population (1/n) moments as Lin defined it.
///
/// Edge cases:
/// - no pairs: `None`;
/// - every pair equal (x_i = y_i for all i, which includes one pair, or zero variance on both
///   sides with equal values): 1.0, where the formula can be 0/0;
/// - zero variance on one or both sides otherwise: the formula, which gives 0.0 (no
///   concordance can be shown when one auditor's durations do not vary).
pub fn lin_ccc(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "ccc needs pairs");
    if x.is_empty() {
        return None;
    }
    if x.iter().zip(y).all(|(a, b)| a == b) {
        return Some(1.0);
    }
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let mut sxx = 0.0;
    let mut syy = 0.0;
    let mut sxy = 0.0;
    for (a, b) in x.iter().zip(y) {
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
        sxy += (a - mx) * (b - my);
    }
    let (sxx, syy, sxy) = (sxx / n, syy / n, sxy / n);
    let denominator = sxx + syy + (mx - my) * (mx - my);
    if denominator == 0.0 {
        // Only reachable when every value is equal, which the check above already answered;
        // kept so that a rounding surprise can never produce NaN.
        return Some(1.0);
    }
    Some(2.0 * sxy / denominator)
}

/// Needleman-Wunsch global alignment score with match 1, mismatch 0 and gap 0 (so the
/// length of a longest common subsequence), divided by the longer sequence's length.
/// Two empty sequences are identical: 1.0. O(|a|·|b|) time, O(|b|) memory.
pub fn sequence_similarity<T: Eq>(a: &[T], b: &[T]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    needleman_wunsch_score(a, b) as f64 / longer as f64
}

/// The score of [`sequence_similarity`] before the division.
pub fn needleman_wunsch_score<T: Eq>(a: &[T], b: &[T]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    let mut current = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            let diagonal = previous[j] + usize::from(x == y);
            current[j + 1] = diagonal.max(previous[j + 1]).max(current[j]);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn kappa_by_hand() {
        // a a b b  vs  a b b b: p_o = 3/4; rater A: a 2, b 2; rater B: a 1, b 3;
        // p_e = (2·1 + 2·3)/16 = 1/2; kappa = (0.75 - 0.5)/(0.5) = 0.5.
        let k = cohen_kappa(&["a", "a", "b", "b"], &["a", "b", "b", "b"]).unwrap();
        assert!(close(k, 0.5), "{k}");
        // Swapped labels on every item: p_o = 0, p_e = 1/2: kappa = -1.
        let k = cohen_kappa(&["a", "b", "a", "b"], &["b", "a", "b", "a"]).unwrap();
        assert!(close(k, -1.0), "{k}");
    }

    #[test]
    fn kappa_edge_cases() {
        assert_eq!(cohen_kappa::<&str>(&[], &[]), None);
        assert_eq!(cohen_kappa(&["x", "x", "x"], &["x", "x", "x"]), Some(1.0));
        assert_eq!(cohen_kappa(&["x", "x"], &["y", "y"]), Some(0.0));
        assert_eq!(cohen_kappa(&["x", "y", "z"], &["x", "y", "z"]), Some(1.0));
    }

    #[test]
    fn ccc_by_hand() {
        // x = 1 2 3, y = 2 3 4: s_x² = s_y² = s_xy = 2/3, (x̄ - ȳ)² = 1:
        // ccc = (4/3) / (4/3 + 1) = 4/7.
        let c = lin_ccc(&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0]).unwrap();
        assert!(close(c, 4.0 / 7.0), "{c}");
        // Perfectly reversed: s_xy = -2/3, equal means: -1.
        let c = lin_ccc(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap();
        assert!(close(c, -1.0), "{c}");
    }

    #[test]
    fn ccc_edge_cases() {
        assert_eq!(lin_ccc(&[], &[]), None);
        assert_eq!(lin_ccc(&[0.1, 0.1, 0.1], &[0.1, 0.1, 0.1]), Some(1.0));
        assert_eq!(lin_ccc(&[7.0], &[7.0]), Some(1.0));
        assert_eq!(lin_ccc(&[7.0], &[9.0]), Some(0.0));
        assert_eq!(lin_ccc(&[5.0, 5.0], &[1.0, 3.0]), Some(0.0));
    }

    #[test]
    fn needleman_wunsch_by_hand() {
        let a = ["open", "allergies", "ask", "pharmacy", "enter", "sign"];
        let b = ["open", "pharmacy", "ask", "enter", "sign"];
        // Best alignment keeps open, ask (or pharmacy), enter, sign: 4 of the longer 6.
        assert_eq!(needleman_wunsch_score(&a, &b), 4);
        assert!(close(sequence_similarity(&a, &b), 4.0 / 6.0));
        assert_eq!(sequence_similarity(&a, &a), 1.0);
        assert_eq!(sequence_similarity::<&str>(&[], &[]), 1.0);
        assert_eq!(sequence_similarity(&["a"], &[]), 0.0);
    }
}
