// tests/vectors/bulkhead.json and registry.json through the wasm build. The
// browser package does not ship these engines, so the `vectors` build exports
// them as two test-only classes (src/api/vectors_engines.rs) answering in
// short strings; what is checked is the core compiled for wasm32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorsBulkhead, VectorsRegistry } from '../../pkg/stormguard_wasm.js';
import '../support/core.mjs';
import { assertMs, load, strict } from '../support/vectors.mjs';

const numberOrNull = (n) => (Number.isNaN(n) ? null : n);

for (const c of load('bulkhead.json', 'bulkhead')) {
  test(`bulkhead: ${c.name}`, () => {
    strict(c, ['name', 'options', 'ops', 'expectError'], c.name);
    const b = new VectorsBulkhead(JSON.stringify(c.options ?? {}));
    if (c.expectError) {
      strict(c.expectError, ['field'], c.name);
      assert.equal(b.error(), c.expectError.field, c.name);
      return;
    }
    assert.equal(b.error(), '', c.name);
    const ids = new Map(); // label → id
    const labels = new Map(); // ticket id → label
    const idOf = (label, at) => {
      assert.ok(ids.has(label), `${at}: unknown label ${label}`);
      return ids.get(label);
    };
    const labelOf = (ticket) => (ticket === '' ? null : labels.get(Number(ticket)) ?? `#${ticket}`);
    const handed = (answer, op, at) => {
      if (op.expectError) assert.equal(answer, `error ${op.expectError}`, at);
      else assert.equal(labelOf(answer), op.expectHandedTo ?? null, at);
    };
    let now = 0;
    c.ops.forEach((op, i) => {
      const at = `${c.name} op ${i} (${op.op})`;
      if (op.nowMs !== undefined) now = op.nowMs;
      switch (op.op) {
        case 'enter': {
          strict(op, ['op', 'nowMs', 'expect', 'as', 'reason'], at);
          const [outcome, detail] = b.tryEnter(now).split(' ');
          assert.equal(outcome, op.expect, at);
          if (outcome === 'rejected') assert.equal(detail, op.reason, at);
          else {
            ids.set(op.as, Number(detail));
            if (outcome === 'queued') labels.set(Number(detail), op.as);
          }
          break;
        }
        case 'release':
          strict(op, ['op', 'nowMs', 'permit', 'expectHandedTo', 'expectError'], at);
          handed(b.release(now, idOf(op.permit, at)), op, at);
          break;
        case 'cancel':
          strict(op, ['op', 'nowMs', 'ticket', 'expectHandedTo', 'expectError'], at);
          handed(b.cancel(now, idOf(op.ticket, at)), op, at);
          break;
        case 'claim': {
          strict(op, ['op', 'ticket', 'as', 'expectError'], at);
          const answer = b.claim(idOf(op.ticket, at));
          if (op.expectError) assert.equal(answer, `error ${op.expectError}`, at);
          else ids.set(op.as, Number(answer));
          break;
        }
        case 'pollTimeout': {
          strict(op, ['op', 'expectMs'], at);
          const actual = numberOrNull(b.pollTimeoutMs());
          if (op.expectMs === null) assert.equal(actual, null, at);
          else assertMs(actual, op.expectMs, at);
          break;
        }
        case 'handleTimeout':
          strict(op, ['op', 'nowMs', 'expectTicket'], at);
          assert.equal(labelOf(b.handleTimeout(now)), op.expectTicket ?? null, at);
          break;
        case 'position':
          strict(op, ['op', 'ticket', 'expect'], at);
          assert.equal(numberOrNull(b.position(idOf(op.ticket, at))), op.expect ?? null, at);
          break;
        case 'metrics':
          strict(op, ['op', 'expect'], at);
          assert.deepEqual(JSON.parse(b.metrics()), op.expect, at);
          break;
        default:
          assert.fail(`${at}: unknown op`);
      }
    });
    b.free();
  });
}

const entry = (text) => {
  if (text === '') return null;
  const [key, value] = text.split(' ');
  return { key, value: Number(value) };
};
const lines = (text) => (text === '' ? [] : text.split('\n'));

for (const c of load('registry.json', 'registry')) {
  test(`registry: ${c.name}`, () => {
    strict(c, ['name', 'options', 'ops', 'expectError'], c.name);
    const r = new VectorsRegistry(JSON.stringify(c.options ?? {}));
    if (c.expectError) {
      strict(c.expectError, ['field'], c.name);
      assert.equal(r.error(), c.expectError.field, c.name);
      return;
    }
    assert.equal(r.error(), '', c.name);
    c.ops.forEach((op, i) => {
      const at = `${c.name} op ${i} (${op.op})`;
      switch (op.op) {
        case 'getOrInsert': {
          strict(op, ['op', 'key', 'value', 'parent', 'expectValue', 'expectEvicted', 'expectError'], at);
          const answer = r.getOrInsert(op.key, op.value, op.parent ?? '');
          if (op.expectError) assert.equal(answer, `error ${op.expectError}`, at);
          else {
            const [value, evicted] = answer.split('\n');
            assert.equal(Number(value), op.expectValue, at);
            assert.deepEqual(entry(evicted), op.expectEvicted ?? null, at);
          }
          break;
        }
        case 'get':
          strict(op, ['op', 'key', 'expectValue'], at);
          assert.equal(numberOrNull(r.get(op.key)), op.expectValue ?? null, at);
          break;
        case 'peek':
          strict(op, ['op', 'key', 'expectValue'], at);
          assert.equal(numberOrNull(r.peek(op.key)), op.expectValue ?? null, at);
          break;
        case 'set':
          strict(op, ['op', 'key', 'value', 'expectFound'], at);
          assert.equal(r.set(op.key, op.value), op.expectFound, at);
          break;
        case 'remove': {
          strict(op, ['op', 'key', 'expectValue', 'expectError'], at);
          const answer = r.remove(op.key);
          if (op.expectError) assert.equal(answer, `error ${op.expectError}`, at);
          else assert.equal(answer === '' ? null : Number(answer), op.expectValue ?? null, at);
          break;
        }
        case 'popLru':
          strict(op, ['op', 'expectEvicted'], at);
          assert.deepEqual(entry(r.popLru()), op.expectEvicted ?? null, at);
          break;
        case 'chain':
          strict(op, ['op', 'key', 'expectKeys'], at);
          assert.deepEqual(lines(r.chain(op.key)), op.expectKeys, at);
          break;
        case 'state': {
          strict(op, ['op', 'expectKeys', 'expectValues'], at);
          const [keys, values] = r.state().split('|');
          assert.deepEqual(lines(keys), op.expectKeys, at);
          assert.deepEqual(lines(values).map(Number), op.expectValues, at);
          assert.equal(r.size(), op.expectKeys.length, at);
          break;
        }
        case 'capacity':
          strict(op, ['op', 'expect'], at);
          assert.equal(r.capacity(), op.expect, at);
          break;
        default:
          assert.fail(`${at}: unknown op`);
      }
    });
    r.free();
  });
}
