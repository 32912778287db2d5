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
  /** A registry breaker's parent breaker (getter), or undefined. */
  PARENT: Symbol('stormguard.parent'),
  /** Links a registry breaker under its parent breaker. */
  LINK_PARENT: Symbol('stormguard.linkParent'),
  /** Acquires a permit without throwing or emitting `reject` (null when refused). */
  ACQUIRE_QUIETLY: Symbol('stormguard.acquireQuietly'),
};
