//! Small statistics: the one quantile function (the report's medians and p90s, agreement's
//! timing gaps, the benchmarks' percentiles), rounding, and a stable hash for ids.

/// The `q` quantile (0..=1) of `samples` by linear interpolation between closest ranks
/// (numpy's and pandas' default, R's type 7: rank = q (n - 1)). `None` when there are no
/// samples. Sorts `samples` in place; `f32` samples and `f64` alike.
pub fn quantile<T: Copy + Into<f64>>(samples: &mut [T], q: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_by(|a, b| (*a).into().total_cmp(&(*b).into()));
    Some(quantile_sorted(samples, q))
}

/// As [`quantile`], on samples already sorted ascending (and not empty).
pub fn quantile_sorted<T: Copy + Into<f64>>(sorted: &[T], q: f64) -> f64 {
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let low: f64 = sorted[position.floor() as usize].into();
    let high: f64 = sorted[position.ceil() as usize].into();
    low + (high - low) * position.fract()
}

/// 64-bit FNV-1a: the same value on every run, machine and Rust version (unlike
/// `DefaultHasher`), which is what a finding's stable id needs.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator that cannot occur in the parts keeps ("ab","c") apart from ("a","bc").
            hash ^= 0x1f;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for byte in part.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// Rounds for display and JSON: `digits` decimals.
pub fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let mut v: Vec<f32> = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(quantile(&mut v, 0.5), Some(5.5));
        // numpy.percentile(range(1, 11), 90) == 9.1
        assert!((quantile(&mut v, 0.9).unwrap() - 9.1).abs() < 1e-9);
        let mut one = vec![7.0f32];
        assert_eq!(quantile(&mut one, 0.9), Some(7.0));
        let mut unsorted = vec![30.0f64, 10.0, 20.0];
        assert_eq!(quantile(&mut unsorted, 0.5), Some(20.0));
        assert_eq!(quantile::<f64>(&mut [], 0.5), None);
        // rank 0.9 · 3 = 2.7: 3 + 0.7 · (4 - 3).
        let mut four = [4.0f64, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&mut four, 0.5), Some(2.5));
        assert!((quantile(&mut four, 0.9).unwrap() - 3.7).abs() < 1e-12);
    }

    #[test]
    fn fnv1a_is_stable_and_separates_parts() {
        // The published FNV-1a 64 test vector for "a".
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }

    #[test]
    fn round_keeps_digits() {
        assert_eq!(round(1.23456, 2), 1.23);
        assert_eq!(round(-0.005, 1), -0.0);
    }
}
