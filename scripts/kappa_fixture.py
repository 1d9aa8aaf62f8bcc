"""Builds the kappa fixture from shadowmap's slice labels (see regen-kappa-fixture.sh).

Reads a manifest (name, A, B, shift-b, labels.json per line, tab-separated), adds seeded
synthetic label sets, and prints JSON with scikit-learn's cohen_kappa_score for each.
A sample pair's labels are stored run-length encoded ([[label, count], ...]); a synthetic
set's as indices into its `labels`.
"""

import json
import random
import sys

import sklearn
from sklearn.metrics import cohen_kappa_score


def rle(labels):
    runs = []
    for label in labels:
        if runs and runs[-1][0] == label:
            runs[-1][1] += 1
        else:
            runs.append([label, 1])
    return runs


def synthetic():
    """Label sets unlike the sample pairs: many labels, skewed use, heavy disagreement."""
    steps = ["open-chart", "review-allergies", "ask-patient", "pharmacy-record",
             "enter-home-meds", "sign", "idle", "int:phone_pager", "int:colleague",
             "int:ehr_alert"]
    sets = []
    for seed, n, agree_p, weights in [
        (1, 500, 0.9, None),
        (2, 1000, 0.6, None),
        (3, 250, 0.3, None),
        (4, 3600, 0.85, [40, 5, 20, 10, 30, 3, 8, 2, 1, 1]),
        (5, 60, 0.5, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]:
        rng = random.Random(seed)
        a = rng.choices(steps, weights=weights, k=n)
        b = [x if rng.random() < agree_p else rng.choice(steps) for x in a]
        if len(set(a) | set(b)) < 2:
            continue
        sets.append({"name": f"synthetic-{seed}", "labels": steps,
                     "a": [steps.index(x) for x in a], "b": [steps.index(x) for x in b],
                     "kappa": float(cohen_kappa_score(a, b))})
    return sets


def main():
    pairs = []
    with open(sys.argv[1]) as manifest:
        for line in manifest:
            name, a, b, shift, path = line.rstrip("\n").split("\t")
            with open(path) as f:
                labels = json.load(f)
            pairs.append({
                "name": name, "a_file": a, "b_file": b, "shift_b_secs": float(shift),
                "slices": len(labels["a"]),
                "labels_a": rle(labels["a"]), "labels_b": rle(labels["b"]),
                "kappa": float(cohen_kappa_score(labels["a"], labels["b"])),
            })
    fixture = {
        "generated_by": "scripts/regen-kappa-fixture.sh",
        "scikit_learn": sklearn.__version__,
        "session_pairs": pairs,
        "label_sets": synthetic(),
    }
    # One line per entry: small, and diffs show which entry changed.
    out = ["{"]
    out.append(f' "generated_by": {json.dumps(fixture["generated_by"])},')
    out.append(f' "scikit_learn": {json.dumps(fixture["scikit_learn"])},')
    for key in ["session_pairs", "label_sets"]:
        entries = [json.dumps(e, separators=(",", ":")) for e in fixture[key]]
        out.append(f' "{key}": [\n  ' + ",\n  ".join(entries) + "\n ]" + ("," if key == "session_pairs" else ""))
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")


main()
