// bench:workers' command line: --help prints the usage without running
// anything, and bad values are refused by name before any run starts; and
// one small round runs through and writes its record.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchRun } from './helpers.js';
import { findRuntime } from '../bench/runtimes.js';

const WORKERS = fileURLToPath(new URL('../dist/bench/workers.js', import.meta.url));
const bench = (...args: string[]) => spawnSync(process.execPath, [WORKERS, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('bench:workers arguments', () => {
  it('--help prints the usage and exits 0', () => {
    const r = bench('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run bench:workers/);
  });

  it.each([
    [['--bogus'], /--bogus/],
    [['--rounds', '0'], /--rounds: "0" is not allowed; expected an integer of at least 1/],
    [['--workers', '1'], /--workers: "1" is not allowed; expected an integer from 2 to 64/],
    [['--replicates', '100,x'], /--replicates: "100,x" is not allowed; expected integers from 2 to 100000, comma-separated/],
    [['--backend', 'gpu'], /--backend: "gpu" is not allowed; expected one of js, wasm, wasm-simd/],
    [['--runtime', 'chromium'], /--runtime: "chromium" is not allowed; expected one of node, deno, bun/],
  ])('%j: exit 2, naming the option', (args, message) => {
    const r = bench(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage:/);
  });

  it('one round of 2 replicates runs one thread, the pool and two runs apart, with one digest, and writes its record', () => {
    const { r, file, record } = benchRun(WORKERS, ['--rounds', '1', '--replicates', '2', '--workers', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 replicates \(digest [0-9a-f]{16} in every run\)/);
    expect(file).toMatch(/^workers-node-.*\.json$/);
    expect(record.results).toHaveLength(1);
    expect(record.results[0].rounds).toHaveLength(1);
  }, 120_000);

  // as test/runtimes.test.ts: CI installs Deno (npm ci), elsewhere a missing one skips
  it.skipIf('missing' in findRuntime('deno') && !process.env.CI)('--runtime deno: the same round under Deno (its pool is Web Workers), recorded as such', () => {
    const { r, file, record } = benchRun(WORKERS, ['--rounds', '1', '--replicates', '2', '--workers', '2', '--runtime', 'deno']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(wasm-simd, deno \d+\.\d+\.\d+;/);
    expect(file).toMatch(/^workers-deno-\d+\.\d+\.\d+-.*\.json$/);
    expect(record.env.runtime).toBe('deno');
    expect(record.results[0].rounds[0].pool.digest).toBe(record.results[0].rounds[0].one.digest);
  }, 120_000);
});
