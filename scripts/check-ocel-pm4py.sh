#!/usr/bin/env bash
# pm4py (read_ocel2_json) reads the OCEL 2.0 export of the sample sessions with the expected
# numbers of objects (by type), events, event types and relations. Run by hand; installs pm4py
# in a venv (VENV, default .venv-pm4py). The expected numbers are counted from the export's
# own JSON by jq-free Python, independently of pm4py.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv-pm4py}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pm4py" 2>/dev/null || "$VENV/bin/pip" install --quiet pm4py==2.7.23.11
cargo build --quiet --locked
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
target/debug/shadowmap export sample-sessions --format ocel --out "$out/samples.ocel.json"
python3 - "$out/samples.ocel.json" > "$out/expected.json" <<'PY'
import collections, json, sys
log = json.load(open(sys.argv[1]))
objects = collections.Counter(o["type"] for o in log["objects"])
print(json.dumps({
    "objects": objects,
    "events": len(log["events"]),
    "event_types": sorted({e["type"] for e in log["events"]}),
    "relations": sum(len(e["relationships"]) for e in log["events"]),
    "o2o": sum(len(o["relationships"]) for o in log["objects"]),
}))
PY
"$VENV/bin/python" scripts/check_ocel_pm4py.py "$out/samples.ocel.json" "$out/expected.json"
