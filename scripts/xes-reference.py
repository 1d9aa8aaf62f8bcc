#!/usr/bin/env python3
"""Reads XES logs with pm4py the way shadowmap's reader is specified (docs/reference.md section 6) and
prints, per file, what tests/xes_real_logs.rs asserts: trace and event counts, the first traces,
and an FNV-1a 64 checksum of every trace (case id and activities, in order).

Usage: .venv-oracle/bin/python scripts/xes-reference.py LOG.xes[.gz] ...

Rules: activity = concept:name; events stably sorted by time:timestamp when every event of the
trace has one (as ../shared/oracle/pm4py_fitness.py does); an event whose lifecycle:transition is
present and not "complete" (case-insensitive) is left out; case id = the trace's concept:name.
"""
import json
import sys

import pm4py

FNV_OFFSET, FNV_PRIME, MASK = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


def fnv(h, data):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK
    return h


def traces(path):
    log = pm4py.read_xes(path, return_legacy_log_object=True)
    for i, trace in enumerate(log):
        events = list(trace)
        if all("time:timestamp" in e for e in events):
            events.sort(key=lambda e: e["time:timestamp"])
        kept = [e for e in events
                if "lifecycle:transition" not in e or str(e["lifecycle:transition"]).lower() == "complete"]
        yield str(trace.attributes.get("concept:name", i)), [str(e["concept:name"]) for e in kept]


def main():
    out = {}
    for path in sys.argv[1:]:
        h, n_traces, n_events, first = FNV_OFFSET, 0, 0, []
        for case_id, acts in traces(path):
            n_traces += 1
            n_events += len(acts)
            if len(first) < 3:
                first.append({"case_id": case_id, "activities": acts[:8], "len": len(acts)})
            h = fnv(h, case_id.encode())
            for a in acts:
                h = fnv(h, b"\x1f" + a.encode())
            h = fnv(h, b"\x1e")
        out[path.rsplit("/", 1)[-1]] = {"traces": n_traces, "events": n_events,
                                        "fnv": f"{h:016x}", "first": first}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
