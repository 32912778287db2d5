// The JS API under Node with an in-memory fetch: hints, give-up reasons,
// retry() with a budget and a breaker, CircuitBreaker events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFetch, retry, RetryBudget, CircuitBreaker, Backoff } from '../../js/index.js';

/** A fetch answering from a list of [status, headers] and counting calls. */
function scripted(steps) {
  const calls = [];
  const fetch = async (req) => {
    calls.push(req.method);
    const [status, headers = {}] = steps[Math.min(calls.length - 1, steps.length - 1)];
    return new Response(status === 204 ? null : `s${status}`, { status, headers });
  };
  return { fetch, calls };
}

test('RateLimit-Reset and an HTTP-date Retry-After are honoured through the wall clock', async () => {
  const date = new Date(Date.now() + 1500).toUTCString();
  const { fetch, calls } = scripted([[429, { 'RateLimit-Reset': '0' }], [503, { 'Retry-After': date }], [200]]);
  const delays = [];
  const f = createFetch({ fetch, breaker: false, backoff: { baseMs: 1, maxMs: 1 }, onRetry: (e) => delays.push(e) });
  const res = await f('http://127.0.0.1/x');
  assert.equal(res.status, 200);
  assert.equal(calls.length, 3);
  assert.equal(delays[0].retryAfterMs, 0);
  // An HTTP-date has whole seconds: the hint is at most 1.5 s and more than 0.
  assert.ok(delays[1].retryAfterMs > 0 && delays[1].retryAfterMs <= 1500, String(delays[1].retryAfterMs));
  // The default combine is max(backoff, hint): the wait is never shorter than the hint.
  assert.ok(delays[1].delayMs >= delays[1].retryAfterMs);
});

test('a non-retriable status is returned at once with its reason', async () => {
  const { fetch, calls } = scripted([[404]]);
  const res = await createFetch({ fetch, breaker: false })('http://127.0.0.1/missing');
  assert.equal(res.status, 404);
  assert.deepEqual({ ...res.stormguard }, { attempts: 1, reason: 'not_retriable', classification: 'notRetriable client_error', delaysMs: [], requestedMs: undefined, retryAfterMs: undefined });
  assert.equal(calls.length, 1);
});

test('network errors are retried for GET and end in a RetryError with the last error', async () => {
  let n = 0;
  const fetch = async () => { n += 1; throw new TypeError('fetch failed'); };
  const f = createFetch({ fetch, breaker: false, maxAttempts: 3, backoff: { baseMs: 1, maxMs: 2 } });
  await assert.rejects(f('http://127.0.0.1/down'), (err) => {
    assert.equal(err.name, 'RetryError');
    assert.equal(err.reason, 'attempts_exhausted');
    assert.equal(err.attempts, 3);
    assert.equal(err.cause.message, 'fetch failed');
    return true;
  });
  assert.equal(n, 3);
});

test('retry() with a shared budget stops when the budget is spent', async () => {
  const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 4, tokenRatio: 0.1 });
  let calls = 0;
  const failing = async () => { calls += 1; throw new Error('nope'); };
  const reasons = [];
  for (let i = 0; i < 3; i++) {
    try { await retry(failing, { budget, maxAttempts: 5, backoff: { baseMs: 0, maxMs: 0 } }); } catch (e) { reasons.push(e.giveUp.reason); }
  }
  assert.ok(reasons.includes('budget_exhausted'), reasons.join());
  assert.ok(calls < 15, String(calls));
});

test('retry() with a breaker: the policy gives up with breaker_open and later calls are rejected', async () => {
  const breaker = new CircuitBreaker({ windowType: 'consecutive', failureCountThreshold: 2, openDurationMs: 60000 });
  const events = [];
  breaker.addEventListener('open', (e) => events.push(e.detail.reason));
  let calls = 0;
  const failing = async () => { calls += 1; throw new Error('down'); };
  await assert.rejects(retry(failing, { breaker, maxAttempts: 5, backoff: { baseMs: 0, maxMs: 0 } }), (err) => {
    assert.equal(err.message, 'down');
    assert.equal(err.giveUp.reason, 'breaker_open');
    assert.ok(err.giveUp.retryAfterMs > 59000);
    return true;
  });
  assert.equal(calls, 2);
  assert.deepEqual(events, ['failureCount']);
  await assert.rejects(retry(failing, { breaker }), { name: 'CircuitOpenError', code: 'ERR_BREAKER_OPEN' });
  assert.equal(calls, 2);
  breaker.reset();
  assert.equal(breaker.state, 'closed');
});

test('retry() honours retryOn and the signal', async () => {
  await assert.rejects(retry(async () => { throw new Error('fatal'); }, { retryOn: () => false }),
    (err) => err.message === 'fatal' && err.giveUp.reason === 'not_retriable' && err.giveUp.attempts === 1);
  // A thrown string cannot carry `giveUp`: it comes back as a RetryError's cause.
  await assert.rejects(retry(async () => { throw 'plain'; }, { maxAttempts: 1 }),
    (err) => err.name === 'RetryError' && err.cause === 'plain' && err.giveUp.reason === 'attempts_exhausted');
  const controller = new AbortController();
  const pending = retry(async () => { throw new Error('x'); }, { signal: controller.signal, backoff: { schedule: 'constant', baseMs: 60000 } });
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(pending, { name: 'AbortError' });
});

test('Backoff: seeded schedules, pure and sequence delays (the Node package names)', () => {
  const a = new Backoff({ seed: 123 }).schedule(6);
  const b = new Backoff({ seed: 123 }).schedule(6);
  assert.deepEqual(a, b);
  const limited = new Backoff({ maxAttempts: 2 });
  assert.equal(limited.schedule(5).length, 2);
  assert.equal(limited.maxAttempts, 2);
  assert.equal(limited.nextDelayMs(3, 0.5), null);
  assert.equal(limited.delayMs(3, 0.5), 200);
  const linear = new Backoff({ schedule: 'linear', baseMs: 50, stepMs: 50, maxMs: 2_000, jitter: 'none' });
  assert.equal(linear.delayMs(1, 0), 50);
  assert.equal(linear.delayMs(3, 0.9), 150);
  assert.equal(linear.maxAttempts, null);
  // The peers' server-side presets stay out of the browser module.
  assert.equal(Backoff.preset, undefined);
});

test('the bodies of retried responses are cancelled, the final one is handed over intact', async () => {
  const cancelled = [];
  let n = 0;
  const fetch = async () => {
    n += 1;
    const id = n;
    const body = new ReadableStream({
      pull(c) { c.enqueue(new TextEncoder().encode(`body ${id}`)); c.close(); },
      cancel() { cancelled.push(id); },
    }, { highWaterMark: 0 });
    return new Response(body, { status: id < 3 ? 503 : 200 });
  };
  const res = await createFetch({ fetch, breaker: false, backoff: { baseMs: 0, maxMs: 0 } })('http://127.0.0.1/x');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'body 3');
  assert.deepEqual(cancelled, [1, 2]);
});
