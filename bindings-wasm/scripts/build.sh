#!/usr/bin/env bash
# Builds the wasm module and its wasm-bindgen glue into bindings-wasm/pkg/.
#
#   scripts/build.sh            debug build (tests)
#   scripts/build.sh --release  the shipped module: size-optimised release build
#                               (profile `wasm-size`: release + LTO), wasm-opt
#                               (-Oz, then flattened and re-structured, -Oz again,
#                               then -Oz with global effects)
#                               and the glue minified with terser
#
# Installs what is missing first: the wasm32 target, wasm-bindgen-cli at the
# exact version of the wasm-bindgen crate, and npm dev dependencies (binaryen's
# wasm-opt; Debian's binaryen 108 produces broken modules).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
profile=debug
[[ "${1:-}" == "--release" ]] && profile=wasm-size
WASM_BINDGEN_VERSION=0.2.130

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --no-default-features --bin wasm-bindgen
fi
if [[ ! -x "$here/node_modules/.bin/wasm-opt" || ! -x "$here/node_modules/.bin/tsc" || ! -x "$here/node_modules/.bin/terser" || ! -d "$here/node_modules/playwright-core" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

target_dir="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
if [[ $profile == wasm-size ]]; then
  cargo build -p stormguard-wasm --target wasm32-unknown-unknown --profile wasm-size
else
  cargo build -p stormguard-wasm --target wasm32-unknown-unknown --features vectors
fi
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$here/pkg" "$target_dir/wasm32-unknown-unknown/$profile/stormguard_wasm.wasm"
# The glue repeats every Rust doc comment as JSDoc (a third of its size); the
# JS layer documents the public API, so the shipped glue drops them, and the
# warnings about deprecated init parameters (js/wasm.js always passes one
# object).
node -e 'const fs = require("fs"); const f = process.argv[1];
  fs.writeFileSync(f, fs.readFileSync(f, "utf8")
    .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, "")
    .replace(/console\.warn\(\x27using deprecated parameters[^\x27]*\x27\)/g, ""));' \
  "$here/pkg/stormguard_wasm.js"
if [[ $profile == wasm-size ]]; then
  # `--flatten --rereloop` rebuilds every function's control flow from
  # scratch, and the second -Oz finds about 0.3 KB more to fold than -Oz
  # alone; a last -Oz that knows each function's side effects
  # (`--generate-global-effects`) drops 0.15 KB more (BENCHMARKS.md).
  "$here/node_modules/.bin/wasm-opt" -Oz --converge --flatten --rereloop -Oz \
    --generate-global-effects -Oz \
    --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$here/pkg/stormguard_wasm_bg.wasm" -o "$here/pkg/stormguard_wasm_bg.wasm"
  "$here/node_modules/.bin/terser" "$here/pkg/stormguard_wasm.js" --module \
    --compress passes=3 --mangle --toplevel -o "$here/pkg/stormguard_wasm.js"
fi
echo "built $profile module: $(wc -c < "$here/pkg/stormguard_wasm_bg.wasm") bytes"
