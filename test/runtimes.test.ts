// The CLI under Deno and Bun (npm devDependencies `deno` and `bun`) prints
// the same `run --json` bytes as under Node, environment and wall time aside:
// the digests (kernels) and the theory values (src/theory/det.ts) alike. A
// runtime whose binary is missing is skipped with a line saying how to get it
// (in CI `npm ci` installs both, so there it must run).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
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
const familyOf = (name: string) => name.replace(/-.*/, '');

function runJson(command: string[], name: string): { digest: string; text: string } {
  const out = execFileSync(command[0], [...command.slice(1), BIN, 'run', familyOf(name), ...CONFIGS[name], '--workers', '1', '--json', '--quiet'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  const summary = JSON.parse(out);
  // the only fields that may differ between runtimes
  return { digest: summary.digest, text: JSON.stringify({ ...summary, environment: null, elapsedMs: null }, null, 2) };
}

const node = findRuntime('node');
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

    it.runIf(runtime === 'deno')('refuses --workers 2 with a message (Deno worker threads never answer tinypool)', () => {
      if ('missing' in found) return;
      let failure: { status: number; stderr: string } | undefined;
      try {
        execFileSync(found.command[0], [...found.command.slice(1), BIN, 'run', 'gaussian', '--workers', '2', '--quiet'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      } catch (e) {
        failure = e as { status: number; stderr: string };
      }
      expect(failure?.status).toBe(2);
      expect(failure?.stderr).toMatch(/--workers 2: worker threads do not work in Deno/);
    }, 60_000);
  });
}
