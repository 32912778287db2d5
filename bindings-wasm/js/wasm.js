// Loads the WebAssembly module once (top-level await) and re-exports its raw
// classes. Browsers fetch `stormguard_wasm_bg.wasm` next to the glue; Node
// (tests, server-side rendering) reads the file from disk.
import init, * as core from '../pkg/stormguard_wasm.js';

const isNode = typeof process === 'object' && process !== null &&
  typeof process.versions === 'object' && typeof process.versions.node === 'string';

async function load() {
  const url = new URL('../pkg/stormguard_wasm_bg.wasm', import.meta.url);
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return init({ module_or_path: await readFile(url) });
  }
  return init({ module_or_path: url });
}

await load();

export { core };
