#!/usr/bin/env bash
# Measurements for stormguard-web (run from anywhere):
#
#   bindings-wasm/scripts/bench.sh
#
# 1. size-optimised release build (profile wasm-size + wasm-opt -Oz), then the
#    sizes of the wasm, the glue and the JS layer, raw and gzipped, beside ky;
# 2. per-request overhead of createFetch vs bare fetch in headless Chromium
#    against a local endpoint, side by side in one run.
# Leaves the release module in pkg/ (scripts/test.sh rebuilds the debug one).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[[ -x /usr/bin/chromium ]] || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
bash "$here/scripts/build.sh" --release
printf '\n== size\n'
node "$here/bench/size.mjs"
printf '\n== per-request overhead (Chromium)\n'
node "$here/bench/overhead.mjs"
