#!/bin/sh
# Checks shadowmap's XES export with pm4py: exports each sample session to XES (plain and
# --redact), reads it with pm4py.read_xes, and compares pm4py's alignment cost on the
# exported log with `shadowmap compare SESSION --format json` (scripts/check_xes_pm4py.py).
#
#   scripts/check-xes-pm4py.sh [SESSION.ron ...]
#       (default: sample-sessions/*.ron and sample-sessions/agreement/*.ron)
#
# Needs pm4py in a virtualenv (PYTHON, default .venv-oracle/bin/python, see
# docs/pathways.md, "The pathway JSON form") and the oracle scripts (ORACLE_DIR, default ../shared/oracle).
# Exits 0 when every session agrees, 1 on a difference, 2 when pm4py is not installed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
    for candidate in "$root/.venv-oracle/bin/python" "$root/../main/.venv-oracle/bin/python" \
        "$root/../../main/.venv-oracle/bin/python"; do
        if [ -x "$candidate" ]; then PYTHON=$candidate; break; fi
    done
fi
ORACLE_DIR=${ORACLE_DIR:-}
if [ -z "$ORACLE_DIR" ]; then
    for candidate in "$root/../shared/oracle" "$root/../../shared/oracle"; do
        if [ -f "$candidate/pm4py_fitness.py" ]; then ORACLE_DIR=$candidate; break; fi
    done
fi
if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import pm4py' 2>/dev/null; then
    echo "check-xes-pm4py: pm4py is not installed (set PYTHON to a python with pm4py)" >&2
    exit 2
fi
if [ -z "$ORACLE_DIR" ]; then
    echo "check-xes-pm4py: the oracle scripts are not found (set ORACLE_DIR to the folder of pm4py_fitness.py)" >&2
    exit 2
fi
cargo build --quiet --release --bin shadowmap --example pathway_oracle_json
out=${OUT_DIR:-$root/oracle-out/xes-check}
mkdir -p "$out"
if [ "$#" -eq 0 ]; then set -- sample-sessions/*.ron sample-sessions/agreement/*.ron; fi
"$PYTHON" scripts/check_xes_pm4py.py \
    --shadowmap "$root/target/release/shadowmap" \
    --pathway-json "$root/target/release/examples/pathway_oracle_json" \
    --oracle "$ORACLE_DIR" --out "$out" "$@" 2> "$out/pm4py.stderr"
