// `CircuitBreaker`: the core's breaker with the host's clock and timers, as
// an EventTarget (`stateChange`, `open`, `halfOpen`, `close`, `reject`).
import * as core from './core.js';
import { call, CircuitOpenError, configError, reportHookError } from './errors.js';
import { plainObject, tableValues } from './options.js';
import { nowMs, createRng } from './clock.js';

/** Validated breaker options → the core constructor's arguments. @internal */
export function breakerArgs(options, prefix) {
  const obj = plainObject(options, prefix);
  const presetOption = prefix ? `${prefix}.preset` : 'preset';
  const preset = obj.preset === undefined ? '' : obj.preset;
  if (typeof preset !== 'string') throw configError('type', presetOption, `\`${presetOption}\` must be a string`);
  const values = tableValues('breaker', obj, prefix, ['preset', 'openBackoff', 'seed']);
  const openBackoff = obj.openBackoff === undefined
    ? undefined
    : tableValues('backoff', obj.openBackoff, prefix ? `${prefix}.openBackoff` : 'openBackoff');
  return { preset, values, openBackoff, seed: obj.seed };
}

const EVENTS = { open: 'open', halfOpen: 'halfOpen', closed: 'close' };

/** A state change event: `detail` is `{ from, to, reason, atMs, key? }`. */
function emit(target, transition, atMs, key, hook) {
  const [from, to, reason] = transition.split(' ');
  const detail = { from, to, reason, atMs };
  if (key !== undefined) detail.key = key;
  if (target) {
    target.dispatchEvent(new CustomEvent('stateChange', { detail }));
    const name = EVENTS[detail.to];
    if (name) target.dispatchEvent(new CustomEvent(name, { detail }));
  }
  if (hook) {
    try { hook(detail); } catch (e) { reportHookError(e); }
  }
}

/**
 * Drains the core registry's transition queue for `key` into events.
 * @internal
 */
export function drain(registry, key, target, hook) {
  for (let t = registry.pollTransition(key); t; t = registry.pollTransition(key)) {
    emit(target, t, registry.transitionAtMs(), hook ? key : undefined, hook);
  }
}

/** Outcome names, by the index the core exports take. @internal */
export const OUTCOMES = ['success', 'failure', 'ignored'];

/** What `record` did, by the index the core returns. @internal */
export const RECORDED = ['counted', 'released', 'late', 'reused', 'unknown'];

/** Manual controls, by the index the core takes. */
const CONTROLS = ['forceOpen', 'disable', 'metricsOnly', 'reset'];

/** The registry table's values for `maxOrigins` (absent when undefined or null). @internal */
export const registryValues = (maxOrigins) => tableValues('registry', maxOrigins == null ? {} : { maxOrigins }, '');

/** The single key of a standalone breaker's one-key registry. */
const KEY = '';

/**
 * A circuit breaker. Options are the core's `BreakerOptions` (`windowType`,
 * `failureRateThreshold`, `openDurationMs`, `halfOpenPermits` …), optionally
 * on top of a `preset` (`resilience4j`, `opossum`, `pybreaker`, `polly`,
 * `gobreaker`).
 */
export class CircuitBreaker extends EventTarget {
  #core;
  #rng;
  #timer;
  #pinnedDraw;

  /** @param {object} [options] */
  constructor(options) {
    super();
    const { preset, values, openBackoff, seed } = breakerArgs(options, '');
    this.#rng = createRng(seed);
    // A one-key registry: the same export that serves createFetch's origins.
    this.#core = call(() => new core.CoreBreakerRegistry('', preset, values, openBackoff, registryValues(1)));
    this.#core.touch(KEY);
  }

  /** @internal the core registry (one key, `''`), for the retry policy. */
  get registry() {
    return this.#core;
  }

  /** The current state: closed, open, halfOpen, forcedOpen, disabled, metricsOnly. */
  get state() {
    this.#core.tick(KEY, nowMs());
    this.#after();
    return this.#core.state(KEY);
  }

  /**
   * Asks to make one call. Throws a `CircuitOpenError` (with `retryAfterMs`)
   * when the breaker rejects it.
   * @returns {BreakerPermit}
   */
  tryAcquire() {
    const [admitted, generationOrRetryMs, id] = this.#core.tryAcquire(KEY, nowMs());
    this.#after();
    if (!admitted) {
      const retryAfterMs = generationOrRetryMs;
      const state = this.#core.lastRejectedState();
      const err = new CircuitOpenError(`circuit breaker is ${state}`, { retryAfterMs: Number.isNaN(retryAfterMs) ? null : retryAfterMs, state });
      this.dispatchEvent(new CustomEvent('reject', { detail: { state, retryAfterMs: err.retryAfterMs } }));
      throw err;
    }
    return new BreakerPermit(generationOrRetryMs, id, nowMs());
  }

  /**
   * Reports how the admitted call ended. Returns `counted`, `released`
   * (ignored outcome) or `late` (the breaker moved on); a permit recorded
   * twice throws `ERR_PERMIT_REUSED`.
   * @param {BreakerPermit} permit
   * @param {'success'|'failure'|'ignored'} outcome
   * @param {number} [durationMs] measured duration (default: since tryAcquire)
   */
  record(permit, outcome, durationMs) {
    if (!(permit instanceof BreakerPermit)) throw configError('type', 'permit', '`permit` must come from tryAcquire()');
    if (!OUTCOMES.includes(outcome)) {
      throw configError('range', 'outcome', '`outcome` must be one of "success", "failure", "ignored"');
    }
    if (durationMs === undefined) durationMs = nowMs() - permit.startedMs;
    if (typeof durationMs !== 'number' || !(durationMs >= 0)) {
      throw configError('range', 'durationMs', '`durationMs` must be a non-negative number');
    }
    const result = RECORDED[this.#core.record(KEY, nowMs(), permit.generation, permit.id, OUTCOMES.indexOf(outcome), durationMs)];
    this.#after();
    if (result === 'reused' || result === 'unknown') {
      const err = new Error(result === 'reused' ? 'this permit was already recorded' : 'this permit was not issued by this breaker');
      err.code = result === 'reused' ? 'ERR_PERMIT_REUSED' : 'ERR_PERMIT_UNKNOWN';
      throw err;
    }
    return result;
  }

  /**
   * Runs `fn` through the breaker: rejects at once with `CircuitOpenError`
   * when open, otherwise records the outcome (`isFailure(err)` decides, by
   * default every rejection is a failure; an abort through `signal` is
   * ignored).
   * @template T
   * @param {(ctx: { signal?: AbortSignal }) => Promise<T> | T} fn
   * @param {{ signal?: AbortSignal, isFailure?: (err: unknown) => boolean }} [options]
   * @returns {Promise<T>}
   */
  async execute(fn, options) {
    if (typeof fn !== 'function') throw configError('type', 'fn', '`fn` must be a function');
    const o = plainObject(options, 'options');
    const permit = this.tryAcquire();
    try {
      const value = await fn({ signal: o.signal });
      this.record(permit, 'success');
      return value;
    } catch (err) {
      const aborted = o.signal?.aborted === true;
      const failed = !aborted && (typeof o.isFailure === 'function' ? Boolean(o.isFailure(err)) : true);
      this.record(permit, failed ? 'failure' : 'ignored');
      throw err;
    }
  }

  /** Opens for `durationMs` (for example from a server's Retry-After). */
  tripFor(durationMs) {
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
      throw configError('range', 'durationMs', '`durationMs` must be a non-negative finite number');
    }
    this.#core.tripFor(KEY, nowMs(), durationMs);
    this.#after();
  }

  /** Rejects every call until another manual change. */
  forceOpen() { this.#control('forceOpen'); }
  /** Admits every call and counts nothing. */
  disable() { this.#control('disable'); }
  /** Admits and counts every call but never opens. */
  metricsOnly() { this.#control('metricsOnly'); }
  /** Closes with an empty window. */
  reset() { this.#control('reset'); }

  /** When the state next changes by itself (`performance.now()` ms), or null. */
  pollTimeoutMs() {
    const at = this.#core.pollTimeoutMs(KEY);
    return Number.isNaN(at) ? null : at;
  }

  /** Sets the draw in [0, 1) that jitters the next growing open duration. */
  setOpenDraw(u) {
    if (typeof u !== 'number') throw configError('type', 'u', '`u` must be a number');
    this.#pinnedDraw = u;
    this.#core.setOpenDraw(KEY, u);
  }

  /** Stops the half-open timer (the breaker keeps working on later calls). */
  close() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Node-style listener: `listener(detail)` for `stateChange`, `open`,
   * `halfOpen`, `close` (a transition) and `reject`.
   * @param {string} event
   * @param {(detail: any) => void} listener
   */
  on(event, listener) {
    this.addEventListener(event, (e) => listener(e.detail));
    return this;
  }

  /** As `on`, for one event only. */
  once(event, listener) {
    this.addEventListener(event, (e) => listener(e.detail), { once: true });
    return this;
  }

  /** Counters, window contents, rates (null until defined) and ms per state. */
  metrics() {
    const numbers = this.#core.metrics(KEY, nowMs());
    this.#after();
    const names = core.breakerMetricNames().split(',');
    const out = { state: this.#core.state(KEY) };
    names.forEach((name, i) => { out[name] = Number.isNaN(numbers[i]) ? null : numbers[i]; });
    const states = ['closed', 'open', 'halfOpen', 'forcedOpen', 'disabled', 'metricsOnly'];
    out.timeInStateMs = Object.fromEntries(states.map((s, i) => [s, numbers[names.length + i]]));
    return out;
  }

  #control(action) {
    this.#core.control(KEY, nowMs(), CONTROLS.indexOf(action));
    this.#after();
  }

  /** Emits pending transitions and arms the timer for the next timed change. */
  #after() {
    this.#core.setOpenDraw(KEY, this.#pinnedDraw ?? this.#rng.nextUnit());
    drain(this.#core, KEY, this);
    clearTimeout(this.#timer);
    const at = this.#core.pollTimeoutMs(KEY);
    if (!Number.isNaN(at)) {
      this.#timer = setTimeout(() => { this.#core.tick(KEY, nowMs()); this.#after(); }, Math.min(Math.max(0, Math.ceil(at - nowMs())), 2147483647));
      this.#timer?.unref?.();
    }
  }
}

/** Proof that a breaker admitted one call. */
export class BreakerPermit {
  /** @internal */
  constructor(generation, id, startedMs) {
    this.generation = generation;
    this.id = id;
    this.startedMs = startedMs;
  }
}
