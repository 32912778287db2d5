// ESM entry: re-exports the CommonJS build (one copy of the addon either way).
import stormguard from './index.js';

export const {
  retryStrategy,
  ioredisV5,
  ioredisV6,
  sentinelRetryStrategy,
  clusterRetryStrategy,
  reconnectOnError,
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
} = stormguard;
export default stormguard;
