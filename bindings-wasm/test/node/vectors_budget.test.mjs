// tests/vectors/budget.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreBudget, RETRY_KINDS } from '../../js/budget.js';
import { load, strict, assertConfigError } from '../support/vectors.mjs';

for (const c of load('budget.json', 'budget')) {
  test(`budget: ${c.name}`, () => {
    strict(c, ['name', 'budget', 'ops', 'expectError'], c.name);
    if (c.expectError) {
      strict(c.expectError, ['field'], c.name);
      assertConfigError(() => coreBudget(c.budget, ''), c.expectError.field, c.name);
      return;
    }
    const budget = coreBudget(c.budget, '');
    let lastPermit;
    for (const [i, op] of c.ops.entries()) {
      const where = `${c.name} op ${i} (${op.op})`;
      const count = op.count ?? 1;
      switch (op.op) {
        case 'deposit':
          strict(op, ['op', 'atMs', 'count'], where);
          for (let k = 0; k < count; k++) budget.onRequest(op.atMs);
          break;
        case 'tryWithdraw':
          strict(op, ['op', 'atMs', 'kind', 'count', 'expect'], where);
          for (let k = 0; k < count; k++) {
            const permit = budget.tryRetry(op.atMs, RETRY_KINDS.indexOf(op.kind ?? 'other'));
            assert.equal(permit !== undefined, op.expect, `${where} #${k}`);
            if (permit) lastPermit = permit;
          }
          break;
        case 'success':
          strict(op, ['op', 'atMs', 'afterRetry'], where);
          if (op.afterRetry) {
            assert.ok(lastPermit, `${where}: no permit to hand back`);
            budget.onSuccess(op.atMs, lastPermit);
            lastPermit = undefined;
          } else {
            budget.onSuccess(op.atMs, undefined);
          }
          break;
        case 'failure':
          strict(op, ['op', 'atMs', 'count'], where);
          for (let k = 0; k < count; k++) budget.onFailure(op.atMs);
          break;
        case 'balance':
          strict(op, ['op', 'atMs', 'expect'], where);
          assert.equal(budget.balance(op.atMs), op.expect, where);
          break;
        case 'metrics': {
          strict(op, ['op', 'atMs', 'expect'], where);
          const [deposits, withdrawals, rejections, balance] = budget.metrics(op.atMs);
          assert.deepEqual({ deposits, withdrawals, rejections, balance }, op.expect, where);
          break;
        }
        default:
          assert.fail(`${where}: unknown op`);
      }
    }
    budget.free();
  });
}
