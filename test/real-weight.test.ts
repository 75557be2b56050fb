// Weighting fresh real and synthetic estimates (He, Xu & Cheng, arXiv
// 2502.18049): the simulation follows the exact recursion of the blended
// estimate, and a sweep over w shows the least stationary error near 1/phi.
import { describe, expect, it } from 'vitest';
import { sweepRealWeight } from '../src/runner/sweep-real-weight.js';
import { resolveGaussianConfig } from '../src/families/gaussian/options.js';
import { UsageError } from '../src/config/validate.js';

const PHI_INV = (Math.sqrt(5) - 1) / 2;
const K = 4;
const WEIGHTS = [0.3, 0.5, 0.55, 0.6, PHI_INV, 0.65, 0.7, 0.8, 0.9];

describe('the golden-ratio sweep', async () => {
  const points = await sweepRealWeight({ weights: WEIGHTS, samples: 200, generations: 200, from: 100, replicates: 1000, seed: 'golden-ratio-test' });
  const at = (w: number) => points.find((p) => p.w === w)!;

  it.each(WEIGHTS)('w = %f: the simulated stationary error matches the closed form within 4 se', (w) => {
    const p = at(w);
    expect(Math.abs(p.mean - p.theory) / p.se, `sim ${p.mean} theory ${p.theory} se ${p.se}`).toBeLessThan(K);
  });

  it('the closed form is least at w = 1/phi and equals (1/phi) tr Sigma_0 / k there', () => {
    // stationary V(w) = (w^2 + (1-w)^2) / (1 - (1-w)^2) / k for k = s = 100
    const v = (w: number) => (w * w + (1 - w) ** 2) / (1 - (1 - w) ** 2) / 100;
    expect(at(PHI_INV).theory).toBeCloseTo(v(PHI_INV), 6);
    for (const w of [PHI_INV - 0.01, PHI_INV + 0.01]) expect(v(w)).toBeGreaterThan(v(PHI_INV));
    expect(v(PHI_INV)).toBeCloseTo(PHI_INV / 100, 12);
  });

  it('the simulation itself dips at 1/phi: below w = 0.3, 0.5 and 0.9 by more than 4 paired standard errors', () => {
    // every w runs the same seed, so per-replicate differences cancel common noise
    for (const w of [0.3, 0.5, 0.9]) {
      const a = at(PHI_INV).perReplicate;
      const b = at(w).perReplicate;
      const diff = b.map((x, i) => x - a[i]);
      const mean = diff.reduce((s, x) => s + x, 0) / diff.length;
      const sd = Math.sqrt(diff.reduce((s, x) => s + (x - mean) ** 2, 0) / (diff.length - 1));
      expect(mean / (sd / Math.sqrt(diff.length)), `w = ${w} vs 1/phi`).toBeGreaterThan(K);
    }
    // and the smallest simulated error of the sweep lies inside the flat bottom (0.5, 0.8)
    const best = points.reduce((x, y) => (y.mean < x.mean ? y : x));
    expect(best.w).toBeGreaterThan(0.5);
    expect(best.w).toBeLessThan(0.8);
  });
});

describe('--real-weight validation', () => {
  it('applies only to policy fresh, and needs both parts large enough to fit', () => {
    expect(() => resolveGaussianConfig({ 'real-weight': 0.5 })).toThrow(UsageError);
    expect(() => resolveGaussianConfig({ 'real-weight': 0.5 })).toThrow(/--real-weight: applies only to --policy fresh/);
    expect(() => resolveGaussianConfig({ policy: 'fresh', 'real-weight': 1.5 })).toThrow(/--real-weight: 1.5 is not allowed; expected a number in \[0, 1\]/);
    expect(() => resolveGaussianConfig({ policy: 'fresh', 'real-weight': 0.5, samples: 10, 'real-fraction': 0.05 })).toThrow(/needs at least 2 real and 2 synthetic/);
  });
});
