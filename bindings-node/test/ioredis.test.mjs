// ioredis 6 + a real redis-server: the strategy drives reconnects.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { retryStrategy, ioredisV6 } from '../index.mjs';
import { startRedis, stopAll, waitFor } from '../test-support/redis.mjs';

after(stopAll);

/** A client whose `reconnecting` delays are recorded. */
function client(port, options) {
  const redis = new Redis({ host: '127.0.0.1', port, ...options });
  redis.on('error', () => {}); // ECONNREFUSED while the server is down is expected
  const delays = [];
  redis.on('reconnecting', (delay) => delays.push(delay));
  return { redis, delays };
}

test('reconnect delays equal the strategy values; the client recovers after a restart', async () => {
  const server = await startRedis();
  const options = { seed: 11, baseMs: 20, maxMs: 160 };
  const reference = retryStrategy(options);
  const expected = [1, 2, 3, 4, 5, 6].map((times) => reference(times));
  const { redis, delays } = client(server.port, { retryStrategy: retryStrategy(options) });
  try {
    assert.equal(await redis.set('k', 'before'), 'OK');
    await server.kill();
    await waitFor('six reconnect attempts', () => delays.length >= 6);
    assert.deepEqual(delays.slice(0, 6), expected);
    for (const d of delays) assert.ok(Number.isInteger(d) && d >= 0 && d <= 2147483647, `delay ${d}`);
    await server.restart();
    await waitFor('ready again', () => redis.status === 'ready');
    assert.equal(await redis.set('k', 'after'), 'OK');
    assert.equal(await redis.get('k'), 'after');
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test('the episode restarts after recovery: times starts at 1 again', async () => {
  const server = await startRedis();
  const calls = [];
  const strategy = retryStrategy({ seed: 5, schedule: 'constant', baseMs: 30, jitter: 'none' });
  const spy = (times) => {
    calls.push(times);
    return strategy(times);
  };
  const { redis } = client(server.port, { retryStrategy: spy });
  try {
    await redis.ping();
    await server.kill();
    await waitFor('two attempts', () => calls.length >= 2);
    await server.restart();
    await waitFor('ready', () => redis.status === 'ready');
    const before = calls.length;
    await server.kill();
    await waitFor('a new episode', () => calls.length > before);
    assert.equal(calls[before], 1);
    assert.deepEqual(calls.slice(0, 2), [1, 2]);
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test('with maxAttempts the client ends cleanly and rejects queued commands', async () => {
  const server = await startRedis();
  const strategy = retryStrategy({ seed: 3, baseMs: 10, maxMs: 40, maxAttempts: 3 });
  const { redis, delays } = client(server.port, { retryStrategy: strategy });
  const ended = new Promise((resolve) => redis.once('end', resolve));
  try {
    await redis.ping();
    await server.kill();
    await ended;
    assert.equal(redis.status, 'end');
    assert.equal(delays.length, 3);
    assert.equal(strategy.lastGiveUp, 'attempts_exhausted');
    await assert.rejects(redis.get('k'), /Connection is closed/);
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test('a deadline ends reconnecting with reason `deadline`', async () => {
  const server = await startRedis();
  const strategy = retryStrategy({ seed: 9, schedule: 'constant', baseMs: 40, jitter: 'none', deadlineMs: 150 });
  const { redis, delays } = client(server.port, { retryStrategy: strategy });
  const ended = new Promise((resolve) => redis.once('end', resolve));
  try {
    await redis.ping();
    await server.kill();
    await ended;
    assert.equal(strategy.lastGiveUp, 'deadline');
    assert.ok(delays.length >= 1);
    assert.ok(delays.every((d) => d === 40));
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test('the ioredisV6 preset reproduces ioredis 6 defaults against a real server', async () => {
  const server = await startRedis();
  const reference = ioredisV6({ seed: 21 });
  const expected = [1, 2, 3].map((t) => reference(t));
  for (const [i, d] of expected.entries()) {
    const base = Math.min(2 ** i * 50, 5000);
    assert.ok(d >= base && d < base + 200, `times ${i + 1}: ${d}`);
  }
  const { redis, delays } = client(server.port, { retryStrategy: ioredisV6({ seed: 21 }) });
  try {
    await redis.ping();
    await server.kill();
    await waitFor('three attempts', () => delays.length >= 3);
    assert.deepEqual(delays.slice(0, 3), expected);
  } finally {
    redis.disconnect();
    await server.stop();
  }
});
