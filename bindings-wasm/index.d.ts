// Type declarations for stormguard-web. Option names and defaults are the
// stormguard core's (camelCase, durations in milliseconds ending in `Ms`).

/** Retry schedule (the core's `BackoffOptions`). */
export interface BackoffOptions {
  /** Curve before jitter. Default `"exponential"`. */
  schedule?: 'constant' | 'linear' | 'exponential' | 'decorrelated' | 'pollyV2';
  /** First delay / scale, ms. Default 100. */
  baseMs?: number;
  /** Linear increment, ms; `null` = `baseMs`. */
  stepMs?: number | null;
  /** Exponential growth per attempt, ≥ 1. Default 2. */
  factor?: number;
  /** Floor of every delay, ms. Default 0. */
  minMs?: number;
  /** Cap, ms. Default 10000. */
  maxMs?: number;
  /** Randomisation. Default `"auto"` (full jitter for curves, none for the randomised schedules). */
  jitter?: 'auto' | 'none' | 'full' | 'equal' | 'proportional' | 'additive';
  /** Spread of proportional jitter, 0..1. Default 0.2. */
  jitterRatio?: number;
  /** Upper bound of additive jitter, ms. Default 0. */
  jitterMs?: number;
  /** Delays handed out before giving up; `null` = unlimited. */
  maxAttempts?: number | null;
  /** Where the cap applies relative to jitter. Default `"capThenJitter"`. */
  capOrder?: 'capThenJitter' | 'jitterThenCap';
  /** Floor delays to whole ms. Default false. */
  wholeMs?: boolean;
  /** First decorrelated delay: `U(base, 3·base)` (`"base"`) or `base` (`"zero"`). */
  decorrelatedStart?: 'base' | 'zero';
}

/** How a server hint combines with the backoff (the core's `RetryAfterOptions`). */
export interface RetryAfterOptions {
  /** Longest hint honoured, ms; a longer one gives up (`retry_after_too_long`). Default 60000. */
  maxRetryAfterMs?: number;
  /** `"max"` (default): max(backoff, hint); `"replace"`: hint; `"bounded"`: at most `maxExtensionMs` more. */
  combine?: 'max' | 'replace' | 'bounded';
  /** Bounded mode's extension, ms. Default 5000. */
  maxExtensionMs?: number;
}

/** Lower the attempts while the recent success rate is low. */
export interface AdaptiveOptions {
  halfLifeMs?: number;
  minAttempts?: number;
  minSamples?: number;
}

/** A retry budget: `type` picks the family. */
export type RetryBudgetOptions =
  | { type?: 'ratio'; ttlMs?: number; minRetriesPerSecond?: number; retryPercent?: number }
  | { type: 'tokenBucket'; maxTokens?: number; tokenRatio?: number }
  | {
    type: 'quota'; preset?: 'awsClassic' | 'awsStandard2026'; capacity?: number | null; retryCost?: number | null;
    timeoutRetryCost?: number | null; throttlingRetryCost?: number | null; noRetryIncrement?: number | null;
  };

/** Circuit breaker options (the core's `BreakerOptions`), optionally on top of a preset. */
export interface CircuitBreakerOptions {
  preset?: 'resilience4j' | 'opossum' | 'pybreaker' | 'polly' | 'gobreaker';
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
  /** Grow the open duration on consecutive re-openings. */
  openBackoff?: BackoffOptions;
  halfOpenPermits?: number;
  halfOpenDecision?: 'rate' | 'successes';
  probeLeaseMs?: number;
  /** Seed for the open-duration jitter draws. */
  seed?: number;
}

export type BreakerState = 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled' | 'metricsOnly';

/** A state change, as `onStateChange` and breaker events report it. */
export interface StateChange {
  from: BreakerState;
  to: BreakerState;
  /** `failureRate`, `slowCallRate`, `failureCount`, `tripFor`, `openDurationElapsed`, `probesSucceeded`, `probesFailed`, `forcedOpen`, `disabled`, `metricsOnly`, `reset`. */
  reason: string;
  /** When, in `performance.now()` milliseconds. */
  atMs: number;
  /** The origin (createFetch only). */
  key?: string;
}

/** Why retrying stopped. */
export type GiveUpReason =
  | 'not_retriable' | 'attempts_exhausted' | 'deadline' | 'budget_exhausted' | 'breaker_open'
  | 'retry_after_too_long' | 'body_not_replayable';

/** What `onRetry` receives from createFetch. */
export interface FetchRetryEvent {
  url: string;
  method: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  delayMs: number;
  status?: number;
  error?: unknown;
  /** `"<class> <reason>"`, e.g. `"retriableAfterDelay service_unavailable"`. */
  classification: string;
  /** The server's hint, when one was read. */
  retryAfterMs?: number;
}

/** How a createFetch call went, on the final `Response` as `response.stormguard`. */
export interface FetchOutcome {
  attempts: number;
  reason: 'success' | GiveUpReason;
  classification?: string;
  delaysMs: number[];
  requestedMs?: number;
  /** For `breaker_open`: until the origin's breaker admits a call, ms. */
  retryAfterMs?: number;
}

export interface CreateFetchOptions {
  /** The fetch to wrap. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Attempts in total, the first included. Default 3. */
  maxAttempts?: number;
  /** Total deadline from the first attempt, ms: no retry starts after it and a running attempt is aborted. */
  timeoutMs?: number;
  /** Per-attempt timeout, ms (a timed-out attempt is a retriable network failure for safe methods). */
  attemptTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Longest `Retry-After` / `RateLimit-Reset` honoured, ms. Default 60000. */
  maxRetryAfterMs?: number;
  retryAfter?: Omit<RetryAfterOptions, 'maxRetryAfterMs'>;
  adaptive?: AdaptiveOptions;
  /** Retried statuses. Default [408, 429, 500, 502, 503, 504]. */
  retryOnStatus?: number[];
  /** Statuses meaning "slow down" (charged as throttling). Default [429, 503]. */
  delayOnStatus?: number[];
  /** Methods resent after reaching the server. Default GET, HEAD, PUT, DELETE, OPTIONS, TRACE. */
  retryMethods?: string[];
  /** Header that makes any method safe to resend. Default `"Idempotency-Key"`. */
  idempotencyHeader?: string;
  /** Shared by every call of this instance; `false` for none. Default a ratio budget. */
  budget?: RetryBudgetOptions | RetryBudget | false;
  /** One breaker per origin; `false` for none. Default the core's (resilience4j) options. */
  breaker?: CircuitBreakerOptions | false;
  /** Origins tracked at once (least recently used evicted). Default 1000. */
  maxOrigins?: number;
  onRetry?: (event: FetchRetryEvent) => void;
  onStateChange?: (event: StateChange) => void;
  /** Seed for reproducible jitter. Default from crypto.getRandomValues. */
  seed?: number;
}

/** A `fetch` with retries, Retry-After, deadlines, per-origin breakers and a shared budget. */
export function createFetch(options?: CreateFetchOptions):
  (input: RequestInfo | URL, init?: RequestInit) => Promise<Response & { readonly stormguard?: FetchOutcome }>;

export class Backoff {
  constructor(options?: BackoffOptions & { seed?: number });
  /** Delay in ms before retry `attempt` (1-based); pure (ignores `maxAttempts` and state). `u` in [0, 1) or a draw. */
  delayMs(attempt: number, u?: number): number;
  /** The next delay of this object's sequence, or `null` once `attempt > maxAttempts`. */
  nextDelayMs(attempt: number, u?: number): number | null;
  /** Delays before retries 1..n of a fresh operation (shorter if `maxAttempts` stops first). */
  schedule(n: number): number[];
  /** Forget the sequence state. */
  reset(): void;
  /** The longest delay this backoff can return, ms. */
  readonly maxDelayMs: number;
  /** `maxAttempts`, or `null` for unlimited. */
  readonly maxAttempts: number | null;
}

export class RetryPermit {
  private constructor();
  readonly cost: number;
}

export class RetryBudget {
  constructor(options?: RetryBudgetOptions);
  onRequest(): void;
  onFailure(): void;
  tryRetry(kind?: 'other' | 'timeout' | 'throttling'): RetryPermit | null;
  onSuccess(permit?: RetryPermit | null): void;
  /** Whole retries affordable (ratio) or tokens (token bucket, quota). */
  balance(): number;
  metrics(): { deposits: number; withdrawals: number; rejections: number; balance: number };
}

export class BreakerPermit {
  private constructor();
}

export interface BreakerMetrics {
  state: BreakerState;
  consecutiveOpenings: number; admitted: number; rejected: number; calls: number; successes: number;
  failures: number; slowCalls: number; ignored: number; lateResults: number; expiredProbes: number;
  transitions: number; droppedTransitions: number; probesInFlight: number; windowCalls: number;
  windowFailures: number; windowSlowCalls: number; failureRate: number | null; slowCallRate: number | null;
  timeInStateMs: Record<BreakerState, number>;
}

/** Events: `stateChange`, `open`, `halfOpen`, `close` (detail: StateChange), `reject`. */
export class CircuitBreaker extends EventTarget {
  constructor(options?: CircuitBreakerOptions);
  readonly state: BreakerState;
  /** Throws CircuitOpenError when rejected. */
  tryAcquire(): BreakerPermit;
  /** Throws `ERR_PERMIT_REUSED` when recorded twice. `durationMs` defaults to the time since tryAcquire. */
  record(permit: BreakerPermit, outcome: 'success' | 'failure' | 'ignored', durationMs?: number): 'counted' | 'released' | 'late';
  execute<T>(fn: (ctx: { signal?: AbortSignal }) => Promise<T> | T,
    options?: { signal?: AbortSignal; isFailure?: (err: unknown) => boolean }): Promise<T>;
  tripFor(durationMs: number): void;
  forceOpen(): void;
  disable(): void;
  metricsOnly(): void;
  reset(): void;
  metrics(): BreakerMetrics;
  /** When the state next changes by itself (performance.now() ms), or null. */
  pollTimeoutMs(): number | null;
  /** Pins the draw in [0, 1) that jitters growing open durations. */
  setOpenDraw(u: number): void;
  /** Stops the half-open timer. */
  close(): void;
  /** Node-style listeners: the listener receives the event's detail. */
  on(event: 'stateChange' | 'open' | 'halfOpen' | 'close', listener: (transition: StateChange) => void): this;
  on(event: 'reject', listener: (detail: { state: BreakerState; retryAfterMs: number | null }) => void): this;
  once(event: 'stateChange' | 'open' | 'halfOpen' | 'close', listener: (transition: StateChange) => void): this;
  once(event: 'reject', listener: (detail: { state: BreakerState; retryAfterMs: number | null }) => void): this;
}

/** Why `retry()` stopped, on the last error as its non-enumerable `giveUp` property. */
export interface GiveUp {
  reason: GiveUpReason;
  attempts: number;
  /** For `not_retriable`: the classification's reason. */
  classification?: string;
  /** For `deadline`. */
  remainingMs?: number;
  neededMs?: number;
  /** For `breaker_open` (until the breaker admits a call) and `retry_after_too_long` (the wait asked for). */
  retryAfterMs?: number;
}

/** Anything with `execute(fn, { signal })`. */
export interface Executor {
  execute<T>(fn: (context: { signal?: AbortSignal }) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
}

export interface RetryOptions {
  maxAttempts?: number;
  deadlineMs?: number | null;
  backoff?: BackoffOptions;
  retryAfter?: RetryAfterOptions;
  adaptive?: AdaptiveOptions;
  /** Whether a rejection is worth retrying. Default: every rejection. */
  retryOn?: (err: unknown) => boolean;
  /** A server hint carried by the error, ms. */
  retryAfterMs?: (err: unknown) => number | null | undefined;
  /** What a quota budget charges for retrying this error. */
  retryKind?: (err: unknown) => 'other' | 'timeout' | 'throttling' | undefined;
  budget?: RetryBudget;
  /** A CircuitBreaker: consulted before each attempt (CircuitOpenError when open) and by the policy before each retry. Any other executor wraps each attempt. */
  breaker?: CircuitBreaker | Executor;
  onRetry?: (event: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
  seed?: number;
}

/** Calls `fn` until it resolves; rejects with the last error (its `giveUp` says why), a CircuitOpenError, or the signal's reason. */
export function retry<T>(fn: (ctx: { attempt: number; signal?: AbortSignal }) => Promise<T> | T, options?: RetryOptions): Promise<T>;

export class CircuitOpenError extends Error {
  readonly name: 'CircuitOpenError';
  readonly code: 'ERR_BREAKER_OPEN';
  /** Until the breaker admits a probe, ms (null when forced open). */
  readonly retryAfterMs: number | null;
  readonly key?: string;
  readonly state: BreakerState;
  readonly attempts: number;
  readonly reason: 'breaker_open';
}

/** The Node package's name for CircuitOpenError. */
export { CircuitOpenError as BreakerOpenError };

/** createFetch after a final network failure; retry() when the last failure cannot carry `giveUp`. */
export class RetryError extends Error {
  readonly name: 'RetryError';
  readonly code: 'ERR_RETRY_GAVE_UP';
  readonly attempts: number;
  readonly reason: GiveUpReason;
  readonly giveUp: GiveUp;
  readonly classification?: string;
  readonly requestedMs?: number;
  /** For `breaker_open`: until the breaker admits a call, ms. */
  readonly retryAfterMs?: number;
}

export class TimeoutError extends Error {
  readonly name: 'TimeoutError';
  readonly code: 'ERR_TIMEOUT';
  readonly attempts: number;
  readonly reason: 'deadline';
}
