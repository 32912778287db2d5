// Errors the package throws. Configuration errors are the host's ordinary
// TypeError / RangeError with `code` and `option`; runtime outcomes have their
// own classes so callers can tell them apart with `instanceof` or `name`.
import * as core from './core.js';

/** @param {string} name */
const quote = (name) => '`' + name + '`';

/**
 * A bad option: `TypeError` for a wrong type or unknown name, `RangeError` for
 * a value outside what the option accepts.
 * @param {'type'|'range'} kind
 * @param {string} option
 * @param {string} message
 */
export function configError(kind, option, message) {
  const err = kind === 'type' ? new TypeError(message) : new RangeError(message);
  err.code = 'ERR_INVALID_CONFIG';
  err.option = option;
  return err;
}

/** The message for a `CoreError` (the core's checks, written in JS). */
function coreMessage(variant, option, reason, [value, min, max]) {
  const name = quote(option);
  switch (variant) {
    case 'notFinite': return `${name} must be a finite number, got ${value}`;
    case 'negative': return `${name} must not be negative, got ${value}`;
    case 'outOfRange': return `${name} must be between ${min} and ${max}, got ${value}`;
    case 'notInteger': return `${name} must be a whole number, got ${value}`;
    case 'unknownVariant': return `${name} must be one of ${reason.split('|').map((v) => JSON.stringify(v)).join(', ')}`;
    default: return `${name} ${reason}`;
  }
}

/**
 * Runs `fn`, turning a `CoreError` thrown by the wasm module into the host's
 * error. `rename` maps core option names to this API's names.
 * @template T
 * @param {() => T} fn
 * @param {(option: string) => string} [rename]
 * @returns {T}
 */
export function call(fn, rename = (o) => o) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof core.CoreError) {
      const [variant, coreOption, reason] = e.text().split('\n');
      const option = rename(coreOption);
      const err = configError('range', option, coreMessage(variant, option, reason, e.numbers()));
      e.free();
      throw err;
    }
    throw e;
  }
}

/**
 * A call rejected at once because a circuit breaker (the origin's, for
 * createFetch) is open; also exported as `BreakerOpenError`, the Node
 * package's name. `code` is the core's `ERR_BREAKER_OPEN`.
 */
export class CircuitOpenError extends Error {
  /**
   * @param {string} message
   * @param {{ retryAfterMs: number, key?: string, attempts?: number, state?: string }} details
   */
  constructor(message, details) {
    super(message);
    this.name = 'CircuitOpenError';
    this.code = 'ERR_BREAKER_OPEN';
    /** Milliseconds until the breaker admits a probe. */
    this.retryAfterMs = details.retryAfterMs;
    this.key = details.key;
    this.state = details.state;
    this.attempts = details.attempts ?? 0;
    this.reason = 'breaker_open';
  }
}

/**
 * Retrying stopped: `reason` (and `giveUp.reason`) says why, `attempts` how
 * many were made, `cause` is the last error. createFetch throws it after a
 * final network failure; retry() only when the last failure cannot carry a
 * `giveUp` property itself (a thrown string, a frozen object), as the Node
 * package does.
 */
export class RetryError extends Error {
  /**
   * @param {string} message
   * @param {{ attempts: number, reason: string, cause?: unknown, classification?: string, requestedMs?: number }} details
   */
  constructor(message, details) {
    super(message, { cause: details.cause });
    this.name = 'RetryError';
    this.code = 'ERR_RETRY_GAVE_UP';
    this.attempts = details.attempts;
    this.reason = details.reason;
    this.giveUp = details.giveUp ?? { reason: details.reason, attempts: details.attempts };
    if (details.classification !== undefined) this.classification = details.classification;
    if (details.requestedMs !== undefined) this.requestedMs = details.requestedMs;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** The total deadline (`timeoutMs`) passed during an attempt or a wait. */
export class TimeoutError extends Error {
  /** @param {string} message @param {{ attempts: number }} details */
  constructor(message, details) {
    super(message);
    this.name = 'TimeoutError';
    this.code = 'ERR_TIMEOUT';
    this.attempts = details.attempts;
    this.reason = 'deadline';
  }
}

/** The error an aborted signal rejects with: its `reason`, or an `AbortError`. */
export function abortReason(signal) {
  if (signal.reason !== undefined) return signal.reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * A short description of any value for an error message; never runs user
 * code (no toString, no getters) and never throws.
 * @param {unknown} v
 */
export function describe(v) {
  switch (typeof v) {
    case 'number': case 'boolean': case 'undefined': case 'bigint': return String(v);
    case 'string': return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    default: return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
  }
}

/** Reports an exception thrown by a hook without breaking the call. */
export function reportHookError(err) {
  if (typeof reportError === 'function') reportError(err);
  else queueMicrotask(() => { throw err; });
}
