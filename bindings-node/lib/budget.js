'use strict';
/**
 * `RetryBudget`: how many retries the whole client may send (ratio, token
 * bucket or quota), decided by the core.
 * @module stormguard/lib/budget
 */
const native = require('./native');
const { split, toJson, clockOf } = require('./options');
const { argTypeError } = require('./errors');
const { NATIVE } = require('./internal');

/** The cost in thousandths of a permit handed back, or undefined. */
function permitCost(permit) {
  if (permit === undefined || permit === null) return undefined;
  if (typeof permit !== 'object' || typeof permit.costMilli !== 'number') {
    throw argTypeError('permit', 'a permit returned by tryRetry()', permit);
  }
  return permit.costMilli;
}

class RetryBudget {
  #native;
  #now;

  /**
   * @param {object} [options] `{ type: 'ratio' | 'tokenBucket' | 'quota', ...that budget's options }`
   *   (default a ratio budget with Finagle's defaults) plus `clock`.
   */
  constructor(options) {
    const { host, core } = split('RetryBudget', options, ['clock']);
    if (core.type === undefined) core.type = 'ratio';
    this.#now = clockOf(host.clock);
    this.#native = new native.NativeRetryBudget(toJson(core));
    Object.defineProperty(this, NATIVE, { value: this.#native });
  }

  /** An original request starts (ratio budgets earn credit). */
  onRequest() {
    this.#native.onRequest(this.#now());
  }

  /** An attempt failed (token buckets lose a token). */
  onFailure() {
    this.#native.onFailure(this.#now());
  }

  /**
   * Asks for one retry: a permit (hand it to `onSuccess` if the request
   * finally succeeds) or `null` when the budget is spent.
   * @param {'other' | 'timeout' | 'throttling'} [kind]
   */
  tryRetry(kind) {
    if (kind !== undefined && typeof kind !== 'string') throw argTypeError('kind', 'a string', kind);
    const cost = this.#native.tryRetry(this.#now(), kind);
    return cost === null || cost === undefined ? null : Object.freeze({ costMilli: cost });
  }

  /** A request finally succeeded; `permit` is its last retry's permit, if any. */
  onSuccess(permit) {
    this.#native.onSuccess(this.#now(), permitCost(permit));
  }

  /** The balance now: whole retries (ratio) or tokens (token bucket, quota). */
  balance() {
    return this.#native.balance(this.#now());
  }

  /** `{ deposits, withdrawals, rejections, balance }`. */
  metrics() {
    return JSON.parse(this.#native.metrics(this.#now()));
  }

  /** The budget's state, for persistence; give it back to `restore`. */
  toJSON() {
    return JSON.parse(this.#native.snapshot());
  }

  /** Replaces the state with one from `toJSON()` of a budget of the same type. */
  restore(state) {
    const { core } = split('RetryBudget state', state, []);
    this.#native.restore(toJson(core));
  }
}

module.exports = { RetryBudget };
