// Builds the core's retry policy from this package's option names. The
// policy makes every decision: attempts, deadline, backoff, Retry-After,
// budget (and, as it lands in the core, the breaker).
import * as core from './core.js';
import { call } from './errors.js';
import { plainObject, tableValues, join } from './options.js';

/** The budget argument meaning "no budget". @internal */
export const NO_BUDGET = core.CoreRetryBudget.none();

/**
 * The breaker arguments meaning "no breaker": a registry nobody acquires
 * from, so it holds no breaker for any key. @internal
 */
export const NO_BREAKERS = new core.CoreBreakerRegistry('', '', [], undefined, []);

/**
 * @param {{ maxAttempts?: unknown, deadlineMs?: unknown, backoff?: unknown, retryAfter?: unknown, adaptive?: unknown }} o
 * @param {(option: string) => string} rename core option name → caller's name
 */
export function createPolicy(o, rename) {
  const scalars = {};
  if (o.maxAttempts !== undefined) scalars.maxAttempts = o.maxAttempts;
  if (o.deadlineMs !== undefined) scalars.deadlineMs = o.deadlineMs;
  const values = tableValues('policy', scalars, '');
  const backoff = tableValues('backoff', o.backoff, rename('backoff'));
  const retryAfter = tableValues('retryAfter', o.retryAfter, rename('retryAfter'));
  const adaptive = o.adaptive === undefined ? [] : tableValues('adaptive', plainObject(o.adaptive, rename('adaptive')), rename('adaptive'));
  return call(() => new core.CorePolicy(values, backoff, retryAfter, adaptive), rename);
}

export { join };
