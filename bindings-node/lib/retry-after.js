'use strict';
/**
 * Server hints (`Retry-After`, `retry-after-ms`, `x-amz-retry-after`,
 * `RateLimit-Reset`) parsed by the core, and their combination with a
 * backoff delay.
 * @module stormguard/lib/retry-after
 */
const native = require('./native');
const { split, toJson } = require('./options');
const { argTypeError, checkNumber } = require('./errors');

/**
 * Parses one header value: `{ hintMs }` or `{ ignored: reason }`.
 * @param {string} header header name (case-insensitive)
 * @param {string} value raw header value
 * @param {number} [nowUnixMs] wall clock for HTTP-dates (default `Date.now()`)
 */
function parseHint(header, value, nowUnixMs = Date.now()) {
  if (typeof header !== 'string') throw argTypeError('header', 'a string', header);
  if (typeof value !== 'string') throw argTypeError('value', 'a string', value);
  checkNumber('nowUnixMs', nowUnixMs);
  const result = native.parseHintHeader(header, value, nowUnixMs);
  return result.hintMs !== undefined && result.hintMs !== null ? { hintMs: result.hintMs } : { ignored: result.ignored };
}

/** How a hint and the backoff delay combine (`maxRetryAfterMs`, `combine`, `maxExtensionMs`). */
class RetryAfterPolicy {
  #native;

  constructor(options) {
    const { core } = split('RetryAfterPolicy', options, []);
    this.#native = new native.NativeRetryAfterPolicy(toJson(core));
  }

  /**
   * `{ delayMs }` to wait, or `{ giveUpRequestedMs }` when the hint is longer
   * than `maxRetryAfterMs`.
   * @param {number} backoffMs the backoff's delay
   * @param {number | null} [hintMs] the parsed hint, if any
   */
  decide(backoffMs, hintMs) {
    checkNumber('backoffMs', backoffMs);
    if (hintMs !== undefined && hintMs !== null) checkNumber('hintMs', hintMs);
    const d = this.#native.decide(backoffMs, hintMs ?? undefined);
    return d.delayMs !== undefined && d.delayMs !== null ? { delayMs: d.delayMs } : { giveUpRequestedMs: d.giveUpRequestedMs };
  }
}

module.exports = { parseHint, RetryAfterPolicy };
