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

async function main(): Promise<void> {
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
