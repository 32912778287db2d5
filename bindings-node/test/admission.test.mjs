// execute() under the core's admission: calls start without asking the core
// while it is closed, plain successes wait and are reported together, and
// the breaker ends exactly where one-by-one reporting would leave it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from '../index.mjs';

/** A pseudo-random script of calls: [gapMs, tookMs, ok]. */
function script(seed, length) {
  let x = seed >>> 0;
  const next = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length }, () => [Math.floor(next() * 30), Math.floor(next() * 40), next() < 0.8]);
}

/**
 * Runs `steps` on a fresh breaker on a virtual clock; `call(breaker, took,
 * ok, advance)` makes one call. Returns what an observer can see at the end.
 */
async function run(options, steps, call) {
  const clock = { now: 0 };
  const breaker = new CircuitBreaker({ ...options, clock: () => clock.now });
  const events = [];
  breaker.on('stateChange', (t) => events.push(t));
  for (const [gap, took, ok] of steps) {
    clock.now += gap;
    await call(breaker, ok, () => {
      clock.now += took;
    });
  }
  const result = { metrics: breaker.metrics(), events, state: breaker.state };
  breaker.close();
  return result;
}

/** One call through execute() (the admission path). */
const viaExecute = (breaker, ok, advance) =>
  breaker
    .execute(() => {
      advance();
      return ok ? Promise.resolve(1) : Promise.reject(new Error('down'));
    })
    .catch(() => {});

/** One call asking the core (tryAcquire / record). */
function viaPermits(breaker, ok, advance) {
  let permit;
  try {
    permit = breaker.tryAcquire();
  } catch {
    return;
  }
  advance();
  breaker.record(permit, ok ? 'success' : 'failure');
}

/** Alternates the two styles on one breaker (low-level records between executes). */
let turn = 0;
const viaEither = (breaker, ok, advance) => (turn++ % 3 === 0 ? viaPermits : viaExecute)(breaker, ok, advance);

const SHAPES = [
  { windowSize: 10, minimumCalls: 10, failureRateThreshold: 30, openDurationMs: 100, halfOpenPermits: 2 },
  { windowSize: 5, minimumCalls: 3, slowCallDurationMs: 20, slowCallRateThreshold: 40, openDurationMs: 50 },
  { windowType: 'time', windowMs: 200, bucketMs: 40, minimumCalls: 4, failureRateThreshold: 40, openDurationMs: 80 },
  { windowType: 'consecutive', failureCountThreshold: 3, openDurationMs: 60, halfOpenPermits: 1 },
];

test('execute() ends where asking for every call ends (alone or mixed with tryAcquire/record): same metrics, transitions and state', async () => {
  for (const [index, shape] of SHAPES.entries()) {
    for (const seed of [1, 2, 3, 4, 5]) {
      const steps = script(seed * 97 + index, 300);
      const admitted = await run(shape, steps, viaExecute);
      const asked = await run(shape, steps, viaPermits);
      assert.deepEqual(admitted, asked, `shape ${index}, seed ${seed}`);
      turn = 0;
      assert.deepEqual(await run(shape, steps, viaEither), asked, `mixed, shape ${index}, seed ${seed}`);
    }
  }
});

test('steady successes are counted although they wait: metrics and toJSON see every one', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 10, minimumCalls: 10, clock: () => now });
  for (let i = 0; i < 50; i++) {
    now += 1;
    await breaker.execute(() => Promise.resolve(i));
  }
  const state = JSON.parse(breaker.toJSON().snapshot);
  const m = breaker.metrics();
  assert.equal(m.admitted, 50);
  assert.equal(m.successes, 50);
  assert.equal(m.windowCalls, 10);
  const restored = CircuitBreaker.restore(breaker.toJSON(), { clock: () => now });
  assert.equal(restored.metrics().successes, 50);
  assert.ok(state, 'snapshot is JSON');
  restored.close();
  breaker.close();
});

test('failures after waiting successes see them in the window', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 10, minimumCalls: 10, failureRateThreshold: 50, clock: () => now });
  for (let i = 0; i < 20; i++) {
    now += 1;
    await breaker.execute(() => Promise.resolve(i));
  }
  // 4 failures evict 4 successes: 4 / 10 = 40 %, below 50 %: still closed.
  for (let i = 0; i < 4; i++) await assert.rejects(breaker.execute(() => Promise.reject(new Error('down'))));
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.metrics().windowFailures, 4);
  // The fifth reaches 50 %: open, and later calls never run.
  await assert.rejects(breaker.execute(() => Promise.reject(new Error('down'))));
  assert.equal(breaker.state, 'open');
  let ran = false;
  await assert.rejects(
    breaker.execute(() => {
      ran = true;
    }),
    { code: 'ERR_BREAKER_OPEN' },
  );
  assert.equal(ran, false);
  breaker.close();
});

test('calls started without asking count as admitted while running, and late once the breaker opened', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 4, minimumCalls: 4, clock: () => now });
  for (let i = 0; i < 4; i++) await breaker.execute(() => Promise.resolve(i));
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
  });
  const running = [1, 2, 3].map(() => breaker.execute(() => gate));
  assert.equal(breaker.metrics().admitted, 7);
  breaker.forceOpen();
  release('done');
  assert.deepEqual(await Promise.all(running), ['done', 'done', 'done']);
  const m = breaker.metrics();
  assert.equal(m.admitted, 7);
  assert.equal(m.lateResults, 3);
  assert.equal(m.successes, 4);
  breaker.close();
});

test('a slow success is reported at once and can open the breaker', async () => {
  let now = 0;
  const breaker = new CircuitBreaker({ windowSize: 2, minimumCalls: 2, slowCallDurationMs: 10, slowCallRateThreshold: 100, clock: () => now });
  const opened = [];
  breaker.on('open', (t) => opened.push(t.reason));
  for (let i = 0; i < 2; i++) await breaker.execute(() => Promise.resolve(i));
  for (let i = 0; i < 2; i++) {
    await breaker.execute(() => {
      now += 11;
      return Promise.resolve(i);
    });
  }
  assert.deepEqual(opened, ['slowCallRate']);
  assert.equal(breaker.state, 'open');
  breaker.close();
});
