#!/usr/bin/env bash
# The docs/sql/ queries, run unchanged by DuckDB over the Parquet export of the sample
# sessions, equal `shadowmap report --format json` (to 1e-9 after the report's rounding).
# Installs DuckDB's Python package in a venv (VENV, default .venv-duckdb). CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv-duckdb}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import duckdb" 2>/dev/null || "$VENV/bin/pip" install --quiet duckdb==2.0.1
cargo build --quiet --locked
bin=target/debug/shadowmap
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" export sample-sessions --format parquet --out "$out/parquet"
"$bin" report sample-sessions --format json --out "$out/report.json"
"$VENV/bin/python" scripts/check_parquet_sql.py duckdb "$out/parquet" "$out/report.json"
