// The CLI under Deno and Bun (npm devDependencies `deno` and `bun`) prints
// the same `run --json` bytes as under Node, environment and wall time aside:
// the digests (kernels) and the theory values (src/theory/det.ts) alike. A
// runtime whose binary is missing is skipped with a line saying how to get it
// (in CI `npm ci` installs both, so there it must run).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRuntime, type RuntimeName } from '../bench/runtimes.js';

const BIN = fileURLToPath(new URL('../dist/src/cli/bin.js', import.meta.url));

/** One small config per family, with theory rows (Zipf's p_0 and a schedule exercise pow). */
const CONFIGS: Record<string, string[]> = {
  gaussian: ['--dim', '2', '--samples', '20', '--generations', '12', '--replicates', '3', '--policy', 'accumulate'],
  'gaussian-1d': ['--samples', '30', '--generations', '20', '--replicates', '3', '--bias', '0.9', '--every', '3'],
  categorical: ['--init', 'zipf', '--states', '9', '--samples', '30', '--generations', '15', '--replicates', '3'],
  gmm: ['--samples', '60', '--generations', '4', '--replicates', '2', '--holdout', '30'],
  kde: ['--samples', '40', '--generations', '5', '--replicates', '2', '--holdout', '30'],
  regression: ['--dim', '3', '--points', '20', '--generations', '8', '--replicates', '3'],
  lm: ['--documents', '10', '--generations', '2', '--replicates', '1'],
};
/** Configs of several replicates, so that --workers 2 runs a pool: lm and vae read their data files in the workers. */
const WORKER_CONFIGS: Record<string, string[]> = {
  'gaussian-1d': CONFIGS['gaussian-1d'],
  lm: ['--documents', '10', '--generations', '2', '--replicates', '3'],
  vae: ['--samples', '100', '--holdout', '20', '--epochs', '1', '--classifier-epochs', '1', '--generations', '1', '--replicates', '2'],
};
const familyOf = (name: string) => name.replace(/-.*/, '');

function runJson(command: string[], name: string, config = CONFIGS[name], workers = 1): { digest: string; text: string } {
  const out = execFileSync(command[0], [...command.slice(1), BIN, 'run', familyOf(name), ...config, '--workers', String(workers), '--json', '--quiet'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  const summary = JSON.parse(out);
  // the only fields that may differ between runtimes
  return { digest: summary.digest, text: JSON.stringify({ ...summary, environment: null, elapsedMs: null }, null, 2) };
}

const node = findRuntime('node');
const tmp = mkdtempSync(join(tmpdir(), 'collapse-runtimes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
for (const runtime of ['deno', 'bun'] as RuntimeName[]) {
  const found = findRuntime(runtime);
  if ('missing' in found) {
    if (process.env.CI) throw new Error(`${found.missing} (CI installs it through npm ci)`);
    console.warn(`skipped: ${found.missing}`);
  }
  describe.skipIf('missing' in found)(`the CLI under ${runtime}`, () => {
    it.each(Object.keys(CONFIGS))(`%s: the same digest and --json bytes as Node`, (name) => {
      if ('missing' in found || 'missing' in node) return;
      const expected = runJson(node.command, name);
      const got = runJson(found.command, name);
      expect(got.digest).toBe(expected.digest);
      expect(got.text).toBe(expected.text);
    }, 120_000);

    // Deno's pool is Web Workers (src/runner/replicate-pool.ts), Bun's tinypool's worker threads, as Node's
    it.each(Object.keys(WORKER_CONFIGS))(`%s with --workers 2: the same digest and --json bytes as Node with one`, (name) => {
      if ('missing' in found || 'missing' in node) return;
      const expected = runJson(node.command, name, WORKER_CONFIGS[name], 1);
      const got = runJson(found.command, name, WORKER_CONFIGS[name], 2);
      expect(got.digest).toBe(expected.digest);
      expect(got.text).toBe(expected.text);
    }, 120_000);

    it("sweep --workers 2: every cell's records as Node's with one thread (a run's workers serve the next cell)", () => {
      if ('missing' in found || 'missing' in node) return;
      const grid = fileURLToPath(new URL('../sweeps/kazdan-gaussian.quick.json', import.meta.url));
      const sweep = (command: string[], workers: number) => {
        const dir = join(tmp, `${runtime}-sweep-${workers}`);
        execFileSync(command[0], [...command.slice(1), BIN, 'sweep', grid, '--out', dir, '--workers', String(workers), '--quiet', '--force'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
        const cells = readdirSync(dir).filter((f) => /^cell-\d+\.jsonl$/.test(f)).sort();
        // the records (the header names the runtime)
        return cells.map((f) => readFileSync(join(dir, f), 'utf8').split('\n').slice(1).join('\n'));
      };
      const expected = sweep(node.command, 1);
      expect(expected.length).toBe(12);
      expect(sweep(found.command, 2)).toEqual(expected);
    }, 240_000);

    it('workers booted early for a command line that then fails end with it (no hang)', () => {
      if ('missing' in found) return;
      let failure: { status: number; stderr: string } | undefined;
      try {
        execFileSync(found.command[0], [...found.command.slice(1), BIN, 'run', 'gaussian', '--workers', '2', '--replicates', '3', '--samples', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
      } catch (e) {
        failure = e as { status: number; stderr: string };
      }
      expect(failure?.status).toBe(2);
      expect(failure?.stderr).toMatch(/--samples: "1" is not allowed/);
    }, 60_000);

    it('--workers 2: Ctrl-C exits 130 and keeps the finished replicates; --resume completes them to the digest of one uninterrupted run', async () => {
      if ('missing' in found || 'missing' in node) return;
      const args = ['run', 'gaussian', '--samples', '1000', '--generations', '20000', '--every', '100', '--replicates', '40'];
      const file = join(tmp, `${runtime}-interrupted.jsonl`);
      const child = spawn(found.command[0], [...found.command.slice(1), BIN, ...args, '--workers', '2', '--out', file, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
      // the header and two replicates written: interrupt while the others run
      for (let i = 0; i < 600 && lines() < 3; i++) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      const code = await new Promise((r) => child.on('exit', r));
      expect(code, err).toBe(130);
      const kept = lines() - 1;
      expect(err).toContain(`interrupted: ${kept} of 40 replicates finished`);
      expect(kept).toBeLessThan(40);
      const resumed = execFileSync(found.command[0], [...found.command.slice(1), BIN, 'run', 'gaussian', '--resume', file, '--workers', '2', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
      const once = execFileSync(node.command[0], [...node.command.slice(1), BIN, ...args, '--workers', '1', '--quiet'], { encoding: 'utf8', timeout: 60_000 });
      const digest = (out: string) => /digest ([0-9a-f]{64})/.exec(out)?.[1];
      expect(digest(resumed)).toBeDefined();
      expect(digest(resumed)).toBe(digest(once));
    }, 120_000);
  });
}
