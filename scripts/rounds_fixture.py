"""Builds tests/fixtures/rounds-stats.json (see rounds-fixture.sh): seeded generated rounds
with every statistic of docs/rounds.md as scipy and statsmodels compute it, and the
Hodges-Lehmann shift and interval by brute force over every pairwise difference.

Cases cover ties, small and large groups, all-equal groups and zero counts.
"""

import json
import math
import random

import numpy as np
import scipy
import statsmodels
from scipy.stats import fisher_exact, mannwhitneyu
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

Z = 1.959964


def hodges_lehmann(after, before):
    d = sorted(a - b for a in after for b in before)
    nm = len(d)
    k = math.floor(nm / 2 - Z * math.sqrt(nm * (len(after) + len(before) + 1) / 12))
    interval = None if k < 1 else [d[k - 1], d[nm - k]]
    return float(np.median(d)), interval


def sample(rng, n, kind):
    if kind == "ties":
        return [float(rng.randint(0, 5)) for _ in range(n)]
    if kind == "halves":
        return [rng.randint(0, 40) / 2 for _ in range(n)]
    if kind == "equal":
        return [7.0] * n
    return [round(rng.lognormvariate(4, 0.6), 3) for _ in range(n)]


def shifts(rng):
    cases = []
    sizes = [(1, 1), (1, 4), (2, 3), (3, 3), (5, 5), (5, 8), (12, 9), (30, 25), (60, 80), (200, 150), (400, 500)]
    kinds = ["continuous", "ties", "halves", "equal"]
    for n, m in sizes:
        for kind in kinds:
            after = sample(rng, n, kind)
            before = sample(rng, m, kind)
            if kind == "continuous" and rng.random() < 0.5:
                after = [round(a * 0.7, 3) for a in after]
            cases.append((kind, after, before))
    # one group all equal, the other not; the same values on both sides
    cases.append(("one-equal", [3.0] * 6, sample(rng, 7, "ties")))
    same = sample(rng, 9, "ties")
    cases.append(("identical", same, list(same)))
    out = []
    for kind, after, before in cases:
        p = mannwhitneyu(after, before, alternative="two-sided", method="asymptotic", use_continuity=True).pvalue
        estimate, interval = hodges_lehmann(after, before)
        out.append({
            "kind": kind, "after": after, "before": before,
            "p_value": None if math.isnan(p) else float(p),
            "median_after": float(np.median(after)), "median_before": float(np.median(before)),
            "hl_estimate": estimate, "hl_interval": interval,
        })
    return out


def rates(rng):
    cases = [(0, 10, 0, 12), (0, 5, 5, 5), (5, 5, 5, 5), (3, 3, 0, 7), (1, 1, 0, 1), (0, 1, 1, 1),
             (4, 20, 4, 20), (10, 20, 10, 20), (7, 30, 15, 31), (50, 400, 80, 380), (0, 300, 12, 290),
             (2, 9, 7, 9), (120, 1000, 95, 1000)]
    for _ in range(25):
        n1, n2 = rng.randint(1, 60), rng.randint(1, 60)
        cases.append((rng.randint(0, n1), n1, rng.randint(0, n2), n2))
    out = []
    for k1, n1, k2, n2 in cases:
        low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
        p = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided").pvalue
        out.append({"k_after": k1, "n_after": n1, "k_before": k2, "n_before": n2,
                    "difference": k1 / n1 - k2 / n2, "ci_low": float(low), "ci_high": float(high),
                    "p_value": float(p)})
    return out


def adjustments(rng):
    out = []
    sets = [[0.01], [0.04, 0.01, 0.03, 0.5], [0.2, 0.2, 0.2], [1.0, 1.0, 0.0], [0.001, 0.9, 0.04, 0.04, 0.06]]
    for _ in range(10):
        sets.append([round(rng.random() ** 3, 6) for _ in range(rng.randint(2, 40))])
    for p in sets:
        out.append({"p_values": p, "adjusted": [float(a) for a in multipletests(p, method="fdr_bh")[1]]})
    return out


def quantiles():
    from scipy.stats import norm
    return [{"p": p, "z": float(norm.ppf(p))} for p in [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.2, 0.5, 0.8, 0.9, 0.95, 0.975, 0.999]]


def main():
    rng = random.Random(20261201)
    fixture = {
        "made_with": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "shifts": shifts(rng),
        "rates": rates(rng),
        "adjustments": adjustments(rng),
        "quantiles": quantiles(),
    }
    # One case a line: small in the repository, readable in a diff.
    lines = ["{"]
    keys = list(fixture)
    for i, key in enumerate(keys):
        value = fixture[key]
        end = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(f' "{key}": [')
            lines.append(",\n".join("  " + json.dumps(case, separators=(",", ":")) for case in value))
            lines.append(" ]" + end)
        else:
            lines.append(f' "{key}": {json.dumps(value)}{end}')
    lines.append("}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
