#!/usr/bin/env python3
"""Checks shadowmap's XES export with pm4py (see scripts/check-xes-pm4py.sh).

For every session given:
  1. `shadowmap export SESSION --format xes` (and again with --redact);
  2. pm4py.read_xes reads it: one trace, named after the session; every step has a start
     and a complete event with the same concept:instance; timestamps never decrease;
  3. the trace is read as docs/reference.md section 6 reads XES (events whose lifecycle:transition
     is present and not `complete` are ignored; stable sort by time:timestamp) and aligned
     by pm4py against the session's pathway (converted to the oracle's pathway JSON), with
     the oracle's own model construction (../shared/oracle/pm4py_fitness.py);
  4. pm4py's cost, worst cost and fitness are compared with
     `shadowmap compare SESSION --format json`;
  5. `shadowmap compare LOG.xes --pathway ID` (our own XES reader) reads the export back to
     the same case, number of steps and cost.
Prints one line per session and a summary; exits 1 on any difference.

Usage: check_xes_pm4py.py --shadowmap BIN --pathway-json CMD --oracle DIR --out DIR SESSION...
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def complete_only(log):
    """docs/reference.md section 6: ignore events whose transition is present and not complete;
    order by timestamp, stably."""
    for trace in log:
        kept = [e for e in trace if e.get("lifecycle:transition", "complete").lower() == "complete"]
        kept.sort(key=lambda e: e["time:timestamp"])
        trace._list = kept
    return log


def check_structure(log, session_id):
    problems = []
    if len(log) != 1:
        problems.append(f"{len(log)} traces, expected 1")
    trace = log[0]
    if trace.attributes.get("concept:name") != session_id:
        problems.append(f"trace named {trace.attributes.get('concept:name')!r}")
    pairs = collections.defaultdict(list)
    last = None
    for e in trace:
        stamp = e["time:timestamp"]
        if last is not None and stamp < last:
            problems.append(f"timestamp {stamp} before {last}")
        last = stamp
        if e["lifecycle:transition"] in ("start", "complete"):
            pairs[e["concept:instance"]].append((e["lifecycle:transition"], e["concept:name"]))
    for instance, events in pairs.items():
        kinds = [k for k, _ in events]
        names = {n for _, n in events}
        if kinds != ["start", "complete"] or len(names) != 1:
            problems.append(f"step instance {instance}: {events}")
    return problems, len(pairs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shadowmap", required=True)
    ap.add_argument("--pathway-json", required=True, help="command printing a pathway's oracle JSON; the id is appended")
    ap.add_argument("--oracle", required=True, help="folder holding pm4py_fitness.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("sessions", nargs="+")
    a = ap.parse_args()

    sys.path.insert(0, a.oracle)
    import pm4py
    import pm4py_fitness as oracle

    os.makedirs(a.out, exist_ok=True)
    pathways = {}
    failures = 0
    rows = []
    for session in a.sessions:
        header = json.loads(run([a.shadowmap, "export", session, "--format", "json"]))
        sid, pid = header["id"], header["pathway_id"]
        if pid not in pathways:
            path = os.path.join(a.out, f"{pid}.pathway.json")
            with open(path, "w") as f:
                f.write(run(a.pathway_json.split() + [pid]))
            pathways[pid] = oracle.load_pathway(path)
        ours = json.loads(run([a.shadowmap, "compare", session, "--format", "json"]))["traces"][0]
        for redact in (False, True):
            xes = os.path.join(a.out, f"{sid}{'.redacted' if redact else ''}.xes")
            run([a.shadowmap, "export", session, "--format", "xes", "--out", xes]
                + (["--redact"] if redact else []))
            log = pm4py.read_xes(xes, return_legacy_log_object=True)
            problems, n_steps = check_structure(log, sid)
            records, _ = oracle.score(complete_only(log), pathways[pid], with_moves=False)
            theirs = records[0]
            if theirs["n_events"] != ours["n_steps"]:
                problems.append(f"pm4py read {theirs['n_events']} steps, compare has {ours['n_steps']}")
            if n_steps != ours["n_steps"]:
                problems.append(f"{n_steps} start/complete pairs, compare has {ours['n_steps']} steps")
            if (theirs["cost"], theirs["worst_cost"]) != (ours["cost"], ours["worst_cost"]):
                problems.append(f"cost/worst pm4py {theirs['cost']}/{theirs['worst_cost']} "
                                f"vs shadowmap {ours['cost']}/{ours['worst_cost']}")
            if ours["worst_cost"] > 0 and abs(theirs["alignment_fitness"] - ours["fitness"]) > 1e-6:
                problems.append(f"fitness pm4py {theirs['alignment_fitness']} vs shadowmap {ours['fitness']}")
            # Our own XES reader (`shadowmap compare LOG.xes`) reads the export back.
            back = json.loads(run([a.shadowmap, "compare", xes, "--pathway", pid, "--format", "json"]))["traces"]
            if len(back) != 1 or (back[0]["case_id"], back[0]["n_steps"], back[0]["cost"]) != (
                    sid, ours["n_steps"], ours["cost"]):
                problems.append(f"shadowmap compare on the XES gives {[(t['case_id'], t['n_steps'], t['cost']) for t in back]}")
            status = "ok" if not problems else "FAIL: " + "; ".join(problems)
            failures += bool(problems)
            rows.append((sid + (" (redacted)" if redact else ""), pid, ours["n_steps"],
                         theirs["cost"], ours["cost"], theirs["worst_cost"], ours["worst_cost"],
                         theirs["alignment_fitness"], ours["fitness"], status))

    print(f"{'session':<40} {'pathway':<24} {'steps':>5} {'cost pm4py/ours':>15} "
          f"{'worst pm4py/ours':>16} {'fitness pm4py/ours':>20}  result")
    for r in rows:
        print(f"{r[0]:<40} {r[1]:<24} {r[2]:>5} {r[3]:>7}/{r[4]:<7} {r[5]:>8}/{r[6]:<7} "
              f"{r[7]:>9.6f}/{r[8]:<9.6f}  {r[9]}")
    print(f"{len(rows) - failures} passed, {failures} failed "
          f"({len(a.sessions)} sessions, each exported plain and with --redact; pm4py {pm4py.__version__})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
