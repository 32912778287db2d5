// Object views over the module's handle table. The wasm module's exports
// (wasm.js `raw`) take and return numbers;
// this file gives the rest of the JS layer one small class per engine
// (backoff, budget, breakers, classifier, policy, execution, generator)
// that holds a handle, converts names to indexes and back, reads the extra
// results from the scratch buffer and turns a failed construction (−1) into
// a `CoreError` that errors.js turns into the host's error. No decision is
// made here. Handles are released by `free()` or, for objects the caller
// drops, by a FinalizationRegistry.
import { raw, out, NONE } from './wasm.js';
import {
  TABLES, HINT_HEADERS, BREAKER_METRICS, FAILURE_CLASSES, BREAKER_STATES, TRANSITION_REASONS, GIVE_UP_CODES,
} from './tables.js';

const join = (prefix, name) => (prefix && name ? `${prefix}.${name}` : prefix || name);
const VARIANTS = ['notFinite', 'negative', 'outOfRange', 'invalid', 'notInteger', 'unknownVariant'];
const BUDGET_KINDS = ['ratio', 'tokenBucket', 'quota'];
const CLASSES = FAILURE_CLASSES.split(',');
const STATES = BREAKER_STATES.split(',');
const REASONS = TRANSITION_REASONS.split(',');
const GIVE_UPS = GIVE_UP_CODES.split(',');

/** The `name:type` entries of table `name` (js/tables.js) as `[field, type]` pairs. */
const entries = (name) => (TABLES[name] ?? '').split(',').map((f) => f.split(':'));

/** A rejected option, as data (see src/error.rs); errors.js writes the message. */
export class CoreError {
  /**
   * @param {string} variant
   * @param {string} option
   * @param {string} reason
   * @param {number[]} numbers `[value, min, max]`
   */
  constructor(variant, option, reason, numbers) {
    this.variant = variant;
    this.option = option;
    this.reason = reason;
    this.values = numbers;
  }

  /** `variant\noption\nreason`. */
  text() { return `${this.variant}\n${this.option}\n${this.reason}`; }

  /** `[value, min, max]` (NaN when not applicable). */
  numbers() { return this.values; }

  /** Nothing to release (kept for callers written against wasm objects). */
  free() {}
}

/**
 * The error the last failed construction left (see src/error.rs), with its
 * option under `prefix`. `table` is the constructor's field table: a field
 * the module names by position is looked up there (or in the nested table),
 * and a policy field the core names without its struct is found in the
 * table that has it (`baseMs` → `backoff.baseMs`).
 */
export function lastError(prefix, table) {
  const o = out();
  const numbers = [o[0], o[1], o[2]];
  const variant = VARIANTS[o[3]];
  const topLevel = o[4] === 1;
  const index = o[5];
  let nested = raw.text(0);
  let field = raw.text(1);
  let reason = raw.text(2);
  if (index >= 0) {
    const [name, type = ''] = entries(nested === 'openBackoff' ? 'backoff' : nested || table)[index] ?? [];
    field = name ?? '';
    if (!reason && type.startsWith('enum=')) reason = type.slice(5);
  } else if (table === 'policy' && !nested && !topLevel) {
    const has = (t) => entries(t).some(([name]) => name === field);
    nested = has('policy') ? '' : ['retryAfter', 'adaptive'].find(has) ?? 'backoff';
  }
  return new CoreError(variant, topLevel ? field : join(join(prefix, nested), field), reason, numbers);
}

/** A handle, or throws the construction's error (see `lastError`). */
function check(handle, prefix, table) {
  if (handle < 0) throw lastError(prefix, table);
  return handle;
}

const released = new FinalizationRegistry((handle) => raw.free(handle));

/** An object of the handle table; `free()` releases it (the GC does otherwise). */
class Handle {
  /** @param {number} handle (anything but a handle ≥ 0 becomes NONE, so it never frees another object) */
  constructor(handle) {
    this.h = handle >= 0 ? handle : NONE;
    if (this.h !== NONE) released.register(this, this.h, this);
  }

  /** Releases the object now; later calls find nothing. */
  free() {
    if (this.h !== NONE) raw.free(this.h);
    this.forget();
  }

  /** The module released the object itself (a consumed permit). */
  forget() {
    released.unregister(this);
    this.h = NONE;
  }
}

/** The field table `name` (`schedule:enum=…,baseMs:number,…`), `''` if unknown. */
export const schemaOf = (name) => (Object.hasOwn(TABLES, name) ? TABLES[name] : '');

/** The hint header names, comma-separated, in the order `hintMs` reads them. */
export const hintNames = () => HINT_HEADERS;

/** The names of the numbers a breaker's metrics start with, comma-separated. */
export const breakerMetricNames = () => BREAKER_METRICS;

/** The first hint (one line per `hintNames()` entry) that parses, ms; NaN if none. */
export const hintMs = (values, nowUnixMs) => raw.hintMs(values, nowUnixMs);

/** The core's seeded generator. */
export class CoreRng extends Handle {
  constructor(high, low) { super(raw.rng(high, low)); }
  /** The next draw in [0, 1). */
  nextUnit() { return raw.rngUnit(this.h); }
}

/** The core's backoff and one operation's state. */
export class CoreBackoff extends Handle {
  /**
   * @param {string} prefix @param {ArrayLike<number>} values
   * @param {number} [made] a handle another export built (the vectors build's peer presets)
   */
  constructor(prefix, values, made = raw.backoff(values)) {
    super(check(made, prefix, 'backoff'));
  }

  /** The delay before retry `attempt` with draw `u`, advancing the state; −1 past maxAttempts. */
  next(attempt, u) { return raw.backoffOp(this.h, 0, attempt, u); }
  /** As `next`, drawing from `rng` (one draw per delay, none on give-up). */
  nextWithRng(attempt, rng) { return raw.backoffOp(this.h, 1, attempt, rng.h); }
  /** The pure form: fresh state, ignores maxAttempts. */
  delay(attempt, u) { return raw.backoffOp(this.h, 2, attempt, u); }
  /** Forgets the stateful schedules' memory. */
  reset() { raw.backoffOp(this.h, 3, 0, 0); }
  /** maxAttempts (NaN = unlimited). */
  maxAttempts() { return raw.backoffOp(this.h, 4, 0, 0); }
  /** The longest delay the options allow, ms. */
  maxDelayMs() { return raw.backoffOp(this.h, 5, 0, 0); }
}

/** A permit a budget granted (consumed by `onSuccess`). */
class CoreRetryPermit extends Handle {
  constructor(handle, cost) {
    super(handle);
    this.cost = cost;
  }
}

/** The core's retry budget, or none (`CoreRetryBudget.none()`). */
export class CoreRetryBudget extends Handle {
  /** @param {string} prefix @param {string} type @param {ArrayLike<number>} values */
  constructor(prefix, type, values) {
    super(type === undefined ? NONE : check(raw.budget(BUDGET_KINDS.indexOf(type) >>> 0, values), prefix, type));
  }

  /** No budget: the policy sees none. */
  static none() { return new CoreRetryBudget(); }

  onRequest(nowMs) { raw.budgetOp(this.h, 0, nowMs, 0); }
  onFailure(nowMs) { raw.budgetOp(this.h, 1, nowMs, 0); }
  /** A permit, or undefined when refused. `kind`: 0 other, 1 timeout, 2 throttling. */
  tryRetry(nowMs, kind) {
    const permit = raw.budgetOp(this.h, 2, nowMs, kind);
    return permit >= 0 ? new CoreRetryPermit(permit, out()[0]) : undefined;
  }
  /** The call succeeded; `permit` (of its last retry) is consumed. */
  onSuccess(nowMs, permit) {
    raw.budgetOp(this.h, 3, nowMs, permit ? permit.h : NONE);
    permit?.forget();
  }
  balance(nowMs) { return this.h === NONE ? Infinity : raw.budgetOp(this.h, 4, nowMs, 0); }
  /** `[deposits, withdrawals, rejections, balance]`. */
  metrics(nowMs) {
    raw.budgetOp(this.h, 5, nowMs, 0);
    return Array.from(out().subarray(0, 4));
  }
}

/** One breaker per key (a string here, a number in the module). */
export class CoreBreakerRegistry extends Handle {
  /**
   * @param {string} prefix @param {string} preset @param {ArrayLike<number>} values
   * @param {ArrayLike<number> | undefined} openBackoff @param {ArrayLike<number>} registryValues
   */
  constructor(prefix, preset, values, openBackoff, registryValues) {
    super(check(raw.breakers(preset, values, openBackoff ?? [], registryValues), prefix, 'breaker'));
    this.ids = new Map();
    this.keys = new Map();
    this.next = 0;
    this.rejected = '';
    this.at = NaN;
  }

  /** The module's number for `key`, assigned on first use when `create`. */
  id(key, create) {
    let id = this.ids.get(key);
    if (id === undefined) {
      if (!create) return NONE;
      id = this.next++;
      this.ids.set(key, id);
      this.keys.set(id, key);
    }
    return id;
  }

  /** An operation that may create `key`'s breaker; forgets a key the registry evicted. */
  op(key, op, nowMs, x) {
    const result = raw.breakerOp(this.h, this.id(key, true), op, nowMs, x);
    const evicted = out()[31];
    if (evicted >= 0) {
      this.ids.delete(this.keys.get(evicted));
      this.keys.delete(evicted);
    }
    return result;
  }

  /** `[1, generation, id]` admitted, or `[0, retryAfterMs]` (see `lastRejectedState`). */
  tryAcquire(key, nowMs) {
    if (this.op(key, 0, nowMs, 0) === 1) {
      const o = out();
      return [1, o[0], o[1]];
    }
    const o = out();
    this.rejected = STATES[o[1]];
    return [0, o[0]];
  }

  lastRejectedState() { return this.rejected; }

  /** 0 counted, 1 released, 2 late, 3 reused, 4 unknown. */
  record(key, nowMs, generation, id, outcome, durationMs) {
    return raw.breakerRecord(this.h, this.id(key, false), nowMs, generation, id, outcome, durationMs);
  }

  /** The oldest undrained transition, `"from to reason"`, or `''`. */
  pollTransition(key) {
    const at = raw.breakerOp(this.h, this.id(key, false), 10, 0, 0);
    if (Number.isNaN(at)) return '';
    this.at = at;
    const o = out();
    return `${STATES[o[0]]} ${STATES[o[1]]} ${REASONS[o[2]]}`;
  }

  transitionAtMs() { return this.at; }
  pollTimeoutMs(key) { return raw.breakerOp(this.h, this.id(key, false), 8, 0, 0); }
  tick(key, nowMs) { raw.breakerOp(this.h, this.id(key, false), 7, nowMs, 0); }
  /** Counters, window contents, rates, ms per state (empty for an unknown key). */
  metrics(key, nowMs) {
    const count = raw.breakerOp(this.h, this.id(key, false), 11, nowMs, 0);
    return Number.isNaN(count) ? [] : Array.from(out().subarray(0, count));
  }
  /** 0 forceOpen, 1 disable, 2 metricsOnly, 3 reset. */
  control(key, nowMs, action) { if (action >= 0 && action <= 3) this.op(key, 1 + action, nowMs, 0); }
  tripFor(key, nowMs, durationMs) { this.op(key, 5, nowMs, durationMs); }
  /** Creates `key`'s breaker (closed) if it has none. */
  touch(key) { this.op(key, 13, 0, 0); }
  setOpenDraw(key, u) { raw.breakerOp(this.h, this.id(key, false), 6, 0, u); }
  state(key) { return STATES[raw.breakerOp(this.h, this.id(key, false), 9, 0, 0)]; }
}

/** The core's HTTP classifier. */
export class CoreHttpClassifier extends Handle {
  /**
   * Absent lists keep the core's defaults; methods arrive joined with each
   * one's UTF-8 length.
   */
  constructor(prefix, retryOnStatus, delayOnStatus, methods, methodLengths) {
    const present = (retryOnStatus ? 1 : 0) | (delayOnStatus ? 2 : 0) | (methods !== undefined ? 4 : 0);
    super(check(raw.classifier(retryOnStatus ?? [], delayOnStatus ?? [], methods ?? '', methodLengths ?? [], present), prefix, ''));
  }

  /** `"<class> <reason>"`. */
  classify(status, method, idempotencyKey, reachedServer) {
    raw.classify(this.h, status, method, (idempotencyKey ? 1 : 0) | (reachedServer ? 2 : 0));
    return `${CLASSES[out()[0]]} ${raw.text(0)}`;
  }

  /** What a breaker counts: 0 success, 1 failure, 2 ignored. */
  breakerOutcome(status, reachedServer) {
    return raw.classify(this.h, status, '', reachedServer ? 2 : 0);
  }
}

/** One operation being retried. */
class CoreExecution extends Handle {
  /** Attempts made so far, the current one included. */
  get attempts() { return raw.execInfo(this.h); }
  /** The give-up code, or `''` while retrying. */
  get giveUp() { raw.execInfo(this.h); return GIVE_UPS[out()[2]] ?? ''; }
  /** Details of the give-up in ms (see src/api/policy.rs), else NaN. */
  get giveUpMs() { raw.execInfo(this.h); return out()[0]; }
  /** For a `deadline` give-up, the time that was left; else NaN. */
  get remainingMs() { raw.execInfo(this.h); return out()[1]; }
  /** The not-retriable reason code, or `''`. */
  get notRetriableReason() { raw.execInfo(this.h); return raw.text(0); }
}

const key = (breakers, name) => (breakers.h === NONE ? NONE : breakers.id(name, false));

/** The core's retry policy. */
export class CorePolicy extends Handle {
  constructor(values, backoff, retryAfter, adaptive) {
    super(check(raw.policy(values, backoff, retryAfter, adaptive), '', 'policy'));
  }

  /** Starts an operation, depositing into `budget`. */
  start(nowMs, budget) { return new CoreExecution(raw.start(this.h, nowMs, budget.h)); }

  onSuccess(exec, nowMs, budget) { raw.succeed(this.h, exec.h, nowMs, budget.h); }

  /**
   * A failure the host classified (`class` a FailureClass name, `kind` 0
   * other, 1 timeout, 2 throttling): the delay, or −1 to give up.
   */
  onFailure(exec, nowMs, klass, kind, hintMs, u, budget, breakers, name) {
    const index = CLASSES.indexOf(klass);
    if (index < 0) throw new CoreError('unknownVariant', 'class', CLASSES.join('|'), [NaN, NaN, NaN]);
    return raw.decide(this.h, exec.h, nowMs, NONE, index, '', (kind & 3) << 4, hintMs, u, budget.h, breakers.h, key(breakers, name));
  }

  /** An HTTP attempt failed or returned `status` (< 0: no response), classified by `classifier`. */
  onHttpFailure(exec, nowMs, classifier, status, method, idempotencyKey, reached, timedOut, hintMs, u, budget, breakers, origin) {
    const flags = (idempotencyKey ? 1 : 0) | (reached ? 2 : 0) | (timedOut ? 4 : 0);
    return raw.decide(this.h, exec.h, nowMs, classifier.h, status, method, flags, hintMs, u, budget.h, breakers.h, key(breakers, origin));
  }

  /** The attempt limit in force (lowered by adaptive attempts; test builds only). */
  attemptLimit(nowMs) { return raw.attemptLimit(this.h, nowMs); }
}
