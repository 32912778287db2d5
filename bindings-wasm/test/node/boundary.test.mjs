// The module boundary: arrays and strings of any length cross through the
// module's input buffers (the exports take only lengths), with the same
// answers as short ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFetch, CircuitBreaker } from '../../js/index.js';
import { core } from '../support/core.mjs';

test('long lists cross whole: 2000 statuses, 2000 methods', () => {
  assert.equal(typeof createFetch({ retryOnStatus: Array(2000).fill(503) }), 'function');
  const methods = Array.from({ length: 2000 }, (_, i) => `M${i}`);
  assert.equal(typeof createFetch({ retryMethods: methods }), 'function');
  assert.throws(() => createFetch({ retryOnStatus: [...Array(1500).fill(503), 200] }), { code: 'ERR_INVALID_CONFIG' });
});

test('long strings get the answer a short unknown value gets', () => {
  assert.throws(() => new CircuitBreaker({ preset: 'x'.repeat(100_000) }), { code: 'ERR_INVALID_CONFIG', message: /preset/ });
  assert.throws(() => createFetch({ retryMethods: ['GET', 'G E T'.repeat(20_000)] }), { code: 'ERR_INVALID_CONFIG', message: /retryMethods/ });
  const padded = `120${' '.repeat(50_000)}`;
  const lines = (first) => [first, ...core.hintNames().split(',').slice(1).map(() => '')].join('\n');
  assert.equal(core.hintMs(lines(padded), 0), core.hintMs(lines('120'), 0));
  assert.equal(core.hintMs(lines('120'), 0), 120_000);
  assert.ok(Number.isNaN(core.hintMs(lines('9'.repeat(30_000) + 'x'), 0)));
});

test('non-ASCII text crosses as UTF-8', () => {
  assert.throws(() => new CircuitBreaker({ preset: 'pølly' }), { code: 'ERR_INVALID_CONFIG', message: /preset/ });
  assert.throws(() => createFetch({ retryMethods: ['GÉT'] }), { code: 'ERR_INVALID_CONFIG', message: /retryMethods/ });
});
