//! The statistics of audit rounds (docs/rounds.md): each one computes exactly what the
//! reference tool named in its doc computes, so a reviewer can recompute every figure.
//! `tests/rounds_stats.rs` checks them against fixtures made with scipy and statsmodels.

/// z for a two-sided 95 % interval as the Hodges-Lehmann interval's rule writes it (rounded
/// to six decimals on purpose: the rule is stated with this number).
pub const HL_Z: f64 = 1.959964;

/// The standard normal upper tail P(Z > z), as `scipy.stats.norm.sf`.
pub fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// The standard normal quantile (inverse CDF) of `p` in (0, 1): Acklam's rational
/// approximation refined by one Halley step on the exact tail, which gives full double
/// precision (as `scipy.stats.norm.ppf`). 0 and 1 give minus and plus infinity.
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.02425;
    let tail = |q: f64| {
        let q = (-2.0 * q.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut x = if p < P_LOW {
        tail(p)
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail(1.0 - p)
    };
    // Halley refinement against the exact CDF; the tail form keeps precision for small p.
    for _ in 0..2 {
        let cdf = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2);
        let e = cdf - p;
        let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

/// The median as numpy computes it (the mean of the two middle values of an even count).
/// `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(median_sorted(&sorted))
}

fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The two-sided Mann-Whitney U p-value of `after` against `before`, exactly as
/// `scipy.stats.mannwhitneyu(after, before, alternative="two-sided", method="asymptotic",
/// use_continuity=True)`: the normal approximation with the tie correction. `None` when a
/// group is empty.
pub fn mann_whitney_p(after: &[f64], before: &[f64]) -> Option<f64> {
    let (n1, n2) = (after.len(), before.len());
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let mut all: Vec<(f64, bool)> = after
        .iter()
        .map(|&v| (v, true))
        .chain(before.iter().map(|&v| (v, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mid-ranks; ties add t^3 - t to the correction.
    let mut rank_sum_after = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let mid_rank = (i + 1 + j) as f64 / 2.0;
        let t = (j - i) as f64;
        tie_term += t * t * t - t;
        rank_sum_after += mid_rank * all[i..j].iter().filter(|e| e.1).count() as f64;
        i = j;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let u1 = rank_sum_after - n1f * (n1f + 1.0) / 2.0;
    let u2 = n1f * n2f - u1;
    let u = u1.max(u2);
    let mu = n1f * n2f / 2.0;
    let n = n1f + n2f;
    let s = (n1f * n2f / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let z = (u - mu - 0.5) / s;
    // All values equal: s is 0 and z is -inf (scipy gives p = 1 there too).
    let p = if z.is_nan() { 1.0 } else { 2.0 * normal_sf(z) };
    Some(p.clamp(0.0, 1.0))
}

/// The Hodges-Lehmann shift of `after` against `before` and its distribution-free 95 %
/// interval (docs/rounds.md): the median of the nm differences after minus before, and
/// [D(k), D(nm + 1 - k)] with k = floor(nm/2 - z sqrt(nm(n+m+1)/12)), z = 1.959964, no tie
/// correction; the interval is `None` when k < 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub estimate: f64,
    pub interval: Option<(f64, f64)>,
}

/// `None` when a group is empty. The nm differences are never all held: each order statistic
/// is selected from the sorted groups (O((n+m) log nm) each), so 5,000 against 5,000 is fast.
pub fn hodges_lehmann(after: &[f64], before: &[f64]) -> Option<Shift> {
    if after.is_empty() || before.is_empty() {
        return None;
    }
    let mut rows = after.to_vec();
    rows.sort_by(f64::total_cmp);
    // Columns descending, so that row[i] - column[j] grows along rows and columns.
    let mut columns = before.to_vec();
    columns.sort_by(|a, b| b.total_cmp(a));
    let matrix = DifferenceMatrix {
        rows: &rows,
        columns: &columns,
    };
    let (n, m) = (rows.len() as u64, columns.len() as u64);
    let nm = n * m;
    let estimate = if nm % 2 == 1 {
        matrix.select(nm.div_ceil(2))
    } else {
        (matrix.select(nm / 2) + matrix.select(nm / 2 + 1)) / 2.0
    };
    let (nmf, nf, mf) = (nm as f64, n as f64, m as f64);
    let k = (nmf / 2.0 - HL_Z * (nmf * (nf + mf + 1.0) / 12.0).sqrt()).floor();
    let interval = if k < 1.0 {
        None
    } else {
        let k = k as u64;
        Some((matrix.select(k), matrix.select(nm + 1 - k)))
    };
    Some(Shift { estimate, interval })
}

/// The nm differences rows[i] - columns[j] (rows ascending, columns descending), as a matrix
/// sorted along both axes.
struct DifferenceMatrix<'a> {
    rows: &'a [f64],
    columns: &'a [f64],
}

impl DifferenceMatrix<'_> {
    fn at(&self, i: usize, j: usize) -> f64 {
        self.rows[i] - self.columns[j]
    }

    /// How many entries of each row are below `pivot` (`strict`) or at most `pivot`: counts
    /// shrink as rows grow, so one walk of the columns serves every row.
    fn counts(&self, pivot: f64, strict: bool, out: &mut [usize]) {
        let m = self.columns.len();
        let mut j = m;
        for (i, slot) in out.iter_mut().enumerate() {
            while j > 0 && {
                let v = self.at(i, j - 1);
                if strict { v >= pivot } else { v > pivot }
            } {
                j -= 1;
            }
            *slot = j;
        }
    }

    /// The k-th smallest difference (1-based): randomized selection on the per-row candidate
    /// ranges [low, high), which shrink around the answer on every pivot.
    fn select(&self, k: u64) -> f64 {
        let n = self.rows.len();
        let m = self.columns.len();
        let mut low = vec![0usize; n];
        let mut high = vec![m; n];
        let mut below = vec![0usize; n];
        let mut at_most = vec![0usize; n];
        // A fixed seed: the answer is unique, the seed only sets how fast it is found.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        loop {
            let candidates: u64 = low.iter().zip(&high).map(|(l, h)| (h - l) as u64).sum();
            let excluded_low: u64 = low.iter().map(|&l| l as u64).sum();
            if candidates <= (n + m) as u64 {
                let mut rest: Vec<f64> = (0..n)
                    .flat_map(|i| (low[i]..high[i]).map(move |j| (i, j)))
                    .map(|(i, j)| self.at(i, j))
                    .collect();
                rest.sort_by(f64::total_cmp);
                return rest[(k - excluded_low - 1) as usize];
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut pick = state % candidates;
            let mut pivot = f64::NAN;
            for i in 0..n {
                let width = (high[i] - low[i]) as u64;
                if pick < width {
                    pivot = self.at(i, low[i] + pick as usize);
                    break;
                }
                pick -= width;
            }
            self.counts(pivot, true, &mut below);
            self.counts(pivot, false, &mut at_most);
            let less: u64 = below.iter().map(|&c| c as u64).sum();
            let less_or_equal: u64 = at_most.iter().map(|&c| c as u64).sum();
            if less < k && k <= less_or_equal {
                return pivot;
            }
            if k <= less {
                for (h, &c) in high.iter_mut().zip(&below) {
                    *h = (*h).min(c);
                }
            } else {
                for (l, &c) in low.iter_mut().zip(&at_most) {
                    *l = (*l).max(c);
                }
            }
            for (l, h) in low.iter_mut().zip(high.iter_mut()) {
                *h = (*h).max(*l);
            }
        }
    }
}

/// ln(n!), precise enough for the hypergeometric probabilities of Fisher's test.
fn ln_factorial(n: u64) -> f64 {
    libm::lgamma(n as f64 + 1.0)
}

/// Fisher's exact test, two-sided, on the 2x2 table [[a, b], [c, d]], as
/// `scipy.stats.fisher_exact`: the sum of the probabilities of every table with the same
/// margins that is no more likely than the observed one. 1 when a row or column sums to 0.
pub fn fisher_exact_p(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (row1, row2, col1) = (a + b, c + d, a + c);
    if row1 == 0 || row2 == 0 || col1 == 0 || b + d == 0 {
        return 1.0;
    }
    let total = row1 + row2;
    let ln_choose_total = ln_factorial(total) - ln_factorial(col1) - ln_factorial(total - col1);
    let ln_pmf = |x: u64| -> f64 {
        // P(X = x) = C(row1, x) C(row2, col1 - x) / C(total, col1).
        ln_factorial(row1) - ln_factorial(x) - ln_factorial(row1 - x) + ln_factorial(row2)
            - ln_factorial(col1 - x)
            - ln_factorial(row2 - (col1 - x))
            - ln_choose_total
    };
    let lowest = col1.saturating_sub(row2);
    let highest = col1.min(row1);
    let observed = ln_pmf(a);
    // Tables as likely as the observed one count too; a relative tolerance keeps tables that
    // are equally likely in exact arithmetic together despite rounding.
    let threshold = observed + 1e-7_f64.ln_1p();
    let p: f64 = (lowest..=highest)
        .map(ln_pmf)
        .filter(|&l| l <= threshold)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// Wilson's score interval for `k` of `n`, as statsmodels' `proportion_confint(method=
/// "wilson")`, at the two-sided level 1 - alpha.
pub fn wilson_interval(k: u64, n: u64, alpha: f64) -> (f64, f64) {
    let crit = normal_quantile(1.0 - alpha / 2.0);
    let crit2 = crit * crit;
    let (k, n) = (k as f64, n as f64);
    let q = k / n;
    let denominator = 1.0 + crit2 / n;
    let center = (q + crit2 / (2.0 * n)) / denominator;
    let distance = crit * (q * (1.0 - q) / n + crit2 / (4.0 * n * n)).sqrt() / denominator;
    (center - distance, center + distance)
}

/// The difference of two rates, k1/n1 - k2/n2, with Newcombe's hybrid score interval, as
/// statsmodels' `confint_proportions_2indep(k1, n1, k2, n2, compare="diff",
/// method="newcomb")` (95 %). `None` when a group is empty.
pub fn newcombe_difference(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<(f64, f64, f64)> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let alpha = 0.05;
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let (low1, high1) = wilson_interval(k1, n1, alpha);
    let (low2, high2) = wilson_interval(k2, n2, alpha);
    let difference = p1 - p2;
    let down = ((p1 - low1).powi(2) + (high2 - p2).powi(2)).sqrt();
    let up = ((p2 - low2).powi(2) + (high1 - p1).powi(2)).sqrt();
    Some((difference, difference - down, difference + up))
}

/// Benjamini-Hochberg adjusted p-values in the input order, as statsmodels'
/// `multipletests(p, method="fdr_bh")[1]`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let n = p_values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![0.0; n];
    let mut running = f64::INFINITY;
    for (position, &index) in order.iter().enumerate().rev() {
        let raw = p_values[index] * n as f64 / (position + 1) as f64;
        running = running.min(raw);
        adjusted[index] = running.min(1.0);
    }
    adjusted
}

/// Noether's sessions-per-group for a two-sided Mann-Whitney test with equal groups:
/// (z_{1-alpha/2} + z_{power})^2 / (6 (p - 1/2)^2), p = P(after < before). Infinite when
/// p is 1/2 (no difference to detect).
pub fn noether_n(p: f64, alpha: f64, power: f64) -> f64 {
    let z = normal_quantile(1.0 - alpha / 2.0) + normal_quantile(power);
    z * z / (6.0 * (p - 0.5).powi(2))
}

/// P(X_after < X_before) + P(tie)/2 over every pair of the pilot's values, with the after
/// values the pilot's scaled by 1 - `reduction`.
pub fn probability_lower(pilot: &[f64], reduction: f64) -> Option<f64> {
    if pilot.is_empty() {
        return None;
    }
    let mut before = pilot.to_vec();
    before.sort_by(f64::total_cmp);
    let factor = 1.0 - reduction;
    let mut score = 0.0;
    for &x in pilot {
        let after = x * factor;
        let not_greater = before.partition_point(|&b| b <= after);
        let lower = before.partition_point(|&b| b < after);
        // Pairs with before > after count 1, ties 1/2.
        let greater = before.len() - not_greater;
        let ties = not_greater - lower;
        score += greater as f64 + ties as f64 / 2.0;
    }
    Some(score / (pilot.len() as f64 * before.len() as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_hl(after: &[f64], before: &[f64]) -> Shift {
        let mut d: Vec<f64> = after
            .iter()
            .flat_map(|a| before.iter().map(move |b| a - b))
            .collect();
        d.sort_by(f64::total_cmp);
        let nm = d.len() as f64;
        let k = (nm / 2.0 - HL_Z * (nm * (after.len() + before.len() + 1) as f64 / 12.0).sqrt())
            .floor();
        Shift {
            estimate: median_sorted(&d),
            interval: (k >= 1.0).then(|| (d[k as usize - 1], d[d.len() - k as usize])),
        }
    }

    #[test]
    fn selection_agrees_with_sorting_every_difference() {
        let mut rng = 0x1234_5678_u64;
        let mut next = |modulo: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % modulo
        };
        for round in 0..200 {
            let n = 1 + next(60) as usize;
            let m = 1 + next(60) as usize;
            // Few distinct values on some rounds: many ties.
            let spread = if round % 3 == 0 { 4 } else { 1000 };
            let after: Vec<f64> = (0..n).map(|_| next(spread) as f64 / 2.0).collect();
            let before: Vec<f64> = (0..m).map(|_| next(spread) as f64 / 2.0).collect();
            assert_eq!(
                hodges_lehmann(&after, &before).unwrap(),
                brute_hl(&after, &before),
                "n {n} m {m}"
            );
        }
    }

    #[test]
    fn normal_quantile_inverts_the_tail() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_quantile(0.8) - 0.841_621_233_572_914_3).abs() < 1e-14);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-11);
        assert_eq!(normal_quantile(0.5), 0.0);
    }

    #[test]
    fn benjamini_hochberg_keeps_order_and_monotonicity() {
        let adjusted = benjamini_hochberg(&[0.04, 0.01, 0.03, 0.5]);
        // statsmodels: [0.05333333, 0.04, 0.05333333, 0.5]
        let expected = [0.04 * 4.0 / 3.0, 0.04, 0.04 * 4.0 / 3.0, 0.5];
        for (a, e) in adjusted.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{adjusted:?}");
        }
    }
}
