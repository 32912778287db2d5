// tests/vectors/backoff*.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { call } from '../../js/errors.js';
import { tableValues } from '../../js/options.js';
import { load, strict, assertMs, assertConfigError } from '../support/vectors.mjs';

function build(c) {
  if (c.preset) return call(() => core.CoreBackoff.fromPreset(c.preset.name, c.preset.args ?? []));
  return call(() => new core.CoreBackoff('', tableValues('backoff', c.options, '')));
}

for (const file of ['backoff.json', 'backoff_presets.json']) {
  for (const c of load(file, 'backoff')) {
    test(`${file}: ${c.name}`, () => {
      strict(c, ['name', 'options', 'preset', 'steps', 'expectError'], c.name);
      if (c.expectError) {
        strict(c.expectError, ['field'], c.name);
        assertConfigError(() => build(c), c.expectError.field, c.name);
        return;
      }
      const backoff = build(c);
      try {
        for (const [i, step] of c.steps.entries()) {
          const where = `${c.name} step ${i}`;
          switch (step.op) {
            case 'next': {
              strict(step, ['op', 'attempt', 'u', 'delayMs'], where);
              const d = backoff.next(step.attempt, step.u);
              if (step.delayMs === null) assert.equal(d, -1, where);
              else assertMs(d, step.delayMs, where);
              break;
            }
            case 'delay':
              strict(step, ['op', 'attempt', 'u', 'delayMs'], where);
              assertMs(backoff.delay(step.attempt, step.u), step.delayMs, where);
              break;
            case 'reset':
              strict(step, ['op'], where);
              backoff.reset();
              break;
            case 'maxDelay':
              strict(step, ['op', 'delayMs'], where);
              assertMs(backoff.maxDelayMs(), step.delayMs, where);
              break;
            default:
              assert.fail(`${where}: unknown op ${step.op}`);
          }
        }
      } finally {
        backoff.free();
      }
    });
  }
}
