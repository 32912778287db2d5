'use strict';
/**
 * `SeededRng`: the generator every stormguard object uses (xoshiro256++
 * seeded by SplitMix64), the same stream in Rust, Node, Python and wasm.
 * @module stormguard/lib/rng
 */
const native = require('./native');
const { seedText } = require('./options');

class SeededRng {
  #native;

  /** @param {number | bigint | string} [seed] default: 8 bytes from `crypto.randomBytes` */
  constructor(seed) {
    this.#native = new native.NativeSeededRng(seedText(seed));
  }

  /** The next 64 random bits. @returns {bigint} */
  nextU64() {
    return this.#native.nextU64();
  }

  /** The next draw in [0, 1). */
  nextUnit() {
    return this.#native.nextUnit();
  }
}

module.exports = { SeededRng };
