#!/usr/bin/env bash
# Runs the whole stormguard-web test suite, installing what is missing first
# (and skipping what is present, so a warm run stays fast):
#
#   bindings-wasm/scripts/test.sh
#
# 1. Chromium (apt) when /usr/bin/chromium is absent.
# 2. The shipped module (scripts/build.sh --release: LTO, wasm-opt, minified
#    glue; it installs the wasm32 target, wasm-bindgen-cli at the crate's
#    exact version and the npm deps): the API, hostile-input and boundary
#    tests under Node, then the createFetch scenarios and the demo page in
#    headless Chromium.
# 3. The debug build with the `vectors` exports: every test under Node again,
#    with the shared vectors.
# 4. The binding crate's Rust unit tests, and the core's registry tests
#    with the `compact-registry` index the module is built with.
# 5. tsc --noEmit: the TypeScript declarations against a typed example.
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

step "build (release: the shipped module)"
bash "$here/scripts/build.sh" --release

step "node --test on the shipped module (API, hostile input, boundary, Chromium scenarios, demo)"
(cd "$here" && node --test test/node/api.test.mjs test/node/hostile.test.mjs \
  test/node/boundary.test.mjs test/browser/)

step "build (debug, with the vectors exports)"
bash "$here/scripts/build.sh"

step "node --test on the vectors build (shared vectors, API, hostile input, boundary)"
(cd "$here" && node --test test/node/)

step "cargo test -p stormguard-wasm, and the core's registry with the module's compact index"
(cd "$root" && cargo test -p stormguard-wasm --quiet)
(cd "$root" && cargo test -p stormguard --features compact-registry --lib --quiet registry)

step "tsc --noEmit (index.d.ts against a typed example)"
"$here/node_modules/.bin/tsc" --noEmit --strict --target es2022 --lib es2022,dom \
  --module nodenext --moduleResolution nodenext "$here/test/types/example.ts"
