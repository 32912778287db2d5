// Serves the demo page and its flaky endpoint on 127.0.0.1:
//   node bindings-wasm/examples/server.mjs      (after scripts/build.sh)
import { startServer } from '../test/support/server.mjs';

const server = await startServer();
console.log(`stormguard-web demo: ${server.url}/examples/index.html  (Ctrl-C to stop)`);
