// Per-origin circuit breakers for `createFetch`: the core's breaker in the
// core's bounded registry (least recently used origin evicted past
// `maxOrigins`). This file reads the clock, drains transitions into
// `onStateChange`, and arms a timer so half-open is announced on time.
import * as core from './core.js';
import { call, CircuitOpenError } from './errors.js';
import { breakerArgs, drain, registryValues } from './breaker.js';
import { nowMs, createRng } from './clock.js';
import { NO_BREAKERS } from './policy.js';

/**
 * @param {unknown} options the `breaker` option: options object, or `false`
 * @param {unknown} maxOrigins
 * @param {Function | undefined} onStateChange
 */
export function createBreakers(options, maxOrigins, onStateChange) {
  if (options === false) {
    return { registry: NO_BREAKERS, acquire() { return null; }, record() {}, state() { return 'disabled'; } };
  }
  const { preset, values, openBackoff, seed } = breakerArgs(options, 'breaker');
  const registry = call(() => new core.CoreBreakerRegistry('breaker', preset, values, openBackoff, registryValues(maxOrigins)));
  const rng = createRng(seed, 'breaker.seed');
  const timers = new Map();

  const after = (origin) => {
    drain(registry, origin, undefined, onStateChange);
    clearTimeout(timers.get(origin));
    timers.delete(origin);
    const at = registry.pollTimeoutMs(origin);
    if (!Number.isNaN(at)) {
      const timer = setTimeout(() => {
        timers.delete(origin);
        registry.tick(origin, nowMs());
        after(origin);
      }, Math.min(Math.max(0, Math.ceil(at - nowMs())), 2147483647));
      timer?.unref?.();
      timers.set(origin, timer);
    }
  };

  return {
    /** The core registry, which the policy consults before each retry. */
    registry,
    /** A permit for one attempt at `origin`, or throws CircuitOpenError. */
    acquire(origin, attemptsMade) {
      const [admitted, generationOrRetryMs, id] = registry.tryAcquire(origin, nowMs());
      after(origin);
      if (!admitted) {
        const retryAfterMs = generationOrRetryMs;
        const state = registry.lastRejectedState();
        throw new CircuitOpenError(`circuit breaker for ${origin} is ${state}`, {
          retryAfterMs: Number.isNaN(retryAfterMs) ? null : retryAfterMs, key: origin, state, attempts: attemptsMade,
        });
      }
      return { origin, generation: generationOrRetryMs, id };
    },
    /** Reports the attempt's outcome: 0 success, 1 failure, 2 ignored. */
    record(handle, outcome, durationMs) {
      if (!handle) return;
      registry.record(handle.origin, nowMs(), handle.generation, handle.id, outcome, durationMs);
      registry.setOpenDraw(handle.origin, rng.nextUnit());
      after(handle.origin);
    },
    /** The state of `origin`'s breaker. */
    state(origin) {
      return registry.state(origin);
    },
  };
}
