// `npm pack` produces a tarball that installs and works in an empty project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed tarball installs into an empty project and works from CommonJS and ESM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormguard-pack-'));
  try {
    run('npm', ['pack', '--silent', '--pack-destination', dir], packageDir);
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const listing = run('tar', ['-tzf', join(dir, tarball)], dir);
    for (const file of ['package/index.js', 'package/index.mjs', 'package/index.d.ts', 'package/stormguard.node', 'package/lib/native.js']) {
      assert.ok(listing.includes(file), `${file} in the tarball`);
    }
    // Every declaration file index.d.ts re-exports is packed.
    for (const file of readdirSync(join(packageDir, 'types'))) {
      assert.ok(listing.includes(`package/types/${file}`), `types/${file} in the tarball`);
    }
    assert.ok(!listing.includes('package/test/'), 'tests are not packed');
    const project = join(dir, 'project');
    run('mkdir', ['-p', project], dir);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, tarball)], project);
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { retryStrategy, classifyRedisError, Backoff } = require('stormguard');
       const s = retryStrategy({ seed: 1, maxAttempts: 2 });
       console.log(JSON.stringify([s(1) >= 0, s(3), classifyRedisError('READONLY x').class, new Backoff({ seed: 1 }).schedule(2).length]));`,
    );
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { retry, reconnectOnError } from 'stormguard';
       import stormguard from 'stormguard';
       const value = await retry(async ({ attempt }) => { if (attempt < 2) throw new Error('x'); return attempt; }, { backoff: { baseMs: 1 } });
       console.log(JSON.stringify([value, reconnectOnError()(new Error('READONLY y')), typeof stormguard.Bulkhead]));`,
    );
    assert.equal(run('node', ['cjs.cjs'], project).trim(), JSON.stringify([true, null, 'reconnectAndResend', 2]));
    assert.equal(run('node', ['esm.mjs'], project).trim(), JSON.stringify([2, 2, 'function']));
    // The installed declarations type-check a consumer (tsc from this package's dev dependencies).
    writeFileSync(
      join(project, 'typed.ts'),
      `import { BreakerRegistry, CircuitBreaker, retryStrategy, type BreakerState } from 'stormguard';
       const state: BreakerState = new CircuitBreaker({ windowSize: 5 }).state;
       const parent: string | undefined = new BreakerRegistry().parent('k');
       const delay: number | null = retryStrategy({ maxAttempts: 3 })(1);
       export { state, parent, delay };`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
          skipLibCheck: false, types: ['node'], typeRoots: [join(packageDir, 'node_modules', '@types')],
        },
        files: ['typed.ts'],
      }),
    );
    const tsc = createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc');
    run('node', [tsc, '-p', 'tsconfig.json'], project);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
