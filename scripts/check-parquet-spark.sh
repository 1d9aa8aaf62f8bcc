#!/usr/bin/env bash
# The docs/sql/ queries, run unchanged by Spark SQL (PySpark, local mode) over the Parquet export of the sample
# sessions, equal `shadowmap report --format json` (to 1e-9 after the report's rounding).
# Installs PySpark in a venv (VENV, default .venv-spark) and needs a Java runtime (apt-get install default-jre-headless). Run by hand: too heavy for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv-spark}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import pyspark" 2>/dev/null || "$VENV/bin/pip" install --quiet pyspark
cargo build --quiet --locked
bin=target/debug/shadowmap
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" export sample-sessions --format parquet --out "$out/parquet"
"$bin" report sample-sessions --format json --out "$out/report.json"
"$VENV/bin/python" scripts/check_parquet_sql.py spark "$out/parquet" "$out/report.json"
