'use strict';
/**
 * `BreakerRegistry`: one `CircuitBreaker` per key (per endpoint, per Redis
 * node), at most `maxKeys` of them. The core's registry decides which key is
 * least recently used and evicted; this layer keeps the breaker objects and
 * emits `evict` with `{ key, breaker }`.
 * @module stormguard/lib/registry
 */
const { EventEmitter } = require('node:events');
const native = require('./native');
const { split, toJson, isPlainObject } = require('./options');
const { argTypeError, configError } = require('./errors');
const { CircuitBreaker } = require('./breaker');

class BreakerRegistry extends EventEmitter {
  #registry;
  #breakers = new Map(); // slot → CircuitBreaker
  #nextSlot = 1;
  #breakerOptions;

  /**
   * @param {{ maxKeys?: number, breaker?: object }} [options] `maxKeys` (1000)
   *   and the options every breaker is built with (`CircuitBreaker` options;
   *   each breaker is named after its key).
   */
  constructor(options) {
    super();
    const { host, core } = split('BreakerRegistry', options, ['breaker']);
    if (host.breaker !== undefined && host.breaker !== null && !isPlainObject(host.breaker)) {
      throw configError(TypeError, 'breaker', 'a plain object of CircuitBreaker options', host.breaker);
    }
    this.#breakerOptions = host.breaker ?? {};
    this.#registry = new native.NativeRegistry(toJson(core));
    // Validate the breaker options once, now, rather than on first use.
    new CircuitBreaker(this.#breakerOptions).close();
  }

  /** The breaker for `key`, created on first use (marks it recently used). */
  get(key) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    const slot = this.#nextSlot;
    const { value, evicted } = this.#registry.getOrInsert(key, slot, undefined);
    if (evicted) this.#evicted(evicted);
    if (value === slot) {
      this.#nextSlot++;
      this.#breakers.set(slot, new CircuitBreaker({ ...this.#breakerOptions, name: key }));
    }
    return this.#breakers.get(value);
  }

  /** The breaker for `key` if present, without marking it used. */
  peek(key) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    const slot = this.#registry.peek(key);
    return slot === null || slot === undefined ? undefined : this.#breakers.get(slot);
  }

  /** Runs `fn` through the breaker for `key`. */
  execute(key, fn, options) {
    return this.get(key).execute(fn, options);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    const slot = this.#registry.remove(key);
    if (slot === null || slot === undefined) return false;
    this.#breakers.get(slot)?.close();
    this.#breakers.delete(slot);
    return true;
  }

  /** Keys, most recently used first. */
  keys() {
    return this.#registry.state().keys;
  }

  /** Breakers held now. */
  get size() {
    return this.#registry.size;
  }

  /** `{ [key]: breaker metrics }`. */
  metrics() {
    const { keys, values } = this.#registry.state();
    const out = {};
    keys.forEach((key, i) => {
      out[key] = this.#breakers.get(values[i]).metrics();
    });
    return out;
  }

  #evicted({ key, value }) {
    const breaker = this.#breakers.get(value);
    this.#breakers.delete(value);
    if (breaker) {
      breaker.close();
      this.emit('evict', { key, breaker });
    }
  }
}

module.exports = { BreakerRegistry };
