// CircuitBreaker, BreakerRegistry and prometheus() behaviour (virtual time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { BreakerRegistry, CircuitBreaker, RetryBudget, Bulkhead, retryStrategy, prometheus } from '../index.mjs';

const fail = () => Promise.reject(new Error('down'));

test('half-open is announced on time by the unref\'d timer, without any call', async () => {
  const breaker = new CircuitBreaker({ windowSize: 1, minimumCalls: 1, openDurationMs: 30 });
  const events = [];
  breaker.on('stateChange', (t) => events.push(t.to));
  await assert.rejects(breaker.execute(fail));
  const halfOpen = new Promise((resolve) => breaker.once('halfOpen', resolve));
  const keepAlive = setTimeout(() => {}, 5000); // the breaker's own timer does not hold the process
  await halfOpen;
  clearTimeout(keepAlive);
  assert.deepEqual(events, ['open', 'halfOpen']);
  breaker.close();
});

test('isFailure and aborts decide what counts', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 2, minimumCalls: 2, clock: () => now, isFailure: (e) => e.message !== 'expected' });
  await assert.rejects(breaker.execute(() => Promise.reject(new Error('expected'))));
  const controller = new AbortController();
  const pending = breaker.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), { signal: controller.signal });
  controller.abort(new Error('cancelled'));
  await assert.rejects(pending, /cancelled/);
  const m = breaker.metrics();
  assert.equal(m.ignored, 2);
  assert.equal(m.failures, 0);
  assert.equal(breaker.state, 'closed');
  now = 1;
  breaker.close();
});

test('execute always answers with a promise and records every way fn can end', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 10, minimumCalls: 10, slowCallDurationMs: 5, clock: () => now });
  // Bad arguments and an open breaker reject; nothing throws synchronously.
  const bad = breaker.execute('not a function');
  assert.ok(bad instanceof Promise);
  await assert.rejects(bad, { code: 'ERR_INVALID_ARG_TYPE' });
  // A plain value, a thenable, a synchronous throw and a slow success.
  assert.equal(await breaker.execute(() => 7), 7);
  assert.equal(await breaker.execute(() => ({ then: (resolve) => resolve(8) })), 8);
  await assert.rejects(breaker.execute(() => { throw new Error('sync'); }), /sync/);
  assert.equal(await breaker.execute(async () => { now += 6; return 9; }), 9);
  let m = breaker.metrics();
  assert.deepEqual([m.successes, m.failures, m.slowCalls], [3, 1, 1]);
  // The context carries the signal (or undefined) and is not shared state.
  const seen = [];
  await breaker.execute((context) => seen.push(context.signal));
  await breaker.execute((context) => seen.push(context.signal), { signal: AbortSignal.timeout(1000) });
  assert.equal(seen[0], undefined);
  assert.ok(seen[1] instanceof AbortSignal);
  breaker.forceOpen();
  const rejected = breaker.execute(() => 1);
  assert.ok(rejected instanceof Promise);
  await assert.rejects(rejected, { code: 'ERR_BREAKER_OPEN' });
  m = breaker.metrics();
  assert.equal(m.rejected, 1);
  // The low-level path validates the permit id it packs for the native layer.
  breaker.reset();
  const permit = breaker.tryAcquire();
  assert.throws(() => breaker.record({ ...permit, id: 0.5 }, 'success'), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => breaker.record({ ...permit, id: 2 ** 51 }, 'success'), { code: 'ERR_OUT_OF_RANGE' });
  assert.equal(breaker.record(permit, 'ignored'), 'released');
  breaker.close();
});

test('manual controls emit transitions; a permit recorded twice is ERR_PERMIT_REUSED', () => {
  let now = 0;
  const breaker = new CircuitBreaker({ clock: () => now });
  const seen = [];
  breaker.on('stateChange', (t) => seen.push(`${t.from}>${t.to}:${t.reason}`));
  breaker.forceOpen();
  assert.throws(() => breaker.tryAcquire(), { code: 'ERR_BREAKER_OPEN' });
  breaker.reset();
  breaker.tripFor(100);
  now = 200;
  assert.equal(breaker.state, 'halfOpen');
  breaker.disable();
  const permit = breaker.tryAcquire();
  assert.equal(breaker.record(permit, 'failure'), 'counted');
  assert.throws(() => breaker.record(permit, 'success'), { code: 'ERR_PERMIT_REUSED' });
  assert.deepEqual(seen, [
    'closed>forcedOpen:forcedOpen',
    'forcedOpen>closed:reset',
    'closed>open:tripFor',
    'open>halfOpen:openDurationElapsed',
    'halfOpen>disabled:disabled',
  ]);
  breaker.close();
});

test('BreakerRegistry keeps one breaker per key and evicts the least recently used', async () => {
  const registry = new BreakerRegistry({ maxKeys: 2, breaker: { windowSize: 1, minimumCalls: 1 } });
  const evicted = [];
  registry.on('evict', ({ key }) => evicted.push(key));
  const a = registry.get('a');
  assert.equal(registry.get('a'), a);
  assert.equal(a.name, 'a');
  await assert.rejects(registry.execute('b', fail));
  assert.equal(registry.get('b').state, 'open');
  registry.get('a');
  registry.get('c');
  assert.deepEqual(evicted, ['b']);
  assert.deepEqual(registry.keys(), ['c', 'a']);
  assert.equal(registry.size, 2);
  assert.equal(registry.delete('a'), true);
  assert.equal(registry.peek('a'), undefined);
  assert.deepEqual(Object.keys(registry.metrics()), ['c']);
});

test('prometheus() renders every kind of object', async () => {
  const breaker = new CircuitBreaker({ windowSize: 1, minimumCalls: 1 });
  await assert.rejects(breaker.execute(fail));
  const registry = new BreakerRegistry();
  await registry.execute('redis "main"', () => 1);
  const strategy = retryStrategy({ maxAttempts: 1 });
  strategy(1);
  strategy(2);
  const text = prometheus({ api: breaker, nodes: registry, budget: new RetryBudget(), pool: new Bulkhead(), reconnect: strategy });
  assert.match(text, /^# HELP stormguard_breaker_state /m);
  assert.match(text, /^stormguard_breaker_state\{name="api",state="open"\} 1$/m);
  assert.match(text, /^stormguard_breaker_calls_total\{name="nodes",key="redis \\"main\\"",outcome="success"\} 1$/m);
  assert.match(text, /^stormguard_budget_balance\{name="budget"\} 100$/m);
  assert.match(text, /^stormguard_bulkhead_active\{name="pool"\} 0$/m);
  assert.match(text, /^stormguard_retry_give_ups_total\{name="reconnect",reason="attempts_exhausted"\} 1$/m);
  for (const line of text.trim().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+\{.*\} [-+0-9.eInf]+)$/, line);
  assert.throws(() => prometheus({ x: {} }), { code: 'ERR_INVALID_ARG_TYPE' });
  breaker.close();
  await sleep(0);
});
