// Type declarations of the `stormguard` npm package: ioredis integration: retry strategies and reconnectOnError.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { ClockOptions, SeedOptions } from './common.js';
import type { BackoffOptions } from './backoff.js';

/** Options of the ioredis strategies: the core's backoff options plus a per-episode deadline. */
export interface StrategyOptions extends BackoffOptions, SeedOptions, ClockOptions {
  /** Stop reconnecting (`null`) once the next attempt would start later than this after the first failure. */
  deadlineMs?: number | null;
}

/** Counters of a strategy's policy. */
export interface PolicyMetrics {
  executions: number;
  attempts: number;
  retries: number;
  successes: number;
  giveUps: {
    notRetriable: number;
    attemptsExhausted: number;
    deadline: number;
    budgetExhausted: number;
    breakerOpen: number;
    retryAfterTooLong: number;
  };
}

/** A give-up reason code. */
export type GiveUpReason =
  | 'not_retriable'
  | 'attempts_exhausted'
  | 'deadline'
  | 'budget_exhausted'
  | 'breaker_open'
  | 'retry_after_too_long';

/** ioredis `retryStrategy`: an integer delay in [0, 2147483647] ms, or `null` to stop. */
export interface RetryStrategy {
  (times: number): number | null;
  /** Why the last call returned `null`, or `null`. */
  readonly lastGiveUp: GiveUpReason | null;
  /** Counters. */
  metrics(): PolicyMetrics;
}

/** ioredis `clusterRetryStrategy`. */
export interface ClusterRetryStrategy {
  (times: number, reason?: unknown): number | null;
  readonly lastGiveUp: GiveUpReason | null;
  metrics(): PolicyMetrics;
}

/** `retryStrategy` for ioredis (default: the core's default backoff, whole ms, unlimited). */
export function retryStrategy(options?: StrategyOptions): RetryStrategy;
/** ioredis 5's default strategy plus your options. */
export function ioredisV5(options?: StrategyOptions): RetryStrategy;
/** ioredis 6's default strategy plus your options. */
export function ioredisV6(options?: StrategyOptions): RetryStrategy;
/** `sentinelRetryStrategy` for ioredis. */
export function sentinelRetryStrategy(options?: StrategyOptions): RetryStrategy;
/** `clusterRetryStrategy` for ioredis. */
export function clusterRetryStrategy(options?: StrategyOptions): ClusterRetryStrategy;

/** Options of `reconnectOnError`. */
export interface ReconnectOnErrorOptions {
  /** Resend the failed command after reconnecting (2) or reject it (1). Default true. */
  resend?: boolean;
}

/** ioredis `reconnectOnError`: READONLY (after a failover) → 2 (reconnect and resend). */
export function reconnectOnError(options?: ReconnectOnErrorOptions): (err: Error) => boolean | 1 | 2;
