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

/** Views over the module's input buffers (rebuilt when memory grows). */
let numbersView = new Float64Array(0);
let bytesView = new Uint8Array(0);
const numbersAt = glue.input(0);
const bytesAt = glue.bytes(0);
const BYTES = 16384;

/**
 * Writes `arrays` one after another where the module reads its next call's
 * numbers; their lengths, for the call.
 * @param {...ArrayLike<number>} arrays
 */
function numbers(...arrays) {
  let total = 0;
  for (const a of arrays) total += a.length;
  if (glue.input(total) === 0) throw new RangeError(`${total} numbers are more than the module takes in one call`);
  if (numbersView.buffer !== exports.memory.buffer || numbersView.length === 0) {
    numbersView = new Float64Array(exports.memory.buffer, numbersAt, 1024);
  }
  let i = 0;
  for (const a of arrays) {
    numbersView.set(a, i);
    i += a.length;
  }
  return arrays.map((a) => a.length);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `texts` as UTF-8 one after another where the module reads its next
 * call's strings (callers keep them short enough to fit); their byte
 * lengths, for the call.
 * @param {...string} texts
 */
function strings(...texts) {
  if (bytesView.buffer !== exports.memory.buffer || bytesView.length === 0) {
    bytesView = new Uint8Array(exports.memory.buffer, bytesAt, BYTES);
  }
  let offset = 0;
  return texts.map((text) => {
    const { written } = encoder.encodeInto(text, bytesView.subarray(offset));
    offset += written;
    return written;
  });
}

/**
 * `text`, or `instead` when it could overflow the module's 16384 bytes of
 * text (4096 UTF-16 units are at most 12288 bytes): used for values no
 * valid input comes near (a preset name, a method, hint headers), so the
 * module answers as for any unknown value.
 */
const short = (text, instead) => (text.length > 4096 ? instead : text);

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
  backoffPreset: (name, args) => glue.backoffPreset(...strings(short(name, '?')), ...numbers(args)),
  budget: (kind, values) => glue.budget(kind, ...numbers(values)),
  breakers: (preset, values, openBackoff, registryValues) => {
    const [v, o, r] = numbers(values, openBackoff, registryValues);
    return glue.breakers(...strings(short(preset, '?')), v, o, r);
  },
  classifier: (retryOn, delayOn, methods, lengths, present) => {
    // An over-long list becomes one item that is not a method name, which
    // the module rejects naming `retryMethods`.
    if (methods.length > 4096) [methods, lengths] = [' ', [1]];
    const [retry, delay, l] = numbers(retryOn, delayOn, lengths);
    return glue.classifier(retry, delay, ...strings(methods), l, present);
  },
  classify: (handle, status, method, flags) => glue.classify(handle, status, ...strings(short(method, '?')), flags),
  hintMs: (values, nowUnixMs) => glue.hintMs(...strings(short(values, '')), nowUnixMs),
  policy: (values, backoff, retryAfter, adaptive) => glue.policy(...numbers(values, backoff, retryAfter, adaptive)),
  decide: (p, exec, nowMs, classifier, statusOrClass, method, flags, hintMs, u, budget, breakers, key) =>
    glue.decide(p, exec, nowMs, classifier, statusOrClass, ...strings(short(method, '?')), flags, hintMs, u, budget, breakers, key),
};
