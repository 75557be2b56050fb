// Bad options of `run categorical` (one line naming the option, the value and
// what is allowed), and the command line as a user meets it: help, the
// table with the theory and its bounds, JSON, JSONL + show.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCategoricalConfig } from '../src/families/categorical/options.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-categorical-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bad options are refused with a message naming the option', () => {
  const cases: [string, RawOptions, RegExp][] = [
    ['probabilities that do not sum to 1', { probs: '0.5,0.3' }, /--probs: sums to 0.8; expected probabilities summing to 1 \(within 1e-9\)/],
    ['a sum off by more than 1e-9', { probs: '0.5,0.5000001' }, /--probs: sums to 1.0000001/],
    ['a negative probability', { probs: '0.5,-0.1,0.6' }, /--probs: "0.5,-0.1,0.6" is not allowed; expected .* each in \(0, 1\]/],
    ['a zero probability', { probs: '0.5,0,0.5' }, /--probs: .*each in \(0, 1\]/],
    ['not a number', { probs: '0.5,x' }, /--probs: "x" is not allowed; expected one number or a comma-separated list/],
    ['one state given', { probs: '1' }, /--probs: has 1 entry; expected at least 2 states/],
    ['K < 2', { states: 1 }, /--states: 1 is not allowed; expected an integer in \[2, 1000000\]/],
    ['K too large', { states: 2_000_000 }, /--states: .*\[2, 1000000\]/],
    ['--probs together with --states', { probs: '0.5,0.5', states: 2 }, /--probs and --states: give one of them, not both/],
    ['--probs with another --init', { probs: '0.5,0.5', init: 'zipf' }, /--probs: gives p_0 itself; it cannot be combined with --init zipf/],
    ['--init given without --probs', { init: 'given' }, /--init given: needs --probs/],
    ['an unknown --init', { init: 'pareto' }, /--init: "pareto" is not allowed; expected one of uniform, zipf, given/],
    ['--zipf-a without zipf', { 'zipf-a': 2 }, /--zipf-a: applies only to --init zipf, not uniform/],
    ['--zipf-b without zipf', { probs: '0.5,0.5', 'zipf-b': 1 }, /--zipf-b: applies only to --init zipf, not given/],
    ['a negative zipf exponent', { init: 'zipf', 'zipf-a': -1 }, /--zipf-a: -1 is not allowed; expected a number in \[0, 100\]/],
    ['tail quantile 0', { 'tail-quantile': 0 }, /--tail-quantile: 0 is not allowed; expected a number in \(0, 1\)/],
    ['tail quantile 1', { 'tail-quantile': 1 }, /--tail-quantile: 1 is not allowed; expected a number in \(0, 1\)/],
    ['tail quantile above 1', { 'tail-quantile': 1.5 }, /--tail-quantile: .*\(0, 1\)/],
    ['zero samples', { samples: 0 }, /--samples: 0 is not allowed; expected an integer in \[1, 10000000\]/],
    ['--until-absorbed under accumulate', { policy: 'accumulate', 'until-absorbed': true }, /--until-absorbed: applies only to --policy replace/],
    ['--real-fraction without mix or fresh', { 'real-fraction': 0.2 }, /--real-fraction: applies only to --policy mix or fresh, not replace/],
    ['a real fraction of 1', { policy: 'fresh', 'real-fraction': 1 }, /--real-fraction: 1 is not allowed; expected a number in \[0, 1\)/],
    ['no synthetic samples left', { policy: 'mix', samples: 1, 'real-fraction': 0.6 }, /--real-fraction: 0.6 leaves no synthetic samples in a training set of 1/],
    ['pooled counts past 2^31', { policy: 'accumulate', samples: 10_000_000, generations: 1000 }, /--samples\/--generations: accumulate pools M G = 10000000000 samples/],
    ['more memory than kernels can address', { policy: 'accumulate-subsample', samples: 10_000_000, generations: 100 }, /needs? \d+ MiB .*2048 MiB/],
    ['an unknown option', { temperature: 2 }, /--temperature: unknown option/],
  ];
  it.each(cases)('%s', (_, raw, message) => {
    let err: unknown;
    try {
      resolveCategoricalConfig(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });

  it('good ones resolve: --probs alone means --init given, normalised; zipf keeps a and b', () => {
    const g = resolveCategoricalConfig({ probs: '0.2,0.3,0.5' }).config;
    expect(g).toMatchObject({ init: 'given', states: 3, zipfA: null });
    expect(g.probs!.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 15);
    const z = resolveCategoricalConfig({ init: 'zipf', states: 50, 'zipf-a': 2 }).config;
    expect(z).toMatchObject({ init: 'zipf', states: 50, zipfA: 2, zipfB: 2.7, probs: null, untilAbsorbed: false, tailQuantile: 0.1 });
  });

  it('on the command line: exit code 2 and one line on stderr', () => {
    const r = cli(['run', 'categorical', '--probs', '0.5,0.3', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--probs: sums to 0.8; expected probabilities summing to 1 (within 1e-9)');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });
});

describe('the command line', () => {
  const SMALL = ['run', 'categorical', '--states', '4', '--samples', '20', '--generations', '200', '--replicates', '30', '--quiet'];

  it('run categorical --help lists every option', () => {
    const r = cli(['run', 'categorical', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['states', 'init', 'zipf-a', 'zipf-b', 'probs', 'samples', 'policy', 'real-fraction', 'until-absorbed', 'tail-quantile', 'generations', 'replicates', 'every', 'seed', 'backend', 'json', 'out', 'quiet']) {
      expect(r.out).toContain(`--${opt}`);
    }
  });

  it('the table shows heterozygosity with its theory, survivors with the Suresh bounds, and the absorbing states', () => {
    const r = cli([...SMALL, '--until-absorbed', '--every', '10']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1-sum p\^2 ± se\s+theory\s+survivors ± se\s+lower\s+upper/);
    expect(r.out).toMatch(/absorptionGeneration: mean .* \(theory 34\.52\)/); // Littler: -2M sum (1-p) ln(1-p) = -160 (3/4) ln(3/4)
    expect(r.out).toMatch(/absorbing state: 30 of 30 replicates absorbed/);
    expect(r.out).toMatch(/chi-square [\d.]+ on \d df, p = /);
    expect(r.out).toMatch(/digest [0-9a-f]{64}/);
  });

  it('--json has the bounds as theoryLower/theoryUpper, the finals and the absorption extras; show reads --out back', () => {
    const file = join(tmp, 'run.jsonl');
    const run = cli([...SMALL, '--json', '--out', file, '--backend', 'js']);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.out);
    expect(s.config).toMatchObject({ family: 'categorical', states: 4, samples: 20, init: 'uniform' });
    expect(s.generations[5].metrics.survivors).toMatchObject({ theoryLower: expect.any(Number), theoryUpper: expect.any(Number), theoryMean: null });
    expect(s.generations[5].metrics.heterozygosity.theoryMean).toBeCloseTo(0.75 * 0.95 ** 5, 12);
    expect(s.finals.absorptionGeneration.theoryMean).toBeCloseTo(-40 * 4 * 0.75 * Math.log(0.75), 9);
    expect(s.extras.absorption.states).toHaveLength(4);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].facts).toMatchObject({ tailStates: 1, tailMass0: 0.25 });
    const shown = JSON.parse(cli(['show', file, '--json']).out);
    expect({ ...shown, elapsedMs: s.elapsedMs }).toEqual(s);
  });
});
