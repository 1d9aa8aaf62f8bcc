#!/usr/bin/env python3
"""The suggested pathway, judged as process mining judges a discovered model (docs/suggest.md).

1. Generates seeded sets (standard library only): a hidden "true" pathway produces the
   traces; the configured pathway differs from it (a step mandatory in the configuration but
   optional in practice, two steps swapped, a group the configuration serialises, a common
   unplanned step missing). Writes LOG.xes.gz, true.pathway.json, configured.pathway.json
   under tests/fixtures/suggest/<set>/.
2. Runs `shadowmap suggest` on each generated set (against the configured pathway) and on the
   sample sessions (per pathway with at least three sessions, against their own pathway).
3. Measures with pm4py, on the same traces: alignment fitness (mean over traces) and
   alignment-based precision of the configured pathway, the true pathway (generated sets),
   the suggestion, and pm4py's Inductive Miner, infrequent variant (IMf) at noise 0.2 (the
   variant's usual default; pm4py's own code default of 0.0 makes IMf the plain Inductive
   Miner, reported beside it as `inductive_miner_0`); F1 = their harmonic mean.
4. Writes tests/fixtures/suggest/acceptance.json, which tests/suggest_acceptance.rs reads.

The pathway's Petri net is built as the pm4py oracle builds it: the process tree
->(elements), a step a -> 'a', optional X('a', tau), repeat *('a', tau), optional+repeat
X(*('a', tau), tau), an any-order group +(members), converted by pm4py.convert_to_petri_net.

Usage (see scripts/regen-suggest-fixtures.sh): suggest_acceptance.py --shadowmap BIN [--only SET]
"""
import argparse
import datetime
import gzip
import json
import os
import random
import subprocess
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "suggest")
IMF_NOISE = 0.2

# name, seed, traces, plain steps, group size, noise share of traces
GENERATED = [
    ("gen-small", 11, 200, 10, 3, 0.10),
    ("gen-medium", 23, 400, 16, 3, 0.15),
    ("gen-wide", 37, 150, 18, 4, 0.20),
]


# ------------------------------------------------------------------ generation

def step(sid, optional=False, repeat=False):
    return {"id": sid, "optional": optional, "repeat": repeat}


def make_pathways(rng, n_steps, group_size):
    """(true, configured, unplanned id): the true pathway and a configuration differing in
    the four ways of the acceptance criteria."""
    ids = [f"s{i:02d}" for i in range(1, n_steps + 1)]
    true = [step(s) for s in ids]
    # A repeat step both agree on: the last.
    true[-1]["repeat"] = True
    # A step that is optional in practice (mandatory in the configuration).
    opt_at = 2
    true[opt_at]["optional"] = True
    # Two neighbouring steps done the other way round in practice.
    swap_at = 4
    true[swap_at], true[swap_at + 1] = true[swap_at + 1], true[swap_at]
    # A run of steps done in any order in practice.
    g_at = 6
    members = true[g_at:g_at + group_size]
    true[g_at:g_at + group_size] = [{"group": "g1", "steps": members}]
    # The unplanned step the configuration lacks, common in practice.
    unplanned = "u-call"
    true.insert(len(true) - 3, step(unplanned, optional=True))

    configured = [step(s) for s in ids]
    configured[-1]["repeat"] = True
    return true, configured, unplanned


def run_of(rng, elements, p_skip=0.4, p_redo=0.3, p_unplanned=0.75):
    out = []
    for el in elements:
        if "group" in el:
            members = [m for m in el["steps"] if not (m["optional"] and rng.random() < p_skip)]
            rng.shuffle(members)
            for m in members:
                out.append(m["id"])
            continue
        if el["optional"]:
            p = p_unplanned if el["id"].startswith("u-") else 1 - p_skip
            if rng.random() >= p:
                continue
        out.append(el["id"])
        while el["repeat"] and rng.random() < p_redo:
            out.append(el["id"])
    return out


def add_noise(rng, trace, all_ids):
    kind = rng.choice(["insert", "swap", "delete"])
    if kind == "insert":
        trace.insert(rng.randrange(len(trace) + 1), f"x{rng.randint(1, 5):02d}")
    elif kind == "swap" and len(trace) > 1:
        i = rng.randrange(len(trace) - 1)
        trace[i], trace[i + 1] = trace[i + 1], trace[i]
    elif len(trace) > 1:
        del trace[rng.randrange(len(trace))]
    return trace


def write_xes(path, traces):
    t0 = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.timezone.utc)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">']
    for n, trace in enumerate(traces):
        lines.append(f'<trace><string key="concept:name" value="case-{n + 1:04d}"/>')
        start = t0 + datetime.timedelta(hours=n)
        for i, act in enumerate(trace):
            ts = (start + datetime.timedelta(seconds=30 * i)).isoformat(timespec="milliseconds")
            lines.append(f'<event><string key="concept:name" value="{escape(act)}"/>'
                         f'<date key="time:timestamp" value="{ts}"/></event>')
        lines.append("</trace>")
    lines.append("</log>")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode())


def generate(name, seed, n_traces, n_steps, group_size, noise):
    rng = random.Random(seed)
    true, configured, _ = make_pathways(rng, n_steps, group_size)
    all_ids = [s["id"] for el in true for s in (el["steps"] if "group" in el else [el])]
    traces = []
    for _ in range(n_traces):
        t = run_of(rng, true)
        if rng.random() < noise:
            t = add_noise(rng, t, all_ids)
        traces.append(t)
    folder = os.path.join(FIXTURES, name)
    os.makedirs(folder, exist_ok=True)
    write_xes(os.path.join(folder, "log.xes.gz"), traces)
    for kind, elements in (("true", true), ("configured", configured)):
        with open(os.path.join(folder, f"{kind}.pathway.json"), "w") as f:
            json.dump({"steps": elements}, f, indent=1)
            f.write("\n")
    return traces, true, configured


# ------------------------------------------------------------------ pm4py

def tree_of(elements):
    from pm4py.objects.process_tree.obj import Operator, ProcessTree

    def node(operator=None, children=(), label=None):
        n = ProcessTree(operator=operator, label=label)
        for c in children:
            c.parent = n
            n.children.append(c)
        return n

    def step_tree(s):
        n = node(label=s["id"])
        if s.get("repeat"):
            n = node(Operator.LOOP, [n, node()])
        if s.get("optional"):
            n = node(Operator.XOR, [n, node()])
        return n

    return node(Operator.SEQUENCE, [
        node(Operator.PARALLEL, [step_tree(s) for s in el["steps"]]) if "group" in el else step_tree(el)
        for el in elements])


def event_log(traces):
    from pm4py.objects.log.obj import Event, EventLog, Trace
    t0 = datetime.datetime(2026, 11, 2, 8, 0)
    log = EventLog()
    for n, seq in enumerate(traces):
        trace = Trace(attributes={"concept:name": f"case-{n + 1:04d}"})
        for i, act in enumerate(seq):
            trace.append(Event({"concept:name": act,
                                "time:timestamp": t0 + datetime.timedelta(hours=n, seconds=30 * i)}))
        log.append(trace)
    return log


def measure(log, net, im, fm):
    import pm4py
    fit = pm4py.fitness_alignments(log, net, im, fm)["average_trace_fitness"]
    prec = pm4py.precision_alignments(log, net, im, fm)
    f1 = 0.0 if fit + prec == 0 else 2 * fit * prec / (fit + prec)
    return {"fitness": round(fit, 6), "precision": round(prec, 6), "f1": round(f1, 6)}


def measure_pathway(log, elements):
    import pm4py
    net, im, fm = pm4py.convert_to_petri_net(tree_of(elements))
    return measure(log, net, im, fm)


def measure_miner(log, noise):
    from pm4py.algo.discovery.inductive import algorithm as inductive
    import pm4py
    tree = inductive.apply(log, variant=inductive.Variants.IMf,
                           parameters={"noise_threshold": noise})
    net, im, fm = pm4py.convert_to_petri_net(tree)
    return measure(log, net, im, fm)


# ------------------------------------------------------------------ shadowmap

def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def suggestion(shadowmap, inputs, pathway=None):
    cmd = [shadowmap, "suggest", *inputs, "--format", "json"]
    if pathway:
        cmd += ["--pathway", pathway]
    doc = json.loads(run(cmd))
    assert len(doc["suggestions"]) == 1, "one pathway per set"
    return doc["suggestions"][0]


def sample_sets(shadowmap):
    """Per pathway with at least three sample sessions: (name, files, sequences, pathway)."""
    folder = os.path.join(ROOT, "sample-sessions")
    by_pathway = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ron"):
            continue
        path = os.path.join(folder, name)
        doc = json.loads(run([shadowmap, "compare", path, "--format", "json"]))
        seq = [m["step"] for m in doc["traces"][0]["moves"] if m["type"] in ("sync", "log")]
        by_pathway.setdefault(doc["pathway"], []).append((os.path.relpath(path, ROOT), seq))
    for pid, sessions in sorted(by_pathway.items()):
        if len(sessions) >= 3:
            configured = json.loads(run([shadowmap, "pathways", "show", pid, "--format", "json"]))
            yield f"samples-{pid}", [p for p, _ in sessions], [s for _, s in sessions], configured["steps"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shadowmap", required=True)
    ap.add_argument("--only", help="one set name")
    a = ap.parse_args()
    out_path = os.path.join(FIXTURES, "acceptance.json")
    results = []
    for name, seed, n, steps, gsize, noise in GENERATED:
        if a.only and a.only != name:
            continue
        traces, true, configured = generate(name, seed, n, steps, gsize, noise)
        folder = os.path.join(FIXTURES, name)
        s = suggestion(a.shadowmap, [os.path.join(folder, "log.xes.gz")],
                       os.path.join(folder, "configured.pathway.json"))
        log = event_log(traces)
        row = {"set": name, "kind": "generated", "sessions": n,
               "folder": os.path.relpath(folder, ROOT),
               "suggested_pathway": s["revised"], "claimed_mean_fitness": s["after"]["mean_fitness"],
               "changes": [c["text"] for c in s["changes"]],
               "configured": measure_pathway(log, configured),
               "true": measure_pathway(log, true),
               "suggestion": measure_pathway(log, s["revised"]["steps"]),
               "inductive_miner": measure_miner(log, IMF_NOISE),
               "inductive_miner_0": measure_miner(log, 0.0)}
        print(json.dumps({k: row[k] for k in ("set", "configured", "true", "suggestion", "inductive_miner")}),
              file=sys.stderr)
        results.append(row)
    for name, files, traces, configured in sample_sets(a.shadowmap):
        if a.only and a.only != name:
            continue
        s = suggestion(a.shadowmap, [os.path.join(ROOT, f) for f in files])
        log = event_log(traces)
        row = {"set": name, "kind": "samples", "sessions": len(files), "files": files,
               "suggested_pathway": s["revised"], "claimed_mean_fitness": s["after"]["mean_fitness"],
               "changes": [c["text"] for c in s["changes"]],
               "configured": measure_pathway(log, configured),
               "suggestion": measure_pathway(log, s["revised"]["steps"]),
               "inductive_miner": measure_miner(log, IMF_NOISE),
               "inductive_miner_0": measure_miner(log, 0.0)}
        print(json.dumps({k: row[k] for k in ("set", "configured", "suggestion", "inductive_miner")}),
              file=sys.stderr)
        results.append(row)
    import pm4py
    with open(out_path, "w") as f:
        json.dump({"pm4py_version": pm4py.__version__, "imf_noise_threshold": IMF_NOISE,
                   "sets": results}, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(out_path, ROOT)} ({len(results)} sets)")


if __name__ == "__main__":
    main()
