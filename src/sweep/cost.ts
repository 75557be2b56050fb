// The estimated cost of one replicate of a cell, which shards balance
// (shard.ts). It follows the work of each generation n from the config alone
// (no timing: every shard computes the same slices), in bytes passed over:
//
//   cost(n) = FIXED + working set + pool work of the policy (below) + the family's extraWork(n)
//
// - FIXED: kernel calls, hashing, the pause check: 8 KiB, fitted to the
//   measured times (a few microseconds a generation).
// - the working set: the bytes the cell lays out without a pool (the layout
//   of the same config under `replace`): one training set, the model, the
//   metrics' buffers, which a generation passes over a bounded number of
//   times. Laid out at its largest (a growing --schedule: at M_G).
// - the pool work, with b the bytes per pooled point (the pool's buffers
//   over the points they hold), P(n) the points pooled by generation n:
//     replace, fresh         none
//     mix                    the index over the real data: i drawnAt(0)
//     accumulate             the fit passes over the pool beyond the new
//                            points: b (samplesAt(n) - drawnAt(n)); quadratic
//                            in G where the family fits the pool (gmm, kde,
//                            vae, lm), none where it pools statistics
//                            (gaussian, regression, categorical)
//     accumulate-subsample   the new points written into the pool, b drawnAt(n),
//                            and the subsample's index filled over the
//                            whole pool, i P(n): quadratic in G
//   (i = INDEX_BYTES, an index entry's cost)
// - extraWork(n): the family's work that grows faster than its memory (KDE's
//   held-out scoring, the Gaussian's d^2 per point).
//
// docs/sweeps.md ("The cost model") has the measured seconds beside it
// (bench/shard-cost.ts).
import type { Family } from '../families/family.js';
import type { RunConfig } from '../families/index.js';
import { policyOf, type PolicyName } from '../chain/policies.js';

/** A generation's fixed work (kernel calls, hashing, the pause check) as bytes passed over. */
export const GENERATION_BYTES = 8 * 1024;

/**
 * A subsample's index entry (an i32 written per pooled point, then a few of
 * them read) in bytes passed over: a sequential fill costs less than the
 * bytes a fit reads; 2 fits bench/shard-cost.ts (1 to 2.5 measured).
 */
export const INDEX_BYTES = 2;

/** Generations at most at which the cost is evaluated (blocks of generations beyond, each at its middle). */
export const COST_SAMPLES = 1000;

/** What the policy terms need of a cell: its sizes per generation and the bytes of its buffers. */
export interface CellWork {
  policy: PolicyName;
  /** Points of the training set generation n builds (the family's samplesAt). */
  samplesAt(n: number): number;
  /** Points generation n draws (the family's drawnAt). */
  drawnAt(n: number): number;
  /** Bytes of a generation's buffers without the pool. */
  workingSet: number;
  /** Bytes per pooled point (0 without a pool). */
  pointBytes: number;
  extraWork(n: number): number;
}

/**
 * The policy's work at generation n beyond the working set: `pooled` is
 * P(n), the points in the pool once generation n drew its own.
 */
export function poolWork(w: CellWork, n: number, pooled: number): number {
  switch (w.policy) {
    case 'replace':
    case 'fresh':
      return 0;
    case 'mix':
      return INDEX_BYTES * w.drawnAt(0);
    case 'accumulate':
      return w.pointBytes * (w.samplesAt(n) - w.drawnAt(n));
    case 'accumulate-subsample':
      return w.pointBytes * w.drawnAt(n) + INDEX_BYTES * pooled;
  }
}

/**
 * Generations 1..G as blocks [start, start + len) of at most G / COST_SAMPLES
 * generations each, with the generation n that stands for the block (its middle).
 */
function* blocks(G: number): Generator<{ start: number; len: number; n: number }> {
  const step = Math.max(1, Math.ceil(G / COST_SAMPLES));
  for (let start = 1; start <= G; start += step) {
    const len = Math.min(step, G - start + 1);
    yield { start, len, n: start + Math.floor((len - 1) / 2) };
  }
}

/** cost(n) summed over generations 1..G (exactly up to COST_SAMPLES generations, else block by block). */
export function chainCost(w: CellWork, G: number): number {
  let total = 0;
  let pooled = w.drawnAt(0); // generation 0: the real data
  for (const { start, len, n } of blocks(G)) {
    const drawn = w.drawnAt(n);
    total += len * (GENERATION_BYTES + w.workingSet + poolWork(w, n, pooled + drawn * (n - start + 1)) + w.extraWork(n));
    pooled += drawn * len;
  }
  return total;
}

/** A cell's work from its family and config: the working set and the pool's bytes per point from the layouts. */
export function cellWork(family: Family<RunConfig>, config: RunConfig): CellWork {
  const samplesAt = (n: number) => family.samplesAt(config, n);
  const drawnAt = family.drawnAt ? (n: number) => family.drawnAt!(config, n) : samplesAt;
  const workingSet = family.plannedBytes({ ...config, policy: 'replace', realFraction: 0 } as RunConfig);
  let pointBytes = 0;
  if (policyOf(config.policy, 0).pools) {
    // the points a pool is laid out for: every generation's, 0..G
    let capacity = drawnAt(0);
    for (const { len, n } of blocks(config.generations)) capacity += len * drawnAt(n);
    pointBytes = Math.max(0, family.plannedBytes(config) - workingSet) / capacity;
  }
  const extraWork = family.extraWork ? (n: number) => family.extraWork!(config, n) : () => 0;
  return { policy: config.policy, samplesAt, drawnAt, workingSet, pointBytes, extraWork };
}

/** The estimated cost of one replicate of a cell (bytes passed over). */
export function replicateCost(family: Family<RunConfig>, config: RunConfig): number {
  return chainCost(cellWork(family, config), config.generations);
}

/**
 * Seconds a unit of cost took at the least, over the cells timed for the
 * model (docs/sweeps.md, "Measured": 0.26 to 7 ns a byte across the
 * families, the fastest a regression cell): what a sweep's cost gives as a
 * time it will take at least, before anything has been timed on this machine.
 */
export const FASTEST_SECONDS_PER_COST = 0.25e-9;

/** A sweep whose time at least (FASTEST_SECONDS_PER_COST) passes this is warned of before it starts. */
export const LONG_SWEEP_SECONDS = 86400;

/** The time a sweep of `cost` takes at least on `workers` cores, when that is past LONG_SWEEP_SECONDS (else undefined). */
export function longSweepSeconds(cost: number, workers: number): number | undefined {
  const seconds = (cost * FASTEST_SECONDS_PER_COST) / workers;
  return seconds > LONG_SWEEP_SECONDS ? seconds : undefined;
}
