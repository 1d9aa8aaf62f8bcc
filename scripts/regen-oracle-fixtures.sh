#!/bin/sh
# Regenerates the pm4py fixtures of tests/compare_pm4py.rs: seeded logs from the oracle's
# generator, their pathways, and pm4py's per-trace cost, worst_cost and fitness.
#
# Usage: scripts/regen-oracle-fixtures.sh [ORACLE_DIR] [PYTHON]
#   ORACLE_DIR  the oracle scripts (default: ../shared/oracle from the project root, as the
#               oracle README lays it out; /work/shared/oracle as a fallback)
#   PYTHON      a Python with pm4py 2.7.23.11 (default: .venv-oracle/bin/python, else
#               /work/main/.venv-oracle/bin/python)
# Takes about a minute. Writes tests/fixtures/oracle/<name>.{xes,pathway.json,scores.json}.
set -eu
cd "$(dirname "$0")/.."
ORACLE=${1:-}
if [ -z "$ORACLE" ]; then
    for d in ../shared/oracle ../../shared/oracle /work/shared/oracle; do
        [ -f "$d/gen_log.py" ] && ORACLE=$d && break
    done
fi
PY=${2:-}
if [ -z "$PY" ]; then
    for p in .venv-oracle/bin/python ../main/.venv-oracle/bin/python /work/main/.venv-oracle/bin/python; do
        [ -x "$p" ] && PY=$p && break
    done
fi
[ -n "$ORACLE" ] && [ -f "$ORACLE/gen_log.py" ] || { echo "no oracle scripts (give ORACLE_DIR)" >&2; exit 1; }
[ -n "$PY" ] || { echo "no Python with pm4py (give PYTHON; see the oracle README's Setup)" >&2; exit 1; }
OUT=tests/fixtures/oracle
mkdir -p "$OUT"

# name | gen_log.py options (several seeds and shapes; 640 traces in all)
while IFS='|' read -r name opts; do
    [ -z "$name" ] && continue
    echo "== $name: $opts" >&2
    # shellcheck disable=SC2086
    "$PY" "$ORACLE/gen_log.py" "$OUT/$name" $opts >/dev/null
    "$PY" "$ORACLE/pm4py_fitness.py" "$OUT/$name.xes" "$OUT/$name.pathway.json" --no-tbr --no-moves 2>/dev/null \
        | "$PY" -c '
import json, sys
doc = json.load(sys.stdin)
slim = {"pm4py_version": doc["pm4py_version"], "variant": doc["variant"],
        "traces": [{k: t[k] for k in ("case_id", "n_events", "cost", "worst_cost", "alignment_fitness")}
                   for t in doc["traces"]],
        "alignments_s": doc["timing_s"]["alignments"]}
json.dump(slim, sys.stdout, separators=(",", ":"))
print()
' > "$OUT/$name.scores.json"
done <<'SHAPES'
sequential|--traces 100 --steps 15 --target-len 20 --seed 1
optional|--traces 100 --steps 12 --optional-frac 0.5 --p-skip 0.3 --target-len 14 --seed 2
groups|--traces 100 --steps 15 --groups 2 --group-size 4 --target-len 20 --seed 3
repeat|--traces 100 --steps 10 --repeat-frac 0.5 --p-repeat 0.4 --optional-frac 0.3 --target-len 15 --seed 4
mixed|--traces 100 --steps 15 --groups 2 --group-size 3 --repeat-frac 0.3 --p-repeat 0.3 --target-len 20 --seed 5
big-group|--traces 60 --steps 12 --groups 1 --group-size 8 --repeat-frac 0.25 --p-repeat 0.3 --optional-frac 0.3 --target-len 16 --seed 6
short|--traces 80 --steps 6 --target-len 0 --optional-frac 0.6 --p-skip 0.5 --groups 1 --group-size 3 --repeat-frac 0.5 --p-repeat 0.3 --seed 7
SHAPES
echo "done: $(ls "$OUT"/*.scores.json | wc -l) logs in $OUT" >&2
