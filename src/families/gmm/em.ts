// EM for a Gaussian mixture, sequenced from the host: every step is one
// whole-pass kernel (assembly/models/gmm.ts), and the only decision,
// |gain of the mean log-likelihood| < tol, compares numbers the kernels
// returned, so it is the same on every backend. The buffers are laid out once.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';

export const COV_TYPE = { full: 0, diag: 1, spherical: 2 } as const;

/** Doubles of one mixture block (the kernels' gmmMixtureDoubles). */
export const mixtureDoubles = (K: number, d: number): number => K * (2 + d + 3 * d * d);

export interface EmSettings {
  /** Dimension of the points. */
  d: number;
  /** Components fitted. */
  K: number;
  covariance: keyof typeof COV_TYPE;
  tol: number;
  maxIter: number;
  regCovar: number;
  /** Ridge for a covariance that is not positive definite (gmmPrepare). */
  floor: number;
  nInit: number;
  kmeansIter: number;
  /** The most points a fit will see. */
  maxN: number;
}

/** Doubles and i32s the workspace lays out (for the memory plan). */
export function emBufferSizes(s: EmSettings) {
  const { d, K, maxN } = s;
  return {
    f64: 2 * mixtureDoubles(K, d) + K * maxN + 3 * maxN + K * d + K * (d + 1) + d + K,
    i32: K + maxN,
  };
}

/** What one fit returned; the fitted mixture is in `fit` (the workspace's block). */
export interface FitResult {
  /** EM iterations of the kept initialisation. */
  iterations: number;
  /** Whether it stopped on tol (not on max-iter). */
  converged: boolean;
  /** Its last lower bound: the mean log-likelihood before its last M-step. */
  lowerBound: number;
  /** Mean log-likelihood of the training points under the kept mixture (the final E-step). */
  trainLogLik: number;
  /** Covariances repaired by the ridge, over all steps. */
  repaired: number;
}

export class GmmEm {
  private readonly k: KernelExports;
  private readonly covType: number;
  /** The kept mixture after `run`. */
  readonly fit: number;
  /** The mixture EM works on. */
  readonly cur: number;
  readonly resp: number;
  readonly lse: number;
  readonly scratch: number;
  readonly dist: number;
  readonly centres: number;
  readonly sums: number;
  readonly work: number;
  readonly chosen: number;
  readonly labels: number;
  /** Lower bounds of every iteration of the last initialisation (for tests), when `trace` is set. */
  trace: number[] | null = null;

  constructor(private readonly arena: Arena, readonly s: EmSettings) {
    const { d, K, maxN } = s;
    this.k = arena.backend.kernels;
    if (this.k.gmmMixtureDoubles(K, d) !== mixtureDoubles(K, d)) throw new Error('gmm: kernel and host disagree on the mixture layout');
    this.covType = COV_TYPE[s.covariance];
    this.fit = arena.allocF64(mixtureDoubles(K, d), 'fitted mixture');
    this.cur = arena.allocF64(mixtureDoubles(K, d), 'EM mixture');
    this.resp = arena.allocF64(K * maxN, 'responsibilities');
    this.lse = arena.allocF64(maxN, 'log-likelihoods');
    this.scratch = arena.allocF64(maxN, 'M-step scratch');
    this.dist = arena.allocF64(maxN, 'k-means++ distances');
    this.centres = arena.allocF64(K * d);
    this.sums = arena.allocF64(K * (d + 1));
    this.work = arena.allocF64(d + K);
    this.chosen = arena.allocI32(K);
    this.labels = arena.allocI32(maxN, 'k-means labels');
  }

  /**
   * EM as scikit-learn's fit: per initialisation, k-means++ and Lloyd labels,
   * a first M-step, then (E-step, M-step) until the mean log-likelihood gains
   * less than tol or max-iter is reached; the initialisation with the highest
   * final lower bound is kept in `fit`, and a final E-step scores it.
   */
  run(rng: number, x: number, ld: number, n: number): FitResult {
    const { k, s } = this;
    const { d, K } = s;
    const doubles = mixtureDoubles(K, d);
    let best = -Infinity;
    let bestIterations = 0;
    let bestConverged = false;
    let repaired = 0;
    for (let init = 0; init < s.nInit; init++) {
      k.gmmInitResp(rng, x, ld, n, d, K, s.kmeansIter, this.centres, this.chosen, this.dist, this.labels, this.sums, this.resp);
      repaired += k.gmmMStep(x, ld, n, d, K, this.resp, this.covType, s.regCovar, s.floor, this.cur, this.scratch);
      if (this.trace) this.trace = [];
      let lowerBound = -Infinity;
      let converged = false;
      let it = 0;
      while (it < s.maxIter) {
        it++;
        const previous = lowerBound;
        lowerBound = k.gmmEStep(x, ld, n, d, K, this.cur, this.resp, this.lse, this.work);
        repaired += k.gmmMStep(x, ld, n, d, K, this.resp, this.covType, s.regCovar, s.floor, this.cur, this.scratch);
        this.trace?.push(lowerBound);
        if (Math.abs(lowerBound - previous) < s.tol) {
          converged = true;
          break;
        }
      }
      if (init === 0 || lowerBound > best) {
        best = lowerBound;
        bestIterations = it;
        bestConverged = converged;
        const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
        f.copyWithin(this.fit >> 3, this.cur >> 3, (this.cur >> 3) + doubles);
      }
    }
    const trainLogLik = k.gmmEStep(x, ld, n, d, K, this.fit, this.resp, this.lse, this.work);
    return { iterations: bestIterations, converged: bestConverged, lowerBound: best, trainLogLik, repaired };
  }
}
