// Shared test helpers: a backend with an arena, released after the file.
import { afterAll } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import { BACKEND_NAMES, type BackendName } from '../src/kernels/abi.js';

export { BACKEND_NAMES };
// withOptions lives with the argv parser (bench:peers uses it too)
export { withOptions } from '../src/config/argv.js';

/** One arena per backend for a whole test file. */
export async function arenas(): Promise<Record<BackendName, Arena>> {
  const out = {} as Record<BackendName, Arena>;
  for (const name of BACKEND_NAMES) out[name] = new Arena(await loadBackend(name));
  afterAll(() => {
    for (const a of Object.values(out)) a.release();
  });
  return out;
}

/** Bitwise equality of two double arrays (NaN payloads and -0 included). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A well-formed-enough XML check: every tag closed in order, one root <svg>. */
export function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0 && svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>');
}

/**
 * Runs a bench script (dist/bench/*.js) with its record written to a
 * temporary directory ($COLLAPSE_BENCH_RESULTS), and returns the process and
 * the record (null when none was written), the directory removed.
 */
export function benchRun(script: string, args: string[]): { r: SpawnSyncReturns<string>; file: string | null; record: any } {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
  try {
    const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, COLLAPSE_BENCH_RESULTS: dir } });
    const [file = null] = readdirSync(dir);
    return { r, file, record: file ? JSON.parse(readFileSync(join(dir, file), 'utf8')) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
