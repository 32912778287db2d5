// Real redis-server and Sentinel processes on 127.0.0.1 for the tests:
// random free ports, no persistence, stopped by pid (also on failure).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline command and resolves with the raw reply text (or rejects). */
export function rawCommand(port, command, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from ${port} to ${command}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.endsWith('\r\n') && (!data.startsWith('$') || data.split('\r\n').length >= 3)) {
        clearTimeout(timer);
        socket.end();
        resolve(data);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Polls `check` every `everyMs` until it returns truthy, up to `withinMs`. */
export async function waitFor(what, check, { withinMs = 15000, everyMs = 50 } = {}) {
  const until = Date.now() + withinMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

const live = new Set();
const all = new Set();

/** One server process; `stop()` kills it by pid and waits for the exit. */
class ServerProcess {
  constructor(port, args, dir) {
    this.port = port;
    this.args = args;
    this.dir = dir;
    all.add(this);
    this.start();
  }

  start() {
    this.child = spawn('redis-server', this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.log = '';
    const keep = (chunk) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-20000);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    live.add(this);
  }

  get pid() {
    return this.child.pid;
  }

  async ready() {
    await waitFor(`redis on ${this.port}`, async () => (await rawCommand(this.port, 'PING')).startsWith('+PONG'), { withinMs: 10000, everyMs: 20 });
    return this;
  }

  /** Kills the process (SIGKILL: a crash, not a shutdown) and waits. */
  async kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.child.pid, 'SIGKILL');
    await this.exited;
    live.delete(this);
  }

  /** Starts the same server again on the same port. */
  async restart() {
    this.start();
    return this.ready();
  }

  async stop() {
    await this.kill();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A redis-server on a free port; `args` are extra command-line options. */
export async function startRedis(args = []) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stormguard-redis-'));
  const server = new ServerProcess(
    port,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args],
    dir,
  );
  return server.ready();
}

/** A Sentinel monitoring `masterName` at `masterPort`. */
export async function startSentinel(masterName, masterPort, { quorum = 2, downAfterMs = 1000, failoverTimeoutMs = 10000 } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stormguard-sentinel-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} ${quorum}`,
      `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
      `sentinel failover-timeout ${masterName} ${failoverTimeoutMs}`,
      `sentinel parallel-syncs ${masterName} 1`,
      '',
    ].join('\n'),
  );
  const server = new ServerProcess(port, [conf, '--sentinel'], dir);
  return server.ready();
}

/** Stops every server still running (teardown safety net). */
export async function stopAll() {
  await Promise.all([...all].map((server) => server.stop()));
  all.clear();
}

process.on('exit', () => {
  for (const server of live) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
