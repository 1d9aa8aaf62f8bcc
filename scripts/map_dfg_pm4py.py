#!/usr/bin/env python3
"""pm4py's directly-follows graph of session sets, as a fixture (see scripts/map-dfg-pm4py.sh).

For each set (the sample sessions of one pathway, or a generated folder) every session is
exported to XES by shadowmap; pm4py reads each export, keeps the events whose
lifecycle:transition is complete (the steps, as the comparator reads XES), orders them by
time:timestamp, and gives discover_dfg (edges with counts, start and end activities) and the
occurrences of each activity. Empty traces (sessions without a step) are counted apart: pm4py
has no edge for them.

Usage: map_dfg_pm4py.py --shadowmap BIN --samples DIR --sets DIR --work DIR --out FIXTURE
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

import pandas as pd
import pm4py


def export(shadowmap, session, work):
    out = os.path.join(work, os.path.basename(session).replace(".ron", ".xes"))
    subprocess.run([shadowmap, "export", session, "--format", "xes", "--out", out], check=True)
    return out


def pathway_of(session):
    with open(session, encoding="utf-8") as f:
        return re.search(r'pathway_id: "([^"]*)"', f.read()).group(1)


def dfg_of(shadowmap, sessions, work):
    frames = []
    empty = 0
    for session in sessions:
        df = pm4py.read_xes(export(shadowmap, session, work))
        if "lifecycle:transition" in df.columns:
            df = df[df["lifecycle:transition"].fillna("complete").str.lower() == "complete"]
        if len(df) == 0:
            empty += 1
            continue
        frames.append(df)
    log = pd.concat(frames, ignore_index=True)
    log = log.sort_values(["case:concept:name", "time:timestamp"], kind="stable")
    dfg, start, end = pm4py.discover_dfg(
        log, case_id_key="case:concept:name", activity_key="concept:name", timestamp_key="time:timestamp"
    )
    activities = log["concept:name"].value_counts().to_dict()
    return {
        "sessions": len(sessions),
        "empty_sessions": empty,
        "edges": sorted([a, b, int(n)] for (a, b), n in dfg.items()),
        "start": {k: int(v) for k, v in sorted(start.items())},
        "end": {k: int(v) for k, v in sorted(end.items())},
        "activities": {k: int(v) for k, v in sorted(activities.items())},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shadowmap", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--sets", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.work, "xes"), exist_ok=True)
    xes_dir = os.path.join(a.work, "xes")

    sets = []
    samples = sorted(glob.glob(os.path.join(a.samples, "*.ron")))
    by_pathway = {}
    for s in samples:
        by_pathway.setdefault(pathway_of(s), []).append(s)
    for pathway, sessions in sorted(by_pathway.items()):
        entry = {"name": f"samples-{pathway}", "folder": a.samples, "pathway": pathway}
        entry.update(dfg_of(a.shadowmap, sessions, xes_dir))
        sets.append(entry)
    for folder in sorted(glob.glob(os.path.join(a.sets, "*"))):
        sessions = sorted(glob.glob(os.path.join(folder, "*.ron")))
        name = os.path.basename(folder)
        entry = {"name": name, "generated": name, "pathway": pathway_of(sessions[0])}
        entry.update(dfg_of(a.shadowmap, sessions, xes_dir))
        sets.append(entry)
    fixture = {
        "generated_by": "scripts/map-dfg-pm4py.sh",
        "pm4py": pm4py.__version__,
        "sets": sets,
    }
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1, sort_keys=False)
        f.write("\n")
    for s in sets:
        print(f"{s['name']}: {s['sessions']} sessions, {len(s['edges'])} edges", file=sys.stdout)


if __name__ == "__main__":
    main()
