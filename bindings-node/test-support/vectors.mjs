// Loading the shared vectors (tests/vectors/*.json) and comparing values.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'vectors');

/** Every vector file as `{ file, kind, description, cases }`, sorted by name. */
export function vectorFiles() {
  return readdirSync(VECTORS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8'));
      assert.deepEqual(Object.keys(parsed).sort(), ['cases', 'description', 'kind'], `${file}: top-level keys`);
      return { file, ...parsed };
    });
}

/** Milliseconds equal within a nanosecond (relative for huge values), as the Rust harness. */
export function assertMs(actual, expected, context) {
  assert.equal(typeof actual, 'number', `${context}: got ${actual}`);
  const tolerance = Math.max(1e-6, Math.abs(expected) * 1e-12);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${context}: expected ${expected} ms, got ${actual} ms`);
}

/** Throws unless `object` has only `allowed` keys (strict parsing). */
export function onlyKeys(object, allowed, context) {
  for (const key of Object.keys(object)) {
    assert.ok(allowed.includes(key), `${context}: unknown key \`${key}\``);
  }
}

/** Asserts `fn` throws a config error naming `field`. */
export function assertConfigError(fn, field, context) {
  assert.throws(fn, (error) => {
    assert.equal(error.code, 'ERR_INVALID_CONFIG', `${context}: code of ${error}`);
    assert.ok(error instanceof TypeError || error instanceof RangeError, `${context}: class of ${error}`);
    assert.ok(error.message.includes(`\`${field}\``), `${context}: ${error.message} should name ${field}`);
    return true;
  });
}

/** A virtual clock: `clock()` reads it, `set(ms)` moves it. */
export function virtualClock(start = 0) {
  let now = start;
  const clock = () => now;
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}
