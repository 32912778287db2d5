'use strict';
/**
 * `CircuitBreaker`: the core's breaker as an `EventEmitter`. The core
 * decides every admission and transition; this layer reads the clock, turns
 * the transitions the core returns (as data, after each call) into events,
 * and announces half-open on time with one unref'd timer armed from the
 * core's `poll_timeout`.
 *
 * Events: `stateChange` (every transition), then `open`, `halfOpen` or
 * `close` for those targets; `reject` for every rejected call. Each
 * transition event receives `{ from, to, reason, atMs }`.
 * @module stormguard/lib/breaker
 */
const { EventEmitter } = require('node:events');
const native = require('./native');
const { split, toJson, seedText, clockOf, optionalFunction } = require('./options');
const { argTypeError, checkFunction, checkNumber, checkSignal, configError, withCode } = require('./errors');
const { NATIVE, PARENT, LINK_PARENT, ACQUIRE_QUIETLY } = require('./internal');

const OUTCOMES = { success: 0, failure: 1, ignored: 2 };
/** Largest permit id the native layer takes (it packs `id·4 + outcome` into a double). */
const MAX_PERMIT_ID = 2 ** 51 - 1;
const OUTCOME_NAMES = ['success', 'failure', 'ignored'];
/** The context `execute` passes to `fn` when no signal was given. */
const NO_SIGNAL = Object.freeze({ signal: undefined });
const RECORDED = ['counted', 'released', 'late'];
const EVENT_OF = { open: 'open', halfOpen: 'halfOpen', closed: 'close' };
const PRESETS = ['resilience4j', 'opossum', 'pybreaker', 'polly', 'gobreaker'];

/** A call the breaker did not admit (`ERR_BREAKER_OPEN`); it never reached the dependency. */
class BreakerOpenError extends Error {
  constructor(rejection, name) {
    super(`circuit breaker${name ? ` "${name}"` : ''} is ${rejection.state}`);
    this.name = 'BreakerOpenError';
    this.code = 'ERR_BREAKER_OPEN';
    this.state = rejection.state;
    this.retryAfterMs = rejection.retryAfterMs ?? null;
  }
}

/** The core options of a preset (`resilience4j`, `opossum`, `pybreaker`, `polly`, `gobreaker`). */
function breakerPresetOptions(name) {
  if (typeof name !== 'string') throw argTypeError('name', 'a preset name string', name);
  return JSON.parse(native.breakerPresetOptions(name));
}

/** Splits breaker options; `preset` picks the base options, the rest override them. */
function breakerParts(options) {
  const { host, core } = split('CircuitBreaker', options, ['seed', 'clock', 'name', 'isFailure', 'preset']);
  let merged = core;
  if (host.preset !== undefined && host.preset !== null) {
    if (typeof host.preset !== 'string') throw configError(TypeError, 'preset', `one of ${PRESETS.join(', ')}`, host.preset);
    merged = Object.assign(breakerPresetOptions(host.preset), core);
  }
  if (host.name !== undefined && typeof host.name !== 'string') throw configError(TypeError, 'name', 'a string', host.name);
  return { host, coreJson: toJson(merged) };
}

class CircuitBreaker extends EventEmitter {
  #native;
  /**
   * The core's `tryAcquire(now)` and `record(now, generation, id·4 +
   * outcome, durationMs)` as one plain function (told apart by argument count): the
   * same answers as the class methods at a fraction of the call cost.
   */
  #call;
  #now;
  #generation;
  #timer = null;
  #isFailure;
  #name;
  /** The parent breaker (registry hierarchy), or undefined. */
  #parent;
  /**
   * The core's admission (`breaker::Admission`): while it holds for the
   * current generation, `execute` starts calls without asking the core, and
   * plain successes that end before `#batchUntil`, faster than `#slowMs`,
   * wait in `#waiting` to be reported together before the next core call.
   * Refreshed after each report `execute` makes and after each transition;
   * a low-level `record()` drops it instead (the next `execute` asks).
   */
  #admitted = -1;
  #batchUntil = -Infinity;
  #slowMs;
  #waiting = 0;
  #waitingAt = 0;
  /** Calls started under the admission and still running (in `metrics().admitted`). */
  #running = 0;

  /**
   * @param {object} [options] the core's `BreakerOptions` (`windowType`,
   *   `windowSize`, `minimumCalls`, `failureRateThreshold`, `openDurationMs`,
   *   `halfOpenPermits` …), plus `preset`, `name`, `isFailure(err)` (default:
   *   every error counts), `seed`, `clock`.
   */
  constructor(options, restored) {
    super();
    const { host, coreJson } = breakerParts(options);
    this.#now = clockOf(host.clock);
    this.#isFailure = optionalFunction('isFailure', host.isFailure);
    this.#name = host.name;
    this.#native = restored
      ? native.NativeBreaker.restore(coreJson, restored, seedText(host.seed))
      : new native.NativeBreaker(coreJson, seedText(host.seed));
    this.#call = this.#native.hotFn();
    this.#generation = this.#native.generation;
    // 1 µs below the core's threshold: float ms never round across it.
    this.#slowMs = JSON.parse(this.#native.options()).slowCallDurationMs - 0.001;
    Object.defineProperty(this, NATIVE, { value: this.#native });
    this.#arm();
  }

  /** A breaker continuing from `toJSON()` output; `options` supplies `clock`, `seed`, `name`, `isFailure`. */
  static restore(state, options) {
    if (state === null || typeof state !== 'object' || typeof state.snapshot !== 'string' || typeof state.options !== 'object') {
      throw argTypeError('state', 'the output of CircuitBreaker#toJSON()', state);
    }
    const { host } = split('CircuitBreaker', options, ['seed', 'clock', 'name', 'isFailure']);
    return new CircuitBreaker({ ...state.options, ...host }, state.snapshot);
  }

  /** The breaker's name (from options), or undefined. */
  get name() {
    return this.#name;
  }

  /**
   * Runs `fn` if the breaker admits it and records how it ended; rejects at
   * once with `BreakerOpenError` otherwise (the function is not called). A
   * call that fails because `signal` aborted counts as ignored.
   *
   * A plain function returning `fn()`'s promise chained to two handlers
   * (not an `async` function): every error, bad arguments included, still
   * comes back as a rejected promise, one microtask sooner.
   * @template T
   * @param {(context: { signal?: AbortSignal }) => T | Promise<T>} fn
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<T>}
   */
  execute(fn, options) {
    let context = NO_SIGNAL;
    let signal;
    let start;
    let packed;
    try {
      if (typeof fn !== 'function') throw argTypeError('fn', 'a function', fn);
      if (options !== undefined && options !== null) {
        signal = options.signal;
        if (signal !== undefined) {
          checkSignal(signal);
          signal.throwIfAborted();
          context = { signal };
        }
      }
      start = this.#now();
      if (this.#parent !== undefined) return this.#executeUnder(fn, context, signal, start);
      if (this.#admitted === this.#generation) {
        packed = -1;
        this.#running++;
      } else {
        if (this.#waiting > 0) this.#flush();
        packed = this.#call(start);
        if (packed < 0) throw this.#rejected(packed, start);
        if (packed % 2 === 1) this.#drain(start);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const generation = this.#generation;
    // −1: admitted without asking; else the permit id·4 (the outcome is added).
    const id4 = packed < 0 ? -1 : (packed - (packed % 2)) * 2;
    const now = this.#now;
    let result;
    try {
      result = fn(context);
    } catch (error) {
      try {
        this.#report(generation, id4, this.#failureOutcome(error, signal), start, now());
      } catch (recordError) {
        return Promise.reject(recordError);
      }
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        const end = now();
        if (id4 < 0 && generation === this.#admitted && end < this.#batchUntil && end - start < this.#slowMs && end >= start) {
          this.#running--;
          this.#waiting++;
          this.#waitingAt = end;
        } else {
          this.#report(generation, id4, 0, start, end);
        }
        return value;
      },
      (error) => {
        this.#report(generation, id4, this.#failureOutcome(error, signal), start, now());
        throw error;
      },
    );
  }

  /**
   * `execute` for a breaker under a parent (a `BreakerRegistry` hierarchy),
   * the core's protocol (`breaker::hierarchy`): every ancestor must admit
   * (the core decides, read-only), then this breaker gives a permit, then
   * each ancestor gives its own (one that refuses is skipped), and the
   * outcome is recorded into every breaker that gave one.
   */
  #executeUnder(fn, context, signal, start) {
    const refusal = this.#native.ancestorsRefusal(start);
    if (refusal !== null && refusal !== undefined) {
      let ancestor = this.#parent;
      for (let depth = 1; depth < refusal.depth; depth++) ancestor = ancestor[PARENT];
      const error = new BreakerOpenError(refusal, ancestor.name);
      if (this.listenerCount('reject') > 0) this.emit('reject', error);
      throw error;
    }
    const held = [this, this.tryAcquire()];
    for (let ancestor = this.#parent; ancestor !== undefined; ancestor = ancestor[PARENT]) {
      const permit = ancestor[ACQUIRE_QUIETLY]();
      if (permit !== null) held.push(ancestor, permit);
    }
    const settle = (outcome) => {
      for (let i = 0; i < held.length; i += 2) held[i].record(held[i + 1], outcome);
    };
    let result;
    try {
      result = fn(context);
    } catch (error) {
      settle(OUTCOME_NAMES[this.#failureOutcome(error, signal)]);
      throw error;
    }
    return Promise.resolve(result).then(
      (value) => {
        settle('success');
        return value;
      },
      (error) => {
        settle(OUTCOME_NAMES[this.#failureOutcome(error, signal)]);
        throw error;
      },
    );
  }

  /** The parent breaker (registry hierarchy), or undefined. */
  get [PARENT]() {
    return this.#parent;
  }

  /** Links this breaker under `parent`, for good (a registry's hierarchy). */
  [LINK_PARENT](parent) {
    if (this.#waiting > 0) this.#flush();
    this.#native.setParent(parent[NATIVE]);
    this.#parent = parent;
  }

  /** A permit like `tryAcquire()`'s, or null when refused (no throw, no `reject` event). */
  [ACQUIRE_QUIETLY]() {
    if (this.#waiting > 0) this.#flush();
    const start = this.#now();
    const packed = this.#call(start);
    if (packed < 0) {
      if (packed === -2) this.#drain(start);
      return null;
    }
    if (packed % 2 === 1) this.#drain(start);
    return { generation: this.#generation, id: (packed - (packed % 2)) / 2, acquiredAtMs: start };
  }

  /** Low level: a permit `{ generation, id, acquiredAtMs }`, or throws `BreakerOpenError`. */
  tryAcquire() {
    if (this.#waiting > 0) this.#flush();
    const start = this.#now();
    const packed = this.#call(start);
    if (packed < 0) throw this.#rejected(packed, start);
    if (packed % 2 === 1) this.#drain(start);
    return Object.freeze({ generation: this.#generation, id: (packed - (packed % 2)) / 2, acquiredAtMs: start });
  }

  /**
   * Low level: how the call of `permit` ended. Returns `counted`, `released`
   * (ignored outcome) or `late` (the state changed meanwhile); throws
   * `ERR_PERMIT_REUSED` when recorded twice.
   * @param {{ generation: number, id: number, acquiredAtMs?: number }} permit
   * @param {'success' | 'failure' | 'ignored'} outcome
   * @param {number} [durationMs] default: time since `tryAcquire`
   */
  record(permit, outcome, durationMs) {
    if (permit === null || typeof permit !== 'object') throw argTypeError('permit', 'a permit from tryAcquire()', permit);
    checkNumber('permit.generation', permit.generation);
    checkNumber('permit.id', permit.id);
    if (!Number.isInteger(permit.id) || permit.id < 0 || permit.id > MAX_PERMIT_ID) {
      throw withCode(RangeError, 'ERR_OUT_OF_RANGE', `\`permit.id\` must be an integer between 0 and ${MAX_PERMIT_ID}, got ${permit.id}`);
    }
    if (typeof outcome !== 'string' || !Object.hasOwn(OUTCOMES, outcome)) {
      throw withCode(TypeError, 'ERR_INVALID_ARG_VALUE', '`outcome` must be "success", "failure" or "ignored"');
    }
    if (this.#waiting > 0) this.#flush();
    const now = this.#now();
    let duration = -1;
    if (durationMs !== undefined) {
      checkNumber('durationMs', durationMs);
      duration = durationMs;
      if (!(durationMs >= 0)) throw withCode(RangeError, 'ERR_OUT_OF_RANGE', `\`durationMs\` must be a non-negative number, got ${durationMs}`);
    } else if (typeof permit.acquiredAtMs === 'number' && now >= permit.acquiredAtMs) {
      duration = now - permit.acquiredAtMs;
    }
    const packed = this.#call(now, permit.generation, permit.id * 4 + OUTCOMES[outcome], duration);
    // The admission may have changed; rather than ask now (a native call
    // more per record), the next execute() asks the core again.
    this.#admitted = -1;
    if (packed % 2 === 1) this.#drain(now);
    return RECORDED[(packed - (packed % 2)) / 2];
  }

  /** The current state: `closed`, `open`, `halfOpen`, `forcedOpen`, `disabled`, `metricsOnly`. */
  get state() {
    if (this.#waiting > 0) this.#flush();
    const now = this.#now();
    const state = this.#native.state(now);
    this.#drainIfNeeded(now);
    return state;
  }

  /** Counters, window contents, rates and `timeInStateMs` (plain object). */
  metrics() {
    if (this.#waiting > 0) this.#flush();
    const now = this.#now();
    const metrics = JSON.parse(this.#native.metrics(now));
    // Calls started without asking count as admitted from their start.
    metrics.admitted += this.#running;
    this.#drainIfNeeded(now);
    return metrics;
  }

  /** Low level: when the state next changes by itself (clock ms), or `null`. */
  pollTimeoutMs() {
    return this.#native.pollTimeout() ?? null;
  }

  /**
   * Pins the draw in [0, 1) that jitters growing open durations (`openBackoff`);
   * by default each opening takes a fresh draw from the breaker's RNG.
   */
  setOpenDraw(u) {
    checkNumber('u', u);
    this.#native.setOpenDraw(u);
  }

  /** Opens until a manual change. */
  forceOpen() {
    this.#control('forceOpen');
  }

  /** Admits everything, records nothing. */
  disable() {
    this.#control('disable');
  }

  /** Admits everything, records outcomes, never opens. */
  metricsOnly() {
    this.#control('metricsOnly');
  }

  /** Closed with an empty window. */
  reset() {
    this.#control('reset');
  }

  /** Opens now for `durationMs`. */
  tripFor(durationMs) {
    checkNumber('durationMs', durationMs);
    this.#control('tripFor', durationMs);
  }

  /**
   * A lossless, versioned snapshot with the options: `{ options, snapshot }`,
   * `snapshot` being JSON text (it holds 64-bit integers a JavaScript number
   * cannot carry). Instants are on this breaker's clock.
   */
  toJSON() {
    if (this.#waiting > 0) this.#flush();
    return { options: JSON.parse(this.#native.options()), snapshot: this.#native.snapshot() };
  }

  /** Bytes of memory the breaker's core state takes. */
  footprintBytes() {
    return this.#native.footprintBytes();
  }

  /** Stops the half-open timer (it is unref'd, so this is only tidiness). */
  close() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Reports how a call that started at `start` ended at `end`: `id4` is the
   * permit id·4, or −1 for a call admitted without asking. Waiting
   * successes go first, then the admission is refreshed.
   */
  #report(generation, id4, outcome, start, end) {
    if (this.#waiting > 0) this.#flush();
    const duration = end >= start ? end - start : -1;
    let packed;
    if (id4 < 0) {
      this.#running--;
      packed = this.#call(end, generation, -1 - outcome, duration);
    } else {
      packed = this.#call(end, generation, id4 + outcome, duration);
    }
    if (packed % 2 === 1) this.#drain(end);
    else this.#refresh(end);
  }

  /** Reports the waiting successes to the core in one call. */
  #flush() {
    const count = this.#waiting;
    this.#waiting = 0;
    const packed = this.#call(this.#waitingAt, this.#admitted, count);
    if (packed % 2 === 1) this.#drain(this.#waitingAt);
  }

  /** Asks the core for its admission at `now` (the instant of the latest core call). */
  #refresh(now) {
    const until = this.#call(now, 0);
    if (until === -2) {
      this.#admitted = -1;
      this.#batchUntil = -Infinity;
    } else {
      this.#admitted = this.#generation;
      this.#batchUntil = until === -1 ? -Infinity : until - 0.001;
    }
  }

  /** 1 (failure) or 2 (ignored: aborted, or not a failure by `isFailure`). */
  #failureOutcome(error, signal) {
    if (signal?.aborted) return 2;
    return this.#isFailure === undefined || this.#isFailure(error) ? 1 : 2;
  }

  #control(action, durationMs) {
    if (this.#waiting > 0) this.#flush();
    const now = this.#now();
    if (this.#native.control(now, action, durationMs)) this.#drain(now);
    else this.#refresh(now);
  }

  #rejected(packed, now) {
    if (packed === -2) this.#drain(now);
    const error = new BreakerOpenError(this.#native.lastRejection, this.#name);
    if (this.listenerCount('reject') > 0) this.emit('reject', error);
    return error;
  }

  #drainIfNeeded(now) {
    if (this.#native.generation !== this.#generation) this.#drain(now);
  }

  /**
   * Takes the transitions the core queued, refreshes the admission and
   * re-arms the timer, then emits the events. `now` is the instant of the
   * core call that queued them.
   */
  #drain(now) {
    const transitions = this.#native.drain();
    this.#generation = this.#native.generation;
    this.#refresh(now);
    this.#arm();
    for (const t of transitions) {
      const event = { from: t.from, to: t.to, reason: t.reason, atMs: t.atMs };
      this.emit('stateChange', event);
      const specific = EVENT_OF[t.to];
      if (specific) this.emit(specific, event);
    }
  }

  /** One unref'd timer for the core's next self-driven change (open → halfOpen). */
  #arm() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const at = this.#native.pollTimeout();
    if (at === null || at === undefined) return;
    const delay = Math.min(Math.max(0, Math.ceil(at - this.#now())), 2147483647);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const now = this.#now();
      if (this.#native.handleTimeout(now)) this.#drain(now);
      else this.#arm();
    }, delay);
    this.#timer.unref();
  }
}

module.exports = { CircuitBreaker, BreakerOpenError, breakerPresetOptions };
