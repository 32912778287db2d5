// Type declarations of the `stormguard` npm package: Circuit breakers and the per-key BreakerRegistry (with parent keys).
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import { EventEmitter } from 'node:events';
import type { ClockOptions, SeedOptions } from './common.js';
import type { BackoffOptions } from './backoff.js';

/** Breaker states. */
export type BreakerState = 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled' | 'metricsOnly';

/** Why the breaker changed state. */
export type TransitionReason =
  | 'failureRate'
  | 'slowCallRate'
  | 'failureCount'
  | 'tripFor'
  | 'openDurationElapsed'
  | 'probesSucceeded'
  | 'probesFailed'
  | 'forcedOpen'
  | 'disabled'
  | 'metricsOnly'
  | 'reset';

/** One state change, as the core reported it. */
export interface Transition {
  from: BreakerState;
  to: BreakerState;
  reason: TransitionReason;
  /** When, on the breaker's clock (ms). */
  atMs: number;
}

/** A breaker preset (the peer's defaults). */
export type BreakerPreset = 'resilience4j' | 'opossum' | 'pybreaker' | 'polly' | 'gobreaker';

/** The core's `BreakerOptions` (defaults follow resilience4j). */
export interface BreakerOptions {
  windowType?: 'consecutive' | 'count' | 'time';
  windowSize?: number;
  windowMs?: number;
  bucketMs?: number;
  minimumCalls?: number;
  failureRateThreshold?: number;
  slowCallRateThreshold?: number;
  slowCallDurationMs?: number;
  failureCountThreshold?: number | null;
  thresholdComparison?: 'atLeast' | 'above';
  openDurationMs?: number;
  /** Grow the open duration on repeated openings. */
  openBackoff?: BackoffOptions | null;
  halfOpenPermits?: number;
  halfOpenDecision?: 'rate' | 'successes';
  probeLeaseMs?: number;
}

/** Options of `CircuitBreaker`. */
export interface CircuitBreakerOptions extends BreakerOptions, SeedOptions, ClockOptions {
  /** Start from a peer's defaults; the other options override them. */
  preset?: BreakerPreset;
  /** A name for errors and metrics. */
  name?: string;
  /** Whether an error counts as a failure (default: every error); others are ignored. */
  isFailure?: (error: unknown) => boolean;
}

/** Breaker counters, window and time per state. */
export interface BreakerMetrics {
  state: BreakerState;
  generation: number;
  consecutiveOpenings: number;
  admitted: number;
  rejected: number;
  calls: number;
  successes: number;
  failures: number;
  slowCalls: number;
  ignored: number;
  lateResults: number;
  expiredProbes: number;
  transitions: number;
  droppedTransitions: number;
  probesInFlight: number;
  windowCalls: number;
  windowFailures: number;
  windowSlowCalls: number;
  failureRate: number | null;
  slowCallRate: number | null;
  timeInStateMs: Record<BreakerState, number>;
}

/** Leave to make one call (low-level API). */
export interface BreakerPermit {
  readonly generation: number;
  readonly id: number;
  readonly acquiredAtMs: number;
}

/** `toJSON()` output: options plus the core snapshot as JSON text. */
export interface BreakerJSON {
  options: BreakerOptions;
  snapshot: string;
}

/** The options of a breaker preset. */
export function breakerPresetOptions(name: BreakerPreset): Required<BreakerOptions>;

/** A circuit breaker (an EventEmitter: `stateChange`, `open`, `halfOpen`, `close`, `reject`). */
export class CircuitBreaker extends EventEmitter {
  constructor(options?: CircuitBreakerOptions);
  /** Continues from `toJSON()` output. */
  static restore(state: BreakerJSON, options?: SeedOptions & ClockOptions & { name?: string; isFailure?: (error: unknown) => boolean }): CircuitBreaker;
  readonly name: string | undefined;
  /** Current state (applies time-driven changes first). */
  readonly state: BreakerState;
  /** Runs `fn` if admitted; rejects with `BreakerOpenError` otherwise. */
  execute<T>(fn: (context: { signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /** A permit, or throws `BreakerOpenError`. */
  tryAcquire(): BreakerPermit;
  /** Records how the permit's call ended; throws `ERR_PERMIT_REUSED` when recorded twice. */
  record(permit: BreakerPermit, outcome: 'success' | 'failure' | 'ignored', durationMs?: number): 'counted' | 'released' | 'late';
  metrics(): BreakerMetrics;
  forceOpen(): void;
  disable(): void;
  metricsOnly(): void;
  reset(): void;
  tripFor(durationMs: number): void;
  pollTimeoutMs(): number | null;
  setOpenDraw(u: number): void;
  toJSON(): BreakerJSON;
  footprintBytes(): number;
  /** Stops the (unref'd) half-open timer. */
  close(): void;
  on(event: 'stateChange' | 'open' | 'halfOpen' | 'close', listener: (transition: Transition) => void): this;
  on(event: 'reject', listener: (error: BreakerOpenError) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  once(event: 'stateChange' | 'open' | 'halfOpen' | 'close', listener: (transition: Transition) => void): this;
  once(event: 'reject', listener: (error: BreakerOpenError) => void): this;
  once(event: string | symbol, listener: (...args: any[]) => void): this;
}

/** A call the breaker did not admit; it never reached the dependency. */
export class BreakerOpenError extends Error {
  readonly code: 'ERR_BREAKER_OPEN';
  readonly state: 'open' | 'halfOpen' | 'forcedOpen';
  /** How long until a call would be admitted, or `null` when forced open. */
  readonly retryAfterMs: number | null;
}

/** Options of `BreakerRegistry`. */
export interface BreakerRegistryOptions {
  /** Breakers kept at most (1000); the least recently used is evicted. */
  maxKeys?: number;
  /** Options of every breaker. */
  breaker?: CircuitBreakerOptions;
}

/**
 * One breaker per key (an EventEmitter: `evict` with `{ key, breaker }`).
 * A key may live under a parent key: while the parent's breaker would not
 * admit a call, every child's call is rejected (`BreakerOpenError` naming the
 * parent) without asking the child, and the parent's window sees all its
 * children's calls. A parent is never evicted while it has children.
 */
export class BreakerRegistry extends EventEmitter {
  constructor(options?: BreakerRegistryOptions);
  /**
   * The breaker for `key`, created on first use; with `parent`, created
   * under `parent` (itself created on first use). An existing key under
   * another parent (or none) throws `ERR_PARENT_MISMATCH`.
   */
  get(key: string, parent?: string): CircuitBreaker;
  peek(key: string): CircuitBreaker | undefined;
  /** The parent key `key` was created under, or undefined. */
  parent(key: string): string | undefined;
  /** Runs `fn` through `get(key, options.parent)`. */
  execute<T>(key: string, fn: (context: { signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal; parent?: string }): Promise<T>;
  /** Removes `key`; a parent with live children throws `ERR_HAS_CHILDREN`. */
  delete(key: string): boolean;
  keys(): string[];
  readonly size: number;
  metrics(): Record<string, BreakerMetrics>;
}
