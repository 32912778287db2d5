// Type declarations of the `stormguard` npm package: Retry-After and related server hints.
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.
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
