// Type declarations of the `stormguard` npm package: retry() and RetryPolicy.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { ClockOptions, SeedOptions } from './common.js';
import type { BackoffOptions } from './backoff.js';
import type { GiveUpReason, PolicyMetrics } from './ioredis.js';
import type { FailureClass } from './classify.js';
import type { RetryAfterOptions } from './retry-after.js';
import type { RetryBudget, RetryKind } from './budget.js';

/** Why `retry` gave up, attached to the last error as `giveUp`. */
export interface GiveUp {
  reason: GiveUpReason;
  /** For `not_retriable`: the classification's reason. */
  classification?: string;
  attempts?: number;
  remainingMs?: number;
  neededMs?: number;
}

/** Anything with `execute(fn, { signal })`, such as a CircuitBreaker. */
export interface Executor {
  execute<T>(fn: (context: { signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
}

/** Options of `RetryPolicy` / `retry`. */
export interface RetryOptions extends SeedOptions, ClockOptions {
  /** Attempts in total, the first included (3). */
  maxAttempts?: number;
  /** Hard deadline from the first attempt, ms. */
  deadlineMs?: number | null;
  backoff?: BackoffOptions;
  retryAfter?: RetryAfterOptions;
  adaptive?: { halfLifeMs?: number; minAttempts?: number; minSamples?: number } | null;
  /** Whether an error is worth retrying (default: every error). */
  retryOn?: (error: unknown) => boolean;
  /** A server hint carried by the error, ms. */
  retryAfterMs?: (error: unknown) => number | null | undefined;
  /** What a quota budget charges for retrying this error. */
  retryKind?: (error: unknown) => RetryKind | undefined;
  budget?: RetryBudget;
  breaker?: Executor;
  onRetry?: (event: { error: unknown; attempt: number; delayMs: number }) => void;
}

/** An operation being retried (opaque; from `RetryPolicy#start`). */
export interface Execution {
  /** Attempts made so far, the current one included. */
  readonly attempts: number;
}

/** A low-level decision after a failed attempt. */
export type Decision = { retry: true; delayMs: number; attempt: number } | { retry: false; giveUp: GiveUp };

/** A reusable retry policy. */
export class RetryPolicy {
  constructor(options?: RetryOptions);
  execute<T>(fn: (context: { attempt: number; signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /** Low level: an operation starts now. */
  start(): Execution;
  /** Low level: the current attempt succeeded. */
  onSuccess(execution: Execution): void;
  /** Low level: the current attempt failed; the core decides. */
  onFailure(execution: Execution, failure?: { class?: FailureClass; retryAfterMs?: number; kind?: RetryKind; u?: number }): Decision;
  /** Low level: the attempt limit in force now. */
  attemptLimit(): number;
  metrics(): PolicyMetrics;
}

/** Runs `fn` with retries; rejects with the last error (its `giveUp` says why) or the signal's reason. */
export function retry<T>(
  fn: (context: { attempt: number; signal?: AbortSignal }) => T | Promise<T>,
  options?: RetryOptions & { signal?: AbortSignal },
): Promise<T>;

/** Thrown when a non-object failure (a string) ends a retry: `cause` is that failure. */
export class RetryError extends Error {
  readonly code: 'ERR_RETRY_GAVE_UP';
  readonly giveUp: GiveUp;
}
