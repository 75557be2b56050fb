// Benchmark cases of the GMM family: one whole E-step (responsibilities and
// per-point log-likelihoods of N points under K components, log-sum-exp), one
// whole M-step (weights, means, full covariances + reg_covar, factors), and
// the whole EM (gmmEmRun: every iteration to convergence in one call).
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';
import { COV_TYPE } from '../../src/families/gmm/em.js';

const K = 2;
const FULL = COV_TYPE.full;
const REG = 1e-6;
const FLOOR = 1e-12; // the ridge for a covariance that is not positive definite (not reached here)

export const gmmCases: CaseFamily = {
  family: 'gmm',
  kernels: ['eStep', 'mStep', 'emRun'],
  specs: () => [
    makeSpec('eStep', 1000, 2, 'N=1000 K=2 d=2'),
    makeSpec('mStep', 1000, 2, 'N=1000 K=2 d=2'),
    makeSpec('emRun', 1000, 2, 'N=1000 K=2 d=2 tol=1e-5 (to convergence)'),
  ],
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const { n, d } = spec;
  const doubles = k.gmmMixtureDoubles(K, d);
  const x = arena.allocF64(d * n, 'points');
  const mix = arena.allocF64(doubles, 'mixture');
  const resp = arena.allocF64(K * n, 'responsibilities');
  const lse = arena.allocF64(n);
  const scratch = arena.allocF64(n);
  const state = arena.allocF64(4);
  const work = arena.allocF64(k.gmmWorkDoubles(K, d));
  const centres = arena.allocF64(K * d);
  const chosen = arena.allocI32(K);
  const dist = arena.allocF64(n);
  const labels = arena.allocI32(n);
  const sums = arena.allocF64(K * (d + 1));
  arena.f64(x, d * n).set(ctx.hostNormals(d * n));
  // a fitted starting point, the same on every backend: k-means++, Lloyd, one M-step
  reseed();
  k.gmmInitResp(rng, x, n, n, d, K, 300, centres, chosen, dist, labels, sums, resp);
  k.gmmMStep(x, n, n, d, K, resp, FULL, REG, FLOOR, mix, scratch);
  const mixView = arena.f64(mix, doubles);
  const mix0 = mixView.slice();
  const respView = arena.f64(resp, K * n);
  k.gmmEStep(x, n, n, d, K, mix, resp, lse, work);
  const resp0 = respView.slice();
  const stateView = arena.f64(state, 4);
  let result = 0;
  const once =
    spec.kernel === 'eStep'
      ? () => {
          result = k.gmmEStep(x, n, n, d, K, mix, resp, lse, work);
        }
      : spec.kernel === 'mStep'
        ? () => {
            respView.set(resp0);
            mixView.set(mix0);
            result = k.gmmMStep(x, n, n, d, K, resp, FULL, REG, FLOOR, mix, scratch);
          }
        : () => {
            // from the first M-step's mixture, every iteration in one call (the budget never binds)
            mixView.set(mix0);
            stateView.set([-Infinity, 0, 0, 0]);
            k.gmmEmRun(x, n, n, d, K, FULL, REG, FLOOR, 1e-5, 2000, 1 << 30, mix, resp, lse, work, scratch, state);
            result = stateView[1]; // iterations
          };
  return {
    reset: reseed,
    once,
    outputs: () => [
      { name: 'mixture', bytes: bytesOf(mix, 8 * doubles) },
      { name: 'responsibilities', bytes: bytesOf(resp, 8 * K * n) },
      { name: 'result', bytes: new Uint8Array(new Float64Array([result]).buffer) },
      rngOut(),
    ],
  };
}
