#!/usr/bin/env python3
"""Times r4pm 0.6.2 (the Python bindings of Rust4PM's `process_mining` crate) importing an XES
log and aligning it against a pathway, for `cargo bench --bench compare`.

Usage:
    python r4pm_align.py LOG.xes[.gz] PATHWAY.json

PATHWAY.json is the oracle's pathway JSON (see docs/compare.md): {"steps": [ELEMENT, ...]}, an
element a step {"id", "optional", "repeat"} or an any-order group {"group", "steps": [...]}.
The pathway becomes the same Petri net as the oracle's hand-built one: a place between
elements, a silent skip for an optional step, a self-loop with the step's label for a repeat
step, a silent split and join around a group (each member on its own branch).

r4pm reads every event of the file (it has no lifecycle filter): give it a log of `complete`
events only, as the benchmark does, so both tools align the same traces.

Prints one JSON object: traces, variants, import_s (XES import and variant projection),
align_s (align_variants on every core), total_s (both, wall), cpu_s (both, CPU time of
all threads), total_cost (the sum over traces of
the alignment cost: log moves + visible model moves) and per-variant costs.
"""
import json
import sys
import time
import uuid

import r4pm
from r4pm.bindings.conformance.case_centric import alignments
from r4pm.bindings.core.event_data.case_centric.utils import activity_projection


def pathway_net(doc):
    places, transitions, arcs = {}, {}, []

    def place():
        pid = str(uuid.uuid4())
        places[pid] = {"id": pid}
        return pid

    def transition(label, source, target):
        tid = str(uuid.uuid4())
        transitions[tid] = {"id": tid, "label": label}
        arcs.append({"from_to": {"type": "PlaceTransition", "nodes": [source, tid]}, "weight": 1})
        arcs.append({"from_to": {"type": "TransitionPlace", "nodes": [tid, target]}, "weight": 1})
        return tid

    def step(s, source, target):
        transition(s["id"], source, target)
        if s.get("optional"):
            transition(None, source, target)
        if s.get("repeat"):
            transition(s["id"], target, target)

    start = place()
    current = start
    for element in doc["steps"]:
        after = place()
        if "group" in element:
            split_t = str(uuid.uuid4())
            join_t = str(uuid.uuid4())
            transitions[split_t] = {"id": split_t, "label": None}
            transitions[join_t] = {"id": join_t, "label": None}
            arcs.append({"from_to": {"type": "PlaceTransition", "nodes": [current, split_t]}, "weight": 1})
            arcs.append({"from_to": {"type": "TransitionPlace", "nodes": [join_t, after]}, "weight": 1})
            for member in element["steps"]:
                branch_in, branch_out = place(), place()
                arcs.append({"from_to": {"type": "TransitionPlace", "nodes": [split_t, branch_in]}, "weight": 1})
                arcs.append({"from_to": {"type": "PlaceTransition", "nodes": [branch_out, join_t]}, "weight": 1})
                step(member, branch_in, branch_out)
        else:
            step(element, current, after)
        current = after
    return {
        "places": places,
        "transitions": transitions,
        "arcs": arcs,
        "initial_marking": {start: 1},
        "final_markings": [{current: 1}],
    }


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    log_path, pathway_path = sys.argv[1], sys.argv[2]
    with open(pathway_path) as f:
        net = pathway_net(json.load(f))
    options = {"cost_fn": {"log_move_cost": 1, "model_move_cost": 1, "sync_move_cost": 0,
                           "silent_move_cost": 0}}
    c0 = time.process_time()
    t0 = time.perf_counter()
    log = r4pm.import_item("EventLog", log_path)
    projection = activity_projection.log_to_activity_projection(log)
    t1 = time.perf_counter()
    results = alignments.align_variants(net, projection, options)
    t2 = time.perf_counter()
    c2 = time.process_time()
    costs, total, traces = [], 0, 0
    for variant in results:
        result = variant["result"]
        if "Ok" not in result:
            sys.exit(f"{log_path}: r4pm could not align a variant: {result}")
        cost = result["Ok"]["cost"]
        costs.append({"activities": variant["activities"], "frequency": variant["frequency"],
                      "cost": cost})
        total += cost * variant["frequency"]
        traces += variant["frequency"]
    print(json.dumps({
        "traces": traces,
        "variants": len(results),
        "import_s": t1 - t0,
        "align_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": c2 - c0,
        "total_cost": total,
        "costs": costs,
    }))


if __name__ == "__main__":
    main()
