// `RetryBudget`: how many retries all calls sharing it may make, decided by
// the core (ratio, token bucket or quota).
import * as core from './core.js';
import { call, configError, describe } from './errors.js';
import { plainObject, tableValues } from './options.js';
import { nowMs } from './clock.js';

const KINDS = ['ratio', 'tokenBucket', 'quota'];

/** Proof that a budget granted one retry; hand it back to `onSuccess`. */
export class RetryPermit {
  #core;
  /** @param {any} corePermit @internal */
  constructor(corePermit) {
    this.#core = corePermit;
  }
  /** What the retry took from the balance. */
  get cost() {
    if (!this.#core) return 0;
    return this.#core.cost;
  }
  /** @internal */
  take() {
    const permit = this.#core;
    if (!permit) {
      const err = new Error('this retry permit was already handed back');
      err.code = 'ERR_PERMIT_REUSED';
      throw err;
    }
    this.#core = undefined;
    return permit;
  }
}

/** Builds the core budget for `options` under `prefix`. @internal */
export function coreBudget(options, prefix) {
  const obj = plainObject(options, prefix);
  const type = obj.type === undefined ? 'ratio' : obj.type;
  const typeOption = prefix ? `${prefix}.type` : 'type';
  if (typeof type !== 'string') throw configError('type', typeOption, `\`${typeOption}\` must be a string`);
  if (!KINDS.includes(type)) {
    throw configError('range', typeOption, `\`${typeOption}\` must be one of "ratio", "tokenBucket", "quota", got ${JSON.stringify(type)}`);
  }
  const values = tableValues(type, obj, prefix, ['type']);
  return call(() => new core.CoreRetryBudget(prefix, type, values));
}

/** Retry kinds, by the index the core takes. @internal */
export const RETRY_KINDS = ['other', 'timeout', 'throttling'];

/**
 * A retry budget shared by many calls: `{ type: 'ratio', ttlMs,
 * minRetriesPerSecond, retryPercent }` (default), `{ type: 'tokenBucket',
 * maxTokens, tokenRatio }` or `{ type: 'quota', preset, … }`.
 */
export class RetryBudget {
  #core;

  /** @param {object} [options] */
  constructor(options) {
    this.#core = coreBudget(options, '');
  }

  /** @internal the core budget, for the policy. */
  get core() {
    return this.#core;
  }

  /** An original call starts (a ratio budget earns retries from it). */
  onRequest() {
    this.#core.onRequest(nowMs());
  }

  /** An attempt failed with a retriable failure (a token bucket loses a token). */
  onFailure() {
    this.#core.onFailure(nowMs());
  }

  /**
   * Asks for one retry; `null` when the budget refuses.
   * @param {'other'|'timeout'|'throttling'} [kind]
   * @returns {RetryPermit | null}
   */
  tryRetry(kind = 'other') {
    if (!RETRY_KINDS.includes(kind)) {
      throw configError(typeof kind === 'string' ? 'range' : 'type', 'kind', `\`kind\` must be one of "other", "timeout", "throttling", got ${describe(kind)}`);
    }
    const permit = this.#core.tryRetry(nowMs(), RETRY_KINDS.indexOf(kind));
    return permit ? new RetryPermit(permit) : null;
  }

  /**
   * The call finally succeeded; pass the permit of its last retry, if any.
   * @param {RetryPermit} [permit]
   */
  onSuccess(permit) {
    if (permit !== undefined && permit !== null && !(permit instanceof RetryPermit)) {
      throw configError('type', 'permit', '`permit` must be a RetryPermit from tryRetry()');
    }
    this.#core.onSuccess(nowMs(), permit ? permit.take() : undefined);
  }

  /** Whole retries affordable (ratio) or tokens (token bucket, quota). */
  balance() {
    return this.#core.balance(nowMs());
  }

  /** @returns {{ deposits: number, withdrawals: number, rejections: number, balance: number }} */
  metrics() {
    const [deposits, withdrawals, rejections, balance] = this.#core.metrics(nowMs());
    return { deposits, withdrawals, rejections, balance };
  }
}
