// Quantile sketches for many cells at once, in fixed memory: a KLL sketch
// (Karnin, Lang & Liberty 2016) per cell, all cells sharing one Float64Array
// of `capacity` slots each, so a run of 10^6 cells makes no 10^6 objects.
//
// Level h holds items of weight 2^h. A full cell compacts its lowest level
// that is at or over its capacity: sort it, keep every other item (offset 0 or
// 1 from a per-cell xorshift32 with a fixed seed, so the same input gives the
// same sketch), promote them to level h + 1. One compaction at level h moves
// the rank of any value by at most 2^h, so the sum of 2^h over the compactions
// is a deterministic bound on the rank error; `rankError(cell)` reports it.
//
// Layout of a cell's slots: levels from the top down, [L-1 | ... | 1 | 0],
// so level 0 appends at the end. bounds[cell][j] .. bounds[cell][j+1] is the
// region of level L-1-j.

/** Levels a cell may need: enough for 2^maxLevels items, far beyond 10^6 replicates. */
function levelsFor(items: number): number {
  return Math.max(2, Math.ceil(Math.log2(Math.max(2, items))) + 2);
}

export class KllCells {
  readonly capacity: number;
  private readonly maxLevels: number;
  private readonly items: Float64Array;
  /** Per cell maxLevels + 1 region bounds (see the layout above). */
  private readonly bounds: Int32Array;
  private readonly levels: Uint8Array;
  private readonly error: Float64Array;
  private readonly rng: Uint32Array;
  /** k of KLL: the top level's capacity. */
  private readonly k: number;

  /** Bytes one cell takes for `capacity` slots and `maxItems` items. */
  static bytesPerCell(capacity: number, maxItems: number): number {
    return 8 * capacity + 4 * (levelsFor(maxItems) + 1) + 8 + 4 + 1;
  }

  constructor(cells: number, capacity: number, maxItems: number) {
    this.maxLevels = levelsFor(maxItems);
    // each level needs room for 2 items to compact
    this.capacity = Math.max(capacity, 2 * this.maxLevels + 2);
    this.items = new Float64Array(cells * this.capacity);
    this.bounds = new Int32Array(cells * (this.maxLevels + 1));
    this.levels = new Uint8Array(cells).fill(1);
    this.error = new Float64Array(cells);
    this.rng = new Uint32Array(cells);
    for (let c = 0; c < cells; c++) this.rng[c] = (0x9e3779b9 ^ Math.imul(c + 1, 0x85ebca6b)) >>> 0 || 1;
    // the largest k whose level capacities, summed over the most levels, fit
    let k = Math.floor(this.capacity / 2);
    while (k > 2 && this.capSum(k, this.maxLevels) > this.capacity) k--;
    this.k = k;
  }

  private cap(k: number, levels: number, h: number): number {
    return Math.max(2, Math.floor(k * Math.pow(2 / 3, levels - 1 - h)));
  }

  private capSum(k: number, levels: number): number {
    let s = 0;
    for (let h = 0; h < levels; h++) s += this.cap(k, levels, h);
    return s;
  }

  add(cell: number, x: number): void {
    const B = cell * (this.maxLevels + 1);
    const L = this.levels[cell];
    if (this.bounds[B + L] === this.capacity) this.compact(cell);
    const L2 = this.levels[cell];
    this.items[cell * this.capacity + this.bounds[B + L2]++] = x;
  }

  private compact(cell: number): void {
    const B = cell * (this.maxLevels + 1);
    const base = cell * this.capacity;
    const L = this.levels[cell];
    // the lowest level at or over its capacity (one exists: the caps sum to at most the capacity)
    let h = 0;
    while (h < L - 1 && this.bounds[B + L - h] - this.bounds[B + L - 1 - h] < this.cap(this.k, L, h)) h++;
    if (h === L - 1) {
      if (L === this.maxLevels) throw new Error('quantile sketch: too many levels');
      // a new top level, empty, at the left: shift the bounds right by one
      for (let j = L + 1; j > 0; j--) this.bounds[B + j] = this.bounds[B + j - 1];
      this.bounds[B] = 0;
      this.levels[cell] = L + 1;
    }
    const L2 = this.levels[cell];
    const j = L2 - 1 - h;
    const a = this.bounds[B + j];
    const b = this.bounds[B + j + 1];
    const end = this.bounds[B + L2];
    sortRange(this.items, base + a, base + b);
    const m = b - a;
    const odd = m & 1;
    const p = (m - odd) >> 1;
    let s = this.rng[cell];
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.rng[cell] = s >>> 0;
    const offset = s & 1;
    const left = this.items[base + a];
    // the kept half joins the level above, whose region ends at a
    for (let i = 0; i < p; i++) this.items[base + a + i] = this.items[base + a + odd + offset + 2 * i];
    if (odd) this.items[base + a + p] = left;
    this.items.copyWithin(base + a + p + odd, base + b, base + end);
    this.bounds[B + j] = a + p;
    for (let jj = j + 1; jj <= L2; jj++) this.bounds[B + jj] -= p;
    this.error[cell] += 2 ** h;
  }

  /** Bound on the rank error of any quantile, in items (0 while nothing was compacted). */
  rankError(cell: number): number {
    return this.error[cell];
  }

  /**
   * The median as describe() defines it (the middle value, or the mean of the
   * two middle ones), over the weighted items: exact while nothing was compacted.
   */
  median(cell: number): number | null {
    const B = cell * (this.maxLevels + 1);
    const base = cell * this.capacity;
    const L = this.levels[cell];
    // the items with their weights, in scratch reused from cell to cell (a
    // summary reads every cell at once: per-cell arrays would pile up)
    if (scratchValues.length < this.capacity) {
      scratchValues = new Float64Array(this.capacity);
      scratchWeights = new Float64Array(this.capacity);
      scratchOrder = new Uint32Array(this.capacity);
    }
    const values = scratchValues;
    const weights = scratchWeights;
    let m = 0;
    let n = 0;
    for (let j = 0; j < L; j++) {
      const w = 2 ** (L - 1 - j);
      for (let i = this.bounds[B + j]; i < this.bounds[B + j + 1]; i++) {
        values[m] = this.items[base + i];
        weights[m++] = w;
        n += w;
      }
    }
    if (n === 0) return null;
    const order = scratchOrder.subarray(0, m);
    for (let i = 0; i < m; i++) order[i] = i;
    order.sort((x, y) => values[x] - values[y]);
    const at = (rank: number): number => {
      let c = 0;
      for (let i = 0; i < m; i++) if ((c += weights[order[i]]) >= rank) return values[order[i]];
      return values[order[m - 1]];
    };
    if (n % 2) return at((n + 1) / 2);
    const lo = at(n / 2);
    const hi = at(n / 2 + 1);
    const mid = (lo + hi) / 2;
    return Number.isFinite(mid) ? mid : lo / 2 + hi / 2;
  }
}

let scratchValues = new Float64Array(0);
let scratchWeights = new Float64Array(0);
let scratchOrder = new Uint32Array(0);

/** Sorts xs[from, to) ascending: insertion sort for the short levels (no view object), else a view's sort. */
function sortRange(xs: Float64Array, from: number, to: number): void {
  if (to - from > 48) {
    xs.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = xs[i];
    let j = i - 1;
    while (j >= from && xs[j] > v) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = v;
  }
}
