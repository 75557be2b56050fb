// The GMM family end to end: the same bits on every backend and the golden
// digests, simulation against the exact moment theory (tolerance 4 standard
// errors of the replicate mean, se = sd / sqrt(R) estimated from the
// replicates), generation 0 against the true mixture, degenerate settings
// without NaN, and bad options.
// Regenerate the golden file after a deliberate change of the numbers with
//   UPDATE_GOLDEN=1 npx vitest run test/gmm.test.ts
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveGmmConfig } from '../src/families/gmm/options.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RunSummary } from '../src/results/types.js';


async function simulate(opts: RawOptions) {
  const { config, warnings } = resolveGmmConfig({ backend: 'wasm', ...opts });
  const out = await runAndCollect(config);
  return { ...out, warnings };
}

const CONFIGS: Record<string, RawOptions> = {
  'notebook-replace': { data: 'notebook', samples: 200, generations: 40, replicates: 3, seed: 7 },
  'two-gaussians-diag-accumulate': { data: 'two-gaussians', covariance: 'diag', policy: 'accumulate', samples: 60, generations: 15, replicates: 2, seed: 'acc' },
  'grid25-spherical-accumulate-subsample': { data: 'grid25', covariance: 'spherical', policy: 'accumulate-subsample', samples: 250, generations: 6, replicates: 2, seed: 3 },
  'mix-bias-temperature': { data: 'two-gaussians', policy: 'mix', 'real-fraction': 0.2, bias: 0.7, temperature: 1.5, samples: 100, generations: 30, replicates: 2, seed: -4 },
  'fresh-custom-3d-ninit-kmeans0': { data: 'custom', mixture: '0.3:0,0,0:1 | 0.7:3,1,-1:0.5,1,2', policy: 'fresh', 'n-init': 3, 'kmeans-iter': 0, components: 3, samples: 80, generations: 12, replicates: 2, seed: 'ü-漢' },
  'reg0-tiny-degenerate': { data: 'two-gaussians', 'reg-covar': 0, components: 5, samples: 8, generations: 20, replicates: 2, seed: 1 },
  // d = 2 with sizes that are not multiples of 4 (the fast paths' tails): these digests were
  // computed by the general code before the d = 2 paths existed, which must give the same bits
  'notebook-odd-full': { data: 'notebook', samples: 201, generations: 12, replicates: 2, seed: 11 },
  'notebook-odd-diag': { data: 'notebook', covariance: 'diag', samples: 99, generations: 12, replicates: 2, seed: 'odd' },
  'two-gaussians-spherical-tiny': { data: 'two-gaussians', covariance: 'spherical', samples: 7, holdout: 5, generations: 10, replicates: 2, seed: 2 },
};

goldenDigestSuite('gmm', 'gmm', CONFIGS);

describe('what the digest does and does not depend on', () => {
  it('not on --every, nor on how many replicates run; on the seed', async () => {
    const base = { data: 'two-gaussians', samples: 60, generations: 25, replicates: 3, seed: 5 };
    const a = await simulate(base);
    const b = await simulate({ ...base, every: 7 });
    expect(b.summary.digest).toBe(a.summary.digest);
    expect(b.summary.generations.map((g) => g.n)).toEqual([0, 7, 14, 21, 25]);
    const one = await simulate({ ...base, replicates: 1 });
    expect(one.replicates[0].digest).toBe(a.replicates[0].digest);
    expect((await simulate({ ...base, seed: 6 })).summary.digest).not.toBe(a.summary.digest);
  });
});

/** |simulated mean - exact mean| < 4 se of the replicate mean. */
function expectMeanMatches(s: RunSummary, n: number, metric: string) {
  const m = s.generations.find((g) => g.n === n)!.metrics[metric];
  expect(m.theoryMean, `${metric} has a theory at n=${n}`).not.toBeNull();
  const z = (m.mean! - m.theoryMean!) / m.se!;
  expect(Math.abs(z), `${metric} at n=${n}: sim ${m.mean} vs theory ${m.theoryMean} (se ${m.se})`).toBeLessThan(4);
  return z;
}

describe('the exact moment theory: the fitted mixture\'s mean and variance follow the Gaussian MLE recursion', () => {
  it.each([
    ['notebook, K = 2, full', { data: 'notebook', samples: 40, generations: 30, replicates: 400, every: 10, tol: 1e-3, 'max-iter': 100, seed: 'theory-a' }],
    ['two-gaussians, K = 3, spherical', { data: 'two-gaussians', components: 3, covariance: 'spherical', samples: 50, generations: 20, replicates: 300, every: 10, 'reg-covar': 0.01, seed: 'theory-b' }],
  ] as [string, RawOptions][])('%s', async (_, opts) => {
    const { summary } = await simulate(opts);
    for (const g of summary.generations.filter((x) => x.n > 0)) {
      expectMeanMatches(summary, g.n, 'mixVar');
      expectMeanMatches(summary, g.n, 'mixMeanSqError');
    }
  });

  it('and the test can fail: with bias 0.5 the variance falls far below the unbiased recursion', async () => {
    const opts = { data: 'notebook', samples: 40, generations: 10, replicates: 200, every: 10, tol: 1e-3, 'max-iter': 100, seed: 'theory-c' };
    const biased = (await simulate({ ...opts, bias: 0.5 })).summary;
    expect(biased.generations[1].metrics.mixVar.theoryMean).toBeNull(); // no theory claimed there
    const unbiased = (await simulate(opts)).summary;
    const m = biased.generations[1].metrics.mixVar;
    expect((unbiased.generations[1].metrics.mixVar.theoryMean! - m.mean!) / m.se!).toBeGreaterThan(10);
  });
});

describe('generation 0 is the true mixture', () => {
  it('L2^2 is exactly 0, every mode is covered, and the held-out log-likelihood has mean minus the entropy', async () => {
    const { summary, replicates } = await simulate({ data: 'notebook', samples: 100, generations: 2, replicates: 60, holdout: 200, seed: 'gen0' });
    for (const r of replicates) {
      expect(r.metrics.l2sq[0]).toBe(0);
      expect(r.metrics.modesCovered[0]).toBe(1);
      expect(r.metrics.stdMean[0]).toBe(1);
      expect(r.metrics.emIterations[0]).toBeNull(); // no fit at generation 0
    }
    // -(d/2)(1 + ln 2 pi) for N(0, I_2)
    const h = summary.generations[0].metrics.holdoutLogLik;
    expect(h.theoryMean).toBeCloseTo(-(1 + Math.log(2 * Math.PI)), 12);
    expect(Math.abs(h.mean! - h.theoryMean!) / h.se!).toBeLessThan(4);
  });

  it('grid25: all 25 modes covered at generation 0 and after one well-fitted generation', async () => {
    const { replicates } = await simulate({ data: 'grid25', samples: 2000, generations: 1, replicates: 2, 'n-init': 2, seed: 'grid' });
    for (const r of replicates) {
      expect(r.metrics.modesCovered[0]).toBe(25);
      // 80 points per mode, 40 std apart: k-means++ seeds one centre per mode with probability ~ 1
      expect(r.metrics.modesCovered[1]).toBe(25);
      expect(r.metrics.l2sq[1]!).toBeGreaterThan(0);
    }
  });
});

describe('degenerate settings run to the end without NaN', () => {
  it('reg-covar 0 with K close to M: covariances are repaired and reported', async () => {
    const { summary, warnings } = await simulate(CONFIGS['reg0-tiny-degenerate']);
    expect(warnings.join(' ')).toMatch(/--reg-covar 0/);
    expect(nonFinite(summary)).toEqual([]);
    expect(summary.warnings.join(' ')).toMatch(/ridge/);
  });

  it('max-iter too small: EM does not converge, and that is counted', async () => {
    const { summary, replicates } = await simulate({ data: 'notebook', samples: 200, generations: 5, replicates: 2, 'max-iter': 2, seed: 1 });
    expect(summary.warnings.join(' ')).toMatch(/without converging/);
    for (const r of replicates) {
      expect(r.finals!.nonConverged).toBe(5);
      expect(r.metrics.converged.slice(1)).toEqual([0, 0, 0, 0, 0]);
      expect(r.metrics.emIterations.slice(1)).toEqual([2, 2, 2, 2, 2]);
    }
  });
});

function nonFinite(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

describe('options', () => {
  it('defaults follow --data: the notebook is the paper\'s setting, the others scikit-learn\'s', () => {
    const nb = resolveGmmConfig({}).config;
    expect(nb).toMatchObject({ data: 'notebook', dim: 2, components: 2, tol: 1e-5, maxIter: 2000, samples: 1000, regCovar: 1e-6, covariance: 'full', nInit: 1, coverRadius: 3 });
    const grid = resolveGmmConfig({ data: 'grid25' }).config;
    expect(grid).toMatchObject({ components: 25, tol: 1e-3, maxIter: 100 });
    expect(grid.coverRadius).toBeCloseTo(0.15, 14);
    const custom = resolveGmmConfig({ data: 'custom', mixture: '0.25:1:2 | 0.75:-1:0.5' }).config;
    expect(custom).toMatchObject({ dim: 1, components: 2, mixture: { weights: [0.25, 0.75], means: [[1], [-1]], covs: [[2], [0.5]] } });
    expect(resolveGmmConfig({ data: 'custom', mixture: '1:0,0:1,2' }).config.mixture.covs[0]).toEqual([1, 0, 0, 2]);
    expect(resolveGmmConfig({ data: 'custom', mixture: '1:0,0:1,0.5;0.5,2' }).config.mixture.covs[0]).toEqual([1, 0.5, 0.5, 2]);
  });

  const custom = (mixture: string): RawOptions => ({ data: 'custom', mixture });
  // values as the CLI passes them: strings
  it.each([
    ['K = 0', { components: '0' }, /--components: "0" is not allowed; expected an integer in \[1, 1000\]/],
    ['K > points', { components: 50, samples: 20 }, /--components: 50 is more than the 20 points of a training set/],
    ['tol 0', { tol: '0' }, /--tol: "0" is not allowed; expected a number in \(0, 1000000\]/],
    ['tol negative', { tol: '-0.001' }, /--tol: "-0.001" is not allowed/],
    ['reg-covar negative', { 'reg-covar': '-1e-6' }, /--reg-covar: .*expected a number in \[0, 1000000\]/],
    ['max-iter 0', { 'max-iter': '0' }, /--max-iter: "0" is not allowed; expected an integer in \[1, 1000000\]/],
    ['n-init 0', { 'n-init': '0' }, /--n-init: "0" is not allowed/],
    ['unknown covariance', { covariance: 'tied' }, /--covariance: "tied" is not allowed; expected one of full, diag, spherical/],
    ['unknown data', { data: 'moons' }, /--data: "moons" is not allowed; expected one of notebook, two-gaussians, grid25, custom/],
    ['temperature 0', { temperature: '0' }, /--temperature: "0" is not allowed; expected a number in \[0.01, 100\]/],
    ['bias 0', { bias: '0' }, /--bias: "0" is not allowed; expected a number in \(0, 1\]/],
    ['holdout 0', { holdout: '0' }, /--holdout: "0" is not allowed/],
    ['cover radius 0', { 'cover-radius': '0' }, /--cover-radius: "0" is not allowed/],
    ['real fraction without mix', { 'real-fraction': 0.2 }, /--real-fraction: applies only to --policy mix or fresh, not replace/],
    ['custom without mixture', { data: 'custom' }, /--data custom: needs --mixture/],
    ['mixture without custom', { mixture: '1:0,0:1' }, /--mixture: applies only to --data custom, not notebook/],
    ['too few fields', custom('0.5:0,0 | 0.5:1,1:1'), /--mixture: component 1 has 2 fields \("0.5:0,0"\); expected W:MEAN:COV/],
    ['weights not summing to 1', custom('0.5:0,0:1 | 0.6:1,1:1'), /--mixture: weights sum to 1.1, not 1/],
    ['negative weight', custom('-0.5:0:1 | 1.5:1:1'), /--mixture: component 1 weight -0.5 is not positive/],
    ['means of different lengths', custom('0.5:0,0:1 | 0.5:1:1'), /--mixture: component 2 mean has 1 coordinates, the first has 2/],
    ['not a number', custom('1:0,x:1'), /--mixture: component 1 mean: "x" is not a finite number/],
    ['asymmetric covariance', custom('1:0,0:1,2;3,4'), /--mixture: component 1 covariance is not symmetric/],
    ['indefinite covariance', custom('1:0,0:1,2;2,1'), /--mixture: component 1 covariance is not positive definite/],
    ['wrong covariance length', custom('1:0,0:1,2,3'), /--mixture: component 1 covariance has 3 numbers/],
    ['zero variance', custom('1:0,0:0'), /--mixture: component 1 variances must be in \(0, 1e12\]/],
    ['too many dimensions', custom(`1:${Array(17).fill(0).join(',')}:1`), /--mixture: dimension 17 from the first mean, at most 16 allowed/],
    ['more memory than kernels can address', { policy: 'accumulate', samples: 10_000_000, generations: 1000 }, /needs? \d+ MiB of kernel memory, above the 2048 MiB limit/],
    ['unknown option', { dim: 3 }, /--dim: unknown option/],
  ] as [string, RawOptions, RegExp][])('%s', (_, raw, message) => {
    expect(() => resolveGmmConfig(raw)).toThrow(UsageError);
    expect(() => resolveGmmConfig(raw)).toThrow(message);
  });
});
