// The host side of time and randomness: the monotonic clock for every
// decision, the wall clock for HTTP-dates, timers, and the seeded generator.
import * as core from './core.js';
import { configError, describe } from './errors.js';

/** Monotonic milliseconds (performance.now()). */
export const nowMs = () => performance.now();

/** Wall-clock Unix milliseconds, for `Retry-After` HTTP-dates. */
export const wallMs = () => Date.now();

/**
 * The core's seeded generator; `seed` (a safe integer) makes runs
 * reproducible, otherwise it is seeded from crypto.getRandomValues.
 * @param {unknown} seed
 * @param {string} option
 */
export function createRng(seed, option = 'seed') {
  if (seed === undefined) {
    const words = new Uint32Array(2);
    crypto.getRandomValues(words);
    return new core.CoreRng(words[0], words[1]);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw configError(typeof seed === 'number' ? 'range' : 'type', option,
      `\`${option}\` must be a non-negative safe integer, got ${describe(seed)}`);
  }
  return new core.CoreRng(Math.floor(seed / 2 ** 32), seed % 2 ** 32);
}

const MAX_TIMER_MS = 2147483647;

/**
 * Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts.
 * Waits longer than setTimeout's limit are chained.
 * @param {number} ms
 * @param {AbortSignal | undefined} signal
 * @param {() => unknown} onAbort
 */
export function sleep(ms, signal, onAbort) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(onAbort()); return; }
    let timer;
    const end = performance.now() + ms;
    const arm = () => {
      const left = end - performance.now();
      if (left <= 0) { done(); resolve(); return; }
      timer = setTimeout(arm, Math.min(Math.ceil(left), MAX_TIMER_MS));
    };
    const abort = () => { clearTimeout(timer); done(); reject(onAbort()); };
    const done = () => signal?.removeEventListener('abort', abort);
    signal?.addEventListener('abort', abort, { once: true });
    arm();
  });
}
