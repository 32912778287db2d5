// Type declarations for the `stormguard` npm package (hand-written, one file
// per concept under types/; checked by `npm run typecheck` against
// examples/typed.ts).

export * from './types/common.js';
export * from './types/backoff.js';
export * from './types/ioredis.js';
export * from './types/classify.js';
export * from './types/retry-after.js';
export * from './types/budget.js';
export * from './types/bulkhead.js';
export * from './types/retry.js';
export * from './types/breaker.js';
export * from './types/prometheus.js';
