// createFetch in real headless Chromium against a local server that fails on
// command and counts the requests it receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { launch } from '../support/chromium.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  await browser.page.goto(`${server.url}/test/browser/page.html`);
  await browser.page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const run = (fn, arg) => browser.page.evaluate(fn, arg);

test('two 503s with Retry-After: 1, then 200: succeeds and the waits honour the header', async () => {
  const result = await run(async () => {
    await control.script('/api/retry-after', [
      { status: 503, headers: { 'Retry-After': '1' } },
      { status: 503, headers: { 'Retry-After': '1' } },
    ], { status: 200 });
    const delays = [];
    const f = sg.createFetch({ backoff: { baseMs: 1, maxMs: 5 }, onRetry: (e) => delays.push(e.delayMs), breaker: false });
    const res = await f('/api/retry-after');
    return { status: res.status, body: await res.text(), info: res.stormguard, delays, seen: await control.count('/api/retry-after') };
  });
  assert.equal(result.status, 200);
  assert.equal(result.body, 'status 200');
  assert.equal(result.info.attempts, 3);
  assert.equal(result.info.reason, 'success');
  assert.deepEqual(result.delays, [1000, 1000]);
  assert.equal(result.seen.count, 3);
  const [t0, t1, t2] = result.seen.times;
  // The server saw each retry at least the hinted second after the previous
  // response (a lower bound set by the header, not a performance threshold).
  assert.ok(t1 - t0 >= 995, `first wait ${t1 - t0} ms`);
  assert.ok(t2 - t1 >= 995, `second wait ${t2 - t1} ms`);
});

test('POST without an idempotency key is not retried; with one it is', async () => {
  const result = await run(async () => {
    const f = sg.createFetch({ backoff: { baseMs: 1, maxMs: 5 }, breaker: false });
    await control.script('/api/post-plain', [{ status: 503 }], { status: 200 });
    const plain = await f('/api/post-plain', { method: 'POST', body: 'x' });
    await control.script('/api/post-keyed', [{ status: 503 }], { status: 200 });
    const keyed = await f('/api/post-keyed', { method: 'POST', body: 'x', headers: { 'Idempotency-Key': 'k-1' } });
    return {
      plain: { status: plain.status, info: plain.stormguard, seen: (await control.count('/api/post-plain')).count },
      keyed: { status: keyed.status, info: keyed.stormguard, seen: (await control.count('/api/post-keyed')).count },
    };
  });
  assert.equal(result.plain.status, 503);
  assert.equal(result.plain.seen, 1);
  assert.equal(result.plain.info.attempts, 1);
  assert.equal(result.plain.info.reason, 'not_retriable');
  assert.equal(result.plain.info.classification, 'notRetriable non_idempotent_method');
  assert.equal(result.keyed.status, 200);
  assert.equal(result.keyed.seen, 2);
  assert.equal(result.keyed.info.attempts, 2);
});

test('the origin breaker opens after repeated failures, rejects without traffic, then a probe closes it', async () => {
  const result = await run(async () => {
    await control.script('/api/breaker', [], { status: 503 });
    const changes = [];
    const f = sg.createFetch({
      maxAttempts: 1,
      breaker: { windowType: 'consecutive', failureCountThreshold: 3, openDurationMs: 300, halfOpenPermits: 1, halfOpenDecision: 'successes' },
      onStateChange: (e) => changes.push(`${e.from}>${e.to}:${e.reason}`),
    });
    const failing = [];
    for (let i = 0; i < 3; i++) failing.push((await f('/api/breaker')).status);
    const rejected = [];
    for (let i = 0; i < 5; i++) {
      try { await f('/api/breaker'); rejected.push('passed'); } catch (e) { rejected.push({ name: e.name, code: e.code, retryAfterMs: e.retryAfterMs }); }
    }
    const seenWhileOpen = (await control.count('/api/breaker')).count;
    await control.script('/api/breaker', [], { status: 200 });
    await new Promise((r) => setTimeout(r, 350));
    const changesBeforeProbe = [...changes];
    const probe = await f('/api/breaker');
    return {
      failing, rejected, seenWhileOpen, changesBeforeProbe, changes,
      probe: probe.status, seenAfter: (await control.count('/api/breaker')).count,
    };
  });
  assert.deepEqual(result.failing, [503, 503, 503]);
  assert.equal(result.rejected.length, 5);
  for (const r of result.rejected) {
    assert.equal(r.name, 'CircuitOpenError');
    assert.equal(r.code, 'ERR_BREAKER_OPEN');
    assert.ok(r.retryAfterMs > 0 && r.retryAfterMs <= 300, String(r.retryAfterMs));
  }
  assert.equal(result.seenWhileOpen, 3);
  // Half-open is announced by the breaker's own timer, before any call.
  assert.deepEqual(result.changesBeforeProbe, ['closed>open:failureCount', 'open>halfOpen:openDurationElapsed']);
  assert.equal(result.probe, 200);
  assert.equal(result.seenAfter, 1);
  assert.deepEqual(result.changes.at(-1), 'halfOpen>closed:probesSucceeded');
});

test('aborting during a backoff wait rejects at once with an AbortError and sends nothing more', async () => {
  const result = await run(async () => {
    await control.script('/api/abort', [], { status: 503, headers: { 'Retry-After': '1' } });
    const controller = new AbortController();
    let abortedAt = 0;
    const f = sg.createFetch({
      backoff: { baseMs: 1, maxMs: 5 },
      breaker: false,
      onRetry: () => { setTimeout(() => { abortedAt = performance.now(); controller.abort(); }, 20); },
    });
    let error;
    try { await f('/api/abort', { signal: controller.signal }); } catch (e) { error = e; }
    const rejectedAfterAbortMs = performance.now() - abortedAt;
    // Past the moment the retry would have been sent:
    await new Promise((r) => setTimeout(r, 1100));
    return { name: error?.name, rejectedAfterAbortMs, seen: (await control.count('/api/abort')).count };
  });
  assert.equal(result.name, 'AbortError');
  assert.ok(result.rejectedAfterAbortMs < 1000, `rejected ${result.rejectedAfterAbortMs} ms after the abort`);
  assert.equal(result.seen, 1);
});

test('aborting during an attempt rejects with an AbortError and makes no further attempt', async () => {
  const result = await run(async () => {
    await control.script('/api/abort-inflight', [], { status: 200, delayMs: 300 });
    const controller = new AbortController();
    const f = sg.createFetch({ backoff: { baseMs: 1 }, breaker: false });
    setTimeout(() => controller.abort(), 30);
    let error;
    try { await f('/api/abort-inflight', { signal: controller.signal }); } catch (e) { error = e; }
    await new Promise((r) => setTimeout(r, 350));
    return { name: error?.name, seen: (await control.count('/api/abort-inflight')).count };
  });
  assert.equal(result.name, 'AbortError');
  assert.equal(result.seen, 1);
});

test('50 concurrent calls against a failing origin stay within the retry budget', async () => {
  const result = await run(async () => {
    await control.script('/api/storm', [], { status: 503 });
    const budget = new sg.RetryBudget({ type: 'ratio', minRetriesPerSecond: 1, ttlMs: 10000, retryPercent: 20 });
    const f = sg.createFetch({ maxAttempts: 3, backoff: { baseMs: 1, maxMs: 5 }, budget, breaker: false });
    const responses = await Promise.all(Array.from({ length: 50 }, () => f('/api/storm')));
    const reasons = {};
    for (const r of responses) reasons[r.stormguard.reason] = (reasons[r.stormguard.reason] ?? 0) + 1;
    return { metrics: budget.metrics(), reasons, seen: (await control.count('/api/storm')).count };
  });
  // Allowance: a reserve of 1 retry/s over 10 s, plus 20 % of 50 requests.
  const allowance = 10 + 0.2 * 50;
  assert.equal(result.seen, 50 + result.metrics.withdrawals);
  assert.ok(result.metrics.withdrawals <= allowance, `withdrawals ${result.metrics.withdrawals}`);
  assert.ok(result.seen < 50 * 3);
  assert.ok(result.reasons.budget_exhausted > 0, JSON.stringify(result.reasons));
});

test('a total timeout aborts the running attempt', async () => {
  const result = await run(async () => {
    await control.script('/api/slow', [], { status: 200, delayMs: 400 });
    const f = sg.createFetch({ timeoutMs: 50, breaker: false });
    let error;
    try { await f('/api/slow'); } catch (e) { error = e; }
    return { name: error?.name, code: error?.code, attempts: error?.attempts };
  });
  assert.deepEqual(result, { name: 'TimeoutError', code: 'ERR_TIMEOUT', attempts: 1 });
});

test('a per-attempt timeout is retried for GET and the final error says why it stopped', async () => {
  const result = await run(async () => {
    await control.script('/api/attempt-timeout', [], { status: 200, delayMs: 300 });
    const f = sg.createFetch({ attemptTimeoutMs: 30, maxAttempts: 2, backoff: { baseMs: 1 }, breaker: false });
    let error;
    try { await f('/api/attempt-timeout'); } catch (e) { error = e; }
    await new Promise((r) => setTimeout(r, 50));
    return { name: error?.name, reason: error?.reason, attempts: error?.attempts, seen: (await control.count('/api/attempt-timeout')).count };
  });
  assert.deepEqual(result, { name: 'RetryError', reason: 'attempts_exhausted', attempts: 2, seen: 2 });
});

test('a Retry-After beyond maxRetryAfterMs gives up and says so', async () => {
  const result = await run(async () => {
    await control.script('/api/too-long', [], { status: 429, headers: { 'Retry-After': '120' } });
    const f = sg.createFetch({ maxRetryAfterMs: 5000, breaker: false });
    const res = await f('/api/too-long');
    return { status: res.status, info: res.stormguard };
  });
  assert.equal(result.status, 429);
  assert.equal(result.info.reason, 'retry_after_too_long');
  assert.equal(result.info.requestedMs, 120000);
});

test('a one-shot stream body is not retried, and the reason says why', async () => {
  const result = await run(async () => {
    await control.script('/api/stream', [{ status: 503 }], { status: 200 });
    const f = sg.createFetch({ breaker: false, backoff: { baseMs: 1 } });
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('x')); c.close(); } });
    // Chromium streams request bodies only over HTTP/2, so over this HTTP/1.1
    // server the attempt fails as a network error; either way it is final.
    let outcome;
    try {
      const res = await f('/api/stream', { method: 'PUT', body, duplex: 'half' });
      outcome = { status: res.status, ...res.stormguard };
    } catch (e) {
      outcome = { name: e.name, attempts: e.attempts, reason: e.reason };
    }
    return { outcome, seen: (await control.count('/api/stream')).count };
  });
  assert.equal(result.outcome.reason, 'body_not_replayable');
  assert.equal(result.outcome.attempts, 1);
  assert.ok(result.seen <= 1);
});

test('the page logged no errors besides the failed loads it asked for', () => {
  // Chromium logs every failed resource load (the statuses, aborts and the
  // HTTP/1.1 stream upload these tests provoke); anything else is a bug.
  const unexpected = browser.errors.filter((e) => !e.startsWith('Failed to load resource: '));
  assert.deepEqual(unexpected, []);
});
