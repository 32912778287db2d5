#!/usr/bin/env bash
# Builds the Python binding (debug) and runs its whole test suite.
#
#   bindings-python/scripts/test.sh
#
# Installs what is missing (redis-server from apt, a venv in
# bindings-python/.venv with pinned maturin/pytest/redis/mypy), skips what is
# present, builds with `maturin develop` into target/maturin, then runs
# pytest (vectors, redis-server, Sentinel, hostile input) and mypy.stubtest.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$here"

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Debian's python3 ships venv/ensurepip separately.
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update
  apt-get install -y "${missing[@]}"
fi

step "virtualenv"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
pins=(maturin==1.16.0 pytest==9.2.0 redis==8.1.0 mypy==2.4.1)
if ! "$py" -m pip freeze 2>/dev/null | grep -qix "maturin==1.16.0" \
  || ! "$py" -m pip freeze | grep -qix "pytest==9.2.0" \
  || ! "$py" -m pip freeze | grep -qix "redis==8.1.0" \
  || ! "$py" -m pip freeze | grep -qix "mypy==2.4.1"; then
  "$py" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
fi

step "build (debug): maturin develop"
VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
  "$venv/bin/maturin" develop --quiet --target-dir "$repo/target/maturin"

step "pytest"
"$py" -m pytest -q -p no:cacheprovider

step "mypy.stubtest"
"$py" -m mypy.stubtest stormguard
printf '\npython binding: all checks passed\n'
