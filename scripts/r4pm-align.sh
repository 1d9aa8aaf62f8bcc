#!/usr/bin/env sh
# Runs scripts/r4pm_align.py in a venv with r4pm 0.6.2 (created on first use).
# VENV: the venv to use (default .venv-r4pm in the repository, git-ignored).
# Usage: scripts/r4pm-align.sh LOG.xes PATHWAY.json
set -eu
here=$(cd "$(dirname "$0")" && pwd)
VENV=${VENV:-"$here/../.venv-r4pm"}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet r4pm==0.6.2
fi
exec "$VENV/bin/python" "$here/r4pm_align.py" "$@"
