// Sizes of what a browser downloads: the optimised wasm, the wasm-bindgen
// glue and the hand-written JS layer, raw and gzipped (level 9), next to ky.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const here = new URL('..', import.meta.url).pathname;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const files = (dir, ext) => readdirSync(dir, { recursive: true })
  .map((f) => join(dir, String(f)))
  .filter((f) => f.endsWith(ext) && statSync(f).isFile())
  .sort();
const concat = (paths) => Buffer.concat(paths.map((p) => readFileSync(p)));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

const wasm = readFileSync(join(here, 'pkg/stormguard_wasm_bg.wasm'));
const glue = readFileSync(join(here, 'pkg/stormguard_wasm.js'));
const layer = concat(files(join(here, 'js'), '.js'));
const ky = concat(files(join(here, 'node_modules/ky/distribution'), '.js'));
const kyVersion = JSON.parse(readFileSync(join(here, 'node_modules/ky/package.json'), 'utf8')).version;

const rows = [
  ['wasm (wasm-opt -Oz)', wasm],
  ['wasm-bindgen glue', glue],
  ['JS layer (js/*.js)', layer],
  ['glue + JS layer', Buffer.concat([glue, layer])],
  [`ky ${kyVersion} (distribution/*.js)`, ky],
];
console.log('| artifact | raw | gzip -9 |');
console.log('|---|---|---|');
for (const [name, buf] of rows) console.log(`| ${name} | ${buf.length} B (${kb(buf.length)}) | ${gz(buf)} B (${kb(gz(buf))}) |`);
const module = gz(wasm) + gz(glue);
console.log(`| wasm + glue, gzipped separately | | ${module} B (${kb(module)}) |`);
const total = gz(wasm) + gz(Buffer.concat([glue, layer]));
console.log(`| wasm + glue + JS layer, gzipped separately | | ${total} B (${kb(total)}) |`);
console.log(`\nratios: wasm+glue+layer gzipped / ky gzipped = ${(total / gz(ky)).toFixed(2)}×`);
