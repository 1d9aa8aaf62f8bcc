#!/bin/sh
# Checks the shadow map's counts against pm4py's directly-follows graph and writes the fixture
# tests/map_pm4py.rs reads (tests/fixtures/map/pm4py-dfg.json):
#   - the sample sessions, one set per pathway;
#   - generated sets (tests/map_support/generate.rs, written by `cargo run --example map_sets`).
# Every session is exported with `shadowmap export --format xes`; pm4py reads the exports, keeps
# the events the comparator reads (lifecycle complete, ordered by timestamp) and runs
# discover_dfg, plus the activity counts.
#
#   scripts/map-dfg-pm4py.sh
#
# VENV (default .venv-map in the repository, created with pm4py when missing) holds pm4py.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VENV=${VENV:-$root/.venv-map}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pm4py==2.7.23.11
fi
cargo build --quiet --release --bin shadowmap --example map_sets
work=${OUT_DIR:-$root/oracle-out/map-dfg}
rm -rf "$work"
mkdir -p "$work"
"$root/target/release/examples/map_sets" "$work/sets" > /dev/null
"$VENV/bin/python" scripts/map_dfg_pm4py.py --shadowmap "$root/target/release/shadowmap" \
    --samples sample-sessions --sets "$work/sets" --work "$work" \
    --out tests/fixtures/map/pm4py-dfg.json 2> "$work/pm4py.stderr"
