'use strict';
/**
 * ioredis integration: `retryStrategy`, `sentinelRetryStrategy`,
 * `clusterRetryStrategy`, the ioredis presets and `reconnectOnError`.
 * Every delay and every give-up comes from the core's policy.
 * @module stormguard/lib/ioredis
 */
const native = require('./native');
const { split, toJson, seedText, clockOf, optionalNumber, isPlainObject } = require('./options');
const { checkNumber, configError, withCode, describe } = require('./errors');
const { presetOptions } = require('./backoff');
const { classifyRedisError } = require('./classify');

const HOST_KEYS = ['seed', 'clock', 'deadlineMs'];

/** Builds the native strategy and the `(times) => number | null` function. */
function strategy(what, options) {
  const { host, core } = split(what, options, HOST_KEYS);
  const deadlineMs = optionalNumber('deadlineMs', host.deadlineMs);
  const now = clockOf(host.clock);
  const n = new native.NativeRetryStrategy(toJson(core), deadlineMs, seedText(host.seed));
  // One plain native function per strategy: the delay, or −1 for null.
  const next = n.hotFn();
  const fn = (times) => {
    checkNumber('times', times);
    const delay = next(times, now());
    return delay < 0 ? null : delay;
  };
  Object.defineProperties(fn, {
    lastGiveUp: { get: () => n.lastGiveUp ?? null, enumerable: true },
    metrics: { value: () => JSON.parse(n.metrics()), enumerable: true },
  });
  return fn;
}

/** The options of a preset with the user's options on top. */
function withPreset(name, options) {
  if (options !== undefined && options !== null && !isPlainObject(options)) {
    throw withCode(TypeError, 'ERR_INVALID_CONFIG', `${name} options must be a plain object, got ${describe(options)}`);
  }
  return { ...presetOptions(name), ...(options ?? {}) };
}

/**
 * ioredis `retryStrategy`: `(times) => number | null`. Options are the
 * core's `BackoffOptions` (`maxAttempts` counts reconnect attempts) plus
 * `deadlineMs` (per reconnect episode), `seed` and `clock`. The default is
 * the core's default backoff (exponential from 100 ms, cap 10 s, full jitter
 * applied after the cap, so delays stay spread at the cap), in whole ms.
 */
function retryStrategy(options) {
  return strategy('retryStrategy', options);
}

/** ioredis 5's default strategy, `min(times * 50, 2000)`, plus your options. */
function ioredisV5(options) {
  return strategy('ioredisV5', withPreset('ioredisV5', options));
}

/** ioredis 6's default strategy, `min(2^(times-1) * 50, 5000) + random 0..199`, plus your options. */
function ioredisV6(options) {
  return strategy('ioredisV6', withPreset('ioredisV6', options));
}

/** ioredis `sentinelRetryStrategy`; same options and default as `retryStrategy`. */
function sentinelRetryStrategy(options) {
  return strategy('sentinelRetryStrategy', options);
}

/**
 * ioredis `clusterRetryStrategy`: `(times, reason) => number | null`; same
 * options and default as `retryStrategy` (`reason` is not used).
 */
function clusterRetryStrategy(options) {
  const fn = strategy('clusterRetryStrategy', options);
  const cluster = (times, _reason) => fn(times);
  Object.defineProperties(cluster, Object.getOwnPropertyDescriptors(fn));
  return cluster;
}

/**
 * ioredis `reconnectOnError`: `(err) => boolean | 1 | 2` from the core's
 * Redis classification. `reconnectAndResend` failures (READONLY after a
 * failover) answer `2` (reconnect and resend the command), or `1` with
 * `{ resend: false }` (reconnect, reject the command); anything else `false`.
 * @param {{ resend?: boolean }} [options]
 */
function reconnectOnError(options) {
  const { core } = split('reconnectOnError', options, []);
  const { resend = true, ...unknown } = core;
  const extra = Object.keys(unknown);
  if (extra.length > 0) {
    throw withCode(TypeError, 'ERR_INVALID_CONFIG', `unknown reconnectOnError option \`${extra[0]}\` (expected \`resend\`)`);
  }
  if (typeof resend !== 'boolean') throw configError(TypeError, 'resend', 'a boolean', resend);
  const action = resend ? 2 : 1;
  return (err) => (classifyRedisError(err).class === 'reconnectAndResend' ? action : false);
}

module.exports = {
  retryStrategy,
  ioredisV5,
  ioredisV6,
  sentinelRetryStrategy,
  clusterRetryStrategy,
  reconnectOnError,
};
