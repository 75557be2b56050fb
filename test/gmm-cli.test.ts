// `collapse-bench run gmm` as a user meets it (compiled dist/): help from the
// option table, one-line errors with exit code 2, JSON and JSONL that `show`
// reads back to the same summary.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withOptions } from './helpers.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-gmm-cli-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SMALL = ['run', 'gmm', '--samples', '100', '--generations', '12', '--replicates', '3', '--quiet'];

describe('run gmm', () => {
  it('--help lists every option of the table', () => {
    const r = cli(['run', 'gmm', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['data', 'mixture', 'components', 'covariance', 'tol', 'max-iter', 'reg-covar', 'n-init', 'kmeans-iter', 'samples', 'holdout', 'policy', 'real-fraction', 'bias', 'temperature', 'cover-radius', 'cover-weight', 'generations', 'replicates', 'every', 'seed', 'backend', 'json', 'out', 'quiet']) {
      expect(r.out).toContain(`--${opt}`);
    }
  });

  it.each([
    ['tol 0', ['--tol', '0'], /--tol: "0" is not allowed; expected a number in \(0, 1000000\]/],
    ['K above M', ['--components', '200'], /--components: 200 is more than the 100 points of a training set/],
    ['negative reg-covar', ['--reg-covar', '-1'], /--reg-covar: "-1" is not allowed/],
    ['malformed mixture', ['--data', 'custom', '--mixture', '0.5:0,0:1 | 0.4:1,1:1'], /--mixture: weights sum to 0.9, not 1/],
  ])('%s: one line, exit code 2', (_, extra, message) => {
    const r = cli(withOptions(SMALL, extra));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it('--out and show give the same summary; the table has the metrics and the theory', () => {
    const file = join(tmp, 'gmm.jsonl');
    const run = cli([...SMALL, '--every', '4', '--json', '--out', file, '--backend', 'js']);
    expect(run.code).toBe(0);
    const a = JSON.parse(run.out);
    expect(a.config).toMatchObject({ family: 'gmm', data: 'notebook', components: 2, samples: 100 });
    expect(a.generations.map((g: { n: number }) => g.n)).toEqual([0, 4, 8, 12]);
    expect(a.generations[3].metrics.mixVar).toMatchObject({ mean: expect.any(Number), theoryMean: expect.any(Number) });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    const b = JSON.parse(cli(['show', file, '--json']).out);
    expect({ ...b, elapsedMs: a.elapsedMs }).toEqual(a);
    const text = cli(['show', file]).out;
    expect(text).toMatch(/L2\^2 mean ± se\s+std median/);
    expect(text).toMatch(/mix var mean ± se\s+theory/);
    expect(text).toContain(`digest ${a.digest}  (3/3 replicates)`);
  });
});
