#!/usr/bin/env bash
# Runs the whole stormguard-web test suite, installing what is missing first
# (and skipping what is present, so a warm run stays fast):
#
#   bindings-wasm/scripts/test.sh
#
# 1. Chromium (apt) when /usr/bin/chromium is absent.
# 2. Debug build of the wasm module + glue (scripts/build.sh installs the
#    wasm32 target, wasm-bindgen-cli at the crate's exact version, npm deps).
# 3. The binding crate's Rust unit tests, and the core's registry tests
#    with the `compact-registry` index the module is built with.
# 4. tsc --noEmit: the TypeScript declarations against a typed example.
# 5. node --test: shared vectors and the hostile-input table under Node, then
#    the createFetch scenarios and the demo page in headless Chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -x /usr/bin/chromium ]]; then
  step "installing chromium (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi

step "build (debug)"
bash "$here/scripts/build.sh"

step "cargo test -p stormguard-wasm, and the core's registry with the module's compact index"
(cd "$root" && cargo test -p stormguard-wasm --quiet)
(cd "$root" && cargo test -p stormguard --features compact-registry --lib --quiet registry)

step "tsc --noEmit (index.d.ts against a typed example)"
"$here/node_modules/.bin/tsc" --noEmit --strict --target es2022 --lib es2022,dom \
  --module nodenext --moduleResolution nodenext "$here/test/types/example.ts"

step "node --test (vectors, hostile input, Chromium scenarios, demo)"
cd "$here"
node --test test/node/ test/browser/
