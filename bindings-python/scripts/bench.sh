#!/usr/bin/env bash
# Benchmarks the Python binding against its peers, side by side, in one run:
#
#   bindings-python/scripts/bench.sh
#
# Builds the extension in release mode into bindings-python/.venv (the next
# scripts/test.sh puts the debug build back), installs the pinned peers
# (pybreaker 1.4, circuitbreaker 2.1, tenacity 9, redis 8.1) and runs bench.py.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$here"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check \
  maturin==1.16.0 redis==8.1.0 pybreaker==1.4.1 circuitbreaker==2.1.3 tenacity==9.2.1
VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
  "$venv/bin/maturin" develop --quiet --release --target-dir "$repo/target/maturin"
"$py" "$here/bench.py"
