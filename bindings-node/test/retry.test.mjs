// retry() / RetryPolicy: the core decides, the binding sleeps and aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retry, RetryPolicy, RetryBudget, RetryError } from '../index.mjs';

const fast = { backoff: { schedule: 'constant', baseMs: 1, jitter: 'none' } };

test('succeeds after transient failures and reports each retry', async () => {
  const events = [];
  let calls = 0;
  const value = await retry(
    async ({ attempt }) => {
      calls++;
      assert.equal(attempt, calls);
      if (calls < 3) throw new Error(`fail ${calls}`);
      return 'ok';
    },
    { ...fast, maxAttempts: 5, onRetry: (e) => events.push([e.attempt, e.delayMs, e.error.message]) },
  );
  assert.equal(value, 'ok');
  assert.deepEqual(events, [
    [2, 1, 'fail 1'],
    [3, 1, 'fail 2'],
  ]);
});

test('rejects with the last error and the give-up reason', async () => {
  let calls = 0;
  const error = await retry(() => Promise.reject(new Error(`boom ${++calls}`)), { ...fast, maxAttempts: 3 }).catch((e) => e);
  assert.equal(error.message, 'boom 3');
  assert.deepEqual(error.giveUp, { reason: 'attempts_exhausted', attempts: 3 });
});

test('retryOn=false stops at once with not_retriable', async () => {
  const error = await retry(() => Promise.reject(new TypeError('bug')), { ...fast, retryOn: (e) => !(e instanceof TypeError) }).catch((e) => e);
  assert.equal(error.giveUp.reason, 'not_retriable');
  assert.equal(error.giveUp.classification, 'rejected_by_retry_on');
});

test('a deadline the next delay would overshoot gives up with `deadline`', async () => {
  const error = await retry(() => Promise.reject(new Error('slow')), {
    maxAttempts: 10,
    deadlineMs: 50,
    backoff: { schedule: 'constant', baseMs: 100, jitter: 'none' },
  }).catch((e) => e);
  assert.equal(error.giveUp.reason, 'deadline');
  assert.equal(error.giveUp.neededMs, 100);
});

test('a Retry-After hint longer than maxRetryAfterMs gives up with its reason', async () => {
  const error = await retry(() => Promise.reject(Object.assign(new Error('429'), { retryAfterMs: 120000 })), {
    ...fast,
    retryAfterMs: (e) => e.retryAfterMs,
    retryAfter: { maxRetryAfterMs: 1000 },
  }).catch((e) => e);
  assert.equal(error.giveUp.reason, 'retry_after_too_long');
  assert.equal(error.giveUp.neededMs, 120000);
});

test('a spent budget stops retries: budget_exhausted', async () => {
  const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 2, tokenRatio: 0.1 });
  const policy = new RetryPolicy({ ...fast, maxAttempts: 10, budget });
  const error = await policy.execute(() => Promise.reject(new Error('down'))).catch((e) => e);
  assert.equal(error.giveUp.reason, 'budget_exhausted');
  assert.equal(policy.metrics().giveUps.budgetExhausted, 1);
  assert.ok(budget.metrics().rejections >= 1);
});

test('an AbortSignal cancels the sleep and rejects with its reason', async () => {
  const controller = new AbortController();
  const pending = retry(() => Promise.reject(new Error('x')), {
    maxAttempts: 5,
    backoff: { schedule: 'constant', baseMs: 60000, jitter: 'none' },
    signal: controller.signal,
  });
  setImmediate(() => controller.abort(new Error('stop')));
  await assert.rejects(pending, /stop/);
  await assert.rejects(retry(() => 1, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('a thrown string ends in a RetryError carrying it', async () => {
  const error = await retry(() => Promise.reject('plain'), { ...fast, maxAttempts: 2 }).catch((e) => e);
  assert.ok(error instanceof RetryError);
  assert.equal(error.cause, 'plain');
  assert.equal(error.giveUp.reason, 'attempts_exhausted');
});

test('the same seed gives the same delays', async () => {
  const delays = async () => {
    const seen = [];
    await retry(() => Promise.reject(new Error('x')), {
      seed: 99,
      maxAttempts: 4,
      backoff: { baseMs: 1, maxMs: 4 },
      onRetry: (e) => seen.push(e.delayMs),
    }).catch(() => {});
    return seen;
  };
  assert.deepEqual(await delays(), await delays());
});
