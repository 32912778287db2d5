// Type-checked by scripts/test.sh (tsc --noEmit --strict): the declarations
// in index.d.ts must describe the API as the README uses it.
import { createFetch, Backoff, RetryBudget, CircuitBreaker, retry, CircuitOpenError, RetryError } from '../../index.js';
const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 10 });
const f = createFetch({ maxAttempts: 4, timeoutMs: 10000, attemptTimeoutMs: 2000, backoff: { baseMs: 100, jitter: 'full' },
  maxRetryAfterMs: 30000, budget, breaker: { preset: 'polly', openDurationMs: 5000 },
  onRetry: (e) => console.log(e.attempt, e.delayMs, e.classification), onStateChange: (e) => console.log(e.key, e.to) });
async function main() {
  const res = await f('https://example.test/api', { method: 'POST', headers: { 'Idempotency-Key': 'k' } });
  const attempts: number | undefined = res.stormguard?.attempts;
  const b = new Backoff({ schedule: 'decorrelated', seed: 1 });
  const d: number | null = b.delayMs(1);
  const breaker = new CircuitBreaker({ windowType: 'consecutive', failureCountThreshold: 5 });
  breaker.addEventListener('open', () => {});
  const v: number = await breaker.execute(async () => 1);
  const w: string = await retry(async ({ attempt }) => `try ${attempt}`, { maxAttempts: 3, breaker: undefined, budget });
  try { await f('x'); } catch (e) { if (e instanceof CircuitOpenError) console.log(e.retryAfterMs); if (e instanceof RetryError) console.log(e.reason); }
  console.log(attempts, d, v, w, budget.metrics().balance, breaker.metrics().failureRate);
}
main();
