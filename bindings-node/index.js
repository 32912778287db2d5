'use strict';
/**
 * stormguard for Node.js: retry strategies for ioredis, backoff, retry
 * budgets, bulkheads and retries around any promise. Every decision is made
 * by the stormguard Rust core; this package reads the clock
 * (`performance.now()`), owns a seeded RNG per object and schedules timers.
 * @module stormguard
 */
const { Backoff, presetOptions, PRESET_NAMES } = require('./lib/backoff');
const ioredis = require('./lib/ioredis');
const { classifyRedisError, classifyErrno, classifySqlstate, HttpClassifier } = require('./lib/classify');
const { parseHint, RetryAfterPolicy } = require('./lib/retry-after');
const { RetryBudget } = require('./lib/budget');
const { Bulkhead } = require('./lib/bulkhead');
const { RetryPolicy, retry } = require('./lib/retry');
const { SeededRng } = require('./lib/rng');
const { CircuitBreaker, BreakerOpenError, breakerPresetOptions } = require('./lib/breaker');
const { BreakerRegistry } = require('./lib/registry');
const { prometheus } = require('./lib/prometheus');
const { BulkheadRejectedError, RetryError } = require('./lib/errors');

module.exports = {
  retryStrategy: ioredis.retryStrategy,
  ioredisV5: ioredis.ioredisV5,
  ioredisV6: ioredis.ioredisV6,
  sentinelRetryStrategy: ioredis.sentinelRetryStrategy,
  clusterRetryStrategy: ioredis.clusterRetryStrategy,
  reconnectOnError: ioredis.reconnectOnError,
  classifyRedisError,
  classifyErrno,
  classifySqlstate,
  HttpClassifier,
  parseHint,
  RetryAfterPolicy,
  Backoff,
  presetOptions,
  PRESET_NAMES,
  RetryBudget,
  Bulkhead,
  RetryPolicy,
  retry,
  SeededRng,
  CircuitBreaker,
  BreakerRegistry,
  prometheus,
  BreakerOpenError,
  breakerPresetOptions,
  BulkheadRejectedError,
  RetryError,
};
