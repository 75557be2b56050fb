// Pure summary statistics over replicates.

/** Mean, median, sample sd and standard error of the finite values. */
export function describe(values: readonly (number | null)[]) {
  return describeSorted(Float64Array.from(values.filter((v): v is number => v !== null && Number.isFinite(v))).sort());
}

/** describe() of finite values already sorted ascending (a typed array: no boxed numbers). */
export function describeSorted(xs: Float64Array) {
  const n = xs.length;
  if (n === 0) return { mean: null, median: null, sd: null, se: null, count: 0 };
  // plain loops, in index order (a summary runs this for every cell: ~10^4 at the defaults)
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  let mean = sum / n;
  if (!Number.isFinite(mean)) {
    // values near the largest double (a chain that grows without bound)
    // overflow the plain sum; dividing first keeps the mean finite
    sum = 0;
    for (let i = 0; i < n; i++) sum += xs[i] / n;
    mean = sum;
  }
  let median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  if (!Number.isFinite(median)) median = xs[n / 2 - 1] / 2 + xs[n / 2] / 2;
  if (n < 2) return { mean, median, sd: null, se: null, count: n };
  // identical values have sd 0 exactly (their rounded mean may differ from them in the last bit)
  let sd = 0;
  if (xs[0] !== xs[n - 1]) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
    sd = Math.sqrt(ss / (n - 1));
  }
  if (!Number.isFinite(sd)) {
    // the squares overflow: scale the deviations by the largest one first
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(xs[i] - mean));
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((xs[i] - mean) / scale) ** 2;
    sd = scale * Math.sqrt(ss / (n - 1));
  }
  return { mean, median, sd, se: sd / Math.sqrt(n), count: n };
}

/**
 * The p-quantile of n sorted values by linear interpolation between order
 * statistics (numpy's default, Hyndman & Fan type 7): h = (n - 1) p, the value
 * at floor(h) plus (h - floor(h)) of the step to the next. Only + - *.
 */
export function sortedQuantile(xs: ArrayLike<number>, n: number, p: number): number {
  const h = (n - 1) * p;
  const i = Math.floor(h);
  if (i + 1 >= n) return xs[n - 1];
  return xs[i] + (h - i) * (xs[i + 1] - xs[i]);
}

/**
 * The tail share of held-out points (GMM, KDE): a level taken once from the
 * original model's held-out log-likelihoods, their 1% quantile
 * (sortedQuantile of a sorted copy), and the share of the held-out points
 * scored below it by model n. Only comparisons on kernel results.
 */
export const TAIL_LEVEL = 0.01;

export function tailLevel(logLik: ArrayLike<number>): number {
  const sorted = Float64Array.from(logLik).sort();
  return sortedQuantile(sorted, sorted.length, TAIL_LEVEL);
}

export function shareBelow(logLik: ArrayLike<number>, level: number): number {
  let below = 0;
  for (let i = 0; i < logLik.length; i++) if (logLik[i] < level) below++;
  return below / logLik.length;
}

/**
 * Streaming mean and sd of many cells at once (Welford), for runs whose values
 * do not all fit in memory. Struct-of-arrays: ~40 bytes per cell, no object
 * per cell, because a run may record 10^6 cells.
 *
 * Robust near the largest double, like describe(): differences are taken on
 * halved values when the plain difference overflows, and the sum of squared
 * deviations is kept as scale^2 * ssq (LAPACK dnrm2's trick), so no square
 * overflows.
 */
export class RunningMoments {
  readonly count: Float64Array;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly ssq: Float64Array;
  /** The first value and whether every value equals it (sd 0 exactly, as describe() says). */
  private readonly first: Float64Array;
  private readonly varies: Uint8Array;

  constructor(cells: number) {
    this.count = new Float64Array(cells);
    this.mean = new Float64Array(cells);
    this.scale = new Float64Array(cells);
    this.ssq = new Float64Array(cells);
    this.first = new Float64Array(cells);
    this.varies = new Uint8Array(cells);
  }

  /** Adds one value; null and non-finite values are counted out, as in describe(). */
  add(cell: number, x: number | null): void {
    if (x === null || !Number.isFinite(x)) return;
    const n = ++this.count[cell];
    if (n === 1) {
      this.mean[cell] = x;
      this.first[cell] = x;
      return;
    }
    if (x !== this.first[cell]) this.varies[cell] = 1;
    const m = this.mean[cell];
    let d = x - m;
    // half-differences never overflow; the update is then 2 * (half / n)
    const half = !Number.isFinite(d);
    if (half) d = x / 2 - m / 2;
    const m2 = half ? m + 2 * (d / n) : m + d / n;
    this.mean[cell] = m2;
    // the Welford term (x - m)(x - m2), in halves when the difference overflowed
    const e = half ? x / 2 - m2 / 2 : x - m2;
    const f = half ? 4 : 1;
    this.addSquare(cell, Math.abs(d), Math.abs(e), f);
  }

  /** ssq scale^2 += f * a * b, rescaling so that nothing overflows. */
  private addSquare(cell: number, a: number, b: number, f: number): void {
    const big = Math.max(a, b);
    if (big === 0) return;
    let s = this.scale[cell];
    if (big > s) {
      // rescale the accumulated sum to the new scale
      if (s > 0) this.ssq[cell] *= (s / big) * (s / big);
      s = big;
      this.scale[cell] = s;
    }
    this.ssq[cell] += f * (a / s) * (b / s);
  }

  /** The same fields as describe(), but the median (the caller's quantile store gives it). */
  describe(cell: number): { mean: number | null; sd: number | null; se: number | null; count: number } {
    const n = this.count[cell];
    if (n === 0) return { mean: null, sd: null, se: null, count: 0 };
    const mean = this.mean[cell];
    if (n < 2) return { mean, sd: null, se: null, count: n };
    const sd = this.varies[cell] ? this.scale[cell] * Math.sqrt(this.ssq[cell] / (n - 1)) : 0;
    return { mean, sd, se: sd / Math.sqrt(n), count: n };
  }
}
