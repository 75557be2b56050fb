// Pure check builders: a value against an expected value or range, with a
// tolerance of k standard errors (k stated in the row) or a published
// tolerance. A value that is missing or not finite fails.
import type { GenerationSummary, MetricSummary, RunSummary } from '../results/types.js';
import type { CheckResult } from './types.js';

/** Four significant digits, the way the table prints them. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** |value - expected| <= k se. */
export function near(name: string, value: number | null, se: number | null, expected: number, k: number, source: string): CheckResult {
  const ok = finite(value) && finite(se) && Math.abs(value - expected) <= k * se;
  return { name, value, expected: fmt(expected), tolerance: `${k} se = ${finite(se) ? fmt(k * se) : 'n/a'}`, accept: finite(se) ? [expected - k * se, expected + k * se] : [null, null], pass: ok, source };
}

/** |value - expected| <= rel |expected|: a published tolerance, or a published number's rounding. */
export function nearRelative(name: string, value: number | null, expected: number, rel: number, source: string): CheckResult {
  const ok = finite(value) && Math.abs(value - expected) <= rel * Math.abs(expected);
  const d = rel * Math.abs(expected);
  return { name, value, expected: fmt(expected), tolerance: `${fmt(100 * rel)}%`, accept: [expected - d, expected + d], pass: ok, source };
}

/** value <= bound + k se: a bound, which the simulation may touch within its noise. */
export function atMost(name: string, value: number | null, bound: number, se: number | null, k: number, source: string): CheckResult {
  const ok = finite(value) && finite(se) && value <= bound + k * se;
  return { name, value, expected: `<= ${fmt(bound)}`, tolerance: `${k} se = ${finite(se) ? fmt(k * se) : 'n/a'}`, accept: [null, finite(se) ? bound + k * se : null], pass: ok, source };
}

/** value >= bound - k se. */
export function atLeast(name: string, value: number | null, bound: number, se: number | null, k: number, source: string): CheckResult {
  const ok = finite(value) && finite(se) && value >= bound - k * se;
  return { name, value, expected: `>= ${fmt(bound)}`, tolerance: `${k} se = ${finite(se) ? fmt(k * se) : 'n/a'}`, accept: [finite(se) ? bound - k * se : null, null], pass: ok, source };
}

/** A difference (or any value) significantly above zero: value > k se. */
export function positive(name: string, value: number | null, se: number | null, k: number, source: string): CheckResult {
  const ok = finite(value) && finite(se) && value > k * se;
  return { name, value, expected: '> 0', tolerance: `by more than ${k} se = ${finite(se) ? fmt(k * se) : 'n/a'}`, accept: [finite(se) ? k * se : null, null], pass: ok, source };
}

/** lo <= value <= hi, with no noise allowance (the range itself is the tolerance). */
export function inRange(name: string, value: number | null, lo: number, hi: number, source: string): CheckResult {
  const ok = finite(value) && value >= lo && value <= hi;
  return { name, value, expected: `[${fmt(lo)}, ${fmt(hi)}]`, tolerance: 'the range', accept: [lo, hi], pass: ok, source };
}

/** Generation n's summary of a run (undefined when n was not recorded or summarised). */
export function generation(summary: RunSummary, n: number): GenerationSummary | undefined {
  return summary.generations.find((g) => g.n === n);
}

/** The last generation a run summarised. */
export function lastGeneration(summary: RunSummary): number {
  return summary.generations[summary.generations.length - 1]?.n ?? 0;
}

/** One metric at generation n, or an empty summary (which fails every check). */
export function metric(summary: RunSummary, name: string, n: number): MetricSummary {
  return generation(summary, n)?.metrics[name] ?? MISSING;
}

const MISSING: MetricSummary = { mean: null, median: null, sd: null, se: null, count: 0, medianRankError: 0, theoryMean: null, theoryMedian: null, theoryLower: null, theoryUpper: null };

/** The simulated mean of a metric at generation n against its closed-form mean, within k se. */
export function meanMatchesTheory(label: string, summary: RunSummary, name: string, n: number, k: number, source: string): CheckResult {
  const m = metric(summary, name, n);
  if (m.theoryMean === null) return { name: `${label}: ${name} at n = ${n}`, value: m.mean, expected: 'a closed form', tolerance: '-', accept: [null, null], pass: false, source: `${source} (no theory for this setting)` };
  return near(`${label}: E ${name} at n = ${n}`, m.mean, m.se, m.theoryMean, k, source);
}

/**
 * The simulated median against the closed-form median. Its standard error is
 * taken as sqrt(pi/2) se, the median's of a normal sample (the log-variance
 * metrics this is used for are close to normal).
 */
export function medianMatchesTheory(label: string, summary: RunSummary, name: string, n: number, k: number, source: string): CheckResult {
  const m = metric(summary, name, n);
  const se = m.se === null ? null : Math.sqrt(Math.PI / 2) * m.se;
  if (m.theoryMedian === null) return { name: `${label}: median ${name} at n = ${n}`, value: m.median, expected: 'a closed form', tolerance: '-', accept: [null, null], pass: false, source: `${source} (no theory for this setting)` };
  return near(`${label}: median ${name} at n = ${n}`, m.median, se, m.theoryMedian, k, `${source}; median se ~ sqrt(pi/2) se`);
}

/** Mean and standard error of per-replicate values (or of paired differences). */
export function meanAndSe(xs: readonly number[]): { mean: number | null; se: number | null } {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  if (n < 2) return { mean: n ? v[0] : null, se: null };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n) };
}

/** The standard error of a difference of two independent estimates. */
export const seOfDifference = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.sqrt(a * a + b * b));

/** Metric `name` of run a at generation i minus of run b at generation j, with the se of a difference of independent estimates. */
export function difference(a: RunSummary, i: number, b: RunSummary, j: number, name: string): { value: number | null; se: number | null } {
  const x = metric(a, name, i);
  const y = metric(b, name, j);
  return { value: x.mean !== null && y.mean !== null ? x.mean - y.mean : null, se: seOfDifference(x.se, y.se) };
}
