// Every buffer of a Gaussian run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import { KERNEL_CONSTANTS } from '../../kernels/abi.js';
import { allocPoints, poolCapacity } from '../../chain/point-data.js';
import { samplesAt } from '../../chain/schedule.js';
import type { GaussianConfig } from './types.js';

export function gaussianLayout(c: GaussianConfig, a: Allocator) {
  const d = c.dim;
  const dd = d * d;
  const maxTrain = samplesAt(c.schedule, c.samples, c.generations);
  const f = (n: number, what?: string) => a.allocF64(n, what);
  return {
    // the original distribution, the model, and its Cholesky factor
    mean0: f(d), cov0: f(dd), l0: f(dd),
    mean: f(d), cov: f(dd), l: f(dd), scatter: f(dd),
    // accumulate: pooled statistics of all data, and of the newest generation
    poolMean: f(d), poolScatter: f(dd), genMean: f(d), genScatter: f(dd), delta: f(d),
    // fresh with --real-weight: the real part's fit
    partMean: f(d), partScatter: f(dd), partCov: f(dd),
    z: f(d), work: f(2 * dd), out: f(4),
    // the tail mass: its matrices and vector, Ruben's series (d > 1), its three outputs
    tailWork: f(2 * dd + d), tailSeries: d > 1 ? f(KERNEL_CONSTANTS.tailSeriesDoubles, 'tail-mass series') : 0, tailOut: f(3),
    // 1-D: the real data sorted, for the empirical W2
    realSorted: d === 1 ? f(c.samples, 'sorted real data') : 0,
    // one generation's samples sorted (1-D), or their squared Mahalanobis distances (d > 1)
    sortScratch: f(maxTrain, 'sorted samples'),
    // accumulate pools statistics, not points (see model.ts)
    points: allocPoints(a, {
      d,
      real: c.samples,
      maxTrain,
      poolCapacity: c.policy === 'accumulate' ? 0 : poolCapacity(c.policy, c.generations, (n) => samplesAt(c.schedule, c.samples, n)),
      doubleBuffer: false,
    }),
  };
}

export type GaussianBuffers = ReturnType<typeof gaussianLayout>;
