// A typed tour of the API; `npm run typecheck` compiles it with `tsc --noEmit`.
import Redis from 'ioredis';
import {
  Backoff,
  Bulkhead,
  RetryBudget,
  RetryPolicy,
  classifyRedisError,
  ioredisV6,
  parseHint,
  presetOptions,
  reconnectOnError,
  retry,
  retryStrategy,
  sentinelRetryStrategy,
  type Classification,
  type GiveUp,
  type RetryStrategy,
  BreakerOpenError,
  BreakerRegistry,
  CircuitBreaker,
  prometheus,
  type Transition,
} from 'stormguard';

const strategy: RetryStrategy = retryStrategy({ maxAttempts: 20, deadlineMs: 60_000, maxMs: 5_000 });
const delay: number | null = strategy(1);
void delay;

const redis = new Redis({
  retryStrategy: strategy,
  reconnectOnError: reconnectOnError(),
  lazyConnect: true,
});
void redis;

const sentinel = new Redis({
  sentinels: [{ host: '127.0.0.1', port: 26379 }],
  name: 'mymaster',
  sentinelRetryStrategy: sentinelRetryStrategy({ maxMs: 1_000 }),
  retryStrategy: ioredisV6({ maxAttempts: 10 }),
  lazyConnect: true,
});
void sentinel;

const backoff = new Backoff({ ...presetOptions('ioredisV6'), seed: 42n });
const delays: number[] = backoff.schedule(5);
const next: number | null = backoff.nextDelayMs(1);
void delays;
void next;

const c: Classification = classifyRedisError(new Error('READONLY You can\'t write against a read only replica.'));
if (c.class === 'reconnectAndResend') console.log(c.reason);

const hint = parseHint('Retry-After', '120');
if ('hintMs' in hint) console.log(hint.hintMs);

const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 10 });
const policy = new RetryPolicy({ maxAttempts: 4, backoff: { baseMs: 50 }, budget, retryOn: (e) => e instanceof Error });
const bulkhead = new Bulkhead({ maxConcurrent: 4, maxQueued: 16, maxQueueWaitMs: 1_000 });

const breaker = new CircuitBreaker({ preset: 'resilience4j', windowSize: 20, openDurationMs: 5_000, name: 'redis' });
breaker.on('stateChange', (t: Transition) => console.log(t.from, t.to, t.reason));
breaker.on('reject', (e: BreakerOpenError) => console.log(e.retryAfterMs));
const registry = new BreakerRegistry({ maxKeys: 100, breaker: { windowType: 'consecutive', failureCountThreshold: 5 } });
const restored: CircuitBreaker = CircuitBreaker.restore(breaker.toJSON());
const text: string = prometheus({ redis: breaker, nodes: registry, budget, reconnect: strategy });
void restored;
void text;

async function main(): Promise<void> {
  const pong: string = await breaker.execute(() => redis.ping());
  const viaRegistry: string | null = await registry.execute('node-1', () => redis.get('k'));
  // Keys under a parent: an open cluster breaker rejects every node's calls.
  const underCluster: string | null = await registry.execute('node-2', () => redis.get('k'), { parent: 'cluster' });
  const parentKey: string | undefined = registry.parent('node-2');
  void underCluster;
  void parentKey;
  const withBreaker: string = await retry(() => redis.set('k', 'v'), { breaker, maxAttempts: 3 });
  void pong;
  void viaRegistry;
  void withBreaker;
  const value: string = await retry(async ({ attempt }) => `attempt ${attempt}`, { maxAttempts: 3, signal: AbortSignal.timeout(5_000) });
  const n: number = await policy.execute(async () => 1);
  const m: number = await bulkhead.run(async () => 2);
  try {
    await retry(() => Promise.reject(new Error('boom')));
  } catch (error) {
    const giveUp = (error as { giveUp?: GiveUp }).giveUp;
    console.log(value, n, m, giveUp?.reason);
  }
}
void main;
