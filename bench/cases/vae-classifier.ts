// Benchmark cases of the VAE family's class metrics at the default sizes
// (14x14 digits, 10 classes, a classifier of 64 hidden units, minibatches of
// 100, generations of 2,000 images): one classifier training call (the
// budget of minibatches a default run gives a call), its forward pass
// labelling a generation, and the Fréchet distance's two steps (the feature
// moments of a generation, then the distance to the held-out reference).
import type { CaseContext, CaseSpec } from '../cases.js';
import { makeSpec } from '../cases.js';
import { OPT_DOUBLES } from '../../src/families/vae/layout.js';
import { CLASSIFIER_BATCH, CLASSIFIER_HEADER_INTS, classifierParamCount, classifierWorkFloats } from '../../src/families/vae/layout.js';

const [D, Hc, C, B] = [196, 64, 10, CLASSIFIER_BATCH];
const P = classifierParamCount(D, Hc, C);
/** Images a generation has (--samples' default): what a run labels and takes the moments of. */
const N = 2000;
/** Minibatches per training call: VaeModel.callWork (2^21, not imported: model.ts reads the digit files) over B P. */
const BUDGET = Math.max(1, Math.floor((1 << 21) / (B * P)));
/** Synthetic labelled training images: ten minibatches. */
const T = 10 * B;

export const classifierKernels = ['vaeClassifierTrain', 'vaeClassify', 'featureMoments', 'frechetDistance'] as const;

export function classifierSpecs(): CaseSpec[] {
  return [
    makeSpec('vaeClassifierTrain', BUDGET * B, D, `minibatches=${BUDGET} B=${B} D=${D} Hc=${Hc} C=${C}`),
    makeSpec('vaeClassify', N, D, `N=${N} D=${D} Hc=${Hc} C=${C}`),
    makeSpec('featureMoments', N, Hc, `N=${N} d=${Hc}`),
    makeSpec('frechetDistance', Hc, Hc, `d=${Hc}`),
  ];
}

export function prepareClassifierCase(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const net = arena.allocI32(CLASSIFIER_HEADER_INTS);
  const opt = arena.allocF64(OPT_DOUBLES);
  // the classifier trains in float32 (dense.ts): P floats per parameter set
  const params = arena.allocF32(P);
  const grads = arena.allocF32(P);
  const m = arena.allocF32(P);
  const v = arena.allocF32(P);
  const work = arena.allocF32(classifierWorkFloats(B, D, Hc, C));
  const train = arena.allocF64(D * T, 'training images');
  const labels = arena.allocI32(T);
  const idx = arena.allocI32(T);
  const images = arena.allocF64(D * N, 'generated images');
  const hist = arena.allocF64(C);
  const feats = arena.allocF64(Hc * N, 'features');
  const refMean = arena.allocF64(Hc);
  const refRoot = arena.allocF64(Hc * Hc);
  const mean = arena.allocF64(Hc);
  const cov = arena.allocF64(Hc * Hc);
  const fdWork = arena.allocF64(2 * Hc * Hc);
  arena.i32(net, CLASSIFIER_HEADER_INTS).set([D, Hc, C, B, params, grads, m, v, work]);
  // grey levels in [0, 1] from host normals, the same on every backend
  const grey = ctx.hostNormals(D * (T + N)).map((z) => Math.min(1, Math.abs(z) / 2));
  arena.f64(train, D * T).set(grey.subarray(0, D * T));
  arena.f64(images, D * N).set(grey.subarray(D * T));
  arena.i32(labels, T).set(Array.from({ length: T }, (_, i) => i % C));
  const state = () => {
    reseed();
    arena.f64(opt, 4).set([0.01, 0.9, 0.999, 1e-8]);
    k.vaeClassifierInit(net, opt, rng);
    k.vaeShuffle(rng, idx, T);
  };
  state();
  // a trained classifier's features: the reference moments from the training
  // images' features, the generation's features and moments from `images`
  k.vaeClassifierTrain(net, opt, train, T, T, labels, idx, 0, T / B);
  k.vaeClassify(net, train, T, T, labels, hist, feats, T);
  k.featureMoments(feats, T, T, Hc, refMean, cov);
  const refCov = arena.f64(cov, Hc * Hc);
  let refTrace = 0;
  for (let a = 0; a < Hc; a++) refTrace += refCov[a * Hc + a];
  k.symmetricSqrt(cov, Hc, refRoot, fdWork);
  k.vaeClassify(net, images, N, N, -1, hist, feats, N);
  k.featureMoments(feats, N, N, Hc, mean, cov);
  // the training case restarts from the trained classifier: weights, Adam's moments and step count
  const views = [arena.f32(params, P), arena.f32(m, P), arena.f32(v, P), arena.f64(opt, OPT_DOUBLES)];
  const trained = views.map((x) => x.slice());
  const restore = () => views.forEach((x, i) => x.set(trained[i]));
  let result = 0;
  const once = {
    vaeClassifierTrain: () => {
      restore();
      result = k.vaeClassifierTrain(net, opt, train, T, T, labels, idx, 0, BUDGET);
    },
    vaeClassify: () => {
      result = k.vaeClassify(net, images, N, N, -1, hist, feats, N);
    },
    featureMoments: () => k.featureMoments(feats, N, N, Hc, mean, cov),
    frechetDistance: () => {
      result = k.frechetDistance(refMean, refRoot, refTrace, mean, cov, Hc, fdWork);
    },
  }[spec.kernel as (typeof classifierKernels)[number]];
  return {
    reset: () => {
      restore();
      reseed();
    },
    once,
    outputs: () => [
      { name: 'weights', bytes: bytesOf(params, 4 * P) },
      { name: 'gradients', bytes: bytesOf(grads, 4 * P) },
      { name: 'class counts', bytes: bytesOf(hist, 8 * C) },
      { name: 'features', bytes: bytesOf(feats, 8 * Hc * N) },
      { name: 'feature mean', bytes: bytesOf(mean, 8 * Hc) },
      { name: 'feature covariance', bytes: bytesOf(cov, 8 * Hc * Hc) },
      { name: 'result', bytes: new Uint8Array(new Float64Array([result]).buffer) },
      rngOut(),
    ],
  };
}
