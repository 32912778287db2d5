#!/usr/bin/env bash
# Builds the addon with plain cargo and copies it next to index.js.
#   scripts/build.sh            debug build (tests)
#   scripts/build.sh --release  release build (benchmarks)
# CARGO_TARGET_DIR is honoured; the default is the repository's target/.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
profile=debug
args=()
if [[ "${1:-}" == "--release" ]]; then profile=release; args+=(--release); fi
cd "$root"
cargo build -p stormguard-node "${args[@]}"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$(uname -s)" in
  Darwin) lib="libstormguard_node.dylib" ;;
  *) lib="libstormguard_node.so" ;;
esac
cp "$target/$profile/$lib" "$here/stormguard.node.tmp"
mv "$here/stormguard.node.tmp" "$here/stormguard.node"
echo "built $here/stormguard.node ($profile)"
