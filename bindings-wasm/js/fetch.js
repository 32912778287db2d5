// `createFetch(options)`: a `fetch` with retries, Retry-After, deadlines,
// per-origin circuit breakers and a shared retry budget. Every decision comes
// from the core (classification, policy, budget, breaker); this file reads the
// clocks, runs timers, aborts attempts, cancels bodies and talks to `fetch`.
import * as core from './core.js';
import { call, RetryError, TimeoutError, abortReason, configError, reportHookError } from './errors.js';
import { plainObject, rejectUnknown, optionalFunction, timerMs, list } from './options.js';
import { createRng, nowMs, wallMs, sleep } from './clock.js';
import { createPolicy, NO_BUDGET } from './policy.js';
import { RetryBudget, coreBudget } from './budget.js';
import { createBreakers } from './breakers.js';

const OPTIONS = ['fetch', 'maxAttempts', 'timeoutMs', 'attemptTimeoutMs', 'backoff', 'maxRetryAfterMs',
  'retryAfter', 'adaptive', 'retryOnStatus', 'delayOnStatus', 'retryMethods', 'idempotencyHeader',
  'budget', 'breaker', 'maxOrigins', 'onRetry', 'onStateChange', 'seed'];

/** The default: 425 Too Early is left to the caller to opt in. */
const DEFAULT_RETRY_ON_STATUS = [408, 429, 500, 502, 503, 504];

const HINT_HEADERS = core.hintNames().split(',');

/** Breaker outcome indexes (see breaker.js OUTCOMES). */
const FAILURE = 1;
const IGNORED = 2;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Core option names → this API's names, in error messages. */
const rename = (option) => {
  if (option === 'deadlineMs') return 'timeoutMs';
  if (option === 'retryAfter.maxRetryAfterMs') return 'maxRetryAfterMs';
  return option;
};

const utf8 = new TextEncoder();

/** A list of strings as the module takes it: joined, plus each one's UTF-8 length. */
export const joined = (list) => (list ? [list.join(''), list.map((s) => utf8.encode(s).length)] : []);

/** Annotates a final response with how the call went (non-enumerable). */
function annotate(response, outcome) {
  try {
    Object.defineProperty(response, 'stormguard', { value: outcome, configurable: true });
  } catch { /* a frozen Response from a custom fetch: leave it */ }
  return response;
}

/** Cancels a body we will not hand to the caller, ignoring errors. */
function discard(response) {
  try {
    const p = response.body?.cancel();
    if (p) p.catch(() => {});
  } catch { /* already locked or consumed */ }
}

/**
 * @param {object} [options]
 * @returns {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>}
 */
export function createFetch(options) {
  const o = plainObject(options, '');
  rejectUnknown(o, OPTIONS, '');
  const fetchImpl = optionalFunction(o.fetch, 'fetch') ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = timerMs(o.timeoutMs, 'timeoutMs');
  const attemptTimeoutMs = timerMs(o.attemptTimeoutMs, 'attemptTimeoutMs');
  const onRetry = optionalFunction(o.onRetry, 'onRetry');
  const onStateChange = optionalFunction(o.onStateChange, 'onStateChange');
  const header = o.idempotencyHeader === undefined ? 'Idempotency-Key' : o.idempotencyHeader;
  if (typeof header !== 'string' || !TOKEN.test(header)) {
    throw configError(typeof header === 'string' ? 'range' : 'type', 'idempotencyHeader',
      '`idempotencyHeader` must be an HTTP header name');
  }
  if (o.maxRetryAfterMs !== undefined && typeof o.maxRetryAfterMs !== 'number') {
    throw configError('type', 'maxRetryAfterMs', '`maxRetryAfterMs` must be a number');
  }
  const retryAfter = { ...plainObject(o.retryAfter, 'retryAfter') };
  if (o.maxRetryAfterMs !== undefined) retryAfter.maxRetryAfterMs = o.maxRetryAfterMs;

  const retryOnStatus = list(o.retryOnStatus, 'retryOnStatus', 'number') ?? DEFAULT_RETRY_ON_STATUS;
  const delayOnStatus = list(o.delayOnStatus, 'delayOnStatus', 'number');
  const retryMethods = list(o.retryMethods, 'retryMethods', 'string');
  const classifier = call(() => new core.CoreHttpClassifier('', retryOnStatus, delayOnStatus, ...joined(retryMethods)));
  const policy = createPolicy({
    maxAttempts: o.maxAttempts, deadlineMs: timeoutMs, backoff: o.backoff, retryAfter, adaptive: o.adaptive,
  }, rename);
  let budget = NO_BUDGET;
  if (o.budget instanceof RetryBudget) budget = o.budget.core;
  else if (o.budget !== false) budget = coreBudget(o.budget, 'budget');
  const breakers = createBreakers(o.breaker, o.maxOrigins, onStateChange);
  const rng = createRng(o.seed);

  return async function resilientFetch(input, init) {
    const oneShot = typeof ReadableStream === 'function' && init?.body instanceof ReadableStream;
    const request = oneShot ? null : new Request(input, init);
    // A stream body is sent once as given; a body-less copy describes it.
    const meta = request ?? new Request(input, { ...init, body: null, duplex: undefined });
    const { url, method } = meta;
    const hasKey = meta.headers.has(header);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const origin = new URL(url).origin;
    if (signal?.aborted) throw abortReason(signal);

    const started = nowMs();
    const deadlineAt = timeoutMs === undefined ? Infinity : started + timeoutMs;
    const exec = policy.start(started, budget);
    const delays = [];
    try {
      for (;;) {
        const attempt = exec.attempts;
        // Rejects at once (CircuitOpenError) while the origin's breaker is open.
        const permit = breakers.acquire(origin, attempt - 1);
        const controller = new AbortController();
        let why = '';
        const abortFor = (reason) => () => { if (!why) { why = reason; controller.abort(); } };
        const onCaller = abortFor('caller');
        signal?.addEventListener('abort', onCaller, { once: true });
        const deadlineLeft = deadlineAt - nowMs();
        const attemptLeft = attemptTimeoutMs ?? Infinity;
        const [limitMs, limitReason] = deadlineLeft <= attemptLeft ? [deadlineLeft, 'deadline'] : [attemptLeft, 'attempt'];
        const timer = Number.isFinite(limitMs) ? setTimeout(abortFor(limitReason), Math.max(0, limitMs)) : undefined;
        const attemptStart = nowMs();
        let response;
        let error;
        try {
          // A body-less request can be sent again as is; one with a body is
          // cloned so the next attempt still has it.
          const attemptInput = oneShot ? input : request.body === null ? request : request.clone();
          response = await fetchImpl(attemptInput, oneShot ? { ...init, signal: controller.signal } : { signal: controller.signal });
          if (!(response instanceof Response)) throw new TypeError('fetch did not return a Response');
        } catch (err) {
          error = err;
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onCaller);
        }
        const elapsedMs = nowMs() - attemptStart;
        if (why === 'caller' || signal?.aborted) {
          if (response) discard(response);
          breakers.record(permit, IGNORED, elapsedMs);
          throw abortReason(signal);
        }
        if (why === 'deadline') {
          breakers.record(permit, FAILURE, elapsedMs);
          throw new TimeoutError(`timed out after ${timeoutMs} ms (${attempt} attempt(s))`, { attempts: attempt });
        }
        const status = response ? response.status : -1;
        const reached = !(error && typeof navigator === 'object' && navigator.onLine === false);
        const verdict = classifier.classify(status, method, hasKey, reached);
        const [klass] = verdict.split(' ');
        breakers.record(permit, classifier.breakerOutcome(status, reached), elapsedMs);
        if (klass === 'notAFailure') {
          policy.onSuccess(exec, nowMs(), budget);
          return annotate(response, { attempts: attempt, reason: 'success', delaysMs: delays });
        }
        const hint = response
          ? core.hintMs(HINT_HEADERS.map((h) => response.headers.get(h) ?? '').join('\n'), wallMs())
          : NaN;
        let delayMs;
        let reason;
        if (oneShot) {
          delayMs = -1;
          reason = 'body_not_replayable';
        } else {
          delayMs = policy.onHttpFailure(exec, nowMs(), classifier, status, method, hasKey, reached,
            why === 'attempt', hint, rng.nextUnit(), budget, breakers.registry, origin);
          reason = exec.giveUp;
        }
        if (delayMs < 0) {
          const details = {
            attempts: attempt, reason, classification: verdict, delaysMs: delays,
            requestedMs: reason === 'retry_after_too_long' ? exec.giveUpMs : undefined,
            retryAfterMs: reason === 'breaker_open' ? exec.giveUpMs : undefined,
          };
          if (response) return annotate(response, details);
          throw new RetryError(`${method} ${url} failed after ${attempt} attempt(s): ${reason} (${verdict})`,
            { ...details, cause: error });
        }
        if (response) discard(response);
        delays.push(delayMs);
        if (onRetry) {
          try {
            onRetry({
              url, method, attempt: attempt + 1, delayMs, status: response?.status, error,
              classification: verdict, retryAfterMs: Number.isNaN(hint) ? undefined : hint,
            });
          } catch (e) { reportHookError(e); }
        }
        const waitSignal = signal;
        await sleep(delayMs, waitSignal, () => abortReason(waitSignal));
      }
    } finally {
      exec.free();
    }
  };
}
