// Loads the WebAssembly module once (top-level await). Its exports are plain
// functions over one table of engine instances (see src/api/mod.rs).
// Browsers fetch `stormguard_wasm_bg.wasm` next to the glue; Node (tests,
// server-side rendering) reads the file from disk.
import init, * as raw from '../pkg/stormguard_wasm.js';

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

const exports = await load();

/** "No object": the handle for an absent budget, registry, classifier or key. */
export const NONE = 0xffffffff;

const scratchAt = raw.scratch();
let view = new Float64Array(0);

/**
 * The scratch buffer the last call wrote its extra results to (32 numbers).
 * Read it right after the call; the view is rebuilt when memory grows.
 * @returns {Float64Array}
 */
export function out() {
  if (view.buffer !== exports.memory.buffer || view.length === 0) {
    view = new Float64Array(exports.memory.buffer, scratchAt, 32);
  }
  return view;
}

/** The module's exports: numbers in, numbers out (handles, indexes, ms). */
export { raw };
