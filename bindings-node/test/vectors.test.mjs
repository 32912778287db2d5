// The shared vectors (tests/vectors/*.json) through the public API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Backoff,
  Bulkhead,
  RetryPolicy,
  CircuitBreaker,
  breakerPresetOptions,
  HttpClassifier,
  RetryAfterPolicy,
  RetryBudget,
  SeededRng,
  classifyErrno,
  classifyRedisError,
  classifySqlstate,
  parseHint,
  presetOptions,
} from '../index.mjs';
import native from '../lib/native.js';
import internal from '../lib/internal.js';
import { assertConfigError, assertMs, onlyKeys, vectorFiles, virtualClock } from '../test-support/vectors.mjs';

/** Kinds this binding runs, and kinds it does not expose (yet), with why. */
const RUNNERS = { rng, backoff, classify, retry_after: retryAfter, budget, bulkhead, breaker, registry, policy };
const NOT_EXPOSED = {};

const files = vectorFiles();

test('every vector file has a known kind', () => {
  for (const { file, kind } of files) {
    assert.ok(kind in RUNNERS || kind in NOT_EXPOSED, `${file}: unknown kind ${kind}`);
  }
});

for (const { file, kind, cases } of files) {
  if (!(kind in RUNNERS)) continue;
  test(`vectors ${file} (${kind})`, () => {
    assert.ok(cases.length > 0);
    for (const c of cases) RUNNERS[kind](c, `${file} / ${c.name}`);
  });
}

function rng(c, ctx) {
  onlyKeys(c, ['name', 'seed', 'words', 'units'], ctx);
  const r = new SeededRng(c.seed);
  for (const word of c.words) assert.equal(r.nextU64().toString(), word, ctx);
  for (const unit of c.units) assert.equal(r.nextUnit(), unit, ctx);
}

function backoff(c, ctx) {
  onlyKeys(c, ['name', 'options', 'preset', 'steps', 'expectError'], ctx);
  assert.ok((c.options === undefined) !== (c.preset === undefined), `${ctx}: options xor preset`);
  const build = () => {
    if (c.options !== undefined) return new Backoff(c.options);
    onlyKeys(c.preset, ['name', 'args'], ctx);
    return new Backoff(presetOptions(c.preset.name, ...c.preset.args));
  };
  if (c.expectError) {
    onlyKeys(c.expectError, ['field'], ctx);
    assertConfigError(build, c.expectError.field, ctx);
    assert.equal(c.steps, undefined, `${ctx}: steps after an error`);
    return;
  }
  const b = build();
  assert.ok(c.steps.length > 0, ctx);
  c.steps.forEach((step, i) => {
    const at = `${ctx} step ${i}`;
    switch (step.op) {
      case 'next': {
        onlyKeys(step, ['op', 'attempt', 'u', 'delayMs'], at);
        const actual = b.nextDelayMs(step.attempt, step.u);
        if (step.delayMs === null) assert.equal(actual, null, at);
        else assertMs(actual, step.delayMs, at);
        break;
      }
      case 'delay':
        onlyKeys(step, ['op', 'attempt', 'u', 'delayMs'], at);
        assertMs(b.delayMs(step.attempt, step.u), step.delayMs, at);
        break;
      case 'reset':
        onlyKeys(step, ['op'], at);
        b.reset();
        break;
      case 'maxDelay':
        onlyKeys(step, ['op', 'delayMs'], at);
        assertMs(b.maxDelayMs, step.delayMs, at);
        break;
      default:
        assert.fail(`${at}: unknown op ${step.op}`);
    }
  });
}

function classify(c, ctx) {
  const expectClass = (actual) => {
    assert.equal(actual.class, c.class, ctx);
    assert.equal(actual.reason, c.reason, ctx);
  };
  switch (c.op) {
    case 'redis':
      onlyKeys(c, ['op', 'name', 'message', 'class', 'reason'], ctx);
      expectClass(classifyRedisError(c.message));
      expectClass(classifyRedisError(new Error(c.message)));
      break;
    case 'errno':
      onlyKeys(c, ['op', 'name', 'code', 'class', 'reason'], ctx);
      expectClass(classifyErrno(c.code));
      break;
    case 'sqlstate':
      onlyKeys(c, ['op', 'name', 'code', 'class', 'reason'], ctx);
      expectClass(classifySqlstate(c.code));
      break;
    case 'http':
      onlyKeys(c, ['op', 'name', 'status', 'method', 'idempotencyKey', 'reachedServer', 'options', 'class', 'reason'], ctx);
      expectClass(
        new HttpClassifier(c.options).classify({
          status: c.status,
          method: c.method,
          idempotencyKey: c.idempotencyKey,
          reachedServer: c.reachedServer,
        }),
      );
      break;
    case 'invalidHttpOptions':
      onlyKeys(c, ['op', 'name', 'options', 'errorField'], ctx);
      assertConfigError(() => new HttpClassifier(c.options), c.errorField, ctx);
      break;
    default:
      assert.fail(`${ctx}: unknown op ${c.op}`);
  }
}

function retryAfter(c, ctx) {
  switch (c.op) {
    case 'hint': {
      onlyKeys(c, ['op', 'name', 'header', 'value', 'nowUnixMs', 'backoffMs', 'options', 'hintMs', 'ignored', 'delayMs', 'giveUpRequestedMs'], ctx);
      const parsed = parseHint(c.header, c.value, c.nowUnixMs);
      if (c.hintMs !== undefined) assertMs(parsed.hintMs, c.hintMs, `${ctx} hint`);
      else assert.deepEqual(parsed, { ignored: c.ignored }, ctx);
      const decision = new RetryAfterPolicy(c.options).decide(c.backoffMs, parsed.hintMs);
      if (c.delayMs !== undefined) assertMs(decision.delayMs, c.delayMs, `${ctx} delay`);
      else assertMs(decision.giveUpRequestedMs, c.giveUpRequestedMs, `${ctx} give up`);
      break;
    }
    case 'invalidOptions':
      onlyKeys(c, ['op', 'name', 'options', 'errorField'], ctx);
      assertConfigError(() => new RetryAfterPolicy(c.options), c.errorField, ctx);
      break;
    default:
      assert.fail(`${ctx}: unknown op ${c.op}`);
  }
}

function budget(c, ctx) {
  onlyKeys(c, ['name', 'budget', 'ops', 'expectError'], ctx);
  const clock = virtualClock();
  if (c.expectError) {
    onlyKeys(c.expectError, ['field'], ctx);
    assertConfigError(() => new RetryBudget({ ...c.budget, clock }), c.expectError.field, ctx);
    return;
  }
  const b = new RetryBudget({ ...c.budget, clock });
  let lastPermit = null;
  c.ops.forEach((op, i) => {
    const at = `${ctx} op ${i} (${op.op})`;
    clock.set(op.atMs);
    const times = op.count ?? 1;
    switch (op.op) {
      case 'deposit':
        onlyKeys(op, ['op', 'atMs', 'count'], at);
        for (let k = 0; k < times; k++) b.onRequest();
        break;
      case 'tryWithdraw':
        onlyKeys(op, ['op', 'atMs', 'kind', 'count', 'expect'], at);
        for (let k = 0; k < times; k++) {
          const permit = b.tryRetry(op.kind);
          assert.equal(permit !== null, op.expect, `${at} #${k}`);
          if (permit) lastPermit = permit;
        }
        break;
      case 'success':
        onlyKeys(op, ['op', 'atMs', 'afterRetry'], at);
        if (op.afterRetry) {
          b.onSuccess(lastPermit);
          lastPermit = null;
        } else b.onSuccess();
        break;
      case 'failure':
        onlyKeys(op, ['op', 'atMs', 'count'], at);
        for (let k = 0; k < times; k++) b.onFailure();
        break;
      case 'balance':
        onlyKeys(op, ['op', 'atMs', 'expect'], at);
        assert.equal(b.balance(), op.expect, at);
        break;
      case 'metrics':
        onlyKeys(op, ['op', 'atMs', 'expect'], at);
        assert.deepEqual(b.metrics(), op.expect, at);
        break;
      default:
        assert.fail(`${at}: unknown op`);
    }
  });
}

function bulkhead(c, ctx) {
  onlyKeys(c, ['name', 'options', 'ops', 'expectError'], ctx);
  const clock = virtualClock();
  if (c.expectError) {
    onlyKeys(c.expectError, ['field'], ctx);
    assertConfigError(() => new Bulkhead({ ...c.options, clock }), c.expectError.field, ctx);
    return;
  }
  const b = new Bulkhead({ ...c.options, clock });
  const ids = new Map(); // label → id
  const labels = new Map(); // ticket id → label
  const idOf = (label, at) => {
    assert.ok(ids.has(label), `${at}: unknown label ${label}`);
    return ids.get(label);
  };
  const labelOf = (ticket) => (ticket === null ? null : labels.get(ticket) ?? `#${ticket}`);
  const expectError = (fn, code, at) => assert.throws(fn, (e) => e.code === code, at);
  c.ops.forEach((op, i) => {
    const at = `${ctx} op ${i} (${op.op})`;
    if (op.nowMs !== undefined) clock.set(op.nowMs);
    switch (op.op) {
      case 'enter': {
        onlyKeys(op, ['op', 'nowMs', 'expect', 'as', 'reason'], at);
        const a = b.tryEnter();
        assert.equal(a.outcome, op.expect, at);
        if (a.outcome === 'rejected') assert.equal(a.reason, op.reason, at);
        else {
          ids.set(op.as, a.id);
          if (a.outcome === 'queued') labels.set(a.id, op.as);
        }
        break;
      }
      case 'release':
        onlyKeys(op, ['op', 'nowMs', 'permit', 'expectHandedTo', 'expectError'], at);
        if (op.expectError) expectError(() => b.release(idOf(op.permit, at)), op.expectError, at);
        else assert.equal(labelOf(b.release(idOf(op.permit, at))), op.expectHandedTo ?? null, at);
        break;
      case 'claim':
        onlyKeys(op, ['op', 'ticket', 'as', 'expectError'], at);
        if (op.expectError) expectError(() => b.claim(idOf(op.ticket, at)), op.expectError, at);
        else ids.set(op.as, b.claim(idOf(op.ticket, at)));
        break;
      case 'cancel':
        onlyKeys(op, ['op', 'nowMs', 'ticket', 'expectHandedTo', 'expectError'], at);
        if (op.expectError) expectError(() => b.cancel(idOf(op.ticket, at)), op.expectError, at);
        else assert.equal(labelOf(b.cancel(idOf(op.ticket, at))), op.expectHandedTo ?? null, at);
        break;
      case 'pollTimeout': {
        onlyKeys(op, ['op', 'expectMs'], at);
        const actual = b.pollTimeoutMs();
        if (op.expectMs === null) assert.equal(actual, null, at);
        else assertMs(actual, op.expectMs, at);
        break;
      }
      case 'handleTimeout':
        onlyKeys(op, ['op', 'nowMs', 'expectTicket'], at);
        assert.equal(labelOf(b.handleTimeout()), op.expectTicket ?? null, at);
        break;
      case 'position':
        onlyKeys(op, ['op', 'ticket', 'expect'], at);
        assert.equal(b.position(idOf(op.ticket, at)), op.expect ?? null, at);
        break;
      case 'metrics':
        onlyKeys(op, ['op', 'expect'], at);
        assert.deepEqual(b.metrics(), op.expect, at);
        break;
      default:
        assert.fail(`${at}: unknown op`);
    }
  });
}

/** The breaker's hot-path function (one per breaker object). */
const HOT = new WeakMap();
function hot(b) {
  if (!HOT.has(b)) HOT.set(b, b[internal.NATIVE].hotFn());
  return HOT.get(b);
}

function breaker(c, ctx) {
  onlyKeys(c, ['name', 'description', 'preset', 'options', 'ops'], ctx);
  const clock = virtualClock();
  const options = { ...(c.preset ? breakerPresetOptions(c.preset) : {}), ...(c.options ?? {}) };
  const seen = [];
  let draw = 0.5; // the core's draw until a host supplies one
  let b = new CircuitBreaker({ ...options, clock });
  b.on('stateChange', (t) => seen.push(t));
  b.setOpenDraw(draw);
  const permits = [];
  c.ops.forEach((op, i) => {
    const at = `${ctx} op ${i} (${op.op})`;
    if (op.atMs !== undefined) clock.set(op.atMs);
    switch (op.op) {
      case 'acquire': {
        onlyKeys(op, ['op', 'atMs', 'expect', 'retryAfterMs'], at);
        try {
          permits.push(b.tryAcquire());
          assert.equal('admitted', op.expect, at);
        } catch (error) {
          permits.push(null);
          assert.equal(error.code, 'ERR_BREAKER_OPEN', at);
          assert.equal('rejected', op.expect, at);
          if (op.retryAfterMs === null) assert.equal(error.retryAfterMs, null, at);
          else if (op.retryAfterMs !== undefined) assertMs(error.retryAfterMs, op.retryAfterMs, at);
        }
        break;
      }
      case 'record': {
        onlyKeys(op, ['op', 'atMs', 'acquire', 'outcome', 'durationMs', 'expect'], at);
        const permit = permits[op.acquire];
        assert.ok(permit, `${at}: acquire ${op.acquire} was not admitted`);
        let actual;
        try {
          actual = b.record(permit, op.outcome, op.durationMs);
        } catch (error) {
          actual = { ERR_PERMIT_REUSED: 'reused', ERR_PERMIT_UNKNOWN: 'unknown' }[error.code] ?? error.code;
        }
        assert.equal(actual, op.expect, at);
        break;
      }
      case 'calls':
        onlyKeys(op, ['op', 'atMs', 'count', 'outcome', 'durationMs'], at);
        for (let k = 0; k < op.count; k++) {
          const permit = b.tryAcquire();
          assert.equal(b.record(permit, op.outcome, op.durationMs), op.outcome === 'ignored' ? 'released' : 'counted', `${at} #${k}`);
        }
        break;
      case 'tick':
        onlyKeys(op, ['op', 'atMs'], at);
        void b.state;
        break;
      case 'tripFor':
        onlyKeys(op, ['op', 'atMs', 'durationMs'], at);
        b.tripFor(op.durationMs);
        break;
      case 'forceOpen':
      case 'disable':
      case 'metricsOnly':
      case 'reset':
        onlyKeys(op, ['op', 'atMs'], at);
        b[op.op]();
        break;
      case 'state':
        onlyKeys(op, ['op', 'expect'], at);
        assert.equal(b.state, op.expect, at);
        break;
      case 'transitions':
        onlyKeys(op, ['op', 'expect'], at);
        assert.equal(seen.length, op.expect.length, `${at}: ${JSON.stringify(seen)}`);
        op.expect.forEach((t, k) => {
          onlyKeys(t, ['from', 'to', 'reason', 'atMs'], at);
          assert.deepEqual([seen[k].from, seen[k].to, seen[k].reason], [t.from, t.to, t.reason], at);
          assertMs(seen[k].atMs, t.atMs, at);
        });
        seen.length = 0;
        break;
      case 'pollTimeout': {
        onlyKeys(op, ['op', 'expectMs'], at);
        const actual = b.pollTimeoutMs();
        if (op.expectMs === null) assert.equal(actual, null, at);
        else assertMs(actual, op.expectMs, at);
        break;
      }
      case 'metrics': {
        onlyKeys(op, ['op', 'atMs', 'expect'], at);
        const m = b.metrics();
        for (const [key, expected] of Object.entries(op.expect)) {
          if (key === 'timeInStateMs') {
            for (const [state, ms] of Object.entries(expected)) assertMs(m.timeInStateMs[state], ms, `${at} ${key}.${state}`);
          } else if (key === 'failureRate' || key === 'slowCallRate') {
            if (expected === null) assert.equal(m[key], null, `${at} ${key}`);
            else assert.ok(Math.abs(m[key] - expected) <= 1e-9, `${at} ${key}: ${m[key]} vs ${expected}`);
          } else assert.equal(m[key], expected, `${at} ${key}`);
        }
        break;
      }
      case 'admission': {
        // The calls execute() makes under the core's admission, through the
        // breaker's hot-path function; `b.state` then lets the class drain.
        onlyKeys(op, ['op', 'atMs', 'expect'], at);
        const until = hot(b)(op.atMs, 0);
        void b.state;
        if (op.expect === null) {
          assert.equal(until, -2, at);
          break;
        }
        onlyKeys(op.expect, ['generation', 'batch', 'batchUntilMs'], at);
        assert.notEqual(until, -2, at);
        assert.equal(b[internal.NATIVE].generation, op.expect.generation, at);
        assert.equal(until !== -1, op.expect.batch, at);
        if (op.expect.batch) {
          if ((op.expect.batchUntilMs ?? null) === null) assert.equal(until, Infinity, at);
          else assertMs(until, op.expect.batchUntilMs, at);
        }
        break;
      }
      case 'recordAdmitted': {
        onlyKeys(op, ['op', 'atMs', 'generation', 'outcome', 'durationMs', 'expect'], at);
        const outcome = ['success', 'failure', 'ignored'].indexOf(op.outcome);
        const packed = hot(b)(op.atMs, op.generation, -1 - outcome, op.durationMs ?? -1);
        void b.state;
        assert.equal(['counted', 'released', 'late'][(packed - (packed % 2)) / 2], op.expect, at);
        break;
      }
      case 'recordSuccesses': {
        onlyKeys(op, ['op', 'atMs', 'generation', 'count', 'expect'], at);
        const packed = hot(b)(op.atMs, op.generation, op.count);
        void b.state;
        assert.equal(['counted', 'released', 'late'][(packed - (packed % 2)) / 2], op.expect, at);
        break;
      }
      case 'setOpenDraw':
        onlyKeys(op, ['op', 'u'], at);
        draw = op.u;
        b.setOpenDraw(draw);
        break;
      case 'restore': {
        onlyKeys(op, ['op'], at);
        const state = JSON.parse(JSON.stringify(b.toJSON()));
        const restored = CircuitBreaker.restore(state, { clock });
        assert.deepEqual(restored.toJSON(), b.toJSON(), at);
        restored.on('stateChange', (t) => seen.push(t));
        restored.setOpenDraw(draw);
        b.close();
        b = restored;
        break;
      }
      default:
        assert.fail(`${at}: unknown op`);
    }
  });
  b.close();
}

// The generic registry is public only as BreakerRegistry; its vectors run
// against the addon's registry class, which BreakerRegistry uses.
function registry(c, ctx) {
  onlyKeys(c, ['name', 'options', 'ops', 'expectError'], ctx);
  const make = () => new native.NativeRegistry(JSON.stringify(c.options ?? {}));
  if (c.expectError) {
    onlyKeys(c.expectError, ['field'], ctx);
    assertConfigError(make, c.expectError.field, ctx);
    return;
  }
  const r = make();
  const entry = (e) => (e ? { key: e.key, value: e.value } : null);
  c.ops.forEach((op, i) => {
    const at = `${ctx} op ${i} (${op.op})`;
    const expectError = (fn) => assert.throws(fn, (e) => e.code === op.expectError, at);
    switch (op.op) {
      case 'getOrInsert':
        onlyKeys(op, ['op', 'key', 'value', 'parent', 'expectValue', 'expectEvicted', 'expectError'], at);
        if (op.expectError) expectError(() => r.getOrInsert(op.key, op.value, op.parent ?? undefined));
        else {
          const result = r.getOrInsert(op.key, op.value, op.parent ?? undefined);
          assert.equal(result.value, op.expectValue, at);
          assert.deepEqual(entry(result.evicted), op.expectEvicted ?? null, at);
        }
        break;
      case 'get':
        onlyKeys(op, ['op', 'key', 'expectValue'], at);
        assert.equal(r.get(op.key) ?? null, op.expectValue ?? null, at);
        break;
      case 'peek':
        onlyKeys(op, ['op', 'key', 'expectValue'], at);
        assert.equal(r.peek(op.key) ?? null, op.expectValue ?? null, at);
        break;
      case 'set':
        onlyKeys(op, ['op', 'key', 'value', 'expectFound'], at);
        assert.equal(r.set(op.key, op.value), op.expectFound, at);
        break;
      case 'remove':
        onlyKeys(op, ['op', 'key', 'expectValue', 'expectError'], at);
        if (op.expectError) expectError(() => r.remove(op.key));
        else assert.equal(r.remove(op.key) ?? null, op.expectValue ?? null, at);
        break;
      case 'popLru':
        onlyKeys(op, ['op', 'expectEvicted'], at);
        assert.deepEqual(entry(r.popLru()), op.expectEvicted ?? null, at);
        break;
      case 'chain':
        onlyKeys(op, ['op', 'key', 'expectKeys'], at);
        assert.deepEqual(r.chain(op.key), op.expectKeys, at);
        break;
      case 'state': {
        onlyKeys(op, ['op', 'expectKeys', 'expectValues'], at);
        const state = r.state();
        assert.deepEqual(state.keys, op.expectKeys, at);
        assert.deepEqual(state.values, op.expectValues, at);
        assert.equal(r.size, op.expectKeys.length, at);
        break;
      }
      case 'capacity':
        onlyKeys(op, ['op', 'expect'], at);
        assert.equal(r.capacity, op.expect, at);
        break;
      default:
        assert.fail(`${at}: unknown op`);
    }
  });
}

function policy(c, ctx) {
  onlyKeys(c, ['name', 'policy', 'budget', 'breaker', 'ops', 'expectError'], ctx);
  const clock = virtualClock();
  const budget = c.budget ? new RetryBudget({ ...c.budget, clock }) : undefined;
  const breaker = c.breaker ? new CircuitBreaker({ ...c.breaker, clock }) : undefined;
  breaker?.setOpenDraw(0.5);
  const make = () => new RetryPolicy({ ...c.policy, budget, breaker, clock });
  if (c.expectError) {
    onlyKeys(c.expectError, ['field'], ctx);
    assertConfigError(make, c.expectError.field, ctx);
    return;
  }
  const p = make();
  let execution;
  c.ops.forEach((op, i) => {
    const at = `${ctx} op ${i} (${op.op})`;
    if (op.atMs !== undefined) clock.set(op.atMs);
    switch (op.op) {
      case 'start':
        onlyKeys(op, ['op', 'atMs'], at);
        execution = p.start();
        break;
      case 'success':
        onlyKeys(op, ['op', 'atMs'], at);
        p.onSuccess(execution);
        break;
      case 'failure': {
        onlyKeys(op, ['op', 'atMs', 'u', 'class', 'retryAfterMs', 'kind', 'expect'], at);
        const d = p.onFailure(execution, { class: op.class, retryAfterMs: op.retryAfterMs, kind: op.kind, u: op.u });
        if (op.expect.retryMs !== undefined) {
          onlyKeys(op.expect, ['retryMs', 'attempt'], at);
          assert.equal(d.retry, true, `${at}: ${JSON.stringify(d)}`);
          assertMs(d.delayMs, op.expect.retryMs, at);
          if (op.expect.attempt !== undefined) assert.equal(d.attempt, op.expect.attempt, at);
        } else {
          onlyKeys(op.expect, ['giveUp', 'retryAfterMs'], at);
          assert.equal(d.retry, false, `${at}: ${JSON.stringify(d)}`);
          assert.equal(d.giveUp.reason, op.expect.giveUp, at);
          if (op.expect.retryAfterMs !== undefined) assertMs(d.giveUp.remainingMs, op.expect.retryAfterMs, at);
        }
        break;
      }
      case 'breakerFailures':
        onlyKeys(op, ['op', 'atMs', 'count'], at);
        for (let k = 0; k < op.count; k++) breaker.record(breaker.tryAcquire(), 'failure');
        break;
      case 'attemptLimit':
        onlyKeys(op, ['op', 'atMs', 'expect'], at);
        assert.equal(p.attemptLimit(), op.expect, at);
        break;
      default:
        assert.fail(`${at}: unknown op`);
    }
  });
  breaker?.close();
}
