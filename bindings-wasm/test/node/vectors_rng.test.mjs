// tests/vectors/rng.json through the wasm build: the same seed gives the same
// stream as every other binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { load, strict } from '../support/vectors.mjs';

for (const c of load('rng.json', 'rng')) {
  test(`rng: ${c.name}`, () => {
    strict(c, ['name', 'seed', 'words', 'units'], c.name);
    const seed = BigInt(c.seed);
    const rng = new core.CoreRng(Number(seed >> 32n), Number(seed & 0xffffffffn));
    for (const word of c.words) assert.equal(rng.nextWordDecimal(), word, c.name);
    for (const unit of c.units) assert.equal(rng.nextUnit(), unit, c.name);
    rng.free();
  });
}
