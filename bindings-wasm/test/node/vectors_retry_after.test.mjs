// tests/vectors/retry_after.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { call } from '../../js/errors.js';
import { tableValues } from '../../js/options.js';
import { load, strict, assertMs, assertConfigError } from '../support/vectors.mjs';

const policy = (options) => call(() => new core.CoreRetryAfter('', tableValues('retryAfter', options ?? {}, '')));

for (const c of load('retry_after.json', 'retry_after')) {
  test(`retry_after: ${c.name}`, () => {
    if (c.op === 'invalidOptions') {
      strict(c, ['op', 'name', 'options', 'errorField'], c.name);
      assertConfigError(() => policy(c.options), c.errorField, c.name);
      return;
    }
    assert.equal(c.op, 'hint', `unknown op ${c.op}`);
    strict(c, ['op', 'name', 'header', 'value', 'nowUnixMs', 'backoffMs', 'options', 'hintMs', 'ignored', 'delayMs', 'giveUpRequestedMs'], c.name);
    const hint = core.CoreRetryAfter.parseMs(c.header, c.value, c.nowUnixMs);
    if ('ignored' in c) {
      assert.ok(Number.isNaN(hint), `${c.name}: expected ignored, got ${hint}`);
      assert.equal(core.CoreRetryAfter.ignoredReason(c.header, c.value, c.nowUnixMs), c.ignored, c.name);
    } else {
      assertMs(hint, c.hintMs, c.name);
      assert.equal(core.CoreRetryAfter.ignoredReason(c.header, c.value, c.nowUnixMs), '', c.name);
    }
    const p = policy(c.options);
    const decided = p.decide(c.backoffMs, hint);
    p.free();
    if ('giveUpRequestedMs' in c) {
      assert.ok(decided < 0, `${c.name}: expected give up, got ${decided}`);
      assertMs(-decided, c.giveUpRequestedMs, c.name);
    } else {
      assertMs(decided, c.delayMs, c.name);
    }
  });
}
