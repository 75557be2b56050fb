// Every buffer of a GMM run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import { allocPoints, poolCapacity } from '../../chain/point-data.js';
import { emLayout, mixtureDoubles, workDoubles } from './em.js';
import type { GmmConfig } from './types.js';

/** Doubles of gmmSample's scratch `z` (the kernels' gmmSampleScratch: uniforms of a chunk of points). */
export const SAMPLE_SCRATCH = 256;

export function gmmLayout(c: GmmConfig, a: Allocator) {
  const d = c.dim;
  const K0 = c.mixture.weights.length;
  const Kmax = Math.max(c.components, K0);
  const pool = poolCapacity(c.policy, c.generations, () => c.samples);
  return {
    truth: a.allocF64(mixtureDoubles(K0, d), 'true mixture'),
    held: a.allocF64(d * c.holdout, 'held-out data'),
    lse: a.allocF64(c.holdout, 'held-out log-likelihoods'),
    cum: a.allocF64(Kmax),
    work: a.allocF64(Math.max(2 * d * d + d, workDoubles(Kmax, d))), // scoring workDoubles, L2 2 d^2 + d
    z: a.allocF64(SAMPLE_SCRATCH, 'sampling uniforms'),
    // accumulate trains on the pool itself, so it needs no training buffer
    points: allocPoints(a, { d, real: c.samples, maxTrain: c.policy === 'accumulate' ? 0 : c.samples, poolCapacity: pool, doubleBuffer: false }),
    // the largest training set: the whole pool for accumulate, else M
    em: emLayout({ d, K: c.components, maxN: c.policy === 'accumulate' ? pool : c.samples }, a),
  };
}

export type GmmBuffers = ReturnType<typeof gmmLayout>;
