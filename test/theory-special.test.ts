// Special functions and closed forms against values known independently.
import { describe, expect, it } from 'vitest';
import { digamma, lgamma, tetragamma, trigamma } from '../src/theory/special.js';
import { gaussianTheory } from '../src/families/gaussian/theory.js';

const EULER = 0.5772156649015329;
const ZETA3 = 1.2020569031595942;

describe('special functions', () => {
  it('match closed-form values at 1, 1/2 and large x', () => {
    expect(digamma(1)).toBeCloseTo(-EULER, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 14);
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13);
    expect(tetragamma(1)).toBeCloseTo(-2 * ZETA3, 13);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(101)).toBeCloseTo(363.73937555556347, 10); // ln 100!
    // recurrences: psi(x + 1) = psi(x) + 1/x, psi'(x + 1) = psi'(x) - 1/x^2
    for (const x of [0.3, 2.7, 9.9, 10.1, 49.5]) {
      expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 12);
      expect(trigamma(x) - trigamma(x + 1)).toBeCloseTo(1 / (x * x), 12);
      expect(tetragamma(x + 1) - tetragamma(x)).toBeCloseTo(2 / x ** 3, 12);
    }
  });
});

describe('Gaussian closed forms', () => {
  const base = { dim: 1, mu0: [0], sigma0Eigenvalues: [1], policy: 'replace' as const, bias: 1, realFraction: 0, realWeight: null, samplesAt: () => 100 };

  it("reproduce the paper's worked example (sigma^2 = 1, M = 100): Var(X^10) = 1.1, E W2^2 after 11 fits ~ 0.165", () => {
    const [g10, g11] = gaussianTheory({ ...base, estimator: 'unbiased' }, [10, 11]);
    expect(g10.marginalVariance!.mean).toBeCloseTo(1.1, 14);
    expect(g10.meanSqError!.mean).toBeCloseTo(0.1, 14);
    // the paper's (3/2) sigma^2 sum 1/M_i is first order; the exact 1-D value is within 1e-3
    expect(Math.abs(g11.w2sq!.mean! - 0.165)).toBeLessThan(1e-3);
  });

  it('MLE: E sigma_n^2 = ((M-1)/M)^n and E (mu_n - mu_0)^2 = 1 - ((M-1)/M)^n (bounded)', () => {
    const [g] = gaussianTheory({ ...base, estimator: 'mle' }, [300]);
    expect(g.traceRatio!.mean).toBeCloseTo(0.99 ** 300, 14);
    expect(g.meanSqError!.mean).toBeCloseTo(1 - 0.99 ** 300, 13);
  });

  it('log-variance drift per generation is psi((M-1)/2) - ln((M-1)/2) (unbiased)', () => {
    const [g] = gaussianTheory({ ...base, estimator: 'unbiased' }, [7]);
    expect(g.logDetRatio!.mean).toBeCloseTo(7 * (digamma(49.5) - Math.log(49.5)), 13);
  });

  it('accumulate: E tr Sigma_{n+1} = E tr Sigma_n (1 - M / (N (N - 1))), E(mu_n - mu_0)^2 = (tr Sigma_0 / M) sum_{i<n} T_i / (i+1)^2', () => {
    const [g] = gaussianTheory({ ...base, policy: 'accumulate', estimator: 'unbiased' }, [3]);
    const t2 = 1 - 100 / (200 * 199);
    const t3 = t2 * (1 - 100 / (300 * 299));
    expect(g.traceRatio!.mean).toBeCloseTo(t3, 15);
    expect(g.meanSqError!.mean).toBeCloseTo((1 + 1 / 4 + t2 / 9) / 100, 15);
    // MLE: 1 - 1/M at the real data, then 1 - M / N^2
    const [m] = gaussianTheory({ ...base, policy: 'accumulate', estimator: 'mle' }, [3]);
    const u1 = 0.99;
    const u2 = u1 * (1 - 100 / 200 ** 2);
    expect(m.traceRatio!.mean).toBeCloseTo(u2 * (1 - 100 / 300 ** 2), 15);
    expect(m.meanSqError!.mean).toBeCloseTo((1 + u1 / 4 + u2 / 9) / 100, 15);
  });
});
