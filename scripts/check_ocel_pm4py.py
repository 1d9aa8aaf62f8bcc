"""pm4py reads shadowmap's OCEL 2.0 export with the expected numbers of objects and events.

Usage: check_ocel_pm4py.py OCEL_JSON EXPECTED_JSON
EXPECTED_JSON holds {"objects": {type: n}, "events": n, "event_types": [...]} computed from the
sessions by shadowmap's own tests' rules (scripts/check-ocel-pm4py.sh writes it).
Prints "N passed, N failed"; exits 1 on a difference.
"""
import json
import sys

import pm4py

ocel = pm4py.read_ocel2_json(sys.argv[1])
expected = json.load(open(sys.argv[2]))
checks = []
objects = ocel.objects["ocel:type"].value_counts().to_dict()
for kind, n in expected["objects"].items():
    checks.append((f"objects of type {kind}", n, int(objects.get(kind, 0))))
checks.append(("object types", sorted(expected["objects"]), sorted(objects)))
checks.append(("events", expected["events"], len(ocel.events)))
checks.append(("event types", sorted(expected["event_types"]), sorted(ocel.events["ocel:activity"].unique())))
relations = ocel.relations
checks.append(("event-object relations", expected["relations"], len(relations)))
checks.append(("object-object relations", expected["o2o"], len(ocel.o2o)))
failed = 0
for what, want, got in checks:
    ok = want == got
    failed += not ok
    print(("ok  " if ok else "FAIL"), what, "expected", want, "pm4py read", got)
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
