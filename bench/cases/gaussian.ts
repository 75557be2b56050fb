// Benchmark cases of the Gaussian family: a whole normal fill (ziggurat, in
// bulk; and one normal() call per draw, as gmm, kde and regression draw), a
// whole fit, and a whole generation (gaussianStep).
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';

export const gaussianCases: CaseFamily = {
  family: 'gaussian',
  kernels: ['fillNormal', 'normalOneByOne', 'fit', 'step'],
  specs() {
    const out = [];
    for (const kernel of ['fillNormal', 'fit', 'step']) for (const n of [100, 1000, 100_000]) out.push(makeSpec(kernel, n, 1, `n=${n}`));
    out.push(makeSpec('normalOneByOne', 1000, 1, 'n=1000'));
    out.push(makeSpec('step', 1000, 4, 'n=1000 d=4'));
    out.push(makeSpec('step', 1000, 10, 'n=1000 d=10'));
    return out;
  },
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const { n, d, calls } = spec;
  if (spec.kernel === 'fillNormal' || spec.kernel === 'normalOneByOne') {
    const out = arena.allocF64(n, 'normals');
    const once = spec.kernel === 'fillNormal' ? () => k.fillNormal(rng, out, n, 0, 1) : () => k.fillNormalOneByOne(rng, out, n);
    return {
      reset: reseed,
      once,
      outputs: () => [{ name: 'out', bytes: bytesOf(out, 8 * n) }, rngOut()],
    };
  }

  if (spec.kernel === 'fit') {
    const x = arena.allocF64(d * n, 'points');
    const mean = arena.allocF64(d);
    const scatter = arena.allocF64(d * d);
    const cov = arena.allocF64(d * d);
    arena.f64(x, d * n).set(ctx.hostNormals(d * n));
    const once = () => {
      k.gaussianScatter(x, n, n, d, mean, scatter);
      k.covarianceFromScatter(scatter, d, n - 1, cov);
    };
    return {
      reset: reseed,
      once,
      outputs: () => [
        { name: 'mean', bytes: bytesOf(mean, 8 * d) },
        { name: 'scatter', bytes: bytesOf(scatter, 8 * d * d) },
        { name: 'cov', bytes: bytesOf(cov, 8 * d * d) },
      ],
    };
  }

  // step: the model (mean | cov | L) lives in one block so that restoring it
  // before each call is a single typed-array copy. Without the restore, tens of
  // thousands of generations in a row would collapse the variance into
  // subnormal numbers, and timed work would depend on how many calls ran.
  const model = arena.allocF64(d + 2 * d * d, 'model');
  const mean = model;
  const cov = model + 8 * d;
  const l = cov + 8 * d * d;
  const z = arena.allocF64(d);
  const x = arena.allocF64(d * n, 'samples');
  const scatter = arena.allocF64(d * d);
  // (views only after the last allocation: growing WASM memory detaches them)
  const modelView = arena.f64(model, d + 2 * d * d);
  modelView.set(initialModel(d));
  if (k.choleskyPsd(cov, d, l) !== 0) throw new Error('bench: the initial covariance is not positive definite');
  const model0 = modelView.slice();
  let zeros = 0;
  const once = () => {
    zeros = k.gaussianStep(rng, mean, cov, l, d, 1.0, 1.0, z, x, n, n, scatter);
  };
  return {
    reset: () => {
      reseed();
      modelView.set(model0);
    },
    once,
    run: () => {
      for (let i = 0; i < calls; i++) {
        modelView.set(model0);
        zeros = k.gaussianStep(rng, mean, cov, l, d, 1.0, 1.0, z, x, n, n, scatter);
      }
    },
    outputs: () => [
      { name: 'x', bytes: bytesOf(x, 8 * d * n) },
      { name: 'model', bytes: bytesOf(model, 8 * (d + 2 * d * d)) },
      { name: 'zero pivots', bytes: new Uint8Array(new Float64Array([zeros]).buffer) },
      rngOut(),
    ],
  };
}

/** Mean 0 and cov[a][b] = 0.5^|a-b| (identity when d = 1); L is filled by the kernel. */
function initialModel(d: number): Float64Array {
  const m = new Float64Array(d + 2 * d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m[d + a * d + b] = 0.5 ** Math.abs(a - b);
  return m;
}
