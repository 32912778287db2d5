'use strict';
/**
 * Symbols shared between the JavaScript modules (not part of the public API).
 * @module stormguard/lib/internal
 */
module.exports = {
  /** The native object behind a public wrapper. */
  NATIVE: Symbol('stormguard.native'),
  /** The clock of a public wrapper. */
  CLOCK: Symbol('stormguard.clock'),
};
