// A local HTTP server on 127.0.0.1 (random free port) for the browser tests,
// the demo and the benchmark. It serves the package's files and a scriptable
// API that fails on command and counts what it receives:
//
//   POST /control/script  {"path": "/api/x", "responses": [{"status": 503, "headers": {...}, "delayMs": 0}, …],
//                          "repeat": {"status": 503}}    responses in order, then `repeat` (default 200)
//   GET  /control/count?path=/api/x   → {"count": n, "times": [ms, …], "methods": [...]}
//   POST /control/flaky  {"failRate": 0.5}   how often GET /api/flaky fails (503, every
//                                            third failure with Retry-After: 1)
//   POST /control/reset
//   ANY  /api/...                      answers from its script (200 "ok" when none)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/** Starts the server; resolves to `{ url, close() }`. */
export function startServer() {
  const scripts = new Map();
  let flaky = { failRate: 0.5, failures: 0, seed: 42 };
  // A small deterministic generator, so a demo run looks the same each time.
  const draw = () => {
    flaky.seed = (flaky.seed * 1103515245 + 12345) % 2147483648;
    return flaky.seed / 2147483648;
  };
  const seen = new Map();
  const record = (path, method) => {
    const entry = seen.get(path) ?? { count: 0, times: [], methods: [] };
    entry.count += 1;
    entry.times.push(performance.timeOrigin + performance.now());
    entry.methods.push(method);
    seen.set(path, entry);
  };
  const body = async (req) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };
  const json = (res, status, value) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(value));
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (url.pathname === '/control/script') {
        const { path, responses = [], repeat = { status: 200 } } = JSON.parse(await body(req));
        scripts.set(path, { queue: [...responses], repeat });
        seen.delete(path);
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/control/count') {
        return json(res, 200, seen.get(url.searchParams.get('path')) ?? { count: 0, times: [], methods: [] });
      }
      if (url.pathname === '/control/flaky') {
        const { failRate } = JSON.parse(await body(req));
        flaky = { ...flaky, failRate: Math.min(1, Math.max(0, Number(failRate) || 0)) };
        return json(res, 200, flaky);
      }
      if (url.pathname === '/api/flaky' && !scripts.has('/api/flaky')) {
        await body(req);
        record(url.pathname, req.method);
        await new Promise((r) => setTimeout(r, 5 + Math.floor(draw() * 20)));
        if (draw() < flaky.failRate) {
          flaky.failures += 1;
          const headers = flaky.failures % 3 === 0 ? { 'Retry-After': '1' } : {};
          res.writeHead(503, { 'content-type': 'text/plain', 'cache-control': 'no-store', ...headers });
          return res.end('flaky: try again');
        }
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        return res.end('ok');
      }
      if (url.pathname === '/control/reset') {
        scripts.clear();
        seen.clear();
        return json(res, 200, { ok: true });
      }
      if (url.pathname.startsWith('/api/')) {
        await body(req);
        record(url.pathname, req.method);
        const script = scripts.get(url.pathname);
        const step = script ? (script.queue.shift() ?? script.repeat) : { status: 200 };
        if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
        if (res.destroyed) return undefined;
        res.writeHead(step.status, { 'content-type': 'text/plain', 'cache-control': 'no-store', ...(step.headers ?? {}) });
        return res.end(step.body ?? `status ${step.status}`);
      }
      const file = normalize(url.pathname === '/' ? '/examples/index.html' : url.pathname);
      if (file.includes('..') || !/^\/(js|pkg|examples|test\/browser)\//.test(file)) {
        res.writeHead(404).end();
        return undefined;
      }
      const data = await readFile(root + file.slice(1));
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      return res.end(data);
    } catch (err) {
      if (!res.headersSent) res.writeHead(err.code === 'ENOENT' ? 404 : 500);
      res.end();
      return undefined;
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
