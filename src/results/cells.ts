// Every (recorded generation, metric) and every final of a run is a "cell";
// this holds each cell's values over replicates in bounded memory.
//
// Exact while every value of every replicate fits in EXACT_BUDGET_BYTES: the
// values sit at [cell][replicate], so the statistics are those of describe()
// over the values in replicate order, whatever order the records came in.
// Otherwise each cell keeps running moments and a KLL sketch, all cells
// sharing the same budget, and the median states its rank-error bound.
// The choice depends only on the config (cells x --replicates), never on how
// many replicates arrived, so a run, its `show` and its resume agree.
import { describeSorted, RunningMoments } from '../util/stats.js';
import { KllCells } from '../util/kll.js';
import type { MetricSummary } from './types.js';

/** Memory for the recorded values of all replicates (medians are exact within it). */
export const EXACT_BUDGET_BYTES = 32 * 2 ** 20;

/** The most items one cell's sketch keeps: its rank error is then far below a standard error, and a run of few cells does not fill the budget. */
const MAX_SKETCH_ITEMS = 1 << 15;

/** The simulated half of a MetricSummary (the theory is added by the summary). */
export type CellStats = Pick<MetricSummary, 'mean' | 'median' | 'sd' | 'se' | 'count' | 'medianRankError'>;

export interface CellStore {
  readonly exact: boolean;
  add(cell: number, replicate: number, x: number | null): void;
  /** add() of xs[at[i]] to cell first + i, for every i: one metric's values at the shown generations. */
  addAt(first: number, replicate: number, xs: ArrayLike<number | null>, at: readonly number[]): void;
  stats(cell: number): CellStats;
}

export function cellStore(cells: number, replicates: number, budgetBytes = EXACT_BUDGET_BYTES): CellStore {
  if (cells * replicates * 8 <= budgetBytes) return new ExactCells(cells, replicates);
  // the sketch's share of the budget, after the moments' ~41 bytes per cell
  const perCell = Math.max(0, budgetBytes / cells - 41);
  let capacity = Math.min(MAX_SKETCH_ITEMS, Math.floor(perCell / 8));
  while (capacity > 0 && KllCells.bytesPerCell(capacity, replicates) > perCell) capacity--;
  return new SketchCells(cells, capacity, replicates);
}

class ExactCells implements CellStore {
  readonly exact = true;
  // zero pages cost nothing until written: memory grows with the replicates that arrive
  private readonly values: Float64Array;
  /** Replicates present (a replicate is all of its cells or none). */
  private readonly present: Uint8Array;
  /** One cell's finite values, sorted in place: a summary reads ~10^4 cells, each would allocate its own. */
  private readonly scratch: Float64Array;

  constructor(
    cells: number,
    private readonly replicates: number,
  ) {
    this.values = new Float64Array(cells * replicates);
    this.present = new Uint8Array(replicates);
    this.scratch = new Float64Array(replicates);
  }

  add(cell: number, replicate: number, x: number | null): void {
    this.present[replicate] = 1;
    // NaN stands for null: describe() counts both out
    this.values[cell * this.replicates + replicate] = x === null ? NaN : x;
  }

  addAt(first: number, replicate: number, xs: ArrayLike<number | null>, at: readonly number[]): void {
    this.present[replicate] = 1;
    const { values, replicates } = this;
    for (let i = 0, to = first * replicates + replicate; i < at.length; i++, to += replicates) {
      const x = xs[at[i]];
      values[to] = x === null ? NaN : x;
    }
  }

  stats(cell: number): CellStats {
    // the finite values in replicate order, then sorted: describe() exactly
    const { values, present, scratch } = this;
    const from = cell * this.replicates;
    let n = 0;
    for (let r = 0; r < this.replicates; r++) {
      const x = values[from + r];
      if (present[r] && Number.isFinite(x)) scratch[n++] = x;
    }
    const d = describeSorted(scratch.subarray(0, n).sort());
    return { mean: d.mean, median: d.median, sd: d.sd, se: d.se, count: d.count, medianRankError: 0 };
  }
}

class SketchCells implements CellStore {
  readonly exact = false;
  private readonly moments: RunningMoments;
  private readonly sketch: KllCells;

  constructor(cells: number, capacity: number, replicates: number) {
    this.moments = new RunningMoments(cells);
    this.sketch = new KllCells(cells, capacity, replicates);
  }

  add(cell: number, _replicate: number, x: number | null): void {
    if (x === null || !Number.isFinite(x)) return;
    this.moments.add(cell, x);
    this.sketch.add(cell, x);
  }

  addAt(first: number, replicate: number, xs: ArrayLike<number | null>, at: readonly number[]): void {
    for (let i = 0; i < at.length; i++) this.add(first + i, replicate, xs[at[i]]);
  }

  stats(cell: number): CellStats {
    const m = this.moments.describe(cell);
    return { mean: m.mean, median: this.sketch.median(cell), sd: m.sd, se: m.se, count: m.count, medianRankError: m.count ? this.sketch.rankError(cell) / m.count : 0 };
  }
}
