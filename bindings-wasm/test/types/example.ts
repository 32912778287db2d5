// Type-checked by scripts/test.sh (tsc --noEmit --strict): the declarations
// in index.d.ts must describe the API as the README uses it.
import { createFetch, Backoff, RetryBudget, CircuitBreaker, retry, CircuitOpenError, BreakerOpenError, RetryError } from '../../index.js';
const budget = new RetryBudget({ type: 'tokenBucket', maxTokens: 10 });
const f = createFetch({ maxAttempts: 4, timeoutMs: 10000, attemptTimeoutMs: 2000, backoff: { baseMs: 100, jitter: 'full' },
  maxRetryAfterMs: 30000, budget, breaker: { preset: 'polly', openDurationMs: 5000 },
  onRetry: (e) => console.log(e.attempt, e.delayMs, e.classification), onStateChange: (e) => console.log(e.key, e.to) });
async function main() {
  const res = await f('https://example.test/api', { method: 'POST', headers: { 'Idempotency-Key': 'k' } });
  const attempts: number | undefined = res.stormguard?.attempts;
  const b = new Backoff({ schedule: 'decorrelated', seed: 1 });
  const d: number | null = b.nextDelayMs(1);
  const pure: number = new Backoff({ schedule: 'linear', baseMs: 50, stepMs: 50 }).delayMs(2, 0.5);
  breakerOn();
  const breaker = new CircuitBreaker({ windowType: 'consecutive', failureCountThreshold: 5 });
  breaker.addEventListener('open', () => {});
  const v: number = await breaker.execute(async () => 1);
  const w: string = await retry(async ({ attempt }) => `try ${attempt}`, { maxAttempts: 3, breaker: undefined, budget });
  try { await f('x'); } catch (e) { if (e instanceof CircuitOpenError) console.log(e.retryAfterMs); if (e instanceof RetryError) console.log(e.reason); }
  console.log(attempts, d, pure, v, w, budget.balance(), breaker.metrics().failureRate);
  try { await retry(async () => 1, { breaker, retryKind: () => 'timeout' }); } catch (e) { if (e instanceof BreakerOpenError) console.log(e.code); }
}
main();

function breakerOn(): void {
  const breaker = new CircuitBreaker({ preset: 'gobreaker' });
  breaker.on('open', (t) => console.log(t.from, t.to, t.reason)).once('reject', (r) => console.log(r.retryAfterMs));
  const permit = breaker.tryAcquire();
  const result: 'counted' | 'released' | 'late' = breaker.record(permit, 'success', 12);
  console.log(result, breaker.pollTimeoutMs());
  breaker.close();
}
