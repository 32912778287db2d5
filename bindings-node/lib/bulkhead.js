'use strict';
/**
 * `Bulkhead`: at most `maxConcurrent` calls at once, at most `maxQueued`
 * waiting (FIFO), waits bounded by `maxQueueWaitMs`. The core decides every
 * admission and hand-over; this layer keeps the waiting promises, wakes the
 * ticket a decision names, and times out waiters with one timer armed
 * from the core's `poll_timeout` (only while someone waits).
 * @module stormguard/lib/bulkhead
 */
const native = require('./native');
const { split, toJson, clockOf } = require('./options');
const { checkFunction, checkNumber, checkSignal, BulkheadRejectedError } = require('./errors');

class Bulkhead {
  #native;
  #now;
  /** ticket → { resolve, reject, detach } */
  #waiters = new Map();
  #timer = null;

  /** @param {object} [options] `maxConcurrent` (25), `maxQueued` (0), `maxQueueWaitMs` (none), `clock` */
  constructor(options) {
    const { host, core } = split('Bulkhead', options, ['clock']);
    this.#now = clockOf(host.clock);
    this.#native = new native.NativeBulkhead(toJson(core));
  }

  /**
   * Runs `fn` when a slot is free: at once, after waiting in the queue, or
   * never (rejects with `BulkheadRejectedError`).
   * @template T
   * @param {(context: { signal?: AbortSignal }) => T | Promise<T>} fn
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<T>}
   */
  async run(fn, options) {
    checkFunction('fn', fn);
    const signal = options?.signal;
    checkSignal(signal);
    signal?.throwIfAborted();
    const admission = this.#native.tryEnter(this.#now());
    let permit;
    if (admission.outcome === 'admitted') permit = admission.id;
    else if (admission.outcome === 'queued') permit = await this.#wait(admission.id, signal);
    else throw new BulkheadRejectedError(admission.reason);
    try {
      return await fn({ signal });
    } finally {
      this.#wake(this.#native.release(this.#now(), permit));
    }
  }

  #wait(ticket, signal) {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(ticket);
        this.#wake(this.#native.cancel(this.#now(), ticket));
        reject(signal.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const detach = () => signal?.removeEventListener('abort', onAbort);
      this.#waiters.set(ticket, { resolve, reject, detach });
      this.#arm();
    });
  }

  /** Hands a slot to the ticket a decision named (if any). */
  #wake(ticket) {
    if (ticket !== null && ticket !== undefined) {
      const waiter = this.#waiters.get(ticket);
      if (waiter) {
        this.#waiters.delete(ticket);
        waiter.detach();
        waiter.resolve(this.#native.claim(ticket));
      }
    }
    this.#arm();
  }

  /** Arms one timer for the core's next queue deadline. */
  #arm() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const at = this.#native.pollTimeout();
    if (at === null || at === undefined) return;
    const delay = Math.max(0, Math.ceil(at - this.#now()));
    // Ref'd on purpose: a waiter is in-flight work, like a pending request.
    this.#timer = setTimeout(() => this.#expire(), Math.min(delay, 2147483647));
  }

  #expire() {
    this.#timer = null;
    for (let ticket = this.#native.handleTimeout(this.#now()); ticket !== null && ticket !== undefined; ticket = this.#native.handleTimeout(this.#now())) {
      const waiter = this.#waiters.get(ticket);
      if (waiter) {
        this.#waiters.delete(ticket);
        waiter.detach();
        waiter.reject(new BulkheadRejectedError('queueTimeout'));
      }
    }
    this.#arm();
  }

  /** Low level: `{ outcome: 'admitted' | 'queued' | 'rejected', id?, reason? }`. */
  tryEnter() {
    const a = this.#native.tryEnter(this.#now());
    return a.outcome === 'rejected' ? { outcome: a.outcome, reason: a.reason } : { outcome: a.outcome, id: a.id };
  }

  /** Low level: ends a call; the ticket now owning its slot, or `null`. */
  release(permit) {
    checkNumber('permit', permit);
    return this.#native.release(this.#now(), permit) ?? null;
  }

  /** Low level: a granted ticket becomes a permit. */
  claim(ticket) {
    checkNumber('ticket', ticket);
    return this.#native.claim(ticket);
  }

  /** Low level: a waiter gives up; the next ticket to wake, or `null`. */
  cancel(ticket) {
    checkNumber('ticket', ticket);
    return this.#native.cancel(this.#now(), ticket) ?? null;
  }

  /** Low level: when the oldest waiter's wait runs out (clock ms), or `null`. */
  pollTimeoutMs() {
    return this.#native.pollTimeout() ?? null;
  }

  /** Low level: the next waiter whose wait ran out, removed, or `null`. */
  handleTimeout() {
    return this.#native.handleTimeout(this.#now()) ?? null;
  }

  /** Low level: waiters ahead of `ticket`, or `null` when it is not queued. */
  position(ticket) {
    checkNumber('ticket', ticket);
    return this.#native.position(ticket) ?? null;
  }

  /** `{ active, awaitingClaim, queued, admitted, rejected, cancelled, timedOut, peakActive, peakQueued }`. */
  metrics() {
    return JSON.parse(this.#native.metrics());
  }
}

module.exports = { Bulkhead };
