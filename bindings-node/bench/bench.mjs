// npm run bench: per-call overhead of stormguard against opossum 10 and
// cockatiel 4, measured side by side in one process on the same workload.
// Prints ns per call and ratios; asserts nothing.
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { createRequire } from 'node:module';
import { CircuitBreaker, retryStrategy, ioredisV6 } from '../index.mjs';

const require = createRequire(import.meta.url);
const Opossum = require('opossum');
const { circuitBreaker, handleAll, ConsecutiveBreaker } = await import('cockatiel');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);

/**
 * Best-of-rounds ns per call of several async loops, interleaved: each round
 * times every loop once, so a load change on a shared machine hits all of
 * them alike instead of whichever ran during it.
 */
async function timeAsyncInterleaved(runs) {
  const best = runs.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k];
      const start = performance.now();
      for (let i = 0; i < CALLS; i++) await run();
      best[k] = Math.min(best[k], ((performance.now() - start) * 1e6) / CALLS);
    }
  }
  return best;
}

/** Best-of-rounds ns per call of a sync loop. */
function timeSync(run, calls = CALLS * 5) {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) sink += run(i) ?? 0;
    best = Math.min(best, ((performance.now() - start) * 1e6) / calls);
  }
  if (sink === -1) console.log(sink);
  return best;
}

const resolved = () => Promise.resolve(1);
const fmt = (n) => n.toFixed(1).padStart(9);

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${os.platform()} ${os.arch()}`);
console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${CALLS} calls × best of ${ROUNDS} rounds\n`);

// --- retryStrategy(times)
const strategy = retryStrategy({ seed: 1 });
const v6 = ioredisV6({ seed: 1 });
const ioredisDefault = (times) => Math.min(2 ** (times - 1) * 50, 5000) + Math.floor(Math.random() * 200);
const tStrategy = timeSync((i) => strategy((i % 20) + 1));
const tV6 = timeSync((i) => v6((i % 20) + 1));
const tInline = timeSync((i) => ioredisDefault((i % 20) + 1));
console.log('retryStrategy(times), ns per call');
console.log(`  stormguard retryStrategy()  ${fmt(tStrategy)}`);
console.log(`  stormguard ioredisV6()      ${fmt(tV6)}`);
console.log(`  ioredis' inline default     ${fmt(tInline)}   (pure JS formula, for scale)\n`);

// --- breaker.execute around a resolved promise
const ours = new CircuitBreaker({ seed: 1 });
// A breaker kept below minimumCalls (a time window, so the minimum is not
// capped at the window's size): the core's admission never lets successes
// wait, so every call reports to the core and refreshes the admission (two
// native calls): the cost while a window fills or sits near a threshold.
const asking = new CircuitBreaker({ seed: 1, windowType: 'time', windowMs: 60_000, bucketMs: 1_000, minimumCalls: 1e9 });
const opossum = new Opossum(resolved, { timeout: false, resetTimeout: 30000 });
const cockatiel = circuitBreaker(handleAll, { halfOpenAfter: 30000, breaker: new ConsecutiveBreaker(5) });

const [baseline, tOurs, tAsking, tOpossum, tCockatiel] = await timeAsyncInterleaved([
  resolved,
  () => ours.execute(resolved),
  () => asking.execute(resolved),
  () => opossum.fire(),
  () => cockatiel.execute(resolved),
]);
const over = (t) => Math.max(t - baseline, 0.001);
console.log('breaker.execute(() => Promise.resolve(1)), ns per call (overhead = minus the bare await)');
console.log(`  bare await                  ${fmt(baseline)}`);
console.log(`  stormguard CircuitBreaker   ${fmt(tOurs)}  overhead ${fmt(over(tOurs))}`);
console.log(`  stormguard, every call asks ${fmt(tAsking)}  overhead ${fmt(over(tAsking))}  (below minimumCalls)`);
console.log(`  opossum 10                  ${fmt(tOpossum)}  overhead ${fmt(over(tOpossum))}`);
console.log(`  cockatiel 4                 ${fmt(tCockatiel)}  overhead ${fmt(over(tCockatiel))}`);
console.log(`  ratio stormguard/opossum    ${(over(tOurs) / over(tOpossum)).toFixed(2)} (target ≤ 0.5)`);
console.log(`  ratio stormguard/cockatiel  ${(over(tOurs) / over(tCockatiel)).toFixed(2)} (target ≤ 1)\n`);
ours.close();
asking.close();
opossum.shutdown();

// --- memory per breaker
const COUNT = 10_000;
function memoryPer(make) {
  globalThis.gc?.();
  const before = process.memoryUsage();
  const keep = [];
  for (let i = 0; i < COUNT; i++) keep.push(make());
  globalThis.gc?.();
  const after = process.memoryUsage();
  const heap = (after.heapUsed - before.heapUsed) / COUNT;
  const rss = (after.rss - before.rss) / COUNT;
  return { heap, rss, keep };
}
const mOurs = memoryPer(() => new CircuitBreaker({ seed: 1 }));
const mOpossum = memoryPer(() => new Opossum(resolved, { timeout: false }));
const mCockatiel = memoryPer(() => circuitBreaker(handleAll, { halfOpenAfter: 30000, breaker: new ConsecutiveBreaker(5) }));
console.log(`memory per breaker (${COUNT} breakers; JS heap / RSS bytes${globalThis.gc ? '' : ', run with --expose-gc for stable numbers'})`);
console.log(`  stormguard CircuitBreaker   heap ${fmt(mOurs.heap)}  rss ${fmt(mOurs.rss)}  (core state: ${mOurs.keep[0].footprintBytes()} bytes native)`);
console.log(`  opossum 10                  heap ${fmt(mOpossum.heap)}  rss ${fmt(mOpossum.rss)}`);
console.log(`  cockatiel 4                 heap ${fmt(mCockatiel.heap)}  rss ${fmt(mCockatiel.rss)}`);
console.log(`  heap ratio stormguard/opossum ${(mOurs.heap / mOpossum.heap).toFixed(2)}, stormguard/cockatiel ${(mCockatiel.heap > 0 ? mOurs.heap / mCockatiel.heap : NaN).toFixed(2)}`);
console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const b of mOurs.keep) b.close();
for (const b of mOpossum.keep) b.shutdown();
