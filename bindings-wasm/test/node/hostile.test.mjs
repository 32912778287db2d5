// Table-driven hostile input for every entry point: each call either works or
// throws the host's ordinary error (TypeError/RangeError with a code naming
// the option); nothing may trap the wasm module (a WebAssembly.RuntimeError
// would poison it for every later call).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { createFetch, Backoff, RetryBudget, CircuitBreaker, retry } from '../../js/index.js';

const sentinel = new Error('getter ran');
const HOSTILE = [
  ['undefined', undefined], ['null', null], ['NaN', NaN], ['-1', -1], ['-0', -0], ['0.5', 0.5],
  ['Infinity', Infinity], ['-Infinity', -Infinity], ['1e300', 1e300], ['2^32', 2 ** 32], ['2^53+', 2 ** 53 + 2],
  ['string', '100'], ['empty string', ''], ['long string', 'x'.repeat(100000)], ['boolean', true],
  ['object', {}], ['array', [1, 2]], ['function', () => 1], ['symbol', Symbol('s')], ['bigint', 10n],
  ['date', new Date(0)], ['proxy', new Proxy({}, { ownKeys() { throw sentinel; } })],
  ['throwing getter', Object.defineProperty({}, 'x', { get() { throw sentinel; }, enumerable: true })],
  ['null prototype', Object.create(null)], ['frozen', Object.freeze({ a: 1 })], ['unicode', '\u{1F4A5}\u0000'],
];

let calls = 0;
/** Runs `fn`; accepts success, a clean config error, or the sentinel. */
async function expectClean(fn, where) {
  calls += 1;
  try {
    await fn();
  } catch (err) {
    assert.ok(!(err instanceof WebAssembly.RuntimeError), `${where}: wasm trap ${err}`);
    if (err === sentinel) return;
    const clean = (err instanceof TypeError || err instanceof RangeError) && typeof err.code === 'string' && err.code.startsWith('ERR_');
    const permitError = err?.code === 'ERR_PERMIT_REUSED' || err?.code === 'ERR_PERMIT_UNKNOWN';
    assert.ok(clean || permitError, `${where}: unexpected ${err?.name}: ${err?.message} (code ${err?.code})`);
    if (clean) assert.equal(typeof err.option, 'string', `${where}: no option named`);
  }
}

const fields = (table) => core.schemaOf(table).split(',').map((f) => f.split(':')[0]);

test('createFetch: every option and every nested option', async () => {
  const top = ['fetch', 'maxAttempts', 'timeoutMs', 'attemptTimeoutMs', 'backoff', 'maxRetryAfterMs', 'retryAfter',
    'adaptive', 'retryOnStatus', 'delayOnStatus', 'retryMethods', 'idempotencyHeader', 'budget', 'breaker',
    'maxOrigins', 'onRetry', 'onStateChange', 'seed', 'unknownOption'];
  for (const [label, v] of HOSTILE) {
    await expectClean(() => createFetch(v), `createFetch(${label})`);
    for (const name of top) await expectClean(() => createFetch({ [name]: v }), `createFetch({${name}: ${label}})`);
    for (const [group, table] of [['backoff', 'backoff'], ['retryAfter', 'retryAfter'], ['adaptive', 'adaptive'], ['breaker', 'breaker']]) {
      for (const name of [...fields(table), 'bogus']) {
        await expectClean(() => createFetch({ [group]: { [name]: v } }), `createFetch({${group}: {${name}: ${label}}})`);
      }
    }
    for (const type of ['ratio', 'tokenBucket', 'quota']) {
      for (const name of [...fields(type), 'bogus']) {
        await expectClean(() => createFetch({ budget: { type, [name]: v } }), `createFetch({budget: {type: ${type}, ${name}: ${label}}})`);
      }
    }
    await expectClean(() => createFetch({ budget: { type: v } }), `createFetch({budget: {type: ${label}}})`);
    await expectClean(() => createFetch({ breaker: { preset: v } }), `createFetch({breaker: {preset: ${label}}})`);
    await expectClean(() => createFetch({ retryOnStatus: [v] }), `createFetch({retryOnStatus: [${label}]})`);
    await expectClean(() => createFetch({ retryMethods: [v] }), `createFetch({retryMethods: [${label}]})`);
  }
});

test('the fetch function itself: hostile input and init', async () => {
  const f = createFetch({ fetch: async () => new Response('ok'), breaker: false });
  for (const [label, v] of HOSTILE) {
    calls += 1;
    try { await f(v); } catch (err) { assert.ok(!(err instanceof WebAssembly.RuntimeError), `f(${label})`); }
    calls += 1;
    try { await f('http://127.0.0.1/x', v); } catch (err) { assert.ok(!(err instanceof WebAssembly.RuntimeError), `f(url, ${label})`); }
  }
});

test('Backoff, RetryBudget, CircuitBreaker and retry: constructors and methods', async () => {
  for (const [label, v] of HOSTILE) {
    await expectClean(() => new Backoff(v), `new Backoff(${label})`);
    for (const name of [...fields('backoff'), 'seed', 'bogus']) await expectClean(() => new Backoff({ [name]: v }), `Backoff {${name}: ${label}}`);
    const backoff = new Backoff({ seed: 7 });
    await expectClean(() => backoff.delayMs(v), `delayMs(${label})`);
    await expectClean(() => backoff.schedule(v), `schedule(${label})`);

    await expectClean(() => new RetryBudget(v), `new RetryBudget(${label})`);
    const budget = new RetryBudget({ type: 'quota' });
    await expectClean(() => budget.tryRetry(v), `tryRetry(${label})`);
    await expectClean(() => budget.onSuccess(v), `onSuccess(${label})`);

    await expectClean(() => new CircuitBreaker(v), `new CircuitBreaker(${label})`);
    for (const name of [...fields('breaker'), 'preset', 'openBackoff', 'bogus']) {
      await expectClean(() => new CircuitBreaker({ [name]: v }), `CircuitBreaker {${name}: ${label}}`);
    }
    await expectClean(() => new CircuitBreaker({ openBackoff: { baseMs: v } }), `CircuitBreaker {openBackoff.baseMs: ${label}}`);
    const breaker = new CircuitBreaker();
    const permit = breaker.tryAcquire();
    await expectClean(() => breaker.record(v, 'success'), `record(${label})`);
    await expectClean(() => breaker.record(permit, v), `record(permit, ${label})`);
    await expectClean(() => breaker.record(permit, 'success', { durationMs: v }), `record(durationMs ${label})`);
    await expectClean(() => breaker.record(permit, 'success'), `record twice after ${label}`);
    await expectClean(() => breaker.tripFor(v), `tripFor(${label})`);
    await expectClean(() => breaker.execute(v), `execute(${label})`);

    await expectClean(() => retry(v), `retry(${label})`);
    for (const name of ['maxAttempts', 'deadlineMs', 'backoff', 'retryAfter', 'adaptive', 'retryOn', 'retryAfterMs', 'budget', 'onRetry', 'signal', 'seed', 'bogus']) {
      await expectClean(() => retry(async () => 1, { [name]: v }), `retry {${name}: ${label}}`);
    }
  }
});

test('the module still answers correctly after every hostile call', () => {
  assert.ok(calls > 2000, `only ${calls} calls`);
  const b = new Backoff({ schedule: 'constant', baseMs: 250, jitter: 'none' });
  assert.deepEqual(b.schedule(3), [250, 250, 250]);
  const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 4 });
  assert.equal(budget.balance(), 4);
});
