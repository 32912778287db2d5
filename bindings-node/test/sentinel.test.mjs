// Sentinel failover: 1 master, 1 replica, 3 Sentinels; ioredis connected
// through the Sentinels with stormguard's strategies; the master is killed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { reconnectOnError, retry, retryStrategy, sentinelRetryStrategy } from '../index.mjs';
import { rawCommand, startRedis, startSentinel, stopAll, waitFor } from '../test-support/redis.mjs';

after(stopAll);

const NAME = 'stormguard';

/** Fails instead of hanging: every command settles within `ms`. */
function settles(promise, what, ms = 30000) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

test('after a failover writes succeed on the new master and WAIT-confirmed writes survive', async () => {
  const master = await startRedis();
  const replica = await startRedis(['--replicaof', '127.0.0.1', String(master.port)]);
  await waitFor('replica in sync', async () => (await rawCommand(replica.port, 'INFO replication')).includes('master_link_status:up'));
  const sentinels = [];
  for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(NAME, master.port, { quorum: 2, downAfterMs: 1000 }));
  // Every Sentinel knows the replica and the two other Sentinels (needed to vote).
  for (const s of sentinels) {
    await waitFor(`sentinel ${s.port} discovery`, async () => {
      const info = await rawCommand(s.port, 'INFO sentinel');
      return info.includes('slaves=1') && info.includes('sentinels=3');
    }, { withinMs: 20000, everyMs: 100 });
  }

  const redis = new Redis({
    sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    name: NAME,
    sentinelRetryStrategy: sentinelRetryStrategy({ seed: 2, baseMs: 50, maxMs: 500 }),
    retryStrategy: retryStrategy({ seed: 3, baseMs: 50, maxMs: 500, deadlineMs: 60000 }),
    reconnectOnError: reconnectOnError(),
    commandTimeout: 2000,
    maxRetriesPerRequest: 3,
  });
  redis.on('error', () => {});
  const write = (key, value) =>
    settles(
      retry(() => redis.set(key, value), { maxAttempts: 40, deadlineMs: 40000, backoff: { baseMs: 100, maxMs: 1000 } }),
      `SET ${key}`,
      45000,
    );
  try {
    for (let i = 0; i < 20; i++) assert.equal(await write(`before:${i}`, String(i)), 'OK');
    const acked = await settles(redis.call('WAIT', '1', '2000'), 'WAIT');
    assert.ok(acked >= 1, `WAIT acknowledged by ${acked} replicas`);

    await master.kill();

    assert.equal(await write('after', 'failover'), 'OK');
    assert.equal(await settles(redis.get('after'), 'GET after'), 'failover');
    const role = await settles(redis.call('ROLE'), 'ROLE');
    assert.equal(role[0], 'master');
    assert.equal(redis.stream.remotePort, replica.port, 'connected to the promoted replica');
    for (let i = 0; i < 20; i++) assert.equal(await settles(redis.get(`before:${i}`), `GET before:${i}`), String(i));
    const reported = await rawCommand(sentinels[0].port, `SENTINEL get-master-addr-by-name ${NAME}`);
    assert.ok(reported.includes(String(replica.port)), reported);
  } finally {
    redis.disconnect();
    await stopAll();
  }
});
