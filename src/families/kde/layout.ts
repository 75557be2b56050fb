// Every buffer of a KDE run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import { allocPoints, poolCapacity } from '../../chain/point-data.js';
import type { KdeConfig } from './types.js';

/** The most components of a data set's mixture table (gmm2d). */
export const MAX_COMPONENTS = 4;

export function kdeLayout(c: KdeConfig, a: Allocator) {
  const d = c.dim;
  const n = c.samples;
  const pool = poolCapacity(c.policy, c.generations, () => n);
  // accumulate's KDE holds every point so far and trains on the pool itself
  const accumulate = c.policy === 'accumulate';
  return {
    table: a.allocF64(MAX_COMPONENTS * (2 + d), 'mixture table'),
    holdout: a.allocF64(d * c.holdout, 'held-out points'),
    // two training sets, alternating: T_t is read while T_{t+1} is written
    points: allocPoints(a, { d, real: n, maxTrain: accumulate ? 0 : n, poolCapacity: pool, doubleBuffer: !accumulate }),
    logDensity: a.allocF64(c.holdout, 'held-out log-densities'),
    // 1-D: the real data and one generation's samples, sorted, for W2
    realSorted: d === 1 ? a.allocF64(n, 'sorted real data') : 0,
    sortScratch: d === 1 ? a.allocF64(n, 'sorted samples') : 0,
  };
}

export type KdeBuffers = ReturnType<typeof kdeLayout>;
