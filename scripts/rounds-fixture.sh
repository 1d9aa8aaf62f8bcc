#!/usr/bin/env bash
# Regenerates tests/fixtures/rounds-stats.json: generated rounds (ties, small and large groups,
# all-equal groups, zero counts) with the Mann-Whitney p-values and Fisher p-values scipy gives,
# the Newcombe intervals and Benjamini-Hochberg adjustments statsmodels gives, and the
# Hodges-Lehmann shifts and intervals by brute force. tests/rounds_stats.rs checks shadowmap's
# figures against them within 1e-9. Run by hand; commit the fixture.
#
# VENV: a Python venv with scipy and statsmodels (default .venv-rounds, git-ignored; made here
# when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv-rounds}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet scipy statsmodels numpy
fi
"$VENV/bin/python" -c 'import scipy, statsmodels' 2>/dev/null || "$VENV/bin/pip" install --quiet scipy statsmodels numpy
"$VENV/bin/python" scripts/rounds_fixture.py > tests/fixtures/rounds-stats.json
echo "wrote tests/fixtures/rounds-stats.json"
