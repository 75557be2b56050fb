// The KDE recursion against its theory. Fixed seeds; each tolerance is 4
// standard errors of the simulated mean, the se estimated from the
// replicates themselves (se = sd / sqrt(R), as in the summary). Runs use
// --holdout 1 where only the variance is checked: the log-likelihood does not
// touch the random stream, so it does not change what is tested.
import { describe, expect, it } from 'vitest';
import { resolveKdeConfig } from '../src/families/kde/options.js';
import { runSimulation } from '../src/runner/run.js';
import { expectedVariances, bandwidthFactor, trueEntropy } from '../src/families/kde/theory.js';
import type { RunSummary } from '../src/results/types.js';
import type { RawOptions } from '../src/config/validate.js';
import { GMM1D, GMM2D } from '../src/families/kde/datasets.js';

const K = 4;

async function simulate(opts: RawOptions): Promise<RunSummary> {
  const { config } = resolveKdeConfig({ backend: 'wasm', holdout: 1, ...opts });
  return (await runSimulation(config)).summary;
}

function at(s: RunSummary, n: number, metric: string) {
  return s.generations.find((g) => g.n === n)!.metrics[metric]!;
}

function expectVarianceMatches(s: RunSummary, n: number) {
  const m = at(s, n, 'variance');
  expect(m.theoryMean, `variance has a theory at n=${n}`).not.toBeNull();
  const z = (m.mean! - m.theoryMean!) / m.se!;
  expect(Math.abs(z), `variance at n=${n}: sim ${m.mean} vs theory ${m.theoryMean} (se ${m.se})`).toBeLessThan(K);
}

describe('the closed forms under replace are what the recursion says', () => {
  it('fixed h: E Var_t = n h^2 + ((n-1)/n)^t (Var_0 - n h^2); frozen and recomputed rules likewise', async () => {
    const base = { data: 'gaussian', samples: 50, generations: 60 } as const;
    const { config: fixed } = resolveKdeConfig({ ...base, bandwidth: 0.3 });
    const ev = expectedVariances(fixed, 60);
    for (const t of [0, 1, 20, 60]) expect(ev[t]).toBeCloseTo(50 * 0.09 + 0.98 ** t * (1 - 50 * 0.09), 12);
    const c2 = bandwidthFactor(50, 1, 'scott') ** 2;
    const { config: frozen } = resolveKdeConfig({ ...base, bandwidth: 'scott' });
    expect(expectedVariances(frozen, 60)[60]).toBeCloseTo(50 * c2 + 0.98 ** 60 * (1 - 50 * c2), 12);
    const { config: recompute } = resolveKdeConfig({ ...base, bandwidth: 'scott', 'bandwidth-mode': 'recompute' });
    expect(expectedVariances(recompute, 60)[60] / (0.98 + c2) ** 60).toBeCloseTo(1, 12);
    // replace is mix and fresh with no real data: the general recursion agrees
    const { config: freshNoReal } = resolveKdeConfig({ ...base, bandwidth: 0.3, policy: 'fresh', 'real-fraction': 0 });
    expect(expectedVariances(freshNoReal, 60)[60]).toBeCloseTo(ev[60], 12);
  });
});

describe('replace, fixed bandwidth h = 0.3, N(0, 1) data, n = 50', async () => {
  // V* = n h^2 = 4.5: the variance climbs from 1 towards 4.5 instead of collapsing
  const s = await simulate({ data: 'gaussian', samples: 50, bandwidth: 0.3, generations: 60, replicates: 2000, every: 20, seed: 'kde-fixed' });
  it.each([20, 40, 60])('n = %i: E Var_t within 4 se', (n) => expectVarianceMatches(s, n));
  it('the bandwidth is the given one, and E Var_0 is sigma_0^2', () => {
    expect(at(s, 60, 'bandwidth').median).toBe(0.3);
    expect(at(s, 0, 'variance').theoryMean).toBe(1);
  });
});

describe('replace, frozen Scott bandwidth, gmm2d, n = 50', async () => {
  const s = await simulate({ data: 'gmm2d', samples: 50, bandwidth: 'scott', generations: 30, replicates: 2000, every: 10, seed: 'kde-frozen' });
  it.each([10, 20, 30])('n = %i: E Var_t = Var_0 (n c^2 + rho^t (1 - n c^2))', (n) => expectVarianceMatches(s, n));
});

describe('replace, Silverman bandwidth recomputed every generation, gmm1d, n = 50', async () => {
  // grows by rho + c^2 = 1.215 per generation; t <= 20 keeps the replicate
  // distribution's tail light enough for its sd to estimate the se
  const s = await simulate({ data: 'gmm1d', samples: 50, bandwidth: 'silverman', 'bandwidth-mode': 'recompute', generations: 20, replicates: 2000, every: 10, seed: 'kde-recompute' });
  it.each([10, 20])('n = %i: E Var_t = Var_0 (rho + c^2)^t', (n) => expectVarianceMatches(s, n));
});

describe('the other policies follow their exact linear recursions', () => {
  const cases: [string, RawOptions][] = [
    ['accumulate, frozen Scott, gmm1d', { data: 'gmm1d', policy: 'accumulate', bandwidth: 'scott', replicates: 1000 }],
    ['accumulate, recomputed Scott on the pool, rings', { data: 'rings', policy: 'accumulate', bandwidth: 'scott', 'bandwidth-mode': 'recompute', replicates: 1000 }],
    ['accumulate-subsample, h = 0.4, 2-D Gaussian', { data: 'gaussian', dim: 2, policy: 'accumulate-subsample', bandwidth: 0.4, replicates: 1000 }],
    ['mix 30% real, recomputed Scott, moons', { data: 'moons', policy: 'mix', 'real-fraction': 0.3, bandwidth: 'scott', 'bandwidth-mode': 'recompute', generations: 20, replicates: 2000 }],
    ['fresh 50% real, h = 0.5, gmm2d', { data: 'gmm2d', policy: 'fresh', bandwidth: 0.5, generations: 20, replicates: 2000 }],
  ];
  it.each(cases)('%s', async (_, opts) => {
    const generations = (opts.generations as number | undefined) ?? 30;
    const s = await simulate({ samples: 50, generations, every: generations / 2, seed: 'kde-policies', ...opts });
    expectVarianceMatches(s, generations / 2);
    expectVarianceMatches(s, generations);
  });
});

describe('held-out log-likelihood', async () => {
  // R = 100 replicates with 200 held-out points each; NLL values are means of
  // 200 terms, so their replicate distribution is close to normal.
  const opts = { data: 'gmm1d', samples: 50, bandwidth: 'scott', generations: 30, every: 30, replicates: 100, holdout: 200, seed: 'kde-nll' } as const;
  const replace = await simulate(opts);
  const accumulate = await simulate({ ...opts, policy: 'accumulate' });

  it('generation 0: E NLL is not below the entropy of the truth (Gibbs)', () => {
    const m = at(replace, 0, 'nll');
    const { config } = resolveKdeConfig(opts);
    expect(replace.bounds.nll).toBeCloseTo(trueEntropy(config)!, 12);
    expect(m.mean! + K * m.se!).toBeGreaterThan(replace.bounds.nll);
  });

  it('replace: the NLL rises over 30 generations by more than 4 se (collapse)', () => {
    const a = at(replace, 0, 'nll');
    const b = at(replace, 30, 'nll');
    // the se of a difference of two means is at most hypot(se_a, se_b) when they are positively correlated
    expect((b.mean! - a.mean!) / Math.hypot(a.se!, b.se!)).toBeGreaterThan(K);
  });

  it('accumulate keeps the NLL lower than replace at generation 30 (Kazdan et al. 2024)', () => {
    const r = at(replace, 30, 'nll');
    const a = at(accumulate, 30, 'nll');
    expect((r.mean! - a.mean!) / Math.hypot(r.se!, a.se!)).toBeGreaterThan(K);
  });
});

/** -integral p log p by composite Simpson on [lo, hi]^d with `steps` intervals per axis (steps even). */
function simpsonEntropy(mix: readonly { weight: number; sd: number; mean: number[] }[], d: number, lo: number, hi: number, steps: number): number {
  const step = (hi - lo) / steps;
  const w = (i: number) => (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2);
  const term = (x: number[]) => {
    let p = 0;
    for (const c of mix) p += (c.weight * Math.exp(-x.reduce((s, xa, a) => s + (xa - c.mean[a]) ** 2, 0) / (2 * c.sd * c.sd))) / (2 * Math.PI * c.sd * c.sd) ** (d / 2);
    return p > 0 ? -p * Math.log(p) : 0;
  };
  let acc = 0;
  if (d === 1) for (let i = 0; i <= steps; i++) acc += w(i) * term([lo + i * step]);
  else for (let i = 0; i <= steps; i++) for (let j = 0; j <= steps; j++) acc += w(i) * w(j) * term([lo + i * step, lo + j * step]);
  return acc * (step / 3) ** d;
}

describe('the entropy bound', () => {
  it('is the closed form for a Gaussian, and the quadrature agrees with Simpson and with the mixture entropy bounds', () => {
    const { config: g } = resolveKdeConfig({ data: 'gaussian', dim: 2, sigma0: 2 });
    expect(trueEntropy(g)).toBeCloseTo(Math.log(2 * Math.PI * Math.E * 4), 12);
    for (const [data, mix, d] of [['gmm1d', GMM1D, 1], ['gmm2d', GMM2D, 2]] as const) {
      const { config } = resolveKdeConfig({ data });
      const h = trueEntropy(config)!;
      // an independent rule on a different grid: both converge fast, so they agree closely
      expect(Math.abs(h - simpsonEntropy(mix, d, -10, 10, d === 1 ? 4000 : 600)), data).toBeLessThan(1e-7);
      // sum_k w_k H_k <= H(mixture) <= sum_k w_k H_k + H(w)  (concavity; the mixing label carries at most H(w))
      const within = mix.reduce((s, c) => s + c.weight * (d / 2) * Math.log(2 * Math.PI * Math.E * c.sd * c.sd), 0);
      const labels = -mix.reduce((s, c) => s + c.weight * Math.log(c.weight), 0);
      expect(h).toBeGreaterThan(within);
      expect(h).toBeLessThan(within + labels);
    }
    const { config: rings } = resolveKdeConfig({ data: 'rings' });
    expect(trueEntropy(rings)).toBeNull();
  });
});
