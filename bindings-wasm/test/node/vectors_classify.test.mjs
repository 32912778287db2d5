// tests/vectors/classify.json through the wasm build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { core } from '../support/core.mjs';
import { call } from '../../js/errors.js';
import { joined } from '../../js/fetch.js';
import { load, strict, assertConfigError } from '../support/vectors.mjs';

function classifier(options = {}) {
  strict(options, ['retryOnStatus', 'delayOnStatus', 'retryMethods'], 'options');
  return call(() => new core.CoreHttpClassifier('', options.retryOnStatus, options.delayOnStatus, ...joined(options.retryMethods)));
}

for (const c of load('classify.json', 'classify')) {
  test(`classify: ${c.name}`, () => {
    let got;
    switch (c.op) {
      case 'redis':
        strict(c, ['op', 'name', 'message', 'class', 'reason'], c.name);
        got = core.classifyRedis(c.message);
        break;
      case 'errno':
        strict(c, ['op', 'name', 'code', 'class', 'reason'], c.name);
        got = core.classifyErrno(c.code);
        break;
      case 'sqlstate':
        strict(c, ['op', 'name', 'code', 'class', 'reason'], c.name);
        got = core.classifySqlstate(c.code);
        break;
      case 'http': {
        strict(c, ['op', 'name', 'status', 'method', 'idempotencyKey', 'reachedServer', 'options', 'class', 'reason'], c.name);
        const http = classifier(c.options);
        got = http.classify(c.status === null ? -1 : c.status, c.method, c.idempotencyKey, c.reachedServer);
        http.free();
        break;
      }
      case 'invalidHttpOptions':
        strict(c, ['op', 'name', 'options', 'errorField'], c.name);
        assertConfigError(() => classifier(c.options), c.errorField, c.name);
        return;
      default:
        assert.fail(`unknown op ${c.op}`);
    }
    assert.equal(got, `${c.class} ${c.reason}`, c.name);
  });
}
