#!/usr/bin/env bash
# Regenerates tests/fixtures/agree-kappa.json: the slice labels of the sample pairs in
# sample-sessions/agreement/ (as shadowmap labels them), plus seeded synthetic label sets,
# with the kappa scikit-learn's cohen_kappa_score gives for each. tests/agree_kappa.rs checks
# that shadowmap's labels still match and that its kappa equals scikit-learn's within 1e-9.
#
# Needs Python 3 with scikit-learn. Without one at hand:
#   python3 -m venv .venv-sk && .venv-sk/bin/pip install scikit-learn
# (.venv-sk/ is git-ignored). Set PYTHON to use another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    if [ -x .venv-sk/bin/python ]; then PYTHON=.venv-sk/bin/python; else PYTHON=python3; fi
fi
"$PYTHON" -c 'import sklearn' 2>/dev/null || {
    echo "error: $PYTHON has no scikit-learn; run: python3 -m venv .venv-sk && .venv-sk/bin/pip install scikit-learn" >&2
    exit 1
}

cargo build --quiet --example agree_slice_labels
BIN=target/debug/examples/agree_slice_labels
DIR=sample-sessions/agreement
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# name|A|B|shift-b
PAIRS="
north-RN-07|$DIR/20261125-0918-north-RN-07-ak.ron|$DIR/20261125-0918-north-RN-07-jb.ron|0
north-RN-07-reversed|$DIR/20261125-0918-north-RN-07-jb.ron|$DIR/20261125-0918-north-RN-07-ak.ron|0
south-RN-12-unshifted|$DIR/20261126-1405-south-RN-12-ak.ron|$DIR/20261126-1403-south-RN-12-mt.ron|0
south-RN-12-shifted|$DIR/20261126-1405-south-RN-12-ak.ron|$DIR/20261126-1403-south-RN-12-mt.ron|95
"
MANIFEST="$WORK/manifest.tsv"
: > "$MANIFEST"
n=0
while IFS='|' read -r name a b shift; do
    [ -z "$name" ] && continue
    n=$((n + 1))
    "$BIN" "$a" "$b" "$shift" > "$WORK/$n.json"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$a" "$b" "$shift" "$WORK/$n.json" >> "$MANIFEST"
done <<< "$PAIRS"

"$PYTHON" scripts/kappa_fixture.py "$MANIFEST" > tests/fixtures/agree-kappa.json
echo "wrote tests/fixtures/agree-kappa.json"
