// Shards: a deterministic slice of the cells x replicates, balanced by an
// estimated cost, so that n machines each running `--shard i/n` take about
// the same time and together run every (cell, replicate) exactly once.
//
// The cost of a replicate is src/sweep/cost.ts's model: the work of each
// generation from the config alone (no timing), so every shard computes the
// same slices.
//
// The slicing: the units (cell, replicate) are laid end to end in cell
// order, then replicate order, each as long as its cost; shard i takes the
// units whose middle falls in [i T / n, (i + 1) T / n), T the total. A shard
// thus gets one contiguous range of replicates per cell (or none), the
// shards' loads differ by at most about one replicate's cost, and the ranges
// of a cell, ordered by shard, are its replicates in order (which merge uses).
import { UsageError } from '../util/errors.js';

export interface Shard {
  /** 1-based, as written on the command line and by schedulers' array indices + 1. */
  index: number;
  count: number;
}

/** A contiguous range of one cell's replicates: [from, to). */
export interface Piece {
  cell: number;
  from: number;
  to: number;
}

/** Shards a sweep may be cut into. */
export const MAX_SHARDS = 100_000;

/** `--shard i/n`, 1 <= i <= n. */
export function parseShard(raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError(`--shard: ${JSON.stringify(raw)} is not allowed; expected i/n with 1 <= i <= n <= ${MAX_SHARDS} (e.g. --shard 2/8; a 0-based array index: --shard $((INDEX + 1))/n)`);
  }
  return { index, count };
}

/** `shard-2-of-8`: the files of a shard carry it. */
export const shardTag = (s: Shard): string => `shard-${s.index}-of-${s.count}`;

/** Each cell's replicates and the cost of one of them. */
export interface CellCost {
  replicates: number;
  cost: number;
}

/**
 * The pieces of shard `s`, in cell order (every cell's whole range when the
 * sweep is not sharded: count 1).
 */
export function shardPieces(cells: readonly CellCost[], s: Shard): Piece[] {
  const total = cells.reduce((t, c) => t + c.replicates * c.cost, 0);
  const pieces: Piece[] = [];
  let start = 0;
  cells.forEach((c, cell) => {
    // the shard of replicate r: floor(n (start + (r + 1/2) cost) / T), non-decreasing in r
    const shardOf = (r: number) => Math.min(s.count - 1, Math.floor((s.count * (start + (r + 0.5) * c.cost)) / total));
    // the first replicate whose shard is at least k (binary search; R when none)
    const firstAtLeast = (k: number) => {
      let lo = 0;
      let hi = c.replicates;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (shardOf(mid) >= k) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const from = firstAtLeast(s.index - 1);
    const to = firstAtLeast(s.index);
    if (to > from) pieces.push({ cell, from, to });
    start += c.replicates * c.cost;
  });
  return pieces;
}
