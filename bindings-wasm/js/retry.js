// `retry(fn, options)`: run an async function until it succeeds or the core's
// policy gives up. The host part: call `fn`, read the clock, draw the jitter,
// sleep, honour the AbortSignal, run the hook. Same options and outcome as
// the Node package: it rejects with the last error, whose non-enumerable
// `giveUp` property says why (a RetryError only wraps failures that cannot
// carry it).
import { call, RetryError, abortReason, configError, reportHookError } from './errors.js';
import { plainObject, rejectUnknown, optionalFunction, optionalSignal } from './options.js';
import { createRng, nowMs, sleep } from './clock.js';
import { createPolicy, NO_BUDGET, NO_BREAKERS } from './policy.js';
import { RetryBudget, RETRY_KINDS } from './budget.js';
import { CircuitBreaker } from './breaker.js';

const OPTIONS = ['maxAttempts', 'deadlineMs', 'backoff', 'retryAfter', 'adaptive', 'retryOn', 'retryAfterMs',
  'retryKind', 'budget', 'breaker', 'onRetry', 'signal', 'seed'];

/** The give-up details of the execution's last decision. */
function giveUpOf(exec) {
  const giveUp = { reason: exec.giveUp, attempts: exec.attempts };
  const classification = exec.notRetriableReason;
  if (classification) giveUp.classification = classification;
  if (exec.giveUp === 'deadline') {
    giveUp.remainingMs = exec.remainingMs;
    giveUp.neededMs = exec.giveUpMs;
  }
  if (exec.giveUp === 'breaker_open' || exec.giveUp === 'retry_after_too_long') giveUp.retryAfterMs = exec.giveUpMs;
  return giveUp;
}

/** The last error carrying `giveUp`, or a RetryError around it. */
function gaveUp(error, giveUp) {
  if (error !== null && (typeof error === 'object' || typeof error === 'function') && Object.isExtensible(error)) {
    Object.defineProperty(error, 'giveUp', { value: giveUp, configurable: true, writable: true, enumerable: false });
    return error;
  }
  return new RetryError(`retry gave up (${giveUp.reason})`, {
    attempts: giveUp.attempts, reason: giveUp.reason, cause: error, giveUp, retryAfterMs: giveUp.retryAfterMs,
  });
}

/**
 * Calls `fn({ attempt, signal })` until it resolves, retrying rejections the
 * policy allows. Rejects with the last error (its `giveUp` says why) when the
 * policy gives up, with a CircuitOpenError when the breaker rejects an
 * attempt, or with the signal's reason when aborted.
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
  const kindOf = optionalFunction(o.retryKind, 'retryKind');
  const onRetry = optionalFunction(o.onRetry, 'onRetry');
  const signal = optionalSignal(o.signal, 'signal');
  if (o.budget !== undefined && !(o.budget instanceof RetryBudget)) {
    throw configError('type', 'budget', '`budget` must be a RetryBudget');
  }
  const budget = o.budget ? o.budget.core : NO_BUDGET;
  const breaker = o.breaker;
  const ours = breaker instanceof CircuitBreaker;
  if (breaker !== undefined && !ours && typeof breaker?.execute !== 'function') {
    throw configError('type', 'breaker', '`breaker` must be a CircuitBreaker or have execute(fn, { signal })');
  }
  const rng = createRng(o.seed);
  const policy = createPolicy(o, (x) => x);
  const exec = policy.start(nowMs(), budget);
  try {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const attempt = exec.attempts;
      // Our breaker: rejects at once (CircuitOpenError) while open, and the
      // policy consults it before each retry. Another executor wraps the call.
      const permit = ours ? breaker.tryAcquire() : undefined;
      let value;
      try {
        value = breaker && !ours
          ? await breaker.execute(() => fn({ attempt, signal }), { signal })
          : await fn({ attempt, signal });
      } catch (err) {
        if (signal?.aborted) {
          if (permit) breaker.record(permit, 'ignored');
          throw abortReason(signal);
        }
        const retriable = retryOn ? Boolean(retryOn(err)) : true;
        if (permit) breaker.record(permit, retriable ? 'failure' : 'ignored');
        let hint = hintOf ? hintOf(err) : undefined;
        if (hint !== undefined && hint !== null && typeof hint !== 'number') {
          throw configError('type', 'retryAfterMs()', '`retryAfterMs()` must return a number, null or undefined');
        }
        hint = typeof hint === 'number' && hint >= 0 ? hint : NaN;
        const kind = kindOf ? kindOf(err) ?? 'other' : 'other';
        if (!RETRY_KINDS.includes(kind)) {
          throw configError('range', 'retryKind()', '`retryKind()` must return "other", "timeout" or "throttling"');
        }
        const delayMs = call(() => policy.onFailure(exec, nowMs(), retriable ? 'retriable' : 'notRetriable', RETRY_KINDS.indexOf(kind),
          hint, rng.nextUnit(), budget, ours ? breaker.registry : NO_BREAKERS, ''));
        if (delayMs < 0) throw gaveUp(err, giveUpOf(exec));
        if (onRetry) {
          try { onRetry({ error: err, attempt: exec.attempts, delayMs }); } catch (e) { reportHookError(e); }
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
