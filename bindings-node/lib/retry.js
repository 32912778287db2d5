'use strict';
/**
 * `retry(fn, options)` and `RetryPolicy`: run an async function again until
 * it succeeds or the core's policy gives up (attempts, deadline, not
 * retriable, budget spent, Retry-After too long), sleeping the policy's
 * delays on a timer that an `AbortSignal` cancels.
 * @module stormguard/lib/retry
 */
const native = require('./native');
const { split, toJson, seedText, clockOf, optionalFunction } = require('./options');
const { argTypeError, checkFunction, checkSignal, configError, RetryError } = require('./errors');
const { NATIVE } = require('./internal');

const HOST_KEYS = ['seed', 'clock', 'retryOn', 'retryAfterMs', 'retryKind', 'budget', 'breaker', 'onRetry'];

/** Sleeps `ms`, or rejects with the signal's reason when it aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The give-up details of a native decision. */
function giveUpOf(decision) {
  const giveUp = { reason: decision.giveUp };
  for (const key of ['reason', 'attempts', 'remainingMs', 'neededMs']) {
    const value = decision[key];
    if (value !== undefined && value !== null) giveUp[key === 'reason' ? 'classification' : key] = value;
  }
  return giveUp;
}

/** Throws unless `execution` came from `RetryPolicy#start`. */
function checkExecution(execution) {
  if (!(execution instanceof native.NativeExecution)) throw argTypeError('execution', 'an execution from start()', execution);
}

/** The last error carrying the give-up reason (or a RetryError around it). */
function gaveUp(error, decision) {
  const giveUp = giveUpOf(decision);
  if (error !== null && (typeof error === 'object' || typeof error === 'function') && Object.isExtensible(error)) {
    Object.defineProperty(error, 'giveUp', { value: giveUp, configurable: true, writable: true, enumerable: false });
    return error;
  }
  return new RetryError(error, giveUp);
}

class RetryPolicy {
  #native;
  #now;
  #host;

  /**
   * @param {object} [options] the core's `PolicyOptions` (`maxAttempts` (3, the
   *   first attempt included), `deadlineMs`, `backoff`, `retryAfter`,
   *   `adaptive`) plus `retryOn(err) => boolean`, `retryAfterMs(err) =>
   *   number | undefined`, `retryKind(err) => 'other' | 'timeout' |
   *   'throttling'`, `budget` (a RetryBudget), `breaker` (a CircuitBreaker),
   *   `onRetry({ error, attempt, delayMs })`, `seed`, `clock`.
   */
  constructor(options) {
    const { host, core } = split('retry', options, HOST_KEYS);
    this.#now = clockOf(host.clock);
    const { RetryBudget } = require('./budget');
    if (host.budget !== undefined && host.budget !== null && !(host.budget instanceof RetryBudget)) {
      throw configError(TypeError, 'budget', 'a RetryBudget', host.budget);
    }
    this.#host = {
      retryOn: optionalFunction('retryOn', host.retryOn),
      retryAfterMs: optionalFunction('retryAfterMs', host.retryAfterMs),
      retryKind: optionalFunction('retryKind', host.retryKind),
      onRetry: optionalFunction('onRetry', host.onRetry),
      budget: host.budget ? host.budget[NATIVE] : undefined,
      breaker: checkBreaker(host.breaker),
    };
    this.#host.breakerNative = this.#host.breaker ? this.#host.breaker[NATIVE] : undefined;
    this.#native = new native.NativeRetryPolicy(toJson(core), seedText(host.seed));
  }

  /**
   * Runs `fn({ attempt, signal })` until it succeeds or the policy gives up;
   * rejects with the last error (its `giveUp` property says why) or the
   * signal's reason.
   * @template T
   * @param {(context: { attempt: number, signal?: AbortSignal }) => T | Promise<T>} fn
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<T>}
   */
  async execute(fn, options) {
    checkFunction('fn', fn);
    const signal = options?.signal;
    checkSignal(signal);
    signal?.throwIfAborted();
    const h = this.#host;
    const execution = this.#native.start(this.#now(), h.budget);
    for (;;) {
      const attempt = execution.attempts;
      try {
        const result = h.breaker
          ? await h.breaker.execute(() => fn({ attempt, signal }), { signal })
          : await fn({ attempt, signal });
        this.#native.onSuccess(execution, this.#now(), h.budget);
        return result;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const retriable = h.retryOn ? Boolean(h.retryOn(error)) : true;
        const hint = h.retryAfterMs ? h.retryAfterMs(error) : undefined;
        const kind = h.retryKind ? h.retryKind(error) : undefined;
        if (hint !== undefined && hint !== null && typeof hint !== 'number') {
          throw configError(TypeError, 'retryAfterMs()', 'a number, null or undefined', hint);
        }
        const decision = this.#native.onFailure(
          execution,
          this.#now(),
          retriable ? 'retriable' : 'notRetriable',
          hint ?? undefined,
          kind,
          undefined,
          h.budget,
          h.breakerNative,
        );
        if (!decision.retry) throw gaveUp(error, decision);
        if (h.onRetry) h.onRetry({ error, attempt: decision.attempt, delayMs: decision.delayMs });
        await sleep(decision.delayMs, signal);
      }
    }
  }

  /**
   * Low level: an operation starts now (deposits into the budget). Returns
   * an opaque execution with an `attempts` count.
   */
  start() {
    return this.#native.start(this.#now(), this.#host.budget);
  }

  /** Low level: the execution's current attempt succeeded. */
  onSuccess(execution) {
    checkExecution(execution);
    this.#native.onSuccess(execution, this.#now(), this.#host.budget);
  }

  /**
   * Low level: the current attempt failed. `failure.class` is a
   * classification class (default `retriable`), `retryAfterMs` a server hint,
   * `kind` the budget cost kind, `u` the backoff draw (default: the RNG).
   * Returns `{ retry: true, delayMs, attempt }` or `{ retry: false, giveUp }`.
   */
  onFailure(execution, failure) {
    checkExecution(execution);
    const { core } = split('failure', failure, []);
    const { class: cls = 'retriable', retryAfterMs, kind, u, ...unknown } = core;
    const extra = Object.keys(unknown);
    if (extra.length > 0) throw configError(TypeError, extra[0], 'not an option (expected class, retryAfterMs, kind, u)', unknown[extra[0]]);
    if (typeof cls !== 'string') throw configError(TypeError, 'class', 'a string', cls);
    if (retryAfterMs !== undefined && typeof retryAfterMs !== 'number') throw configError(TypeError, 'retryAfterMs', 'a number', retryAfterMs);
    if (kind !== undefined && typeof kind !== 'string') throw configError(TypeError, 'kind', 'a string', kind);
    if (u !== undefined && typeof u !== 'number') throw configError(TypeError, 'u', 'a number', u);
    const d = this.#native.onFailure(execution, this.#now(), cls, retryAfterMs, kind, u, this.#host.budget, this.#host.breakerNative);
    return d.retry ? { retry: true, delayMs: d.delayMs, attempt: d.attempt } : { retry: false, giveUp: giveUpOf(d) };
  }

  /** Low level: the attempt limit in force now (adaptive attempts lower it). */
  attemptLimit() {
    return this.#native.attemptLimit(this.#now());
  }

  /** `{ executions, attempts, retries, successes, giveUps: {...} }`. */
  metrics() {
    return JSON.parse(this.#native.metrics());
  }
}

/** A breaker option: anything with `execute(fn, { signal })`. */
function checkBreaker(breaker) {
  if (breaker === undefined || breaker === null) return undefined;
  if (typeof breaker !== 'object' || typeof breaker.execute !== 'function') {
    throw configError(TypeError, 'breaker', 'a CircuitBreaker', breaker);
  }
  return breaker;
}

/**
 * Runs `fn` with retries: `retry(fn, { maxAttempts, deadlineMs, backoff,
 * retryOn, budget, onRetry, signal, … })`. See `RetryPolicy`.
 */
function retry(fn, options) {
  const { host, core } = split('retry', options, ['signal']);
  checkSignal(host.signal);
  return new RetryPolicy(core).execute(fn, { signal: host.signal });
}

module.exports = { RetryPolicy, retry, sleep };
