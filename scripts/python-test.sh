#!/usr/bin/env bash
# The Python package's tests: a fresh virtual environment, `pip install ./python pytest dask
# distributed pandas pyarrow polars` (pyarrow and polars read its Arrow tables; maturin builds
# the extension from this checkout), then pytest, which compares every result with the
# `dealzone` command line (built here first).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${DEALZONE_VENV:-target/python-venv}"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# MATURIN_PEP517_ARGS (e.g. `--profile dev`) lets CI reuse the test build's artifacts.
"$venv/bin/python" -m pip install --quiet ./python pytest dask distributed pandas pyarrow polars
cargo build --quiet --bin dealzone
DEALZONE_BIN="$PWD/target/debug/dealzone" "$venv/bin/python" -m pytest python/tests -q "$@"
