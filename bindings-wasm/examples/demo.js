// The demo: one createFetch instance (shared budget, per-origin breaker)
// firing at the flaky endpoint, with attempts, delays and breaker state live.
import { createFetch, RetryBudget } from '../js/index.js';

const $ = (id) => document.getElementById(id);
const budget = new RetryBudget({ type: 'ratio', minRetriesPerSecond: 2, ttlMs: 10000, retryPercent: 20 });
const rows = new Map();
let next = 1;

const log = (text) => {
  const line = document.createElement('div');
  line.textContent = `${(performance.now() / 1000).toFixed(2)} s  ${text}`;
  $('log').prepend(line);
};

const f = createFetch({
  maxAttempts: 4,
  backoff: { baseMs: 100, maxMs: 2000 },
  budget,
  breaker: { windowType: 'count', windowSize: 10, minimumCalls: 5, failureRateThreshold: 60, openDurationMs: 3000, halfOpenPermits: 2 },
  onRetry: (e) => {
    const row = rows.get(e.url.split('#')[1]);
    if (row) {
      row.delays.push(Math.round(e.delayMs));
      update(row, 'waiting', `retry ${e.attempt} in ${Math.round(e.delayMs)} ms`);
    }
  },
  onStateChange: (e) => {
    $('breaker').textContent = e.to;
    $('breaker').className = `badge ${e.to}`;
    log(`breaker ${e.from} → ${e.to} (${e.reason})`);
  },
});

function update(row, state, result, why = '') {
  row.el.innerHTML = '';
  const cells = [row.id, state, row.attempts ?? '…', row.delays.join(', ') || '–', result, why];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = String(text);
    row.el.append(td);
  }
  row.el.className = state === 'done' ? (result.startsWith('200') ? 'ok' : 'fail') : 'wait';
  $('budget').textContent = `${budget.balance()} retries`;
}

async function fire() {
  const id = String(next++);
  const el = document.createElement('tr');
  $('rows').prepend(el);
  const row = { id, el, delays: [], attempts: undefined };
  rows.set(id, row);
  update(row, 'sending', '…');
  try {
    const res = await f(`/api/flaky#${id}`);
    row.attempts = res.stormguard.attempts;
    update(row, 'done', `${res.status} ${res.statusText}`, res.stormguard.reason);
  } catch (err) {
    row.attempts = err.attempts ?? '–';
    update(row, 'done', err.name, err.reason ?? err.message);
  }
  const seen = await (await fetch('/control/count?path=/api/flaky')).json();
  $('seen').textContent = String(seen.count);
  document.body.dataset.done = String(Number(document.body.dataset.done ?? 0) + 1);
}

$('one').onclick = () => { fire(); };
$('ten').onclick = () => { for (let i = 0; i < 10; i++) fire(); };
$('rate').oninput = async () => {
  $('rateValue').textContent = `${$('rate').value} %`;
  await fetch('/control/flaky', { method: 'POST', body: JSON.stringify({ failRate: $('rate').value / 100 }) });
};
$('budget').textContent = `${budget.balance()} retries`;
document.body.dataset.ready = 'true';
