// `retry(fn, options)`: run an async function until it succeeds or the core's
// policy gives up. The host part: call `fn`, read the clock, draw the jitter,
// sleep, honour the AbortSignal, run the hook.
import { call, RetryError, abortReason, configError, reportHookError } from './errors.js';
import { plainObject, rejectUnknown, optionalFunction, optionalSignal } from './options.js';
import { createRng, nowMs, sleep } from './clock.js';
import { createPolicy, NO_BUDGET, NO_BREAKERS } from './policy.js';
import { RetryBudget } from './budget.js';
import { CircuitBreaker } from './breaker.js';

const OPTIONS = ['maxAttempts', 'deadlineMs', 'backoff', 'retryAfter', 'adaptive', 'retryOn', 'retryAfterMs',
  'budget', 'breaker', 'onRetry', 'signal', 'seed'];

/**
 * Calls `fn({ attempt, signal })` until it resolves, retrying rejections the
 * policy allows. Rejects with a `RetryError` (`attempts`, `reason`, `cause`)
 * when the policy gives up, or with the signal's reason when aborted.
 * @template T
 * @param {(ctx: { attempt: number, signal?: AbortSignal }) => Promise<T> | T} fn
 * @param {object} [options]
 * @returns {Promise<T>}
 */
export async function retry(fn, options) {
  if (typeof fn !== 'function') throw configError('type', 'fn', '`fn` must be a function');
  const o = plainObject(options, '');
  rejectUnknown(o, OPTIONS, '');
  const retryOn = optionalFunction(o.retryOn, 'retryOn');
  const hintOf = optionalFunction(o.retryAfterMs, 'retryAfterMs');
  const onRetry = optionalFunction(o.onRetry, 'onRetry');
  const signal = optionalSignal(o.signal, 'signal');
  if (o.budget !== undefined && !(o.budget instanceof RetryBudget)) {
    throw configError('type', 'budget', '`budget` must be a RetryBudget');
  }
  const budget = o.budget ? o.budget.core : NO_BUDGET;
  if (o.breaker !== undefined && !(o.breaker instanceof CircuitBreaker)) {
    throw configError('type', 'breaker', '`breaker` must be a CircuitBreaker');
  }
  const breaker = o.breaker;
  const rng = createRng(o.seed);
  const policy = createPolicy(o, (x) => x);
  const exec = policy.start(nowMs(), budget);
  try {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const attempt = exec.attempts;
      // Rejects at once (CircuitOpenError) while the breaker is open.
      const permit = breaker?.tryAcquire();
      let value;
      try {
        value = await fn({ attempt, signal });
      } catch (err) {
        if (signal?.aborted) {
          if (permit) breaker.record(permit, 'ignored');
          throw abortReason(signal);
        }
        const retriable = retryOn ? Boolean(retryOn(err)) : true;
        if (permit) breaker.record(permit, retriable ? 'failure' : 'ignored');
        let hint = hintOf ? hintOf(err) : undefined;
        hint = typeof hint === 'number' && hint >= 0 ? hint : NaN;
        const delayMs = call(() => policy.onFailure(exec, nowMs(), retriable ? 'retriable' : 'notRetriable', 'other',
          hint, rng.nextUnit(), budget, breaker ? breaker.registry : NO_BREAKERS, ''));
        if (delayMs < 0) {
          throw new RetryError(`gave up after ${attempt} attempt(s): ${exec.giveUp}`, {
            attempts: attempt, reason: exec.giveUp, cause: err,
            retryAfterMs: exec.giveUp === 'breaker_open' ? exec.giveUpMs : undefined,
          });
        }
        if (onRetry) {
          try { onRetry({ attempt: exec.attempts, delayMs, error: err }); } catch (e) { reportHookError(e); }
        }
        await sleep(delayMs, signal, () => abortReason(signal));
        continue;
      }
      if (permit) breaker.record(permit, 'success');
      policy.onSuccess(exec, nowMs(), budget);
      return value;
    }
  } finally {
    exec.free();
    policy.free();
  }
}
