// The object views of js/core.js plus the exports only the `vectors` build
// has (raw generator words, single-header Retry-After parsing and policy,
// Redis/errno/SQLSTATE classification, breaker snapshots), for the vector
// runners.
import * as views from '../../js/core.js';
import { raw, out } from '../../js/wasm.js';
import * as glue from '../../pkg/stormguard_wasm.js';

/** Whether the module is the `vectors` build (the shipped one lacks these exports). */
export const vectorsBuild = typeof glue.classifyRedis === 'function';
const { classifyRedis, classifyErrno, classifySqlstate } = glue;

/** The generator, with its raw 64-bit words. */
class CoreRng extends views.CoreRng {
  nextWordDecimal() { return raw.rngWord(this.h); }
}

/** The core's Retry-After policy and single-header parsing. */
class CoreRetryAfter {
  constructor(prefix, values) {
    this.h = raw.retryAfter(values);
    if (this.h < 0) throw views.lastError(prefix, 'retryAfter');
  }
  static parseMs(name, value, nowUnixMs) { return raw.parseHintMs(name, value, nowUnixMs); }
  static ignoredReason(name, value, nowUnixMs) { return raw.ignoredReason(name, value, nowUnixMs); }
  decide(backoffMs, hintMs) { return raw.retryAfterDecide(this.h, backoffMs, hintMs); }
  free() { raw.free(this.h); }
}

/** The core's backoff, plus the peers' presets (left out of the shipped module). */
class CoreBackoff extends views.CoreBackoff {
  static fromPreset(name, args) {
    return new CoreBackoff('', [], raw.backoffPreset(name, Float64Array.from(args)));
  }
}

const KEY = '';

/** One breaker: a one-key registry, plus snapshots. */
class CoreBreaker {
  constructor(prefix, preset, values, openBackoff) {
    this.r = new views.CoreBreakerRegistry(prefix, preset, values, openBackoff, [1, 1]);
    this.r.touch(KEY);
  }
  tryAcquire(atMs) { return this.r.tryAcquire(KEY, atMs); }
  lastRejectedState() { return this.r.lastRejectedState(); }
  record(atMs, generation, id, outcome, durationMs) { return this.r.record(KEY, atMs, generation, id, outcome, durationMs); }
  pollTransition() { return this.r.pollTransition(KEY); }
  transitionAtMs() { return this.r.transitionAtMs(); }
  pollTimeoutMs() { return this.r.pollTimeoutMs(KEY); }
  tick(atMs) { this.r.tick(KEY, atMs); }
  tripFor(atMs, durationMs) { this.r.tripFor(KEY, atMs, durationMs); }
  control(atMs, action) { this.r.control(KEY, atMs, action); }
  setOpenDraw(u) { this.r.setOpenDraw(KEY, u); }
  state() { return this.r.state(KEY); }
  metrics(atMs) { return this.r.metrics(KEY, atMs); }
  snapshotJson() { return raw.snapshot(this.r.h, this.r.id(KEY, false)); }
  /** The core's admission: [until (−2 none, −1 no waiting, ms, Infinity), generation]. */
  admission(atMs) {
    const until = raw.breakerAdmission(this.r.h, this.r.id(KEY, false), atMs);
    return [until, out()[0]];
  }
  recordAdmitted(atMs, generation, outcome, durationMs) {
    return raw.breakerRecordAdmitted(this.r.h, this.r.id(KEY, false), atMs, generation, outcome, durationMs);
  }
  recordSuccesses(atMs, generation, count) {
    return raw.breakerRecordSuccesses(this.r.h, this.r.id(KEY, false), atMs, generation, count);
  }
  restoreJson(preset, values, openBackoff, json) {
    return raw.restoreSnapshot(this.r.h, this.r.id(KEY, false), preset, values, openBackoff ?? [], json);
  }
  free() { this.r.free(); }
}

export const core = { ...views, CoreBackoff, CoreRng, CoreRetryAfter, CoreBreaker, classifyRedis, classifyErrno, classifySqlstate };
