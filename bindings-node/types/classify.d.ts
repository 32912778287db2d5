// Type declarations of the `stormguard` npm package: Failure classification (Redis, errno, SQLSTATE, HTTP).
// Re-exported by ../index.d.ts; checked by `npm run typecheck`.
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
