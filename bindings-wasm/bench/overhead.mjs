// Per-request overhead of createFetch against bare fetch, in headless
// Chromium on a local endpoint, measured side by side in one run
// (interleaved rounds, so both see the same machine state).
import { startServer } from '../test/support/server.mjs';
import { launch } from '../test/support/chromium.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PER_ROUND = Number(process.env.PER_ROUND ?? 300);

const server = await startServer();
const browser = await launch();
try {
  const { page } = browser;
  await page.goto(`${server.url}/test/browser/page.html`);
  await page.waitForFunction(() => window.ready === true);
  const result = await page.evaluate(async ({ rounds, perRound }) => {
    const wrapped = sg.createFetch();
    const bare = (u) => fetch(u);
    const one = async (f) => { const r = await f('/api/fast'); await r.text(); };
    const timeRound = async (f) => {
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await one(f);
      return (performance.now() - t0) / perRound;
    };
    for (let i = 0; i < 100; i++) { await one(bare); await one(wrapped); }
    const samples = { bare: [], wrapped: [] };
    for (let r = 0; r < rounds; r++) {
      samples.bare.push(await timeRound(bare));
      samples.wrapped.push(await timeRound(wrapped));
    }
    // Decision cost alone: the wrapper around a fetch that resolves at once.
    const instant = sg.createFetch({ fetch: async () => new Response('ok') });
    const direct = async () => new Response('ok');
    const decision = { bare: [], wrapped: [] };
    for (let r = 0; r < rounds; r++) {
      decision.bare.push(await timeRound(direct));
      decision.wrapped.push(await timeRound(instant));
    }
    return { samples, decision, ua: navigator.userAgent };
  }, { rounds: ROUNDS, perRound: PER_ROUND });
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;
  const b = median(result.samples.bare);
  const w = median(result.samples.wrapped);
  const db = median(result.decision.bare);
  const dw = median(result.decision.wrapped);
  console.log(`browser: ${result.ua}`);
  console.log(`rounds: ${ROUNDS} × ${PER_ROUND} sequential requests each, interleaved; medians of round means`);
  console.log('| workload | bare | createFetch | overhead | ratio |');
  console.log('|---|---|---|---|---|');
  console.log(`| GET 127.0.0.1 /api/fast (200) | ${us(b)} | ${us(w)} | ${us(w - b)} | ${(w / b).toFixed(2)}× |`);
  console.log(`| in-memory fetch (decision cost only) | ${us(db)} | ${us(dw)} | ${us(dw - db)} | ${(dw / db).toFixed(1)}× |`);
} finally {
  await browser.close();
  await server.close();
}
