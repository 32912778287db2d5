// tests/vectors/policy.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { createPolicy, NO_BUDGET, NO_BREAKERS } from '../../js/policy.js';
import { coreBudget } from '../../js/budget.js';
import { breakerArgs, registryValues } from '../../js/breaker.js';
import { RETRY_KINDS } from '../../js/budget.js';
import { call } from '../../js/errors.js';
import { load, strict, assertMs, assertConfigError } from '../support/vectors.mjs';

const KEY = 'vector';

for (const c of load('policy.json', 'policy')) {
  test(`policy: ${c.name}`, () => {
    strict(c, ['name', 'description', 'policy', 'budget', 'breaker', 'ops', 'expectError'], c.name);
    strict(c.policy, ['maxAttempts', 'deadlineMs', 'backoff', 'retryAfter', 'adaptive'], c.name);
    if (c.expectError) {
      strict(c.expectError, ['field'], c.name);
      // The core names nested fields without their struct; this binding
      // prefixes them (`backoff.baseMs`), so compare the last segment.
      let thrown;
      try { createPolicy(c.policy, (x) => x); } catch (e) { thrown = e; }
      assert.ok(thrown, `${c.name}: no error`);
      assert.equal(thrown.code, 'ERR_INVALID_CONFIG');
      assert.equal(thrown.option.split('.').at(-1), c.expectError.field, thrown.message);
      return;
    }
    const policy = createPolicy(c.policy, (x) => x);
    const budget = c.budget ? coreBudget(c.budget, 'budget') : NO_BUDGET;
    let breakers = NO_BREAKERS;
    if (c.breaker) {
      const { preset, values, openBackoff } = breakerArgs(c.breaker, 'breaker');
      breakers = call(() => new core.CoreBreakerRegistry('breaker', preset, values, openBackoff, registryValues(1)));
    }
    let exec;
    for (const [i, op] of c.ops.entries()) {
      const where = `${c.name} op ${i} (${op.op})`;
      switch (op.op) {
        case 'start':
          strict(op, ['op', 'atMs'], where);
          exec?.free();
          exec = policy.start(op.atMs, budget);
          break;
        case 'success':
          strict(op, ['op', 'atMs'], where);
          policy.onSuccess(exec, op.atMs, budget);
          break;
        case 'failure': {
          strict(op, ['op', 'atMs', 'u', 'class', 'retryAfterMs', 'kind', 'expect'], where);
          const d = call(() => policy.onFailure(exec, op.atMs, op.class ?? 'retriable', RETRY_KINDS.indexOf(op.kind ?? 'other'),
            op.retryAfterMs ?? NaN, op.u, budget, breakers, KEY));
          if ('retryMs' in op.expect) {
            strict(op.expect, ['retryMs', 'attempt'], where);
            assert.ok(d >= 0, `${where}: gave up (${exec.giveUp})`);
            assertMs(d, op.expect.retryMs, where);
            if ('attempt' in op.expect) assert.equal(exec.attempts, op.expect.attempt, where);
          } else {
            strict(op.expect, ['giveUp', 'retryAfterMs'], where);
            assert.equal(d, -1, `${where}: retried after ${d}`);
            assert.equal(exec.giveUp, op.expect.giveUp, where);
            if ('retryAfterMs' in op.expect) assertMs(exec.giveUpMs, op.expect.retryAfterMs, where);
          }
          break;
        }
        case 'breakerFailures':
          strict(op, ['op', 'atMs', 'count'], where);
          for (let k = 0; k < op.count; k++) {
            const [admitted, generation, id] = breakers.tryAcquire(KEY, op.atMs);
            assert.ok(admitted, `${where}: breaker rejected call ${k}`);
            assert.equal(breakers.record(KEY, op.atMs, generation, id, 1, NaN), 0, where);
          }
          break;
        case 'attemptLimit':
          strict(op, ['op', 'atMs', 'expect'], where);
          assert.equal(policy.attemptLimit(op.atMs), op.expect, where);
          break;
        default:
          assert.fail(`${where}: unknown op`);
      }
    }
    exec?.free();
    policy.free();
  });
}
