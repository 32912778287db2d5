'use strict';
/**
 * `BreakerRegistry`: one `CircuitBreaker` per key (per endpoint, per Redis
 * node), at most `maxKeys` of them. The core's registry decides which key is
 * least recently used and evicted; this layer keeps the breaker objects and
 * emits `evict` with `{ key, breaker }`.
 *
 * Hierarchy: a key may live under a parent key (endpoints under their host,
 * nodes under their cluster). While the parent's breaker would not admit a
 * call, every child's call is rejected without asking the child; the
 * parent's window sees all its children's calls. The core decides both
 * (`breaker::hierarchy`); a parent is never evicted while it has children
 * and cannot be deleted before them.
 * @module stormguard/lib/registry
 */
const { EventEmitter } = require('node:events');
const native = require('./native');
const { split, toJson, isPlainObject } = require('./options');
const { argTypeError, configError, withCode } = require('./errors');
const { CircuitBreaker } = require('./breaker');
const { LINK_PARENT } = require('./internal');

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

  /**
   * The breaker for `key`, created on first use (marks it and its ancestors
   * recently used). With `parent`, a new key is created under `parent`
   * (itself created on first use, as a root); an existing key must already
   * be under `parent` (`ERR_PARENT_MISMATCH` otherwise).
   * @param {string} key
   * @param {string} [parent]
   */
  get(key, parent) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    if (parent === undefined || parent === null) return this.#getOrCreate(key, undefined);
    if (typeof parent !== 'string') throw argTypeError('parent', 'a string', parent);
    try {
      return this.#getOrCreate(key, parent);
    } catch (error) {
      // The core refuses a child of a missing parent: create the parent (as
      // a root) and ask again. Any other refusal stands, with no side effect;
      // so does a key that already exists (it cannot be under a parent that
      // does not exist, and making room for the parent could evict it).
      if (error?.code !== 'ERR_UNKNOWN_PARENT') throw error;
      if (this.#registry.peek(key) !== null && this.#registry.peek(key) !== undefined) {
        throw withCode(Error, 'ERR_PARENT_MISMATCH', `\`${key}\` is already present under a different parent than "${parent}"`);
      }
      this.#getOrCreate(parent, undefined);
      return this.#getOrCreate(key, parent);
    }
  }

  #getOrCreate(key, parent) {
    const slot = this.#nextSlot;
    const { value, evicted } = this.#registry.getOrInsert(key, slot, parent);
    if (evicted) this.#evicted(evicted);
    if (value === slot) {
      this.#nextSlot++;
      const breaker = new CircuitBreaker({ ...this.#breakerOptions, name: key });
      if (parent !== undefined) breaker[LINK_PARENT](this.#breakers.get(this.#registry.peek(parent)));
      this.#breakers.set(slot, breaker);
    }
    return this.#breakers.get(value);
  }

  /** The parent key `key` was created under, or undefined (no refresh). */
  parent(key) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    return this.#registry.parent(key) ?? undefined;
  }

  /** The breaker for `key` if present, without marking it used. */
  peek(key) {
    if (typeof key !== 'string') throw argTypeError('key', 'a string', key);
    const slot = this.#registry.peek(key);
    return slot === null || slot === undefined ? undefined : this.#breakers.get(slot);
  }

  /**
   * Runs `fn` through the breaker for `key` (under `options.parent` when
   * given, as `get(key, parent)`).
   */
  execute(key, fn, options) {
    return this.get(key, options?.parent).execute(fn, options);
  }

  /** Removes `key`; returns whether it was present. A parent with live children is `ERR_HAS_CHILDREN`. */
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
