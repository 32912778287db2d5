// Per-origin circuit breakers for `createFetch`. The core's breaker module is
// not available in this build yet: this registry accepts no options and lets
// every call through, so the fetch loop already has its acquire/record calls
// in place.
import { configError } from './errors.js';

/**
 * @param {unknown} options `breaker` option (only `false`/undefined for now)
 * @param {unknown} maxOrigins
 * @param {Function | undefined} onStateChange
 */
export function createBreakers(options, maxOrigins, onStateChange) {
  void onStateChange;
  if (options !== undefined && options !== false) {
    throw configError('type', 'breaker', '`breaker` options are not supported by this build');
  }
  if (maxOrigins !== undefined) {
    throw configError('type', 'maxOrigins', '`maxOrigins` is not supported by this build');
  }
  return {
    acquire() { return null; },
    record() {},
    release() {},
  };
}
