// Every buffer of a regression run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import type { RegressionConfig } from './types.js';

/**
 * accumulate-subsample keeps a pool of (label, row) pairs for the data of
 * generations 0..G-1 (generation G's labels would train model G + 1, which is
 * not fitted), as two columns of T G doubles.
 */
export function regressionLayout(c: RegressionConfig, a: Allocator) {
  const d = c.dim;
  const t = c.points;
  const cap = c.policy === 'accumulate-subsample' ? t * c.generations : 0;
  const f = (n: number, what?: string) => a.allocF64(n, what);
  return {
    cap,
    x: f(d * t, 'design'),
    xt: f(d * c.testPoints, 'test points'),
    wStar: f(d), w: f(d), wPrev: f(d),
    gram: f(d * d), l: f(d * d), rhs: f(d), rhsSum: f(d), out: f(4),
    work: f(d + c.testPoints, 'metric scratch'),
    yReal: f(t, 'real labels'),
    y: f(t, 'labels'),
    // accumulate-subsample: the subsampled design, the picked pairs and the pool
    xs: cap ? f(d * t, 'subsampled design') : 0,
    picked: cap ? f(2 * t) : 0,
    pool: cap ? f(2 * cap, 'pool of all labels') : 0,
    index: a.allocI32(Math.max(cap, t), 'subsampling index'),
  };
}

export type RegressionBuffers = ReturnType<typeof regressionLayout>;
