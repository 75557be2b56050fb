// Small order statistics for the benchmark summaries. Ratios are combined with
// a geometric mean (DESIGN.md, "Fairness of the comparison").

/** The q-quantile (0..1) of the values, linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function geomean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((acc, x) => acc + Math.log(x), 0) / values.length);
}

/** Median with the spread around it: min, max and the interquartile range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
  };
}
