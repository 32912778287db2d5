// Type declarations of the `stormguard` npm package: Prometheus text exposition of metrics.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { ClusterRetryStrategy, RetryStrategy } from './ioredis.js';
import type { RetryBudget } from './budget.js';
import type { Bulkhead } from './bulkhead.js';
import type { RetryPolicy } from './retry.js';
import type { BreakerRegistry, CircuitBreaker } from './breaker.js';

/** Objects `prometheus()` can render. */
export type MetricsTarget = CircuitBreaker | BreakerRegistry | RetryBudget | Bulkhead | RetryPolicy | RetryStrategy | ClusterRetryStrategy;

/** Renders the targets' metrics in the Prometheus text format. */
export function prometheus(targets: Record<string, MetricsTarget>, options?: { prefix?: string }): string;
