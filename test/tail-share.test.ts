// The GMM and KDE tail metric: the share of held-out real points whose
// log-likelihood under model n is below the original model's 1% quantile
// of the same points' log-likelihoods (set once per replicate at n = 0).
// At n = 0 it is 1% by construction: with m points and the type-7 quantile,
// exactly ceil(0.01 (m - 1)) points lie below it (no ties). Later it
// must rise as the refits lose the tails.
import { describe, expect, it } from 'vitest';
import { resolveGmmConfig } from '../src/families/gmm/options.js';
import { resolveKdeConfig } from '../src/families/kde/options.js';
import { runSimulation } from '../src/runner/run.js';
import type { RunSummary } from '../src/results/types.js';
import { shareBelow, sortedQuantile, tailLevel } from '../src/util/stats.js';

function share(s: RunSummary, n: number) {
  return s.generations.find((g) => g.n === n)!.metrics.tailShare!;
}

describe('the share and level helpers', () => {
  it('type-7 quantile, and the share strictly below it', () => {
    const xs = Float64Array.from({ length: 201 }, (_, i) => i); // 0..200
    expect(sortedQuantile(xs, 201, 0.01)).toBe(2);
    expect(sortedQuantile(xs, 201, 0.995)).toBeCloseTo(199, 12);
    const shuffled = Float64Array.from(xs).reverse();
    expect(tailLevel(shuffled)).toBe(2);
    expect(shareBelow(shuffled, 2)).toBe(2 / 201);
  });
});

describe('gmm: tail share', async () => {
  const { config } = resolveGmmConfig({ backend: 'wasm', samples: 200, generations: 20, replicates: 12, holdout: 1000, every: 20, seed: 'tail-gmm' });
  const s = (await runSimulation(config)).summary;
  it('is ceil(0.01 (m - 1)) over m at generation 0 in every replicate', () => {
    const g0 = share(s, 0);
    expect(g0.mean).toBeCloseTo(10 / 1000, 15);
    expect(g0.sd ?? 0).toBe(0);
  });
  it('rises by generation 20 (more than 4 se above 1%)', () => {
    const g = share(s, 20);
    expect((g.mean! - 0.01) / g.se!).toBeGreaterThan(4);
  });
});

describe('kde: tail share', async () => {
  const { config } = resolveKdeConfig({ backend: 'wasm', generations: 10, replicates: 12, holdout: 500, every: 10, seed: 'tail-kde' });
  const s = (await runSimulation(config)).summary;
  it('is 1% at generation 0 (5 of 500 points)', () => {
    expect(share(s, 0).mean).toBeCloseTo(5 / 500, 15);
  });
  it('rises by generation 10 (more than 4 se above 1%)', () => {
    const g = share(s, 10);
    expect((g.mean! - 0.01) / g.se!).toBeGreaterThan(4);
  });
});
