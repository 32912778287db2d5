// Type declarations for the `stormguard` npm package (hand-written; checked by
// `npm run typecheck` against examples/typed.ts).

import { EventEmitter } from 'node:events';

// ---------------------------------------------------------------- common

/** A seed for the per-object RNG: a non-negative safe integer, a BigInt or a decimal string below 2^64. */
export type Seed = number | bigint | string;

/** A clock returning milliseconds (default `performance.now()`). */
export type Clock = () => number;

/** Options every object that reads the clock accepts. */
export interface ClockOptions {
  /** Inject a clock (virtual time in tests). Default `performance.now`. */
  clock?: Clock;
}

/** Options every object that draws random numbers accepts. */
export interface SeedOptions {
  /** Seed of the object's RNG; default 8 bytes from `crypto.randomBytes`. */
  seed?: Seed;
}

/**
 * Errors thrown for bad input carry a stable `code`: `ERR_INVALID_CONFIG`
 * (options), `ERR_INVALID_ARG_TYPE` / `ERR_OUT_OF_RANGE` (arguments),
 * `ERR_UNKNOWN_PERMIT`, `ERR_UNKNOWN_TICKET`, `ERR_TICKET_NOT_GRANTED` (misuse).
 */
export interface StormguardError extends Error {
  code: string;
}

// ---------------------------------------------------------------- backoff

/** The curve before jitter. */
export type Schedule = 'constant' | 'linear' | 'exponential' | 'decorrelated' | 'pollyV2';
/** How a delay is randomised. */
export type Jitter = 'auto' | 'none' | 'full' | 'equal' | 'proportional' | 'additive';
/** Whether `maxMs` caps before the jitter (spread kept at the cap, default) or after. */
export type CapOrder = 'capThenJitter' | 'jitterThenCap';

/** The core's `BackoffOptions` (defaults: exponential 100 ms × 2, cap 10 s, full jitter, cap then jitter). */
export interface BackoffOptions {
  schedule?: Schedule;
  /** Base delay, ms (100). */
  baseMs?: number;
  /** Linear increment, ms (default `baseMs`). */
  stepMs?: number | null;
  /** Exponential growth per attempt, ≥ 1 (2). */
  factor?: number;
  /** Floor of every delay, ms (0). */
  minMs?: number;
  /** Cap, ms (10000). */
  maxMs?: number;
  jitter?: Jitter;
  /** Spread of `proportional` jitter, in [0, 1] (0.2). */
  jitterRatio?: number;
  /** Upper bound of `additive` jitter, ms (0). */
  jitterMs?: number;
  /** Delays handed out before giving up (retries, not calls); null = unlimited. */
  maxAttempts?: number | null;
  capOrder?: CapOrder;
  /** Floor delays to whole milliseconds. */
  wholeMs?: boolean;
  /** The decorrelated schedule's starting point. */
  decorrelatedStart?: 'base' | 'zero';
}

/** A peer's backoff by name. */
export type PresetName =
  | 'redisPyNoBackoff'
  | 'redisPyConstant'
  | 'redisPyExponential'
  | 'redisPyFullJitter'
  | 'redisPyEqualJitter'
  | 'redisPyDecorrelatedJitter'
  | 'redisPyExponentialWithJitter'
  | 'redisPyClientDefault'
  | 'ioredisV5'
  | 'ioredisV6'
  | 'ioredisSentinel'
  | 'ioredisCluster'
  | 'awsStandardClassic'
  | 'awsStandard2026'
  | 'awsStandard2026Throttling'
  | 'grpcConnection'
  | 'pollyV2';

/** Every preset name. */
export const PRESET_NAMES: readonly PresetName[];

/** The options of a preset (a peer's exact backoff), to inspect or tweak. */
export function presetOptions(name: PresetName, ...args: number[]): Required<Omit<BackoffOptions, 'stepMs' | 'maxAttempts'>> & {
  stepMs: number | null;
  maxAttempts: number | null;
};

/** Delays before retries, computed by the core with a per-object seeded RNG. */
export class Backoff {
  constructor(options?: BackoffOptions & SeedOptions);
  /** A backoff from a preset. */
  static preset(name: PresetName, ...args: number[]): Backoff;
  /** Delay in ms before retry `attempt` (1-based); pure (ignores `maxAttempts` and state). `u` in [0, 1) or an RNG draw. */
  delayMs(attempt: number, u?: number): number;
  /** The next delay of this object's sequence, or `null` once `attempt > maxAttempts`. */
  nextDelayMs(attempt: number, u?: number): number | null;
  /** Forget the sequence state. */
  reset(): void;
  /** Delays before retries 1..n of a fresh operation (shorter if `maxAttempts` stops first). */
  schedule(n: number): number[];
  /** The longest delay this backoff can return, ms. */
  readonly maxDelayMs: number;
  /** `maxAttempts`, or `null` for unlimited. */
  readonly maxAttempts: number | null;
}

// ---------------------------------------------------------------- ioredis

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

// ---------------------------------------------------------------- classify

/** What a caller should do about a failure. */
export type FailureClass =
  | 'retriable'
  | 'retriableAfterDelay'
  | 'reconnectAndResend'
  | 'redirect'
  | 'notRetriable'
  | 'notAFailure';

/** A classification: the class and the stable reason code of the rule that matched. */
export interface Classification {
  class: FailureClass;
  reason: string;
  retriable: boolean;
}

/** Classifies a Redis error (a `ReplyError` or its message). */
export function classifyRedisError(err: Error | string): Classification;
/** Classifies an errno-style code, or an error's `code`. */
export function classifyErrno(code: string | { code: string }): Classification;
/** Classifies a PostgreSQL SQLSTATE, or an error's `code`. */
export function classifySqlstate(code: string | { code: string }): Classification;

/** Options of `HttpClassifier`. */
export interface HttpClassifierOptions {
  retryOnStatus?: number[];
  delayOnStatus?: number[];
  retryMethods?: string[];
}

/** One HTTP attempt's outcome. */
export interface HttpOutcome {
  /** Response status; `null`/absent when no response arrived. */
  status?: number | null;
  method: string;
  idempotencyKey?: boolean;
  reachedServer?: boolean;
}

/** Classifies HTTP outcomes. */
export class HttpClassifier {
  constructor(options?: HttpClassifierOptions);
  classify(outcome: HttpOutcome): Classification;
}

// ---------------------------------------------------------------- Retry-After

/** A parsed hint, or why the value was ignored. */
export type HintResult = { hintMs: number } | { ignored: 'empty' | 'negative' | 'fractional' | 'malformed' | 'bad_month' | 'bad_day' | 'bad_time' };

/** Parses `Retry-After`, `retry-after-ms`, `x-ms-retry-after-ms`, `x-amz-retry-after` or `RateLimit-Reset`. */
export function parseHint(header: string, value: string, nowUnixMs?: number): HintResult;

/** Options of `RetryAfterPolicy`. */
export interface RetryAfterOptions {
  /** Longest hint honoured, ms (60000). */
  maxRetryAfterMs?: number;
  /** `max` (default), `replace` or `bounded`. */
  combine?: 'max' | 'replace' | 'bounded';
  /** `bounded`: most a hint may add, ms (5000). */
  maxExtensionMs?: number;
}

/** Combines a hint with the backoff delay. */
export class RetryAfterPolicy {
  constructor(options?: RetryAfterOptions);
  decide(backoffMs: number, hintMs?: number | null): { delayMs: number } | { giveUpRequestedMs: number };
}

// ---------------------------------------------------------------- budgets

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

// ---------------------------------------------------------------- bulkhead

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

// ---------------------------------------------------------------- retry

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

// ---------------------------------------------------------------- rng

/** The pinned generator (xoshiro256++ seeded by SplitMix64). */
export class SeededRng {
  constructor(seed?: Seed);
  nextU64(): bigint;
  nextUnit(): number;
}

// ---------------------------------------------------------------- breakers

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

// ---------------------------------------------------------------- prometheus

/** Objects `prometheus()` can render. */
export type MetricsTarget = CircuitBreaker | BreakerRegistry | RetryBudget | Bulkhead | RetryPolicy | RetryStrategy | ClusterRetryStrategy;

/** Renders the targets' metrics in the Prometheus text format. */
export function prometheus(targets: Record<string, MetricsTarget>, options?: { prefix?: string }): string;
