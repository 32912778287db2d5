// Shared helpers for the vector runners: load a file strictly, compare
// durations within 1 ns (relative for huge values), build core objects
// through the package's own validation so errors are checked end to end.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const dir = new URL('../../../tests/vectors/', import.meta.url);

/** Loads `file` and checks its kind. */
export function load(file, kind) {
  const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  assert.equal(doc.kind, kind, `${file}: unexpected kind`);
  assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, `${file}: no cases`);
  return doc.cases;
}

/** Fails on any key not in `allowed`. */
export function strict(obj, allowed, where) {
  for (const key of Object.keys(obj)) {
    assert.ok(allowed.includes(key), `${where}: unknown key ${JSON.stringify(key)}`);
  }
}

/** Durations compare within 1 ns, relative for values beyond 1e6 ms. */
export function assertMs(actual, expected, where) {
  const tolerance = Math.max(1e-6, Math.abs(expected) * 1e-12);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${where}: expected ${expected} ms, got ${actual} ms`);
}

/** Runs `fn`, expecting a config error naming `field`. */
export function assertConfigError(fn, field, where) {
  let thrown;
  try { fn(); } catch (e) { thrown = e; }
  assert.ok(thrown, `${where}: expected an error naming ${field}`);
  assert.equal(thrown.code, 'ERR_INVALID_CONFIG', `${where}: ${thrown}`);
  assert.ok(thrown instanceof RangeError || thrown instanceof TypeError, `${where}: ${thrown}`);
  assert.equal(thrown.option, field, `${where}: ${thrown.message}`);
}
