// tests/vectors/breaker*.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { call } from '../../js/errors.js';
import { breakerArgs, OUTCOMES, RECORDED } from '../../js/breaker.js';
import { load, strict, assertMs } from '../support/vectors.mjs';

const METRIC_NAMES = core.breakerMetricNames().split(',');
const STATES = ['closed', 'open', 'halfOpen', 'forcedOpen', 'disabled', 'metricsOnly'];

function metrics(breaker, atMs) {
  const numbers = breaker.metrics(atMs);
  const out = { state: breaker.state() };
  METRIC_NAMES.forEach((name, i) => { out[name] = Number.isNaN(numbers[i]) ? null : numbers[i]; });
  out.timeInStateMs = Object.fromEntries(STATES.map((s, i) => [s, numbers[METRIC_NAMES.length + i]]));
  return out;
}

/** Records an outcome by name for the permit `[generation, id]`; returns what the core did. */
function record(breaker, atMs, [generation, id], outcome, durationMs) {
  const index = OUTCOMES.indexOf(outcome);
  return RECORDED[breaker.record(atMs, generation, id, index < 0 ? 2 : index, durationMs ?? NaN)];
}

function check(breaker, op, where, acquires) {
  switch (op.op) {
    case 'acquire': {
      strict(op, ['op', 'atMs', 'expect', 'retryAfterMs'], where);
      const [admitted, generationOrRetryMs, id] = breaker.tryAcquire(op.atMs);
      assert.equal(admitted ? 'admitted' : 'rejected', op.expect, where);
      acquires.push(admitted ? [generationOrRetryMs, id] : undefined);
      if (!admitted && 'retryAfterMs' in op) {
        const after = generationOrRetryMs;
        if (op.retryAfterMs === null) assert.ok(Number.isNaN(after), `${where}: ${after}`);
        else assertMs(after, op.retryAfterMs, where);
      }
      break;
    }
    case 'record': {
      strict(op, ['op', 'atMs', 'acquire', 'outcome', 'durationMs', 'expect'], where);
      const permit = acquires[op.acquire];
      assert.ok(permit, `${where}: acquire ${op.acquire} was not admitted`);
      assert.equal(record(breaker, op.atMs, permit, op.outcome, op.durationMs), op.expect, where);
      break;
    }
    case 'calls': {
      strict(op, ['op', 'atMs', 'count', 'outcome', 'durationMs'], where);
      for (let i = 0; i < op.count; i++) {
        const [admitted, generation, id] = breaker.tryAcquire(op.atMs);
        assert.ok(admitted, `${where}: call ${i} rejected`);
        assert.equal(record(breaker, op.atMs, [generation, id], op.outcome, op.durationMs),
          op.outcome === 'ignored' ? 'released' : 'counted', `${where}: call ${i}`);
      }
      break;
    }
    case 'tick':
      strict(op, ['op', 'atMs'], where);
      breaker.tick(op.atMs);
      break;
    case 'tripFor':
      strict(op, ['op', 'atMs', 'durationMs'], where);
      breaker.tripFor(op.atMs, op.durationMs);
      break;
    case 'forceOpen': case 'disable': case 'metricsOnly': case 'reset':
      strict(op, ['op', 'atMs'], where);
      breaker.control(op.atMs, ['forceOpen', 'disable', 'metricsOnly', 'reset'].indexOf(op.op));
      break;
    case 'state':
      strict(op, ['op', 'expect'], where);
      assert.equal(breaker.state(), op.expect, where);
      break;
    case 'transitions': {
      strict(op, ['op', 'expect'], where);
      const got = [];
      for (let t = breaker.pollTransition(); t; t = breaker.pollTransition()) {
        const [from, to, reason] = t.split(' ');
        got.push({ from, to, reason, atMs: breaker.transitionAtMs() });
      }
      assert.equal(got.length, op.expect.length, `${where}: ${JSON.stringify(got)}`);
      op.expect.forEach((e, i) => {
        strict(e, ['from', 'to', 'reason', 'atMs'], where);
        assert.deepEqual({ ...got[i], atMs: 0 }, { ...e, atMs: 0 }, where);
        assertMs(got[i].atMs, e.atMs, where);
      });
      break;
    }
    case 'pollTimeout': {
      strict(op, ['op', 'expectMs'], where);
      const at = breaker.pollTimeoutMs();
      if (op.expectMs === null) assert.ok(Number.isNaN(at), `${where}: ${at}`);
      else assertMs(at, op.expectMs, where);
      break;
    }
    case 'metrics': {
      strict(op, ['op', 'atMs', 'expect'], where);
      const m = metrics(breaker, op.atMs);
      for (const [key, value] of Object.entries(op.expect)) {
        assert.ok(key in m, `${where}: unknown metric ${key}`);
        if (key === 'timeInStateMs') {
          for (const [state, ms] of Object.entries(value)) assertMs(m.timeInStateMs[state], ms, `${where} ${state}`);
        } else if (key === 'failureRate' || key === 'slowCallRate') {
          if (value === null) assert.equal(m[key], null, `${where} ${key}`);
          else assert.ok(Math.abs(m[key] - value) <= 1e-9, `${where} ${key}: ${m[key]} vs ${value}`);
        } else {
          assert.equal(m[key], value, `${where} ${key}`);
        }
      }
      break;
    }
    case 'admission': {
      strict(op, ['op', 'atMs', 'expect'], where);
      const [until, generation] = breaker.admission(op.atMs);
      if (op.expect === null) {
        assert.equal(until, -2, where);
        break;
      }
      strict(op.expect, ['generation', 'batch', 'batchUntilMs'], where);
      assert.notEqual(until, -2, where);
      assert.equal(generation, op.expect.generation, where);
      assert.equal(until !== -1, op.expect.batch, where);
      if (op.expect.batch) {
        if ((op.expect.batchUntilMs ?? null) === null) assert.equal(until, Infinity, where);
        else assertMs(until, op.expect.batchUntilMs, where);
      }
      break;
    }
    case 'recordAdmitted': {
      strict(op, ['op', 'atMs', 'generation', 'outcome', 'durationMs', 'expect'], where);
      const code = breaker.recordAdmitted(op.atMs, op.generation, OUTCOMES.indexOf(op.outcome), op.durationMs ?? NaN);
      assert.equal(RECORDED[code], op.expect, where);
      break;
    }
    case 'recordSuccesses': {
      strict(op, ['op', 'atMs', 'generation', 'count', 'expect'], where);
      assert.equal(RECORDED[breaker.recordSuccesses(op.atMs, op.generation, op.count)], op.expect, where);
      break;
    }
    case 'setOpenDraw':
      strict(op, ['op', 'u'], where);
      breaker.setOpenDraw(op.u);
      break;
    default:
      assert.fail(`${where}: unknown op ${op.op}`);
  }
}

for (const file of ['breaker.json', 'breaker_peer_bugs.json', 'breaker_presets.json']) {
  for (const c of load(file, 'breaker')) {
    test(`${file}: ${c.name}`, () => {
      strict(c, ['name', 'description', 'preset', 'options', 'ops'], c.name);
      const { preset, values, openBackoff } = breakerArgs({ ...(c.options ?? {}), ...(c.preset ? { preset: c.preset } : {}) }, '');
      const breaker = call(() => new core.CoreBreaker('', preset, values, openBackoff));
      const acquires = [];
      for (const [i, op] of c.ops.entries()) {
        const where = `${c.name} op ${i} (${op.op})`;
        if (op.op === 'restore') {
          strict(op, ['op'], where);
          const json = breaker.snapshotJson();
          assert.ok(json.length > 0, where);
          assert.ok(breaker.restoreJson(preset, values, openBackoff, json), `${where}: restore refused`);
          assert.equal(breaker.snapshotJson(), json, `${where}: restored breaker differs`);
          continue;
        }
        check(breaker, op, where, acquires);
      }
      breaker.free();
    });
  }
}
