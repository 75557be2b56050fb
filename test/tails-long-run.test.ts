// The Gaussian tail mass in a long d-D run: late, the fitted covariance
// collapses unevenly (the eigenvalues of B = L0^-1 Sigma_n L0^-T spread by
// 1e3 and more), beyond Ruben's series; the inversion (assembly/stats/imhof.ts)
// gives the values there. Its own file: a run needs the backend that
// test/tails.test.ts keeps busy with its arenas.
import { describe, expect, it } from 'vitest';
import { resolveGaussianConfig } from '../src/families/gaussian/options.js';
import { runSimulation } from '../src/runner/run.js';

describe('a long d-D run (d = 4, M = 40, 200 generations): the fitted covariance collapses unevenly', async () => {
  const { config } = resolveGaussianConfig({ backend: 'wasm', dim: 4, samples: 40, generations: 200, replicates: 8, every: 50, seed: 'tail-dd' });
  const s = (await runSimulation(config)).summary;
  it('has the tail mass at the late generations (eigenvalues of B spread far beyond 50x)', () => {
    for (const g of s.generations) {
      const m = g.metrics.tailMass!;
      console.log(`n = ${g.n}: tail mass in ${m.count} of 8 replicates, mean ${m.mean}`);
      if (g.n >= 100) expect(m.count, `n = ${g.n}`).toBeGreaterThanOrEqual(7);
    }
  });
});
