// Benchmark case of the KDE family: the held-out log-likelihood, n training
// points x m query points in one call (the exp-heavy kernel), kdeLogDensity:
// one pass of float32 exp sums per query (log-sum-exp only for far queries).
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';

export const kdeCases: CaseFamily = {
  family: 'kde',
  kernels: ['kdeLogDensity'],
  specs: () => [
    makeSpec('kdeLogDensity', 1000 * 500, 1, 'n=1000 m=500 d=1 (pairs)', { train: 1000, query: 500 }),
    makeSpec('kdeLogDensity', 1000 * 500, 2, 'n=1000 m=500 d=2 (pairs)', { train: 1000, query: 500 }),
    // many training points: the sum streams from L2
    makeSpec('kdeLogDensity', 10000 * 200, 1, 'n=10000 m=200 d=1 (pairs)', { train: 10000, query: 200 }),
    // a large pool (accumulate after 100 generations of 1000 samples) streams
    // 1.6 MB per query from L3; m = 20 is one Ctrl-C slice of the CLI's
    // scoring at this n (KdeModel.scoreSlice / (n d)) and keeps js's rounds short
    makeSpec('kdeLogDensity', 100000 * 20, 2, 'n=100000 m=20 d=2 (pairs)', { train: 100000, query: 20 }),
  ],
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, bytesOf, reseed } = ctx;
  const { train: n, query: m } = spec.sizes;
  const d = spec.d;
  const x = arena.allocF64(d * n, 'training points');
  const y = arena.allocF64(d * m, 'query points');
  const out = arena.allocF64(m);
  arena.f64(x, d * n).set(ctx.hostNormals(d * n));
  arena.f64(y, d * m).set(ctx.hostNormals(d * (n + m)).subarray(d * n));
  let nll = 0;
  const h = 0.3;
  const once = () => {
    nll = k.kdeLogDensity(x, n, n, d, h, y, m, m, out);
  };
  return {
    reset: reseed,
    once,
    outputs: () => [{ name: 'log densities', bytes: bytesOf(out, 8 * m) }, { name: 'nll', bytes: new Uint8Array(new Float64Array([nll]).buffer) }],
  };
}
