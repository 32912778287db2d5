#!/usr/bin/env bash
# npm run bench: builds the addon in release, then runs bench/bench.mjs
# (stormguard vs opossum 10 and cockatiel 4, side by side). Needs `npm ci`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
[[ -d node_modules/opossum && -d node_modules/cockatiel ]] || npm ci --no-audit --no-fund
scripts/build.sh --release
node --expose-gc bench/bench.mjs
