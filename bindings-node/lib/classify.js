'use strict';
/**
 * Failure classification by the core: Redis replies, errno codes,
 * SQLSTATEs and HTTP outcomes.
 * @module stormguard/lib/classify
 */
const native = require('./native');
const { split, toJson } = require('./options');
const { argTypeError, configError } = require('./errors');

/** The text of an error: a string, or an object's string `message`. */
function messageOf(name, err) {
  if (typeof err === 'string') return err;
  if (err !== null && typeof err === 'object' && typeof err.message === 'string') return err.message;
  throw argTypeError(name, 'an Error or a string', err);
}

/**
 * Classifies a Redis error (an ioredis `ReplyError`, or its message):
 * `{ class, reason, retriable }`, e.g. READONLY → `reconnectAndResend`.
 */
function classifyRedisError(err) {
  return native.classifyRedisMessage(messageOf('err', err));
}

/** Classifies an errno-style code (`ECONNRESET`), or an error's `code`. */
function classifyErrno(codeOrError) {
  let code = codeOrError;
  if (code !== null && typeof code === 'object' && typeof code.code === 'string') code = code.code;
  if (typeof code !== 'string') throw argTypeError('code', 'a string or an error with a string `code`', codeOrError);
  return native.classifyErrnoCode(code);
}

/** Classifies a PostgreSQL SQLSTATE (`40001`), or an error's `code`. */
function classifySqlstate(codeOrError) {
  let code = codeOrError;
  if (code !== null && typeof code === 'object' && typeof code.code === 'string') code = code.code;
  if (typeof code !== 'string') throw argTypeError('code', 'a string or an error with a string `code`', codeOrError);
  return native.classifySqlstateCode(code);
}

/** Classifies HTTP outcomes: status, method idempotency, idempotency keys. */
class HttpClassifier {
  #native;

  /** @param {object} [options] `retryOnStatus`, `delayOnStatus`, `retryMethods` */
  constructor(options) {
    const { core } = split('HttpClassifier', options, []);
    this.#native = new native.NativeHttpClassifier(toJson(core));
  }

  /**
   * @param {{ status?: number | null, method: string, idempotencyKey?: boolean, reachedServer?: boolean }} outcome
   *   `status` null/absent when no response arrived.
   */
  classify(outcome) {
    if (outcome === null || typeof outcome !== 'object') throw argTypeError('outcome', 'an object', outcome);
    const { status = null, method, idempotencyKey = false, reachedServer = true } = outcome;
    if (status !== null && typeof status !== 'number') throw configError(TypeError, 'status', 'a number or null', status);
    if (typeof method !== 'string') throw configError(TypeError, 'method', 'a string', method);
    if (typeof idempotencyKey !== 'boolean') throw configError(TypeError, 'idempotencyKey', 'a boolean', idempotencyKey);
    if (typeof reachedServer !== 'boolean') throw configError(TypeError, 'reachedServer', 'a boolean', reachedServer);
    return this.#native.classify(status ?? undefined, method, idempotencyKey, reachedServer);
  }
}

module.exports = { classifyRedisError, classifyErrno, classifySqlstate, HttpClassifier, messageOf };
