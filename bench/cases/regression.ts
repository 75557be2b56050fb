// Benchmark cases of the regression family: one OLS fit (Gram matrix, its
// Cholesky factor and the two triangular solves), olsFit, and one
// generation's labels, regressionLabels.
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';

export const regressionCases: CaseFamily = {
  family: 'regression',
  kernels: ['ols', 'labels'],
  specs: () => [makeSpec('ols', 1000, 10, 'T=1000 d=10 (rows)'), makeSpec('labels', 1000, 10, 'T=1000 d=10 (rows)')],
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const { n, d } = spec;
  const x = arena.allocF64(d * n, 'design');
  const y = arena.allocF64(n, 'labels');
  const w = arena.allocF64(d);
  const gram = arena.allocF64(d * d);
  const l = arena.allocF64(d * d);
  const rhs = arena.allocF64(d);
  const inputs = ctx.hostNormals(d * n + n + d);
  arena.f64(x, d * n).set(inputs.subarray(0, d * n));
  const yView = arena.f64(y, n);
  const y0 = inputs.slice(d * n, d * n + n);
  const wView = arena.f64(w, d);
  const w0 = inputs.slice(d * n + n);
  let zeros = 0;
  const once =
    spec.kernel === 'ols'
      ? () => {
          yView.set(y0);
          zeros = k.olsFit(x, n, n, d, y, gram, l, rhs, w);
        }
      : () => {
          wView.set(w0);
          k.regressionLabels(rng, x, n, n, d, w, 1.0, y);
        };
  return {
    reset: reseed,
    once,
    outputs: () => [
      { name: 'w', bytes: bytesOf(w, 8 * d) },
      { name: 'y', bytes: bytesOf(y, 8 * n) },
      { name: 'zero pivots', bytes: new Uint8Array(new Int32Array([zeros]).buffer) },
      rngOut(),
    ],
  };
}
