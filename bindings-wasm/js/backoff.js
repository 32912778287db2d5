// `Backoff`: the delay before each retry, computed by the core. Same names as
// the Node package: `delayMs` (pure), `nextDelayMs` (sequence), `schedule`,
// `reset`, `maxDelayMs`, `maxAttempts`. No `Backoff.preset`: the peers'
// presets reproduce server-side clients and stay out of the browser module.
import * as core from './core.js';
import { call, configError, describe } from './errors.js';
import { plainObject, tableValues } from './options.js';
import { createRng } from './clock.js';

/** Validates a 1-based attempt number (0 counts as 1). */
export function checkAttempt(attempt, option = 'attempt') {
  if (typeof attempt !== 'number') {
    throw configError('type', option, `\`${option}\` must be a number, got ${describe(attempt)}`);
  }
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 4294967295) {
    throw configError('range', option, `\`${option}\` must be a whole number between 0 and 4294967295, got ${attempt}`);
  }
  return attempt;
}

/** Validates an explicit draw `u` (any number; the core clamps it into [0, 1)). */
function checkDraw(u) {
  if (typeof u !== 'number') throw configError('type', 'u', `\`u\` must be a number, got ${describe(u)}`);
  return u;
}

/**
 * A retry schedule: `schedule` (constant, linear, exponential, decorrelated,
 * pollyV2), `baseMs`, `maxMs`, `jitter` … (the core's `BackoffOptions`), plus
 * `seed` for a reproducible stream.
 */
export class Backoff {
  #core;
  #rng;

  /** @param {object} [options] */
  constructor(options) {
    const obj = plainObject(options, '');
    const values = tableValues('backoff', obj, '', ['seed']);
    this.#rng = createRng(obj.seed);
    this.#core = call(() => new core.CoreBackoff('', values));
  }

  /**
   * The delay in ms before retry `attempt` (1-based) with draw `u` (or one
   * from the generator). Pure: ignores `maxAttempts` and the sequence state.
   * @param {number} attempt
   * @param {number} [u]
   */
  delayMs(attempt, u) {
    checkAttempt(attempt);
    return this.#core.delay(attempt, u === undefined ? this.#rng.nextUnit() : checkDraw(u));
  }

  /**
   * The next delay of this object's sequence before retry `attempt`, or
   * `null` once `attempt > maxAttempts`. Stateful schedules (decorrelated,
   * pollyV2) remember the previous delay until `reset()`.
   * @param {number} attempt
   * @param {number} [u]
   * @returns {number | null}
   */
  nextDelayMs(attempt, u) {
    checkAttempt(attempt);
    const d = u === undefined ? this.#core.nextWithRng(attempt, this.#rng) : this.#core.next(attempt, checkDraw(u));
    return d < 0 ? null : d;
  }

  /**
   * The delays before retries 1..n of a fresh operation (shorter when
   * `maxAttempts` stops first); resets the sequence before and after.
   * @param {number} n
   * @returns {number[]}
   */
  schedule(n) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100000) {
      throw configError(typeof n === 'number' ? 'range' : 'type', 'n', `\`n\` must be a whole number between 0 and 100000, got ${describe(n)}`);
    }
    this.reset();
    const out = [];
    for (let attempt = 1; attempt <= n; attempt++) {
      const d = this.nextDelayMs(attempt);
      if (d === null) break;
      out.push(d);
    }
    this.reset();
    return out;
  }

  /** Forgets the sequence state (a new operation starts). */
  reset() {
    this.#core.reset();
  }

  /** The longest delay this backoff can return, ms. */
  get maxDelayMs() {
    return this.#core.maxDelayMs();
  }

  /** `maxAttempts`, or `null` for unlimited. */
  get maxAttempts() {
    const n = this.#core.maxAttempts();
    return Number.isNaN(n) ? null : n;
  }
}
