// A CircuitBreaker around ioredis commands against a real redis-server:
// down → opens → fails fast without calling Redis → back → half-open probe → closed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import Redis from 'ioredis';
import { CircuitBreaker, BreakerOpenError, retryStrategy } from '../index.mjs';
import { startRedis, stopAll, waitFor } from '../test-support/redis.mjs';

after(stopAll);

test('breaker opens while Redis is down, fails fast, probes and closes when it is back', async () => {
  const server = await startRedis();
  const redis = new Redis({
    host: '127.0.0.1',
    port: server.port,
    enableOfflineQueue: false, // fail commands at once while disconnected
    retryStrategy: retryStrategy({ seed: 4, schedule: 'constant', baseMs: 20, jitter: 'none' }),
  });
  redis.on('error', () => {});
  const breaker = new CircuitBreaker({ name: 'redis', windowSize: 4, minimumCalls: 4, openDurationMs: 300, halfOpenPermits: 1 });
  const events = [];
  for (const name of ['open', 'halfOpen', 'close']) breaker.on(name, (t) => events.push([name, t.reason]));
  let reachedClient = 0;
  const get = () =>
    breaker.execute(() => {
      reachedClient++;
      return redis.get('k');
    });
  try {
    await once(redis, 'ready');
    await redis.set('k', 'v');
    assert.equal(await get(), 'v');
    await server.kill();
    await waitFor('client notices', () => redis.status !== 'ready');
    let failures = 0;
    while (breaker.state === 'closed' && failures < 10) {
      await assert.rejects(get(), (e) => !(e instanceof BreakerOpenError)); // a real connection error
      failures++;
    }
    assert.equal(failures, 3, 'window of 4 with the earlier success: 3 failures reach 50 %');
    assert.equal(breaker.state, 'open');
    const before = reachedClient;
    for (let i = 0; i < 5; i++) await assert.rejects(get(), (e) => e instanceof BreakerOpenError && e.code === 'ERR_BREAKER_OPEN' && e.retryAfterMs > 0);
    assert.equal(reachedClient, before, 'rejected calls never reach ioredis');
    await server.restart();
    await waitFor('ready again', () => redis.status === 'ready');
    await waitFor('half-open announced by the timer', () => events.some(([name]) => name === 'halfOpen'), { withinMs: 5000, everyMs: 10 });
    await redis.set('k', 'again'); // the restarted server starts empty
    assert.equal(await get(), 'again');
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(events, [
      ['open', 'failureRate'],
      ['halfOpen', 'openDurationElapsed'],
      ['close', 'probesSucceeded'],
    ]);
    const m = breaker.metrics();
    assert.equal(m.rejected, 5);
    assert.equal(m.state, 'closed');
  } finally {
    breaker.close();
    redis.disconnect();
    await server.stop();
  }
});
