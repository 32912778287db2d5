// Hostile input, table-driven: every entry point, fed wrong types, NaN,
// infinities, negatives, huge numbers and unknown names, throws a clean
// TypeError/RangeError/Error with a stable code. Nothing may crash Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sg from '../index.mjs';

const HOSTILE = [
  undefined, null, NaN, Infinity, -Infinity, -1, -0.5, 0, 0.5, 1, 2 ** 32, 2 ** 53, 1e300, -1e300,
  '', '1', 'x'.repeat(10000), 'READONLY', '\u0000', true, false, {}, [], [1, 'a'], () => 1, Symbol('s'), 10n, -1n,
  Object.create(null), new Date(0), new Error('x'), Object.freeze({}), new Map(),
];

const CODES = new Set([
  'ERR_INVALID_CONFIG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE', 'ERR_INVALID_CLOCK',
  'ERR_UNKNOWN_PERMIT', 'ERR_UNKNOWN_TICKET', 'ERR_TICKET_NOT_GRANTED', 'ERR_PERMIT_REUSED', 'ERR_PERMIT_UNKNOWN',
  'ERR_SNAPSHOT_VERSION', 'ERR_SNAPSHOT_MISMATCH', 'ERR_SNAPSHOT_CORRUPT', 'ERR_BREAKER_OPEN',
  'ERR_PARENT_MISMATCH', 'ERR_UNKNOWN_PARENT', 'ERR_HAS_CHILDREN', 'ERR_NO_EVICTABLE_ENTRY',
]);

import { describe as show } from '../lib/errors.js';

/** Runs `fn`; it must return normally or throw a clean error. Returns the error or null. */
function clean(fn, context) {
  let result;
  try {
    result = fn();
  } catch (error) {
    assert.ok(error instanceof Error, `${context}: threw a non-Error ${String(error)}`);
    assert.ok(CODES.has(error.code), `${context}: unexpected code ${error.code} (${error.message})`);
    assert.ok([TypeError, RangeError, Error].includes(error.constructor), `${context}: class ${error.constructor.name}`);
    assert.ok(error.message.length > 0);
    return error;
  }
  if (result instanceof Promise) result.catch(() => {});
  return null;
}

const numeric = (v) => typeof v === 'number' && Number.isFinite(v);

/** Option tables: constructor, numeric options, other options. */
const OPTION_TABLES = {
  Backoff: {
    make: (o) => new sg.Backoff(o),
    numeric: ['baseMs', 'stepMs', 'factor', 'minMs', 'maxMs', 'jitterRatio', 'jitterMs', 'maxAttempts'],
    other: ['schedule', 'jitter', 'capOrder', 'wholeMs', 'decorrelatedStart', 'seed'],
  },
  retryStrategy: {
    make: (o) => sg.retryStrategy(o),
    numeric: ['baseMs', 'stepMs', 'factor', 'minMs', 'maxMs', 'jitterRatio', 'jitterMs', 'maxAttempts', 'deadlineMs'],
    other: ['schedule', 'jitter', 'capOrder', 'wholeMs', 'decorrelatedStart', 'seed', 'clock'],
  },
  ioredisV6: { make: (o) => sg.ioredisV6(o), numeric: ['maxAttempts', 'deadlineMs', 'maxMs'], other: ['seed', 'clock'] },
  ioredisV5: { make: (o) => sg.ioredisV5(o), numeric: ['maxAttempts', 'baseMs'], other: ['seed'] },
  sentinelRetryStrategy: { make: (o) => sg.sentinelRetryStrategy(o), numeric: ['maxAttempts', 'deadlineMs'], other: ['seed'] },
  clusterRetryStrategy: { make: (o) => sg.clusterRetryStrategy(o), numeric: ['maxAttempts', 'deadlineMs'], other: ['seed'] },
  reconnectOnError: { make: (o) => sg.reconnectOnError(o), numeric: [], other: ['resend'] },
  ratioBudget: {
    make: (o) => new sg.RetryBudget({ type: 'ratio', ...o }),
    numeric: ['ttlMs', 'minRetriesPerSecond', 'retryPercent'],
    other: ['clock', 'type'],
  },
  tokenBucket: { make: (o) => new sg.RetryBudget({ type: 'tokenBucket', ...o }), numeric: ['maxTokens', 'tokenRatio'], other: [] },
  quota: {
    make: (o) => new sg.RetryBudget({ type: 'quota', ...o }),
    numeric: ['capacity', 'retryCost', 'timeoutRetryCost', 'throttlingRetryCost', 'noRetryIncrement'],
    other: ['preset'],
  },
  Bulkhead: { make: (o) => new sg.Bulkhead(o), numeric: ['maxConcurrent', 'maxQueued', 'maxQueueWaitMs'], other: ['clock'] },
  RetryPolicy: {
    make: (o) => new sg.RetryPolicy(o),
    numeric: ['maxAttempts', 'deadlineMs'],
    other: ['backoff', 'retryAfter', 'adaptive', 'retryOn', 'retryAfterMs', 'retryKind', 'budget', 'breaker', 'onRetry', 'seed', 'clock'],
  },
  CircuitBreaker: {
    make: (o) => new sg.CircuitBreaker(o),
    numeric: ['windowSize', 'windowMs', 'bucketMs', 'minimumCalls', 'failureRateThreshold', 'slowCallRateThreshold', 'slowCallDurationMs', 'failureCountThreshold', 'openDurationMs', 'halfOpenPermits', 'probeLeaseMs'],
    other: ['windowType', 'thresholdComparison', 'openBackoff', 'halfOpenDecision', 'preset', 'name', 'isFailure', 'seed', 'clock'],
  },
  BreakerRegistry: { make: (o) => new sg.BreakerRegistry(o), numeric: ['maxKeys'], other: ['breaker'] },
  HttpClassifier: { make: (o) => new sg.HttpClassifier(o), numeric: [], other: ['retryOnStatus', 'delayOnStatus', 'retryMethods'] },
  RetryAfterPolicy: { make: (o) => new sg.RetryAfterPolicy(o), numeric: ['maxRetryAfterMs', 'maxExtensionMs'], other: ['combine'] },
};

for (const [name, table] of Object.entries(OPTION_TABLES)) {
  test(`${name}: hostile option values give clean errors naming the option`, () => {
    for (const field of [...table.numeric, ...table.other]) {
      for (const value of HOSTILE) {
        const context = `${name} { ${field}: ${show(value)} }`;
        const error = clean(() => table.make({ [field]: value }), context);
        const nullable = value === undefined || value === null;
        if (table.numeric.includes(field) && !numeric(value) && !nullable) {
          assert.ok(error, `${context}: accepted`);
          assert.equal(error.code, 'ERR_INVALID_CONFIG', context);
          assert.ok(error.message.includes(field), `${context}: ${error.message}`);
        }
        if (error && error.code === 'ERR_INVALID_CONFIG' && field !== 'type') {
          assert.ok(error.message.includes(field), `${context}: message does not name it: ${error.message}`);
        }
      }
    }
    const unknown = clean(() => table.make({ definitelyNotAnOption: 1 }), `${name} unknown option`);
    assert.ok(unknown, `${name}: unknown option accepted`);
    assert.equal(unknown.code, 'ERR_INVALID_CONFIG');
    assert.ok(unknown instanceof TypeError);
    assert.ok(unknown.message.includes('definitelyNotAnOption'), unknown.message);
    for (const value of HOSTILE) clean(() => table.make(value), `${name}(${show(value)})`);
  });
}

test('positional arguments: wrong types and out-of-range numbers throw cleanly', () => {
  const backoff = new sg.Backoff({ seed: 1, maxAttempts: 3 });
  const strategy = sg.retryStrategy({ seed: 1 });
  const cluster = sg.clusterRetryStrategy({ seed: 1 });
  const onError = sg.reconnectOnError();
  const http = new sg.HttpClassifier();
  const ra = new sg.RetryAfterPolicy();
  const budget = new sg.RetryBudget({ type: 'quota' });
  const bulkhead = new sg.Bulkhead({ maxConcurrent: 1 });
  const breaker = new sg.CircuitBreaker();
  const registry = new sg.BreakerRegistry();
  const policy = new sg.RetryPolicy();
  const entries = {
    'Backoff#delayMs': (v) => backoff.delayMs(v),
    'Backoff#delayMs(1, u)': (v) => backoff.delayMs(1, v),
    'Backoff#nextDelayMs': (v) => backoff.nextDelayMs(v),
    'Backoff#schedule': (v) => backoff.schedule(v),
    'Backoff.preset': (v) => sg.Backoff.preset(v),
    presetOptions: (v) => sg.presetOptions('redisPyConstant', v),
    'retryStrategy()': (v) => strategy(v),
    'clusterRetryStrategy()': (v) => cluster(v, v),
    'reconnectOnError()': (v) => onError(v),
    classifyRedisError: (v) => sg.classifyRedisError(v),
    classifyErrno: (v) => sg.classifyErrno(v),
    classifySqlstate: (v) => sg.classifySqlstate(v),
    'HttpClassifier#classify': (v) => http.classify(v),
    'HttpClassifier#classify status': (v) => http.classify({ status: v, method: 'GET' }),
    'HttpClassifier#classify method': (v) => http.classify({ status: 503, method: v }),
    'parseHint header': (v) => sg.parseHint(v, '1'),
    'parseHint value': (v) => sg.parseHint('Retry-After', v),
    'parseHint now': (v) => sg.parseHint('Retry-After', '1', v),
    'RetryAfterPolicy#decide': (v) => ra.decide(v, v),
    'RetryBudget#tryRetry': (v) => budget.tryRetry(v),
    'RetryBudget#onSuccess': (v) => budget.onSuccess(v),
    'RetryBudget#onSuccess permit': (v) => budget.onSuccess({ costMilli: v }),
    'RetryBudget#restore': (v) => budget.restore(v),
    'Bulkhead#release': (v) => bulkhead.release(v),
    'Bulkhead#claim': (v) => bulkhead.claim(v),
    'Bulkhead#cancel': (v) => bulkhead.cancel(v),
    'Bulkhead#position': (v) => bulkhead.position(v),
    SeededRng: (v) => new sg.SeededRng(v),
    'CircuitBreaker#record permit': (v) => breaker.record(v, 'success'),
    'CircuitBreaker#record outcome': (v) => breaker.record(breaker.tryAcquire(), v),
    'CircuitBreaker#record generation': (v) => breaker.record({ generation: v, id: 0 }, 'success'),
    'CircuitBreaker#record id': (v) => breaker.record({ generation: 0, id: v }, 'success'),
    'CircuitBreaker#record durationMs': (v) => breaker.record(breaker.tryAcquire(), 'success', v),
    'CircuitBreaker#tripFor': (v) => breaker.tripFor(v),
    'CircuitBreaker#setOpenDraw': (v) => breaker.setOpenDraw(v),
    'CircuitBreaker.restore': (v) => sg.CircuitBreaker.restore(v),
    'CircuitBreaker.restore snapshot': (v) => sg.CircuitBreaker.restore({ options: {}, snapshot: v }),
    breakerPresetOptions: (v) => sg.breakerPresetOptions(v),
    'BreakerRegistry#get': (v) => registry.get(v),
    'BreakerRegistry#get parent': (v) => registry.get('child', v),
    'BreakerRegistry#parent': (v) => registry.parent(v),
    'BreakerRegistry#delete': (v) => registry.delete(v),
    'RetryPolicy#onFailure execution': (v) => policy.onFailure(v, {}),
    'RetryPolicy#onFailure failure': (v) => policy.onFailure(policy.start(), v),
    'RetryPolicy#onFailure class': (v) => policy.onFailure(policy.start(), { class: v }),
    'RetryPolicy#onFailure u': (v) => policy.onFailure(policy.start(), { u: v }),
    'RetryPolicy#onFailure retryAfterMs': (v) => policy.onFailure(policy.start(), { retryAfterMs: v }),
    prometheus: (v) => sg.prometheus(v),
    'prometheus prefix': (v) => sg.prometheus({}, { prefix: v }),
  };
  breaker.reset();
  for (const [name, fn] of Object.entries(entries)) {
    for (const value of HOSTILE) clean(() => fn(value), `${name}(${show(value)})`);
  }
  // Misuse has its own codes.
  const permit = bulkhead.tryEnter().id;
  assert.equal(bulkhead.release(permit), null);
  assert.throws(() => bulkhead.release(permit), { code: 'ERR_UNKNOWN_PERMIT' });
  assert.throws(() => strategy(-1), { code: 'ERR_OUT_OF_RANGE', name: 'RangeError' });
  assert.throws(() => strategy('1'), { code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' });
});

test('async entry points reject cleanly', async () => {
  const bulkhead = new sg.Bulkhead();
  const policy = new sg.RetryPolicy();
  const breaker = new sg.CircuitBreaker();
  for (const value of HOSTILE) {
    for (const [name, run] of [
      ['Bulkhead#run fn', () => bulkhead.run(value)],
      ['Bulkhead#run options', () => bulkhead.run(() => 1, value)],
      ['RetryPolicy#execute fn', () => policy.execute(value)],
      ['RetryPolicy#execute options', () => policy.execute(() => 1, value)],
      ['retry options', () => sg.retry(() => 1, value)],
      ['CircuitBreaker#execute fn', () => breaker.execute(value)],
      ['CircuitBreaker#execute options', () => breaker.execute(() => 1, value)],
    ]) {
      try {
        await run();
      } catch (error) {
        clean(() => {
          throw error;
        }, `${name}(${show(value)})`);
      }
    }
  }
});

test('a clock that returns garbage is reported, not trusted', () => {
  for (const value of [NaN, -1, Infinity, 1e300, 'x', undefined, null, {}]) {
    const budget = new sg.RetryBudget({ clock: () => value });
    const error = clean(() => budget.onRequest(), `clock → ${show(value)}`);
    assert.ok(error, `clock → ${show(value)} accepted`);
    assert.equal(error.code, 'ERR_INVALID_CLOCK');
    const strategy = sg.retryStrategy({ clock: () => value });
    assert.ok(clean(() => strategy(1), `strategy clock → ${show(value)}`));
    const breaker = new sg.CircuitBreaker({ clock: () => value });
    assert.ok(clean(() => breaker.tryAcquire(), `breaker clock → ${show(value)}`));
  }
});
