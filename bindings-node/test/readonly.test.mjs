// READONLY from a real replica: reconnectOnError answers 2 and ioredis
// resends the write, which succeeds once the replica has been promoted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { reconnectOnError, retryStrategy, classifyRedisError } from '../index.mjs';
import { rawCommand, startRedis, stopAll, waitFor } from '../test-support/redis.mjs';

after(stopAll);

test('a write to a replica hits READONLY and is resent after reconnecting', async () => {
  const master = await startRedis();
  const replica = await startRedis(['--replicaof', '127.0.0.1', String(master.port)]);
  await waitFor('replica in sync', async () => (await rawCommand(replica.port, 'INFO replication')).includes('master_link_status:up'));

  const decide = reconnectOnError();
  const seen = [];
  let promoted;
  const spy = (err) => {
    const answer = decide(err);
    seen.push({ message: err.message, answer });
    // Simulate the failover finishing while the client reconnects.
    promoted ??= rawCommand(replica.port, 'REPLICAOF NO ONE');
    return answer;
  };
  const redis = new Redis({
    host: '127.0.0.1',
    port: replica.port,
    reconnectOnError: spy,
    retryStrategy: retryStrategy({ seed: 1, schedule: 'constant', baseMs: 200, jitter: 'none' }),
  });
  redis.on('error', () => {});
  try {
    await redis.ping();
    assert.equal(await redis.set('key', 'value'), 'OK');
    assert.ok(seen.length >= 1);
    assert.match(seen[0].message, /^READONLY/);
    assert.equal(seen[0].answer, 2);
    assert.deepEqual(classifyRedisError(seen[0].message), { class: 'reconnectAndResend', reason: 'redis_readonly', retriable: true });
    assert.match(await promoted, /^\+OK/);
    assert.equal(await redis.get('key'), 'value');
  } finally {
    redis.disconnect();
    await replica.stop();
    await master.stop();
  }
});

test('with resend: false a READONLY write is rejected after the reconnect', async () => {
  const master = await startRedis();
  const replica = await startRedis(['--replicaof', '127.0.0.1', String(master.port)]);
  const decide = reconnectOnError({ resend: false });
  const answers = [];
  const redis = new Redis({
    host: '127.0.0.1',
    port: replica.port,
    reconnectOnError: (err) => {
      const answer = decide(err);
      answers.push(answer);
      return answer;
    },
    retryStrategy: retryStrategy({ seed: 1, schedule: 'constant', baseMs: 20, jitter: 'none' }),
  });
  redis.on('error', () => {});
  try {
    await redis.ping();
    await assert.rejects(redis.set('key', 'value'), /READONLY/);
    assert.deepEqual(answers, [1]);
    assert.equal(decide(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')), false);
  } finally {
    redis.disconnect();
    await replica.stop();
    await master.stop();
  }
});
