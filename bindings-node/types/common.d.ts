// Type declarations of the `stormguard` npm package: Shared option shapes, errors and the seeded RNG.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.
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


/** The pinned generator (xoshiro256++ seeded by SplitMix64). */
export class SeededRng {
  constructor(seed?: Seed);
  nextU64(): bigint;
  nextUnit(): number;
}
