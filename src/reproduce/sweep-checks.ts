// Check builders on a sweep's summary: a cell picked by its swept values, a
// metric of it at the last generation, and differences pooled over the other
// swept options (the mean of per-cell differences, its se from the cells'
// se's), for trends that one small cell is too noisy to show alone.
import type { GridValue } from '../sweep/grid.js';
import type { SweepCellSummary, SweepSummary } from '../sweep/summary.js';
import type { MetricSummary } from '../results/types.js';
import type { CheckResult } from './types.js';
import { near, positive } from './checks.js';

const MISSING: MetricSummary = { mean: null, median: null, sd: null, se: null, count: 0, medianRankError: 0, theoryMean: null, theoryMedian: null, theoryLower: null, theoryUpper: null };

const same = (a: GridValue | undefined, b: GridValue) => JSON.stringify(a) === JSON.stringify(b);

/** The cells whose swept values include `where`. */
export function cellsWhere(s: SweepSummary, where: Record<string, GridValue>): SweepCellSummary[] {
  return s.cells.filter((c) => Object.entries(where).every(([k, v]) => same(c.varied[k], v)));
}

/** A cell's metric at its last generation, or an empty summary (which fails every check). */
export const cellMetric = (c: SweepCellSummary | undefined, name: string): MetricSummary => c?.metrics[name] ?? MISSING;

/** The values a swept option takes, in the grid's order. */
export function sweptValues(s: SweepSummary, option: string): GridValue[] {
  const out: GridValue[] = [];
  for (const c of s.cells) if (c.varied[option] !== undefined && !out.some((v) => same(v, c.varied[option]))) out.push(c.varied[option]);
  return out;
}

/** "policy=replace, samples=100" */
export const cellLabel = (c: SweepCellSummary) => Object.entries(c.varied).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(', ');

/** Every cell's mean of `metric` against its closed-form mean, within k se (cells without theory skipped). */
export function cellsMatchTheory(s: SweepSummary, metric: string, k: number, source: string, where: Record<string, GridValue> = {}): CheckResult[] {
  return cellsWhere(s, where).flatMap((c) => {
    const m = cellMetric(c, metric);
    return m.theoryMean === null ? [] : [near(`${cellLabel(c)}: E ${metric} at n = ${c.generation}`, m.mean, m.se, m.theoryMean, k, source)];
  });
}

/**
 * metric(option = hi) minus metric(option = lo), averaged over the cells'
 * other swept values (paired by them), above k se of that average.
 */
export function pooledDifference(name: string, s: SweepSummary, metric: string, option: string, hi: GridValue, lo: GridValue, k: number, source: string): CheckResult {
  const key = (c: SweepCellSummary) => JSON.stringify(Object.entries(c.varied).filter(([o]) => o !== option));
  const low = new Map(cellsWhere(s, { [option]: lo }).map((c) => [key(c), c]));
  let sum = 0;
  let variance = 0;
  let pairs = 0;
  let missing = false;
  for (const c of cellsWhere(s, { [option]: hi })) {
    const a = cellMetric(c, metric);
    const b = cellMetric(low.get(key(c)), metric);
    if (a.mean === null || b.mean === null || a.se === null || b.se === null) missing = true;
    else {
      sum += a.mean - b.mean;
      variance += a.se * a.se + b.se * b.se;
      pairs++;
    }
  }
  const ok = pairs > 0 && !missing;
  return positive(name, ok ? sum / pairs : null, ok ? Math.sqrt(variance) / pairs : null, k, source);
}
