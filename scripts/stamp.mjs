// Is the build out of date? The build writes build/stamp.json: a SHA-256 over
// every input it reads (path and content), and whether it built the harness
// (dist/) too. `npm test` (vitest.config.ts globalSetup) and the build itself
// compare it with the checkout to rebuild only when something changed.
// Plain Node, no dependencies: scripts/build.mjs and vitest both import it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/** What the build reads: folders (walked for .ts/.js/.mjs/.json) and single files. */
export const BUILD_INPUTS = {
  dirs: ['assembly', 'src', 'bench'],
  // written by `npm run bench`, not read by the build
  ignore: ['bench/results'],
  files: ['scripts/build.mjs', 'scripts/stamp.mjs', 'asconfig.json', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'],
};

/** What a complete build leaves behind (kernels only, then the harness). */
export const BUILD_OUTPUTS = {
  kernels: ['build/kernel-artifacts.js', 'build/kernel-artifacts.d.ts', 'build/wasm/kernels.d.ts', 'build/js/index.js'],
  harness: ['dist/src/cli/bin.js'],
};

export const STAMP_FILE = 'build/stamp.json';

const SOURCE = /\.(ts|mts|js|mjs|json)$/;

function walk(root, dir, out, ignore) {
  const abs = join(root, dir);
  if (!existsSync(abs) || ignore.includes(dir.split(sep).join('/'))) return;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, rel, out, ignore);
    else if (entry.isFile() && SOURCE.test(entry.name)) out.push(rel);
  }
}

/** The build inputs present under `root`, as sorted '/'-separated relative paths. */
export function inputFiles(root, inputs = BUILD_INPUTS) {
  const out = [];
  for (const d of inputs.dirs) walk(root, d, out, inputs.ignore ?? []);
  for (const f of inputs.files) if (existsSync(join(root, f))) out.push(f);
  return out.map((p) => p.split(sep).join('/')).sort();
}

/** SHA-256 over the inputs' paths and contents (a few hundred small files: milliseconds). */
export function inputsHash(root, inputs = BUILD_INPUTS) {
  const h = createHash('sha256');
  for (const f of inputFiles(root, inputs)) {
    h.update(f + '\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Why the build under `root` is out of date, or null when it is fresh.
 * `harness`: whether dist/ is needed too (the CLI tests spawn it).
 */
export function staleReason(root, { harness = true, inputs = BUILD_INPUTS, outputs = BUILD_OUTPUTS } = {}) {
  const stampPath = join(root, STAMP_FILE);
  if (!existsSync(stampPath)) return 'no build stamp (never built, or the last build failed)';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return `${STAMP_FILE} is unreadable`;
  }
  if (harness && !stamp.harness) return 'the last build was --kernels-only';
  for (const f of [...outputs.kernels, ...(harness ? outputs.harness : [])]) {
    if (!existsSync(join(root, f))) return `${f} is missing`;
  }
  if (stamp.inputs !== inputsHash(root, inputs)) return 'sources changed since the last build';
  return null;
}

/**
 * Records a successful build. `hash`: inputsHash() taken when the build
 * started, so an edit made while it ran still counts as a change.
 */
export function writeStamp(root, { harness, hash, inputs = BUILD_INPUTS } = {}) {
  const stamp = { inputs: hash ?? inputsHash(root, inputs), harness: Boolean(harness), built: new Date().toISOString() };
  writeFileSync(join(root, STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
  return stamp;
}

/** The inputs under `root`, relative, for messages. */
export function describeInputs(inputs = BUILD_INPUTS) {
  return [...inputs.dirs.map((d) => d + '/**'), ...inputs.files].join(', ');
}

