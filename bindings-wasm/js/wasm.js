// Loads the WebAssembly module once (top-level await). Its exports are plain
// functions over one table of engine instances (see src/api/mod.rs).
// Browsers fetch `stormguard_wasm_bg.wasm` next to the glue; Node (tests,
// server-side rendering) reads the file from disk.
import init, * as glue from '../pkg/stormguard_wasm.js';

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

const scratchAt = glue.scratch();
const textAt = glue.textBuffer();
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

/**
 * Writes `arrays` one after another where the module reads its next call's
 * numbers; their lengths, for the call.
 * @param {...ArrayLike<number>} arrays
 */
function numbers(...arrays) {
  let total = 0;
  for (const a of arrays) total += a.length;
  const at = glue.input(total);
  if (at === 0 && total > 0) throw new RangeError(`no memory for ${total} numbers`);
  const view = new Float64Array(exports.memory.buffer, at, total);
  let i = 0;
  for (const a of arrays) {
    view.set(a, i);
    i += a.length;
  }
  return arrays.map((a) => a.length);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `texts` as UTF-8 one after another where the module reads its next
 * call's strings; their byte lengths, for the call. Room is asked for the
 * most UTF-8 the texts can take (3 bytes per UTF-16 unit).
 * @param {...string} texts
 */
function strings(...texts) {
  let most = 0;
  for (const t of texts) most += t.length * 3;
  const at = glue.bytes(most);
  if (at === 0 && most > 0) throw new RangeError(`no memory for ${most} bytes of text`);
  const view = new Uint8Array(exports.memory.buffer, at, most);
  let offset = 0;
  return texts.map((text) => {
    const { written } = encoder.encodeInto(text, view.subarray(offset));
    offset += written;
    return written;
  });
}

/**
 * The module's exports: numbers in, numbers out (handles, indexes, ms).
 * The exports that take arrays or strings get them through `numbers` and
 * `strings` (the module takes only lengths); `text(i)` decodes the name the
 * module wrote.
 */
export const raw = {
  ...glue,
  text: (i) => decoder.decode(new Uint8Array(exports.memory.buffer, textAt, glue.text(i))),
  backoff: (values) => glue.backoff(...numbers(values)),
  budget: (kind, values) => glue.budget(kind, ...numbers(values)),
  breakers: (preset, values, openBackoff, registryValues) => {
    const [v, o, r] = numbers(values, openBackoff, registryValues);
    return glue.breakers(...strings(preset), v, o, r);
  },
  classifier: (retryOn, delayOn, methods, lengths, present) => {
    const [retry, delay, l] = numbers(retryOn, delayOn, lengths);
    return glue.classifier(retry, delay, ...strings(methods), l, present);
  },
  classify: (handle, status, method, flags) => glue.classify(handle, status, ...strings(method), flags),
  hintMs: (values, nowUnixMs) => glue.hintMs(...strings(values), nowUnixMs),
  policy: (values, backoff, retryAfter, adaptive) => glue.policy(...numbers(values, backoff, retryAfter, adaptive)),
  decide: (p, exec, nowMs, classifier, statusOrClass, method, flags, hintMs, u, budget, breakers, key) =>
    glue.decide(p, exec, nowMs, classifier, statusOrClass, ...strings(method), flags, hintMs, u, budget, breakers, key),
};
