// Comparing two sets of benchmark rounds (latencies a from record A, b from
// record B): the ratio of their medians, and the exact two-sample
// Wilcoxon-Mann-Whitney test with the confidence interval that inverts it
// (Moses's interval for a scale ratio: Hollander & Wolfe, "Nonparametric
// Statistical Methods", 2nd ed., 1999, sec. 4.1-4.3; Bauer, JASA 67, 1972).
//
// Why this and not resampling: a record has 13 rounds (full), 5 (quick) or 2
// (smoke). A percentile bootstrap interval of the ratio of medians and a
// permutation test of it, as before, are two procedures that can disagree (an
// interval clear of 1 beside p = 0.19), and the bootstrap's coverage is only
// asymptotic: for iid rounds it covered 1 in 67% of 2-against-2 pairs, 91%
// at 3 against 3, 93% at 4 against 4 (about 97% at 5 against 5). Here the
// test and the interval are one procedure, both from one exact distribution
// for any number of rounds, with no resampling and no seed (more powerful
// too: a 1.2x slowdown in lognormal rounds, 13 against 5, was found in 88% of
// pairs, against 73% by the bootstrap interval):
// - the test counts, over the n m pairs, the ratios b_j / a_i on each side of
//   1; under "A's and B's rounds are exchangeable" its null distribution is
//   exact for any n and m (computed below), so p is exact, not approximate;
// - the 95% interval is the set of ratios theta for which the same test, run
//   on b / theta against a, does not reject: the k-th smallest and largest of
//   the n m ratios. It covers the true ratio with probability >= 95% when B's
//   latencies are A's scaled (one multiplicative slowdown), whatever their
//   distribution;
// - so the interval is clear of 1 exactly when p <= 0.05: the verdict, the
//   interval and p cannot disagree. Ties (b_j = a_i) count against the
//   verdict, which keeps the test at its level.
// With few rounds the interval is honest rather than narrow: 3 against 3
// rounds cannot reach p <= 0.05 at all, and the interval is then (0, inf).

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface RatioEstimate {
  /** median(b) / median(a). */
  ratio: number;
  /** Interval of the ratio B/A at `level` (0 and Infinity when so few rounds cannot exclude any ratio). */
  low: number;
  high: number;
  level: number;
  /** Exact two-sided p-value of "a and b come from one distribution"; `p <= 1 - level` exactly when the interval excludes 1. */
  p: number;
}

const cdfs = new Map<string, Float64Array>();

/**
 * P(U <= u) for u = 0..n m, U = #{(i, j): a_i > b_j} over n values a and m
 * values b in random order (no ties): the exact null distribution of the
 * Mann-Whitney count, built up by the largest of the pooled values, which is
 * one of the a's with probability i / (i + j) (it then exceeds all j b's) or
 * one of the b's (it adds nothing).
 */
export function mannWhitneyCdf(n: number, m: number): Float64Array {
  const key = `${n},${m}`;
  const hit = cdfs.get(key);
  if (hit) return hit;
  // prev[i] = distribution for (i, j - 1), cur[i] for (i, j); U = 0 when either side is empty
  let prev = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let j = 1; j <= m; j++) {
    const cur = [Float64Array.of(1)];
    for (let i = 1; i <= n; i++) {
      const p = new Float64Array(i * j + 1);
      const withA = cur[i - 1];
      const withB = prev[i];
      for (let u = 0; u <= i * j; u++) {
        p[u] = (i / (i + j)) * (u >= j ? withA[u - j] : 0) + (j / (i + j)) * (u < withB.length ? withB[u] : 0);
      }
      cur.push(p);
    }
    prev = cur;
  }
  const dist = prev[n];
  const cdf = new Float64Array(dist.length);
  let sum = 0;
  for (let u = 0; u < dist.length; u++) cdf[u] = sum += dist[u];
  cdfs.set(key, cdf);
  return cdf;
}

/**
 * The ratio of medians of b over a, the exact Wilcoxon-Mann-Whitney p-value
 * and the interval of the ratio that inverts the same test (see the top of
 * the file). Needs one value a side (fewer rounds than that give p = 1 and
 * an unbounded interval).
 */
export function compareSamples(a: readonly number[], b: readonly number[], level = 0.95): RatioEstimate {
  const n = a.length;
  const m = b.length;
  const ratios = new Float64Array(n * m);
  let notSlower = 0; // pairs with b_j / a_i <= 1
  let notFaster = 0; // >= 1
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const r = b[j] / a[i];
      ratios[i * m + j] = r;
      if (r <= 1) notSlower++;
      if (r >= 1) notFaster++;
    }
  }
  ratios.sort();
  const cdf = mannWhitneyCdf(n, m);
  const alpha = 1 - level;
  // c: the largest count whose two-sided tail is within alpha (-1: none is)
  let c = -1;
  while (c + 1 < cdf.length && 2 * cdf[c + 1] <= alpha) c++;
  // low > 1 <=> the (c+1)-th smallest ratio > 1 <=> notSlower <= c <=> 2 P(U <= notSlower) <= alpha; likewise high < 1
  const k = c + 1;
  return {
    ratio: medianOf(b) / medianOf(a),
    low: k > 0 ? ratios[k - 1] : 0,
    high: k > 0 ? ratios[n * m - k] : Infinity,
    level,
    p: Math.min(1, 2 * cdf[Math.min(notSlower, notFaster)]),
  };
}
