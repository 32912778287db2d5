// `retry(fn, options)`: run an async function until it succeeds or the core's
// policy gives up. The host part: call `fn`, read the clock, draw the jitter,
// sleep, honour the AbortSignal, run the hook.
import { call, RetryError, abortReason, configError } from './errors.js';
import { plainObject, rejectUnknown, optionalFunction, optionalSignal } from './options.js';
import { createRng, nowMs, sleep } from './clock.js';
import { createPolicy, NO_BUDGET } from './policy.js';
import { RetryBudget } from './budget.js';

const OPTIONS = ['maxAttempts', 'deadlineMs', 'backoff', 'retryAfter', 'adaptive', 'retryOn', 'retryAfterMs',
  'budget', 'onRetry', 'signal', 'seed'];

/** Reports an exception thrown by a hook without breaking the call. */
export function reportHookError(err) {
  if (typeof reportError === 'function') reportError(err);
  else queueMicrotask(() => { throw err; });
}

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
  const rng = createRng(o.seed);
  const policy = createPolicy(o, (x) => x);
  const exec = policy.start(nowMs(), budget);
  try {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const attempt = exec.attempts;
      let value;
      try {
        value = await fn({ attempt, signal });
      } catch (err) {
        if (signal?.aborted) throw abortReason(signal);
        const retriable = retryOn ? Boolean(retryOn(err)) : true;
        let hint = hintOf ? hintOf(err) : undefined;
        hint = typeof hint === 'number' && hint >= 0 ? hint : NaN;
        const delayMs = call(() => policy.onFailure(exec, nowMs(), retriable, 'other', hint, rng.nextUnit(), budget));
        if (delayMs < 0) {
          throw new RetryError(`gave up after ${attempt} attempt(s): ${exec.giveUp}`, {
            attempts: attempt, reason: exec.giveUp, cause: err,
          });
        }
        if (onRetry) {
          try { onRetry({ attempt: exec.attempts, delayMs, error: err }); } catch (e) { reportHookError(e); }
        }
        await sleep(delayMs, signal, () => abortReason(signal));
        continue;
      }
      policy.onSuccess(exec, nowMs(), budget);
      return value;
    }
  } finally {
    exec.free();
    policy.free();
  }
}
