// `run kde` as a user meets it: bad options give one line naming the option,
// the value and what is allowed (exit code 2); defaults and combinations
// resolve as documented; --json, --out and show agree. Uses the compiled CLI
// in dist/ (node scripts/build.mjs).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withOptions } from './helpers.js';
import { resolveKdeConfig } from '../src/families/kde/options.js';
import { UsageError } from '../src/config/validate.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-kde-cli-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SMALL = ['run', 'kde', '--samples', '30', '--generations', '6', '--replicates', '3', '--holdout', '20', '--quiet'];

describe('bad options: one line naming the option, exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['zero bandwidth', ['--bandwidth', '0'], /--bandwidth: "0" is not allowed; expected a number in \[1e-150, 1000000\], silverman or scott/],
    ['a bandwidth whose square underflows', ['--bandwidth', '1e-151'], /--bandwidth: "1e-151" is not allowed; expected a number in \[1e-150, 1000000\]/],
    ['a sigma0 whose square underflows', ['--data', 'gaussian', '--sigma0', '1e-300'], /--sigma0: "1e-300" is not allowed; expected a number in \[1e-150, 1000000\]/],
    ['negative bandwidth', ['--bandwidth', '-0.5'], /--bandwidth: "-0.5" is not allowed/],
    ['unknown rule', ['--bandwidth', 'Silverman'], /--bandwidth: "Silverman" is not allowed; expected .*silverman or scott/],
    ['bandwidth not finite', ['--bandwidth', 'Infinity'], /--bandwidth: "Infinity" is not allowed/],
    ['unknown bandwidth mode', ['--bandwidth-mode', 'sometimes'], /--bandwidth-mode: "sometimes" is not allowed; expected one of recompute, frozen/],
    ['bandwidth mode with a number', ['--bandwidth', '0.3', '--bandwidth-mode', 'frozen'], /--bandwidth-mode: applies only to --bandwidth silverman or scott/],
    ['d mismatch (moons are 2-D)', ['--data', 'moons', '--dim', '3'], /--dim: 3 does not match --data moons, which is 2-D/],
    ['d mismatch (gmm1d is 1-D)', ['--data', 'gmm1d', '--dim', '2'], /--dim: 2 does not match --data gmm1d, which is 1-D/],
    ['holdout below 1', ['--holdout', '0'], /--holdout: "0" is not allowed; expected an integer in \[1, 1000000\]/],
    ['one sample', ['--samples', '1'], /--samples: "1" is not allowed; expected an integer in \[2, 10000000\]/],
    ['unknown data', ['--data', 'spirals'], /--data: "spirals" is not allowed; expected one of gaussian, gmm1d, gmm2d, rings, moons/],
    ['sigma0 for a mixture', ['--sigma0', '2'], /--sigma0: applies only to --data gaussian, not gmm1d/],
    ['noise for a mixture', ['--data', 'gmm2d', '--noise', '0.1'], /--noise: applies only to --data rings or moons, not gmm2d/],
    ['factor for moons', ['--data', 'moons', '--factor', '0.3'], /--factor: applies only to --data rings, not moons/],
    ['factor of 1', ['--data', 'rings', '--factor', '1'], /--factor: "1" is not allowed; expected a number in \(0, 1\)/],
    ['negative noise', ['--data', 'rings', '--noise', '-0.1'], /--noise: "-0.1" is not allowed; expected a number in \[0, 100\]/],
    ['real fraction without mix', ['--real-fraction', '0.2'], /--real-fraction: applies only to --policy mix or fresh, not replace/],
    ['no synthetic share left', ['--policy', 'mix', '--real-fraction', '0.99'], /--real-fraction: 0.99 leaves no synthetic samples in a training set of 30/],
    ['unknown policy', ['--policy', 'keep'], /--policy: "keep" is not allowed; expected one of replace, accumulate, accumulate-subsample, mix, fresh/],
    ['more memory than kernels can address', ['--policy', 'accumulate', '--samples', '100000', '--generations', '5000'], /--samples\/--generations\/--holdout\/--dim: this run would need \d+ MiB .*2048 MiB limit; .*accumulate keeps every sample/],
  ];
  it.each(cases)('%s', (_, extra, message) => {
    const r = cli(withOptions(SMALL, extra));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
});

describe('resolution', () => {
  it('defaults: gmm1d, n = 100, Scott frozen on the real data, holdout 500, replace', () => {
    const { config, warnings } = resolveKdeConfig({});
    expect(config).toMatchObject({ family: 'kde', data: 'gmm1d', dim: 1, samples: 100, bandwidth: 'scott', bandwidthMode: 'frozen', holdout: 500, policy: 'replace', realFraction: 0, sigma0: null, noise: null, factor: null, generations: 100, replicates: 20 });
    expect(warnings).toEqual([]);
  });

  it('the data set fixes d and its own options; a number from the API is a fixed bandwidth', () => {
    expect(resolveKdeConfig({ data: 'rings' }).config).toMatchObject({ dim: 2, noise: 0.1, factor: 0.5, sigma0: null });
    expect(resolveKdeConfig({ data: 'moons', dim: 2, noise: 0 }).config).toMatchObject({ dim: 2, noise: 0, factor: null });
    expect(resolveKdeConfig({ data: 'gaussian', dim: 5, sigma0: 3 }).config).toMatchObject({ dim: 5, sigma0: 3 });
    expect(resolveKdeConfig({ bandwidth: 0.25 }).config).toMatchObject({ bandwidth: 0.25, bandwidthMode: 'fixed' });
    expect(resolveKdeConfig({ bandwidth: 'silverman', 'bandwidth-mode': 'recompute' }).config).toMatchObject({ bandwidth: 'silverman', bandwidthMode: 'recompute' });
    expect(resolveKdeConfig({ policy: 'fresh' }).config.realFraction).toBe(0.5);
    expect(resolveKdeConfig({ policy: 'mix' }).config.realFraction).toBe(0.1);
  });

  it('the API gets the same errors as UsageError', () => {
    expect(() => resolveKdeConfig({ bandwidth: -1 })).toThrow(UsageError);
    expect(() => resolveKdeConfig({ bandwidth: 0 })).toThrow(/--bandwidth: 0 is not allowed/);
    expect(() => resolveKdeConfig({ data: 'gmm2d', dim: 1 })).toThrow(/--dim: 1 does not match --data gmm2d/);
  });

  it('recompute under replace warns when E Var_t would overflow within the run', () => {
    expect(resolveKdeConfig({ 'bandwidth-mode': 'recompute', generations: 100 }).warnings).toEqual([]);
    const { warnings } = resolveKdeConfig({ 'bandwidth-mode': 'recompute', generations: 10_000 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^--bandwidth-mode recompute: E Var_t grows by 1\.14\d per generation/);
  });
});

describe('a NLL that leaves the doubles', () => {
  it('is null with a warning that says why (a bandwidth tiny against the spread)', () => {
    const r = cli([...SMALL, '--data', 'gaussian', '--sigma0', '1e6', '--bandwidth', '1e-150', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.generations.every((g: { metrics: { nll: { mean: number | null } } }) => g.metrics.nll.mean === null)).toBe(true);
    expect(s.warnings.join('\n')).toMatch(/3 of 3 replicates: a held-out point's log-density left the doubles .* first at generation 0/);
    // an ordinary bandwidth: no such warning
    expect(JSON.parse(cli([...SMALL, '--json']).out).warnings.join('\n')).not.toMatch(/left the doubles/);
  });
});

describe('output', () => {
  it('run kde --help lists every option of the table', () => {
    const r = cli(['run', 'kde', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['data', 'dim', 'sigma0', 'noise', 'factor', 'samples', 'bandwidth', 'bandwidth-mode', 'holdout', 'policy', 'real-fraction', 'generations', 'replicates', 'every', 'seed', 'backend', 'json', 'out', 'quiet']) {
      expect(r.out).toContain(`--${opt} `);
    }
  });

  it('the table shows the variance theory beside the simulation, and the entropy bound', () => {
    const r = cli([...SMALL, '--every', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/NLL mean ± se\s+NLL median\s+tail share ± se\s+Var mean ± se\s+theory\s+h mean\s+W2\^2 to real ± se/);
    expect(r.out).toMatch(/^\s*6\s+30\s/m);
    expect(r.out).toMatch(/bound: E nll >= 1\.925/);
    expect(r.out).toMatch(/theory: variance: exact expectation E Var_t = Var_0 \(n c\^2/);
  });

  it('--out writes a header and one line per replicate; show prints the same summary; --json has theory per generation', () => {
    const file = join(tmp, 'kde.jsonl');
    const run = cli([...SMALL, '--data', 'moons', '--policy', 'accumulate', '--out', file, '--json', '--backend', 'js']);
    expect(run.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].kind).toBe('header');
    expect(lines[0].config).toMatchObject({ family: 'kde', data: 'moons', dim: 2 });
    expect(lines.slice(1).map((l) => l.replicate)).toEqual([0, 1, 2]);
    const a = JSON.parse(run.out);
    expect(a.generations).toHaveLength(7);
    expect(a.generations[6].metrics.variance).toMatchObject({ mean: expect.any(Number), theoryMean: expect.any(Number) });
    expect(a.generations[6].metrics.w2sq).toBeUndefined(); // 2-D: no empirical W2
    const shown = cli(['show', file, '--json']);
    expect(shown.code).toBe(0);
    const b = JSON.parse(shown.out);
    expect({ ...b, elapsedMs: a.elapsedMs }).toEqual(a);
  });
});
