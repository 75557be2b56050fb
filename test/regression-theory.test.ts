// Simulation against the closed forms of src/theory/regression.ts. Fixed
// seeds; each tolerance is K = 4 standard errors of the simulated mean,
// estimated from the replicates themselves: se = sd / sqrt(R) (summary.ts).
// A failure at 4 se happens by chance with probability ~6e-5 per check.
import { describe, expect, it } from 'vitest';
import { resolveRegressionConfig } from '../src/families/regression/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';
import type { RunSummary } from '../src/results/types.js';
import type { RegressionMetric } from '../src/families/regression/types.js';
import { inverseSquareSum } from '../src/families/regression/theory.js';

const K = 4;

async function simulate(opts: RawOptions) {
  const { config } = resolveRegressionConfig({ backend: 'wasm', ...opts });
  return runAndCollect(config);
}

function at(s: RunSummary, n: number, metric: RegressionMetric) {
  return s.generations.find((g) => g.n === n)!.metrics[metric]!;
}

/** |simulated mean - theory mean| < K se. */
function expectMeanMatches(s: RunSummary, n: number, metric: RegressionMetric) {
  const m = at(s, n, metric);
  expect(m.theoryMean, `${metric} has a theory at n=${n}`).not.toBeNull();
  const z = (m.mean! - m.theoryMean!) / m.se!;
  expect(Math.abs(z), `${metric} at n=${n}: sim ${m.mean} vs theory ${m.theoryMean} (se ${m.se})`).toBeLessThan(K);
}

// The research notes' check (d = 10, T = 100, sigma^2 = 1): c = 10/89 = 0.1124.
describe('replace, d = 10, T = 100, sigma^2 = 1: E||w_n - w*||^2 = n sigma^2 d / (T - d - 1)', async () => {
  const { summary: s } = await simulate({ generations: 20, replicates: 2000, 'test-points': 200, seed: 'theory-replace' });
  it('the theory is n c with c = 10/89', () => {
    expect(at(s, 10, 'weightErrorSq').theoryMean).toBeCloseTo((10 * 10) / 89, 14);
  });
  it.each([1, 5, 10, 20])('n = %i: weight error, test error (noise-free isotropic test points) and step size', (n) => {
    expectMeanMatches(s, n, 'weightErrorSq');
    expectMeanMatches(s, n, 'testError');
    expectMeanMatches(s, n, 'stepSq');
  });
});

describe('accumulate, d = 10, T = 100, sigma^2 = 1: E||w_n - w*||^2 = c sum_{i<=n} 1/i^2 < c pi^2/6', async () => {
  const { summary: s } = await simulate({ generations: 40, replicates: 2000, policy: 'accumulate', 'test-points': 200, seed: 'theory-accumulate' });
  it.each([1, 5, 10, 20, 40])('n = %i: weight error, test error and step c / n^2', (n) => {
    expectMeanMatches(s, n, 'weightErrorSq');
    expectMeanMatches(s, n, 'testError');
    expectMeanMatches(s, n, 'stepSq');
  });
  it('the bound: every theory value is below c pi^2/6, and no simulated mean is above it by more than 4 se', () => {
    const bound = s.bounds.weightErrorSq;
    expect(bound).toBeCloseTo(((10 / 89) * Math.PI ** 2) / 6, 14);
    expect(s.bounds.testError).toBe(bound);
    for (const g of s.generations) {
      const m = g.metrics.weightErrorSq;
      expect(m.theoryMean!).toBeLessThan(bound);
      expect(m.mean! - K * m.se!).toBeLessThan(bound);
    }
    // the partial sums of the notes: 1.5498 at n = 10 and 1.6350 at n = 100 (below pi^2/6 = 1.6449)
    expect(inverseSquareSum(10)).toBeCloseTo(1.5497677, 6);
    expect(inverseSquareSum(100)).toBeCloseTo(1.6349839, 6);
  });
  it('accumulate is far below replace at n = 40 (40 c against 1.62 c)', () => {
    const m = at(s, 40, 'weightErrorSq');
    expect(40 * (10 / 89) - m.mean!).toBeGreaterThan(K * 40 * m.se!);
  });
});

describe('a small design, d = 3, T = 20, sigma^2 = 2.5, w* = ones: the denominator is T - d - 1, not T', async () => {
  // c = 2.5 * 3 / 16 = 0.46875; d / T would give 0.375, 20% lower
  const { summary: s } = await simulate({ dim: 3, points: 20, noise: 2.5, 'w-star': 'ones', generations: 8, replicates: 4000, 'test-points': 100, seed: 'theory-small' });
  it.each([1, 4, 8])('n = %i: replace matches n c', (n) => {
    expectMeanMatches(s, n, 'weightErrorSq');
    expectMeanMatches(s, n, 'testError');
  });
  it('and the naive sigma^2 d / T is rejected by the same test', () => {
    const m = at(s, 8, 'weightErrorSq');
    expect(Math.abs(m.mean! - (8 * 2.5 * 3) / 20) / m.se!).toBeGreaterThan(K);
  });
});

describe('fresh: the first-order closed form where d/T is small (d = 2, T = 1000, g = 0.5)', async () => {
  // The first-order formula takes the synthetic rows' share of X^T X as
  // (1 - g) I; its relative error is about d/T = 0.2% here, well below one
  // standard error (about 2% of the mean at R = 3000), so 4 se still applies.
  const { summary: s } = await simulate({ dim: 2, points: 1000, policy: 'fresh', 'real-fraction': 0.5, generations: 10, replicates: 3000, 'test-points': 20, seed: 'theory-fresh' });
  it.each([1, 5, 10])('n = %i', (n) => {
    expectMeanMatches(s, n, 'weightErrorSq');
    expectMeanMatches(s, n, 'stepSq');
  });
  it('the limit c / (1 - (1 - g)^2) = (4/3) c is reached', () => {
    const c = 2 / 997;
    expect(at(s, 10, 'weightErrorSq').theoryMean).toBeCloseTo((4 / 3) * c * (1 - 0.25 ** 10), 14);
  });
});

describe('the error does not depend on w*', () => {
  it('w* = ones and w* = random give the same errors, replicate by replicate, to round-off; the digests differ', async () => {
    // Both choices draw the same stream (ones still draws d normals and
    // discards them) and OLS errors are linear in the noise alone.
    const opts = { dim: 4, points: 15, generations: 10, replicates: 5, policy: 'accumulate-subsample', seed: 'w-star' };
    const a = await simulate({ ...opts, 'w-star': 'random' });
    const b = await simulate({ ...opts, 'w-star': 'ones' });
    expect(b.summary.digest).not.toBe(a.summary.digest);
    a.replicates.forEach((ra, r) => {
      const ea = ra.metrics.weightErrorSq as number[];
      const eb = b.replicates[r].metrics.weightErrorSq as number[];
      ea.forEach((v, i) => expect(Math.abs(v - eb[i])).toBeLessThan(1e-9 * Math.max(1, v)));
    });
  });
});

describe('policies without a closed form behave as the papers report', async () => {
  const opts = { dim: 10, points: 100, generations: 20, replicates: 500, every: 20, 'test-points': 50, seed: 'policies' };
  const replace = (await simulate({ ...opts, policy: 'replace' })).summary;
  const sub = (await simulate({ ...opts, policy: 'accumulate-subsample' })).summary;
  const mix = (await simulate({ ...opts, policy: 'mix', 'real-fraction': 0.1 })).summary;
  it('accumulate-subsample and mix degrade far less than replace at n = 20 (Kazdan et al. 2024: slow, plateauing)', () => {
    const r = at(replace, 20, 'weightErrorSq');
    for (const s of [sub, mix]) {
      const m = at(s, 20, 'weightErrorSq');
      expect(m.theoryMean).toBeNull();
      expect(r.mean! - m.mean!).toBeGreaterThan(K * Math.hypot(r.se!, m.se!));
      // but both lose accuracy against model 1 (c = 0.1124)
      expect(m.mean! - K * m.se!).toBeGreaterThan(10 / 89);
    }
  });
});
