// Type declarations of the `stormguard` npm package: Retry budgets.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { ClockOptions } from './common.js';

/** Retry budget options; `type` picks the budget. */
export type RetryBudgetOptions =
  | { type?: 'ratio'; ttlMs?: number; minRetriesPerSecond?: number; retryPercent?: number }
  | { type: 'tokenBucket'; maxTokens?: number; tokenRatio?: number }
  | {
      type: 'quota';
      preset?: 'awsClassic' | 'awsStandard2026';
      capacity?: number | null;
      retryCost?: number | null;
      timeoutRetryCost?: number | null;
      throttlingRetryCost?: number | null;
      noRetryIncrement?: number | null;
    };

/** Proof that a budget granted a retry. */
export interface RetryPermit {
  readonly costMilli: number;
}

/** Why a retry is wanted (only quotas price kinds differently). */
export type RetryKind = 'other' | 'timeout' | 'throttling';

/** Counters of a budget. */
export interface BudgetMetrics {
  deposits: number;
  withdrawals: number;
  rejections: number;
  balance: number;
}

/** A retry budget shared by many requests. */
export class RetryBudget {
  constructor(options?: RetryBudgetOptions & ClockOptions);
  onRequest(): void;
  onFailure(): void;
  tryRetry(kind?: RetryKind): RetryPermit | null;
  onSuccess(permit?: RetryPermit | null): void;
  balance(): number;
  metrics(): BudgetMetrics;
  toJSON(): object;
  restore(state: object): void;
}
