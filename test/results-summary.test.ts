// The streaming summary: exact statistics within the budget, a KLL sketch with
// a true rank-error bound beyond it, moments that survive values near 1e308,
// and the same digest as combineDigests over the replicate digests.
import { describe, expect, it } from 'vitest';
import { RunningMoments, describe as describeValues } from '../src/util/stats.js';
import { KllCells } from '../src/util/kll.js';
import { cellStore } from '../src/results/cells.js';
import { DigestStore } from '../src/results/digests.js';
import { combineDigests } from '../src/util/hash.js';

/** xorshift32 with a fixed seed: the same values every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('RunningMoments', () => {
  it('agrees with describe() on ordinary values', () => {
    const next = rng(7);
    const xs = Array.from({ length: 5000 }, () => next() * 10 - 3);
    const m = new RunningMoments(1);
    for (const x of xs) m.add(0, x);
    const want = describeValues(xs);
    const got = m.describe(0);
    expect(got.count).toBe(5000);
    expect(Math.abs(got.mean! - want.mean!)).toBeLessThan(1e-12);
    expect(Math.abs(got.sd! / want.sd! - 1)).toBeLessThan(1e-12);
  });

  it('stays finite near the largest double, and gives sd 0 for identical values', () => {
    const m = new RunningMoments(2);
    for (const x of [1e300, 1.5e308, 1.7e308, -1.7e308, 1.7e308]) m.add(0, x);
    // the reference in units of 1e308, where nothing overflows
    const scaled = describeValues([1e-8, 1.5, 1.7, -1.7, 1.7]);
    const want = { mean: scaled.mean! * 1e308, sd: scaled.sd! * 1e308 };
    const got = m.describe(0);
    expect(Number.isFinite(got.mean!) && Number.isFinite(got.sd!)).toBe(true);
    expect(Math.abs(got.mean! / want.mean! - 1)).toBeLessThan(1e-12);
    expect(Math.abs(got.sd! / want.sd! - 1)).toBeLessThan(1e-12);
    for (let i = 0; i < 10; i++) m.add(1, 0.1);
    m.add(1, null);
    m.add(1, Infinity);
    expect(m.describe(1)).toEqual({ mean: 0.1, sd: 0, se: 0, count: 10 });
  });
});

describe('KllCells', () => {
  it('is exact while nothing is compacted, and within its stated rank-error bound after', () => {
    const k = new KllCells(3, 200, 100_000);
    for (const x of [5, 1, 4, 2, 3]) k.add(0, x);
    expect(k.median(0)).toBe(3);
    expect(k.rankError(0)).toBe(0);
    const next = rng(11);
    const xs = Array.from({ length: 100_000 }, () => next());
    for (const x of xs) k.add(1, x);
    const sorted = Float64Array.from(xs).sort();
    const med = k.median(1)!;
    // the rank of the reported median against the middle rank
    let rank = 0;
    while (rank < sorted.length && sorted[rank] <= med) rank++;
    const bound = k.rankError(1);
    expect(bound).toBeGreaterThan(0);
    expect(Math.abs(rank - sorted.length / 2)).toBeLessThanOrEqual(bound + 1);
    // and in practice far better than the worst case
    expect(Math.abs(rank / sorted.length - 0.5)).toBeLessThan(0.02);
  });

  it('is deterministic: the same input gives the same median', () => {
    const run = () => {
      const k = new KllCells(1, 64, 50_000);
      const next = rng(3);
      for (let i = 0; i < 50_000; i++) k.add(0, next());
      return [k.median(0), k.rankError(0)];
    };
    expect(run()).toEqual(run());
  });
});

describe('cellStore', () => {
  it('is exact within the budget and says so; a sketch beyond it, with medianRankError > 0', () => {
    const next = rng(5);
    const xs = Array.from({ length: 20_000 }, () => next());
    const exact = cellStore(1, 20_000, 1 << 20);
    const sketch = cellStore(1, 20_000, 20_000);
    xs.forEach((x, r) => {
      exact.add(0, r, x);
      sketch.add(0, r, x);
    });
    expect(exact.exact).toBe(true);
    expect(exact.stats(0)).toEqual({ ...describeValues(xs), medianRankError: 0 });
    expect(sketch.exact).toBe(false);
    const s = sketch.stats(0);
    expect(s.medianRankError).toBeGreaterThan(0);
    expect(s.medianRankError).toBeLessThan(0.5);
    expect(Math.abs(s.mean! - describeValues(xs).mean!)).toBeLessThan(1e-12);
    expect(Math.abs(s.median! - 0.5)).toBeLessThan(s.medianRankError + 0.01);
  });
});

describe('DigestStore', () => {
  it('gives combineDigests over the digests in replicate order, whatever order they came in', () => {
    const hex = (i: number) => (i * 2654435761).toString(16).padStart(8, '0').repeat(8).slice(0, 64);
    const d = new DigestStore(5);
    for (const r of [3, 0, 4, 1, 2]) d.set(r, hex(r));
    expect(d.combined()).toBe(combineDigests([0, 1, 2, 3, 4].map(hex)));
    expect(() => d.set(2, hex(2))).toThrow(/twice/);
  });
});
