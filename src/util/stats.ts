// Pure summary statistics over replicates.

/** Mean, median, sample sd and standard error of the finite values. */
export function describe(values: readonly (number | null)[]) {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { mean: null, median: null, sd: null, se: null, count: 0 };
  let mean = xs.reduce((a, b) => a + b, 0) / n;
  // values near the largest double (a chain that grows without bound) overflow
  // the plain sum; dividing first keeps the mean finite
  if (!Number.isFinite(mean)) mean = xs.reduce((a, b) => a + b / n, 0);
  let median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  if (!Number.isFinite(median)) median = xs[n / 2 - 1] / 2 + xs[n / 2] / 2;
  if (n < 2) return { mean, median, sd: null, se: null, count: n };
  // identical values have sd 0 exactly (their rounded mean may differ from them in the last bit)
  let sd = xs[0] === xs[n - 1] ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  if (!Number.isFinite(sd)) {
    // the squares overflow: scale the deviations by the largest one first
    const scale = xs.reduce((a, x) => Math.max(a, Math.abs(x - mean)), 0);
    sd = scale * Math.sqrt(xs.reduce((a, x) => a + ((x - mean) / scale) ** 2, 0) / (n - 1));
  }
  return { mean, median, sd, se: sd / Math.sqrt(n), count: n };
}
