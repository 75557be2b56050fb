// Benchmark cases of the VAE family at the default sizes (14x14 digits,
// hidden 128, latent 8, minibatches of 64): one minibatch's forward and
// backward pass (the matrix products), one Adam step over every parameter,
// and ten minibatches of training (gradient and Adam step each); the digit
// classifier's and the Fréchet distance's cases are in vae-classifier.ts.
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';
import { classifierKernels, classifierSpecs, prepareClassifierCase } from './vae-classifier.js';
import { HEADER_INTS, LIKELIHOOD_DOUBLES, OPT_DOUBLES, paramCount, workFloats } from '../../src/families/vae/layout.js';

const [D, H, L, B] = [196, 128, 8, 64];
const P = paramCount(D, H, L);
const TRAIN_IMAGES = 10 * B;

export const vaeCases: CaseFamily = {
  family: 'vae',
  kernels: ['vaeBatchGrad', 'vaeAdamStep', 'vaeTrain', ...classifierKernels],
  specs: () => [
    makeSpec('vaeBatchGrad', B, D, `B=${B} D=${D} H=${H} L=${L}`),
    makeSpec('vaeAdamStep', P, 1, `P=${P}`),
    makeSpec('vaeTrain', TRAIN_IMAGES, D, `N=${TRAIN_IMAGES} B=${B} D=${D} H=${H} L=${L}`),
    ...classifierSpecs(),
  ],
  prepare: (ctx) => ((classifierKernels as readonly string[]).includes(ctx.spec.kernel) ? prepareClassifierCase(ctx) : prepare(ctx)),
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const n = TRAIN_IMAGES;
  const net = arena.allocI32(HEADER_INTS);
  const opt = arena.allocF64(OPT_DOUBLES);
  // the network trains in float32: P floats per parameter set
  const params = arena.allocF32(P);
  const grads = arena.allocF32(P);
  const m = arena.allocF32(P);
  const v = arena.allocF32(P);
  const work = arena.allocF32(workFloats(B, D, H, L));
  const data = arena.allocF64(D * n, 'images');
  const order = arena.allocI32(n);
  const likelihood = arena.allocF64(LIKELIHOOD_DOUBLES);
  arena.f64(likelihood, LIKELIHOOD_DOUBLES).set([0, 0.1]); // Bernoulli, the default
  arena.i32(net, HEADER_INTS).set([D, H, L, B, params, grads, m, v, work, likelihood]);
  // grey levels in [0, 1] from host normals, the same on every backend
  arena.f64(data, D * n).set(ctx.hostNormals(D * n).map((z) => Math.min(1, Math.abs(z) / 2)));
  const state = () => {
    reseed();
    arena.f64(opt, 4).set([1e-3, 0.9, 0.999, 1e-8]);
    k.vaeInit(net, opt, rng);
    k.vaeShuffle(rng, order, n);
  };
  state();
  const optView = arena.f64(opt, OPT_DOUBLES);
  const params0 = arena.f32(params, P).slice();
  const opt0 = optView.slice();
  k.vaeBatchGrad(net, rng, data, n, order, 0, B);
  let result = 0;
  const once =
    spec.kernel === 'vaeBatchGrad'
      ? () => {
          result = k.vaeBatchGrad(net, rng, data, n, order, 0, B);
        }
      : spec.kernel === 'vaeAdamStep'
        ? () => k.vaeAdamStep(net, opt)
        : () => {
            arena.f32(params, P).set(params0);
            optView.set(opt0);
            result = k.vaeTrain(net, opt, rng, data, n, n, order, B, 0, n / B, 1);
          };
  return {
    reset: () => {
      state();
      if (spec.kernel === 'vaeAdamStep') k.vaeBatchGrad(net, rng, data, n, order, 0, B);
    },
    once,
    outputs: () => [
      { name: 'weights', bytes: bytesOf(params, 4 * P) },
      { name: 'gradients', bytes: bytesOf(grads, 4 * P) },
      { name: 'result', bytes: new Uint8Array(new Float64Array([result]).buffer) },
      rngOut(),
    ],
  };
}
