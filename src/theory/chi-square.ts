// Pearson's chi-square goodness of fit, for comparing observed counts with
// expected ones (e.g. where categorical chains were absorbed, against p_0).
import { lgamma } from './special.js';
import { exp, log } from './det.js';

/**
 * Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a): the
 * power series of P(a, x) for x < a + 1, otherwise the continued fraction of
 * Q evaluated by the modified Lentz method (Abramowitz & Stegun 6.5.29 and
 * 6.5.31; Lentz, Applied Optics 15, 1976). Both converge to ~1e-15 within a
 * few hundred terms in that split.
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * log(x) - x - lgamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, h * exp(logPrefix));
}

/** P(X >= x) for X ~ chi-square with df degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  /** Pearson's X^2 = sum (observed - expected)^2 / expected over the bins. */
  statistic: number;
  /** Degrees of freedom: bins - 1 (the expected counts are fixed by the theory, nothing fitted). */
  df: number;
  /** P(chi-square_df >= X^2): small values mean the counts do not follow the theory. */
  pValue: number;
  /** The bins: each a list of categories (indices into the inputs) with their counts. */
  bins: { categories: number[]; observed: number; expected: number }[];
}

/**
 * Pearson's test of observed counts against expected ones. The chi-square
 * approximation needs expected counts of about 5 or more (Cochran 1954), so
 * categories below 5 are pooled into one bin, and that bin, if still below 5,
 * into the smallest other bin. Null when fewer than two bins remain.
 */
export function chiSquareTest(observed: readonly number[], expected: readonly number[]): ChiSquareResult | null {
  const bins: { categories: number[]; observed: number; expected: number }[] = [];
  const pooled = { categories: [] as number[], observed: 0, expected: 0 };
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] >= 5) bins.push({ categories: [i], observed: observed[i], expected: expected[i] });
    else {
      pooled.categories.push(i);
      pooled.observed += observed[i];
      pooled.expected += expected[i];
    }
  }
  if (pooled.categories.length) {
    if (pooled.expected >= 5 || bins.length === 0) bins.push(pooled);
    else {
      let small = 0;
      for (let j = 1; j < bins.length; j++) if (bins[j].expected < bins[small].expected) small = j;
      const into = bins[small];
      bins[small] = { categories: [...into.categories, ...pooled.categories].sort((a, b) => a - b), observed: into.observed + pooled.observed, expected: into.expected + pooled.expected };
    }
  }
  if (bins.length < 2) return null;
  let statistic = 0;
  for (const b of bins) statistic += ((b.observed - b.expected) * (b.observed - b.expected)) / b.expected;
  const df = bins.length - 1;
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), bins };
}
