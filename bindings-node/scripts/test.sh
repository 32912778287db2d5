#!/usr/bin/env bash
# Runs the whole Node binding suite, installing what is missing first:
#   redis-server (apt), npm dependencies (npm ci), the addon (debug build),
# then the TypeScript check and every node:test file under test/.
# A warm run skips the installs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

step() { printf '\n==> [node] %s\n' "$*"; }

if ! command -v redis-server >/dev/null 2>&1; then
  step "installing redis-server"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server
fi

if [[ ! -d node_modules ]] || ! cmp -s package-lock.json node_modules/.stormguard-lock; then
  step "npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.stormguard-lock
fi

step "build the addon (debug)"
scripts/build.sh

step "TypeScript declarations (tsc --noEmit on examples/typed.ts)"
npx --no-install tsc -p examples/tsconfig.json

step "node --test"
node --test --test-concurrency=1 test/
