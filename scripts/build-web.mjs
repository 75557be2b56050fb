// `npm run build:web`: the web page as a static site in dist-web/ (Vite,
// web/vite.config.ts), after the kernels and harness (scripts/build.mjs).
// Skips itself when dist-web/ was built from the same inputs (a SHA-256 over
// them in build/web-stamp.json, as scripts/stamp.mjs does for the build);
// --force rebuilds. test/fresh-web.ts calls it before the tests.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsHash } from './stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What the site is built from: the page, the harness and bench sources, the kernels, the Node reference. */
export const WEB_INPUTS = {
  dirs: ['web', 'src', 'bench'],
  ignore: [],
  files: ['web/index.html', 'web/style.css', 'build/kernel-artifacts.js', 'build/stamp.json', 'scripts/build-web.mjs', 'package-lock.json'],
};
const STAMP = join(root, 'build/web-stamp.json');
const OUTPUT = join(root, 'dist-web/index.html');

/** Why dist-web/ is out of date, or null when it is fresh. */
export function staleWebReason() {
  if (!existsSync(OUTPUT) || !existsSync(STAMP)) return 'dist-web/ was never built';
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  return stamp.inputs === inputsHash(root, WEB_INPUTS) ? null : 'sources changed since the last web build';
}

export async function buildWeb({ force = false } = {}) {
  const reason = force ? 'forced' : staleWebReason();
  if (reason === null) return console.log('collapse-bench web: dist-web/ is up to date');
  const hash = inputsHash(root, WEB_INPUTS);
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, JSON.stringify({ inputs: hash, built: new Date().toISOString() }, null, 2) + '\n');
  console.log(`collapse-bench web: built dist-web/ (${reason})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWeb({ force: process.argv.includes('--force') });
}
