// Where the other runtimes are: Deno and Bun come from npm devDependencies
// (`deno`, `bun`: their postinstall scripts put the platform binary in
// node_modules), Chromium from the system (Debian's chromium, driven by
// playwright-core). Used by bench:matrix and by the CLI parity test.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type RuntimeName = 'node' | 'deno' | 'bun' | 'chromium';
export const RUNTIMES: readonly RuntimeName[] = ['node', 'deno', 'bun', 'chromium'];

export interface Found {
  /** The command that runs a script: the binary and the arguments before the script. */
  command: string[];
  version: string;
}
export type Lookup = Found | { missing: string };

// dist/bench/runtimes.js, or bench/runtimes.ts when a test imports the source
const root = ['../..', '..'].map((up) => fileURLToPath(new URL(`${up}/`, import.meta.url))).find((dir) => existsSync(`${dir}package.json`) && existsSync(`${dir}bench`))!;
const inPackage = (path: string) => `${root}${path}`;

// Deno asks before each file, environment variable, process or system fact:
// the CLI and the benchmark need read (modules, corpus), write (--out, the
// cold start's copies), env, sys (cpus), run (git).
export const DENO_PERMISSIONS = ['--allow-read', '--allow-write', '--allow-env', '--allow-sys', '--allow-run'];

const HOW: Record<RuntimeName, string> = {
  node: '',
  deno: 'npm ci installs it (devDependency deno); if its postinstall was blocked: node node_modules/deno/install.cjs; or put deno on PATH (DENO=/path/to/deno)',
  bun: 'npm ci installs it (devDependency bun); if its postinstall was blocked: node node_modules/bun/install.js; or put bun on PATH (BUN=/path/to/bun)',
  chromium: 'apt-get install chromium (Debian; .ci/run does), or CHROMIUM=/path/to/chromium',
};

/** The binary of `name`, or why it is missing and how to get it. */
export function findRuntime(name: RuntimeName): Lookup {
  if (name === 'node') return { command: [process.execPath], version: process.versions.node };
  if (name === 'chromium') {
    const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
    return existsSync(path) ? { command: [path], version: '' } : { missing: `chromium: ${path} not found; ${HOW.chromium}` };
  }
  const env = process.env[name.toUpperCase()];
  const candidates = [env, inPackage(name === 'deno' ? 'node_modules/deno/deno' : 'node_modules/bun/bin/bun.exe'), name].filter((c): c is string => !!c);
  for (const bin of candidates) {
    try {
      const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
      const version = /(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? out.trim();
      return { command: name === 'deno' ? [bin, 'run', ...DENO_PERMISSIONS] : [bin], version };
    } catch {
      // not there, or the npm package's placeholder (postinstall blocked): try the next
    }
  }
  return { missing: `${name}: not found; ${HOW[name]}` };
}

/** The package root (where dist/, build/ and bench/ live). */
export const packageRoot = root;

/** The commit benchmarked: COLLAPSE_BENCH_COMMIT or GITHUB_SHA if set, else git's HEAD, else null. */
export function commitOf(): string | null {
  const env = process.env.COLLAPSE_BENCH_COMMIT ?? process.env.GITHUB_SHA;
  if (env) return env;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/** The installed tinybench's version, for the record. */
export function tinybenchVersion(): string {
  try {
    return JSON.parse(readFileSync(`${root}node_modules/tinybench/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
