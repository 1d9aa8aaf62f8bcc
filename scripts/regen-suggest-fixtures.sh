#!/bin/sh
# Regenerates tests/fixtures/suggest/: the generated sets and the pm4py measurements of the
# configured pathway, the true one, the suggestion and the Inductive Miner
# (scripts/suggest_acceptance.py). Run by hand; the tests only read what it writes.
#
#   scripts/regen-suggest-fixtures.sh [--only SET]
#
# VENV: a virtualenv with pm4py (default .venv-suggest in the repository, created with
# pm4py 2.7.23.11 when missing).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VENV=${VENV:-$root/.venv-suggest}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pm4py==2.7.23.11
fi
CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0} cargo build --quiet --bin shadowmap
"$VENV/bin/python" scripts/suggest_acceptance.py --shadowmap "$root/target/debug/shadowmap" "$@"
