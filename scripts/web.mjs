// `npm run web [-- --port N]`: the web page's dev server (Vite, web/vite.config.ts),
// on 127.0.0.1 only. `npm run build:web` writes the static site to dist-web/.
import { createServer } from 'vite';

const USAGE = 'usage: npm run web -- [--port N]   (N in [1, 65535], default 5173; the server listens on 127.0.0.1 only)';

function parsePort(argv) {
  let port = 5173;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const m = /^--port(?:=(.*))?$/.exec(a);
    if (!m) fail(`${a}: unknown option; allowed: --port`);
    const v = m[1] ?? argv[++i];
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) fail(`--port: ${JSON.stringify(v ?? null)} is not allowed; expected an integer in [1, 65535]`);
    port = Number(v);
  }
  return port;
}

function fail(message) {
  console.error(`collapse-bench web: ${message}\n${USAGE}`);
  process.exit(2);
}

const port = parsePort(process.argv.slice(2));
const server = await createServer({
  configFile: new URL('../web/vite.config.ts', import.meta.url).pathname,
  server: { port, host: '127.0.0.1', strictPort: true },
});
try {
  await server.listen();
} catch (e) {
  fail(`--port: cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`);
}
server.printUrls();
const close = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', close);
process.once('SIGTERM', close);
