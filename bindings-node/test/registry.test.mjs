// BreakerRegistry hierarchy: keys under parent keys (virtual time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakerRegistry } from '../index.mjs';

const ok = () => Promise.resolve('ok');
const fail = () => Promise.reject(new Error('down'));

/** A registry whose breakers open on one failure for 1 s, on a virtual clock. */
function hostRegistry(maxKeys = 10) {
  const clock = { now: 0 };
  const registry = new BreakerRegistry({
    maxKeys,
    breaker: { windowSize: 1, minimumCalls: 1, openDurationMs: 1_000, halfOpenPermits: 1, clock: () => clock.now },
  });
  return { registry, clock };
}

test('an open parent rejects every child without asking it; the children stay closed', async () => {
  const { registry, clock } = hostRegistry();
  const users = registry.get('host/users', 'host');
  const orders = registry.get('host/orders', 'host');
  const host = registry.peek('host');
  assert.ok(host, 'the parent is created with its first child');
  assert.equal(registry.parent('host/users'), 'host');
  assert.equal(registry.parent('host'), undefined);
  assert.equal(registry.get('host/users', 'host'), users, 'same breaker on later calls');

  host.tripFor(500);
  const rejects = [];
  orders.on('reject', (error) => rejects.push(error));
  clock.now = 100;
  let called = false;
  const error = await registry
    .execute('host/orders', () => { called = true; return ok(); }, { parent: 'host' })
    .then(() => null, (e) => e);
  assert.equal(called, false, 'the child call never ran');
  assert.equal(error.code, 'ERR_BREAKER_OPEN');
  assert.equal(error.state, 'open');
  assert.match(error.message, /"host"/, 'the error names the refusing parent');
  assert.ok(error.retryAfterMs > 399 && error.retryAfterMs <= 400.001, `retryAfterMs ${error.retryAfterMs}`);
  assert.deepEqual(rejects, [error], 'the child emits reject');
  await assert.rejects(users.execute(ok), { code: 'ERR_BREAKER_OPEN' });
  assert.equal(users.state, 'closed');
  assert.equal(orders.state, 'closed');
  assert.equal(orders.metrics().admitted, 0);

  // After the parent's open duration the children are admitted again, and
  // the outcome reaches the parent too: its half-open probe succeeds.
  clock.now = 501;
  assert.equal(await orders.execute(ok), 'ok');
  assert.equal(host.state, 'closed');
  assert.equal(host.metrics().successes, 1);
  assert.equal(orders.metrics().successes, 1);
});

test("a child's failures count in the parent's window, which then sheds the whole host", async () => {
  const { registry, clock } = hostRegistry();
  const users = registry.get('host/users', 'host');
  const orders = registry.get('host/orders', 'host');
  const host = registry.get('host');
  const opened = [];
  host.on('open', (t) => opened.push(t.reason));
  await assert.rejects(users.execute(fail), /down/);
  assert.equal(users.state, 'open');
  assert.equal(host.state, 'open', 'one failure opens the parent as well');
  assert.deepEqual(opened, ['failureRate']);
  clock.now = 10;
  await assert.rejects(orders.execute(ok), { code: 'ERR_BREAKER_OPEN', state: 'open' });
  assert.equal(orders.metrics().calls, 0);
  // A parent's own calls do not involve its children.
  await assert.rejects(host.execute(ok), { code: 'ERR_BREAKER_OPEN' });
});

test('a forced-open grandparent rejects grandchildren with no retry time', async () => {
  const { registry } = hostRegistry();
  const node = registry.get('cluster/node-1/key-a', 'cluster/node-1');
  // node-1 was created as a root with its first child: it cannot move under a parent now.
  assert.throws(() => registry.get('cluster/node-1', 'cluster'), { code: 'ERR_PARENT_MISMATCH' });
  registry.get('cluster/node-2', 'cluster');
  const grandchild = registry.get('cluster/node-2/key-b', 'cluster/node-2');
  registry.get('cluster').forceOpen();
  await assert.rejects(grandchild.execute(ok), (e) => e.code === 'ERR_BREAKER_OPEN' && e.state === 'forcedOpen' && e.retryAfterMs === null && /"cluster"/.test(e.message));
  // node-1's chain has no "cluster" above it.
  assert.equal(await node.execute(ok), 'ok');
});

test('mismatched parents, deletes and evictions follow the core registry', async () => {
  const { registry } = hostRegistry(3);
  registry.get('host/a', 'host');
  registry.get('host/b', 'host');
  assert.throws(() => registry.get('host/a', 'elsewhere'), { code: 'ERR_PARENT_MISMATCH' });
  assert.equal(registry.peek('elsewhere'), undefined, 'a refused call changes nothing');
  assert.throws(() => registry.get('host', 'host'), { code: 'ERR_PARENT_MISMATCH' });
  assert.throws(() => registry.get('x', 7), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => registry.delete('host'), { code: 'ERR_HAS_CHILDREN' });
  // Full (host + two children): a new key evicts a child, never the parent.
  const evicted = [];
  registry.on('evict', ({ key }) => evicted.push(key));
  registry.get('other');
  assert.deepEqual(evicted, ['host/a']);
  assert.ok(registry.peek('host'));
  assert.equal(registry.delete('host/b'), true);
  assert.equal(registry.delete('host'), true);
  assert.deepEqual(registry.keys(), ['other']);
});
