// Type declarations of the `stormguard` npm package: Backoff: delays before retries, presets of peers' formulas.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.

import type { SeedOptions } from './common.js';

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
