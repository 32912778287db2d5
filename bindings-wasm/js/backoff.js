// `Backoff`: the delay before each retry, computed by the core.
import { core } from './wasm.js';
import { call, configError, describe } from './errors.js';
import { plainObject, tableValues } from './options.js';
import { createRng } from './clock.js';

/** Validates a 1-based attempt number (0 counts as 1). */
export function checkAttempt(attempt, option = 'attempt') {
  if (typeof attempt !== 'number') {
    throw configError('type', option, `\`${option}\` must be a number, got ${typeof attempt}`);
  }
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 4294967295) {
    throw configError('range', option, `\`${option}\` must be a whole number between 0 and 4294967295, got ${attempt}`);
  }
  return attempt;
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
   * The delay in ms before retry `attempt` (1-based), or `null` once
   * `attempt > maxAttempts`. Stateful schedules (decorrelated, pollyV2)
   * remember the previous delay until `reset()`.
   * @param {number} attempt
   * @returns {number | null}
   */
  delayMs(attempt) {
    const d = this.#core.nextWithRng(checkAttempt(attempt), this.#rng);
    return d < 0 ? null : d;
  }

  /**
   * The first `n` delays of a fresh operation (stops early when the backoff
   * gives up); resets the state before and after.
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
      const d = this.delayMs(attempt);
      if (d === null) break;
      out.push(d);
    }
    this.reset();
    return out;
  }

  /** Forgets the previous delay (a new operation starts). */
  reset() {
    this.#core.reset();
  }

  /** The longest delay these options allow, in ms. */
  get maxDelayMs() {
    return this.#core.maxDelayMs();
  }
}
