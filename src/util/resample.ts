// Resampling statistics for comparing two sets of benchmark rounds: a
// bootstrap confidence interval for the ratio of their medians and a
// permutation test, both driven by a seeded generator so the same inputs
// always print the same interval and p-value. (Efron & Tibshirani, "An
// Introduction to the Bootstrap", 1993: the percentile interval, ch. 13;
// the two-sample permutation test, ch. 15.)

/** mulberry32: a small seeded 32-bit generator (uniforms in [0, 1)); plenty for resampling. */
export function seededUniform(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a text (FNV-1a), so each compared row has its own fixed stream. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface RatioEstimate {
  /** median(b) / median(a). */
  ratio: number;
  /** Percentile bootstrap interval of the ratio at `level`. */
  low: number;
  high: number;
  level: number;
  /** Two-sided permutation p-value for "a and b come from one distribution" (statistic: the median ratio or its inverse, whichever is above 1). */
  p: number;
}

/**
 * The ratio of medians of b over a, its bootstrap interval (each sample
 * resampled with replacement, `resamples` times) and a permutation test
 * (the pooled values split at random `resamples` times). Needs two values a side.
 */
export function compareSamples(a: readonly number[], b: readonly number[], seed: number, resamples = 4000, level = 0.95): RatioEstimate {
  const uniform = seededUniform(seed);
  const ratio = medianOf(b) / medianOf(a);
  const draw = (xs: readonly number[]) => Array.from(xs, () => xs[Math.floor(uniform() * xs.length)]);
  const boot = Array.from({ length: resamples }, () => medianOf(draw(b)) / medianOf(draw(a))).sort((x, y) => x - y);
  const at = (q: number) => boot[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))];
  const spread = (r: number) => (r >= 1 ? r : 1 / r);
  const observed = spread(ratio);
  const pooled = [...a, ...b];
  let extreme = 0;
  for (let i = 0; i < resamples; i++) {
    // Fisher-Yates shuffle of the pooled values, then split as the originals were
    for (let j = pooled.length - 1; j > 0; j--) {
      const k = Math.floor(uniform() * (j + 1));
      [pooled[j], pooled[k]] = [pooled[k], pooled[j]];
    }
    const stat = spread(medianOf(pooled.slice(a.length)) / medianOf(pooled.slice(0, a.length)));
    if (stat >= observed * (1 - 1e-12)) extreme++;
  }
  return { ratio, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level, p: (extreme + 1) / (resamples + 1) };
}
