'use strict';
/**
 * `Backoff`: delays before retries, computed by the core.
 * @module stormguard/lib/backoff
 */
const native = require('./native');
const { split, toJson, seedText } = require('./options');
const { checkNumber, argTypeError } = require('./errors');

/**
 * The options of a named preset (a peer's backoff), as a plain object you can
 * inspect, tweak and pass to `new Backoff()` or `retryStrategy()`.
 * @param {string} name e.g. `ioredisV6`, `redisPyExponential`, `awsStandard2026`
 * @param {...number} args the peer's positional arguments (redis-py: cap, base in seconds)
 */
function presetOptions(name, ...args) {
  if (typeof name !== 'string') throw argTypeError('name', 'a preset name string', name);
  args.forEach((arg, i) => checkNumber(`args[${i}]`, arg));
  return JSON.parse(native.backoffPresetOptions(name, args));
}

/** Every preset name `presetOptions` accepts. */
const PRESET_NAMES = Object.freeze(native.backoffPresetNames());

/** A validated backoff with its own seeded RNG and sequence state. */
class Backoff {
  #native;

  /**
   * @param {object} [options] `BackoffOptions` (`schedule`, `baseMs`, `maxMs`,
   *   `jitter` …) plus `seed` for a reproducible RNG.
   */
  constructor(options) {
    const { host, core } = split('Backoff', options, ['seed']);
    this.#native = new native.NativeBackoff(toJson(core), seedText(host.seed));
  }

  /** A backoff from a preset's options (see `presetOptions`). */
  static preset(name, ...args) {
    return new Backoff(presetOptions(name, ...args));
  }

  /**
   * The delay in ms before retry `attempt` (1-based), with draw `u` in [0, 1)
   * or one from the RNG. Pure: ignores `maxAttempts` and the sequence state.
   */
  delayMs(attempt, u) {
    checkNumber('attempt', attempt);
    if (u !== undefined) checkNumber('u', u);
    return this.#native.delayMs(attempt, u);
  }

  /**
   * The next delay of this object's sequence (decorrelated and pollyV2 keep
   * state), or `null` once `attempt > maxAttempts`.
   */
  nextDelayMs(attempt, u) {
    checkNumber('attempt', attempt);
    if (u !== undefined) checkNumber('u', u);
    return this.#native.nextDelayMs(attempt, u);
  }

  /** Forgets the sequence state (a new operation starts). */
  reset() {
    this.#native.reset();
  }

  /** The delays before retries 1..n of a fresh operation (shorter if `maxAttempts` stops first). */
  schedule(n) {
    checkNumber('n', n);
    return this.#native.schedule(n);
  }

  /** The longest delay this backoff can return, in ms. */
  get maxDelayMs() {
    return this.#native.maxDelayMs;
  }

  /** `maxAttempts`, or `null` for unlimited. */
  get maxAttempts() {
    return this.#native.maxAttempts ?? null;
  }
}

module.exports = { Backoff, presetOptions, PRESET_NAMES };
