'use strict';
/**
 * Error helpers shared by the JavaScript layer. Every error carries a stable
 * `code`: `ERR_INVALID_CONFIG` for options, `ERR_INVALID_ARG_TYPE` and
 * `ERR_OUT_OF_RANGE` for positional arguments, and the codes below for
 * decisions.
 * @module stormguard/lib/errors
 */

/** A short description of a value for error messages. */
function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `the bigint ${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

/** An error of class `Ctor` with `code`. */
function withCode(Ctor, code, message) {
  const error = new Ctor(message);
  error.code = code;
  return error;
}

/** A bad option: `TypeError` or `RangeError` with `ERR_INVALID_CONFIG`. */
function configError(Ctor, name, expected, value) {
  return withCode(Ctor, 'ERR_INVALID_CONFIG', `\`${name}\` must be ${expected}, got ${describe(value)}`);
}

/** A positional argument of the wrong type. */
function argTypeError(name, expected, value) {
  return withCode(TypeError, 'ERR_INVALID_ARG_TYPE', `\`${name}\` must be ${expected}, got ${describe(value)}`);
}

/** Throws unless `value` is a number (range checks happen in the core). */
function checkNumber(name, value) {
  if (typeof value !== 'number') throw argTypeError(name, 'a number', value);
}

/** Throws unless `value` is a function. */
function checkFunction(name, value) {
  if (typeof value !== 'function') throw argTypeError(name, 'a function', value);
}

/** Throws unless `value` is an AbortSignal or undefined. */
function checkSignal(value) {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw argTypeError('signal', 'an AbortSignal', value);
  }
}

/** A call turned away by a bulkhead (`ERR_BULKHEAD_REJECTED`). */
class BulkheadRejectedError extends Error {
  /** @param {string} reason why (`queueFull`, `queueTimeout`) */
  constructor(reason) {
    super(reason === 'queueTimeout' ? 'bulkhead queue wait timed out' : 'bulkhead is full');
    this.name = 'BulkheadRejectedError';
    this.code = 'ERR_BULKHEAD_REJECTED';
    this.reason = reason;
  }
}

/**
 * A retry gave up and the last failure was not an object that could carry
 * the reason (a thrown string, a frozen error): `cause` is that failure.
 */
class RetryError extends Error {
  constructor(cause, giveUp) {
    super(`retry gave up (${giveUp.reason})`, { cause });
    this.name = 'RetryError';
    this.code = 'ERR_RETRY_GAVE_UP';
    this.giveUp = giveUp;
  }
}

module.exports = {
  describe,
  withCode,
  configError,
  argTypeError,
  checkNumber,
  checkFunction,
  checkSignal,
  BulkheadRejectedError,
  RetryError,
};
