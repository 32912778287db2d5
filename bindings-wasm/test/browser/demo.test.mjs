// The demo page renders, fires requests at the flaky endpoint and shows their
// attempts, delays and the breaker state; a screenshot is saved for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { startServer } from '../support/server.mjs';
import { launch } from '../support/chromium.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the demo page shows attempts, delays and the breaker state, and is captured', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/examples/index.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.click('#ten');
  await page.waitForFunction(() => Number(document.body.dataset.done ?? 0) >= 10, null, { timeout: 20000 });
  const rows = await page.$$eval('#rows tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 10);
  for (const row of rows) {
    assert.equal(row[1], 'done');
    assert.ok(Number(row[2]) >= 1, `attempts ${row[2]}`);
  }
  assert.ok(rows.some((row) => row[3] !== '–'), 'no request was retried');
  const badge = await page.textContent('#breaker');
  assert.ok(['closed', 'open', 'halfOpen'].includes(badge), badge);
  const dir = new URL('../../test-results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL('demo.png', dir).pathname, fullPage: true });
  const unexpected = browser.errors.filter((e) => !e.startsWith('Failed to load resource: '));
  assert.deepEqual(unexpected, []);
});
