// Type declarations of the `stormguard` npm package: Bulkheads: a concurrency limit with a FIFO queue.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { ClockOptions } from './common.js';

/** Options of `Bulkhead`. */
export interface BulkheadOptions extends ClockOptions {
  /** Calls at once (25). */
  maxConcurrent?: number;
  /** Calls that may wait (0). */
  maxQueued?: number;
  /** Longest wait in the queue, ms (none). */
  maxQueueWaitMs?: number | null;
}

/** Counters and gauges of a bulkhead. */
export interface BulkheadMetrics {
  active: number;
  awaitingClaim: number;
  queued: number;
  admitted: number;
  rejected: number;
  cancelled: number;
  timedOut: number;
  peakActive: number;
  peakQueued: number;
}

/** A low-level admission. */
export type Admission = { outcome: 'admitted' | 'queued'; id: number } | { outcome: 'rejected'; reason: 'queueFull' };

/** A concurrency limit with a FIFO queue. */
export class Bulkhead {
  constructor(options?: BulkheadOptions);
  run<T>(fn: (context: { signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  tryEnter(): Admission;
  release(permit: number): number | null;
  claim(ticket: number): number;
  cancel(ticket: number): number | null;
  pollTimeoutMs(): number | null;
  handleTimeout(): number | null;
  position(ticket: number): number | null;
  metrics(): BulkheadMetrics;
}

/** Thrown by `Bulkhead.run` when no slot could be had. */
export class BulkheadRejectedError extends Error {
  readonly code: 'ERR_BULKHEAD_REJECTED';
  readonly reason: 'queueFull' | 'queueTimeout';
}
