// Bulkhead.run: admissions, FIFO hand-over, queue timeouts and aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bulkhead, BulkheadRejectedError } from '../index.mjs';

const deferred = () => {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
};

test('runs at most maxConcurrent at once and hands slots over in FIFO order', async () => {
  const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 2 });
  const gate = deferred();
  const order = [];
  const first = bulkhead.run(async () => {
    order.push('first');
    await gate.promise;
  });
  const second = bulkhead.run(async () => order.push('second'));
  const third = bulkhead.run(async () => order.push('third'));
  await assert.rejects(bulkhead.run(() => 1), (e) => e instanceof BulkheadRejectedError && e.reason === 'queueFull');
  assert.equal(bulkhead.metrics().queued, 2);
  gate.resolve();
  await Promise.all([first, second, third]);
  assert.deepEqual(order, ['first', 'second', 'third']);
  assert.deepEqual(
    { active: bulkhead.metrics().active, queued: bulkhead.metrics().queued, admitted: bulkhead.metrics().admitted },
    { active: 0, queued: 0, admitted: 3 },
  );
});

test('a waiter times out after maxQueueWaitMs via the core poll_timeout', async () => {
  const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 1, maxQueueWaitMs: 20 });
  const gate = deferred();
  const running = bulkhead.run(() => gate.promise);
  await assert.rejects(bulkhead.run(() => 'never'), (e) => e.code === 'ERR_BULKHEAD_REJECTED' && e.reason === 'queueTimeout');
  assert.equal(bulkhead.metrics().timedOut, 1);
  gate.resolve();
  await running;
});

test('an aborted waiter leaves the queue and passes its place on', async () => {
  const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 2 });
  const gate = deferred();
  const running = bulkhead.run(() => gate.promise);
  const controller = new AbortController();
  const aborted = bulkhead.run(() => 'aborted', { signal: controller.signal });
  const next = bulkhead.run(() => 'next');
  controller.abort(new Error('gone'));
  await assert.rejects(aborted, /gone/);
  gate.resolve();
  assert.equal(await next, 'next');
  await running;
  assert.equal(bulkhead.metrics().cancelled, 1);
});

test('a failing call releases its slot', async () => {
  const bulkhead = new Bulkhead({ maxConcurrent: 1 });
  await assert.rejects(bulkhead.run(() => Promise.reject(new Error('x'))), /x/);
  assert.equal(await bulkhead.run(() => 2), 2);
});
