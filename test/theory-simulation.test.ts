// Simulation against theory. Fixed seeds; each tolerance is 4 standard errors
// of the simulated statistic, estimated from the replicates themselves:
// se(mean) = sd / sqrt(R), and for a median of near-normal values
// se(median) = sqrt(pi / 2) sd / sqrt(R) (the asymptotic variance of the
// sample median is 1 / (4 R f(m)^2), and f(m) = 1 / (sd sqrt(2 pi)) for a normal).
import { describe, expect, it } from 'vitest';
import { resolveGaussianConfig } from '../src/families/gaussian/options.js';
import { runSimulation } from '../src/runner/run.js';
import type { RunSummary } from '../src/results/types.js';
import type { GaussianMetric } from '../src/families/gaussian/types.js';
import type { RawOptions } from '../src/config/validate.js';

const K = 4;

async function simulate(opts: RawOptions): Promise<RunSummary> {
  const { config } = resolveGaussianConfig({ backend: 'wasm', ...opts });
  return (await runSimulation(config)).summary;
}

function at(s: RunSummary, n: number, metric: GaussianMetric) {
  const g = s.generations.find((x) => x.n === n)!;
  return g.metrics[metric]!;
}

/** Asserts |simulated mean - theory mean| < K se, and returns both for messages. */
function expectMeanMatches(s: RunSummary, n: number, metric: GaussianMetric) {
  const m = at(s, n, metric);
  expect(m.theoryMean, `${metric} has a theory at n=${n}`).not.toBeNull();
  const z = (m.mean! - m.theoryMean!) / m.se!;
  expect(Math.abs(z), `${metric} at n=${n}: sim ${m.mean} vs theory ${m.theoryMean} (se ${m.se})`).toBeLessThan(K);
}

function expectMedianMatches(s: RunSummary, n: number, metric: GaussianMetric) {
  const m = at(s, n, metric);
  expect(m.theoryMedian).not.toBeNull();
  const seMedian = Math.sqrt(Math.PI / 2) * m.se!;
  const z = (m.median! - m.theoryMedian!) / seMedian;
  expect(Math.abs(z), `${metric} median at n=${n}: sim ${m.median} vs theory ${m.theoryMedian} (se ${seMedian})`).toBeLessThan(K);
}

describe('1-D replace, unbiased refits (Shumailov et al. SI 3.1)', async () => {
  const s = await simulate({ samples: 100, generations: 60, replicates: 4000, estimator: 'unbiased', every: 20, seed: 'theory-unbiased' });
  it.each([20, 40, 60])('n = %i: E(mu_n - mu_0)^2 = n sigma^2 / M, Var X^n = sigma^2 (1 + n/M), E sigma_n^2 = sigma^2', (n) => {
    expectMeanMatches(s, n, 'meanSqError');
    expectMeanMatches(s, n, 'marginalVariance');
    expectMeanMatches(s, n, 'traceRatio');
  });
  it.each([20, 40, 60])('n = %i: the median of log sigma_n^2 drifts by psi((M-1)/2) - ln((M-1)/2) per generation', (n) => {
    expectMedianMatches(s, n, 'logDetRatio');
    expectMeanMatches(s, n, 'logDetRatio');
  });
  it.each([20, 60])('n = %i: E sigma_n, median sigma_n and E W2^2 follow their closed forms', (n) => {
    expectMeanMatches(s, n, 'sigma');
    expectMedianMatches(s, n, 'sigma');
    expectMeanMatches(s, n, 'w2sq');
  });
});

describe('1-D replace, MLE refits (numpy.std, the paper notebook)', async () => {
  const mle = await simulate({ samples: 100, generations: 60, replicates: 4000, estimator: 'mle', every: 20, seed: 'theory-mle' });
  const unb = await simulate({ samples: 100, generations: 60, replicates: 4000, estimator: 'unbiased', every: 20, seed: 'theory-mle' });
  it.each([20, 60])('n = %i: E sigma_n^2 = ((M-1)/M)^n sigma^2 and E(mu_n - mu_0)^2 = 1 - ((M-1)/M)^n', (n) => {
    expectMeanMatches(mle, n, 'traceRatio');
    expectMeanMatches(mle, n, 'meanSqError');
    expectMedianMatches(mle, n, 'logDetRatio');
  });
  it('unbiased and MLE differ as the theory says: the gap in E sigma_n^2 matches ((M-1)/M)^n - 1', () => {
    const a = at(unb, 60, 'traceRatio');
    const b = at(mle, 60, 'traceRatio');
    const gap = a.mean! - b.mean!;
    const theoryGap = a.theoryMean! - b.theoryMean!;
    const se = Math.hypot(a.se!, b.se!);
    expect(theoryGap).toBeCloseTo(1 - 0.99 ** 60, 12);
    expect(Math.abs(gap - theoryGap) / se).toBeLessThan(K);
    expect(gap / se).toBeGreaterThan(K); // the difference itself is far from noise
  });
});

describe('accumulate: the error stays below (tr Sigma_0 / M) pi^2 / 6', async () => {
  const s = await simulate({ samples: 1000, generations: 50, replicates: 2000, policy: 'accumulate', every: 25, seed: 'theory-acc' });
  it.each([25, 50])('n = %i: E(mu_n - mu_0)^2 = (sigma^2 / M) sum T_i / (i+1)^2 and below the bound', (n) => {
    expectMeanMatches(s, n, 'meanSqError');
    const m = at(s, n, 'meanSqError');
    expect(m.mean! - K * m.se!).toBeLessThan(s.bounds.meanSqError);
  });
});

describe('accumulate at M = 5: the exact recursions (the first-order sum 1/i^2 is rejected)', async () => {
  // E Sigma_{n+1} = E Sigma_n (1 - M / (N_n (N_n - 1))), N_n = (n+1) M, and
  // E(mu_n - mu_0)^2 = (sigma^2 / M) sum_{i<n} T_i / (i+1)^2 (theory.ts,
  // accumulateStep). At M = 5 the first-order value (T_i = 1) is 0.2% to
  // 1.1% high, for the MLE chain (T_1 = 0.8) it is 3% low, beyond 4 se with 20000 replicates.
  const unb = await simulate({ samples: 5, generations: 20, replicates: 10000, policy: 'accumulate', every: 10, seed: 'theory-acc5' });
  const mle = await simulate({ samples: 5, generations: 20, replicates: 20000, policy: 'accumulate', estimator: 'mle', every: 10, seed: 'theory-acc5-mle' });
  const firstOrder = (n: number) => {
    let x = 0;
    for (let i = 1; i <= n; i++) x += 1 / (i * i);
    return x / 5;
  };
  it.each([10, 20])('n = %i, unbiased: traceRatio and meanSqError within 4 se of the exact values', (n) => {
    expectMeanMatches(unb, n, 'traceRatio');
    expectMeanMatches(unb, n, 'meanSqError');
    expect(at(unb, n, 'traceRatio').theoryMean!).toBeLessThan(1); // the pooled variance shrinks
  });
  it.each([10, 20])('n = %i, mle: traceRatio and meanSqError within 4 se of the exact values', (n) => {
    expectMeanMatches(mle, n, 'traceRatio');
    expectMeanMatches(mle, n, 'meanSqError');
  });
  it('the first-order value of E(mu_n - mu_0)^2 is off by more than 4 se for the MLE chain at n = 20', () => {
    const m = at(mle, 20, 'meanSqError');
    expect((firstOrder(20) - m.mean!) / m.se!).toBeGreaterThan(K);
  });
});

describe('d = 4, M = 40: the first-order W2 theory is shown only while x_n <= 0.1', async () => {
  // x_n = n (sum_a s_a + sum_{a != b} s_a s_b / (s_a + s_b)) / (2 k) / (2 tr Sigma_0)
  // = n 10 / (2 39) / 8 for Sigma_0 = I: 0.080 at n = 5, 0.32 at n = 20.
  const s = await simulate({ dim: 4, samples: 40, generations: 20, replicates: 800, every: 5, seed: 'theory-w2-4d' });
  it('n = 5 (x = 0.08): shown, and within 4 se of the simulation', () => {
    expectMeanMatches(s, 5, 'w2sq');
  });
  it('n = 20 (x = 0.32): not shown; the first-order value there overshoots the simulation by more than 4 se', () => {
    const m = at(s, 20, 'w2sq');
    expect(m.theoryMean).toBeNull();
    const firstOrder = 20 * (4 / 40) + (20 * 10) / (2 * 39);
    expect((firstOrder - m.mean!) / m.se!).toBeGreaterThan(K);
  });
});

describe('d = 3, replace, unbiased, Sigma_0 = diag(1, 2, 0.5)', async () => {
  // M = 200 keeps the second-order terms of the W2 formula below the noise
  const s = await simulate({ dim: 3, samples: 200, generations: 30, replicates: 3000, sigma0: '1,1.4142135623730951,0.7071067811865476', every: 10, seed: 'theory-3d' });
  it.each([10, 30])('n = %i: E||mu_n - mu_0||^2 = n tr Sigma_0 / M, E tr ratio = 1, Wishart log-det drift', (n) => {
    expectMeanMatches(s, n, 'meanSqError');
    expectMeanMatches(s, n, 'traceRatio');
    expectMeanMatches(s, n, 'logDetRatio');
    expectMedianMatches(s, n, 'logDetRatio');
  });
  it('n = 10: E W2^2 follows the first-order formula', () => {
    expectMeanMatches(s, 10, 'w2sq');
  });
});

describe('sampling bias lambda = 0.9 shrinks E tr Sigma_n by lambda per synthetic generation', async () => {
  const s = await simulate({ samples: 100, generations: 20, replicates: 4000, bias: 0.9, every: 10, seed: 'theory-bias' });
  it.each([10, 20])('n = %i', (n) => {
    expect(at(s, n, 'traceRatio').theoryMean).toBeCloseTo(0.9 ** (n - 1), 12);
    expectMeanMatches(s, n, 'traceRatio');
    expectMeanMatches(s, n, 'meanSqError');
    expectMeanMatches(s, n, 'sigma');
  });
});
