'use strict';
/**
 * Loads the compiled addon (`stormguard.node` next to `index.js`).
 * @module stormguard/lib/native
 */
const path = require('node:path');

let addon;
try {
  addon = require(path.join(__dirname, '..', 'stormguard.node'));
} catch (error) {
  const hint = new Error(
    'stormguard: the native addon `stormguard.node` could not be loaded. ' +
      'Build it with `npm run build` (cargo build -p stormguard-node, then copy the library). ' +
      `Cause: ${error && error.message}`,
  );
  hint.code = 'ERR_STORMGUARD_ADDON';
  hint.cause = error;
  throw hint;
}

module.exports = addon;
