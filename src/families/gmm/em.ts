// EM for a Gaussian mixture: per initialisation, k-means++ and Lloyd, a
// first M-step, then the EM iterations in the kernel (gmmEmRun,
// assembly/models/gmm/em.ts: E-step, M-step and the stopping rule |gain of
// the mean log-likelihood| < tol), a budget of iterations per call so that a
// long fit lets the event loop run between calls. The buffers are laid out once.
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { Allocator } from '../../chain/layout.js';

export const COV_TYPE = { full: 0, diag: 1, spherical: 2 } as const;

/** Doubles of one mixture block (the kernels' gmmMixtureDoubles). */
export const mixtureDoubles = (K: number, d: number): number => K * (2 + d + 3 * d * d);
/** Doubles of the E-step's scratch (the kernels' gmmWorkDoubles). */
export const workDoubles = (K: number, d: number): number => (K + 3) * 256;

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

/** The EM workspace, declared once (see chain/layout.ts). */
export function emLayout(s: Pick<EmSettings, 'd' | 'K' | 'maxN'>, a: Allocator) {
  const { d, K, maxN } = s;
  return {
    /** The kept mixture after `run`. */
    fit: a.allocF64(mixtureDoubles(K, d), 'fitted mixture'),
    /** The mixture EM works on. */
    cur: a.allocF64(mixtureDoubles(K, d), 'EM mixture'),
    resp: a.allocF64(K * maxN, 'responsibilities'),
    lse: a.allocF64(maxN, 'log-likelihoods'),
    scratch: a.allocF64(maxN, 'M-step scratch'),
    state: a.allocF64(4),
    dist: a.allocF64(maxN, 'k-means++ distances'),
    centres: a.allocF64(K * d),
    sums: a.allocF64(K * (d + 1)),
    work: a.allocF64(workDoubles(K, d)),
    chosen: a.allocI32(K),
    labels: a.allocI32(maxN, 'k-means labels'),
  };
}

export type EmBuffers = ReturnType<typeof emLayout>;

/** What one fit returned; the fitted mixture is in `fit` (the workspace's block). */
export interface FitResult {
  /** EM iterations of the kept initialisation. */
  iterations: number;
  /** Whether it stopped on tol (not on max-iter). */
  converged: boolean;
  /** Its last lower bound: the mean log-likelihood before its last M-step. */
  lowerBound: number;
  /** Covariances repaired by the ridge, over all steps. */
  repaired: number;
}

export class GmmEm {
  /**
   * Work per kernel call, in point x component x (d^2 + 2 d + 8) units: EM
   * runs floor(callWork / that) iterations per call (at least one), about
   * 10 ms in WASM. Tests set 1 (one iteration per call: the same bits).
   */
  static callWork = 1 << 22;
  private readonly k: KernelExports;
  private readonly covType: number;
  /** The kept mixture after `run`. */
  readonly fit: number;
  /** Lower bounds of every iteration of the last initialisation (for tests), when `trace` is set: one iteration per call. */
  trace: number[] | null = null;

  constructor(
    private readonly arena: Arena,
    readonly s: EmSettings,
    readonly buffers: EmBuffers = emLayout(s, arena),
  ) {
    const { d, K } = s;
    this.k = arena.backend.kernels;
    const k = this.k;
    if (k.gmmMixtureDoubles(K, d) !== mixtureDoubles(K, d) || k.gmmWorkDoubles(K, d) !== workDoubles(K, d)) {
      throw new Error('gmm: kernel and host disagree on the buffer sizes');
    }
    this.covType = COV_TYPE[s.covariance];
    this.fit = buffers.fit;
  }

  /** EM iterations per kernel call for n points. */
  budget(n: number): number {
    const { d, K } = this.s;
    return this.trace ? 1 : Math.max(1, Math.floor(GmmEm.callWork / (n * K * (d * d + 2 * d + 8))));
  }

  /**
   * EM as scikit-learn's fit: per initialisation, k-means++ and Lloyd labels,
   * a first M-step, then (E-step, M-step) until the mean log-likelihood gains
   * less than tol or max-iter is reached; the initialisation with the highest
   * final lower bound is kept in `fit` (scikit-learn's final E-step, the
   * training log-likelihood, is `trainLogLik`: only where it is recorded).
   * `pace` is called between kernel calls: a long fit lets the event loop run.
   */
  async run(rng: number, x: number, ld: number, n: number, pace: () => void | Promise<void> = () => {}): Promise<FitResult> {
    const { k, s, buffers: b } = this;
    const { d, K } = s;
    const doubles = mixtureDoubles(K, d);
    const state = this.arena.f64(b.state, 4);
    const budget = this.budget(n);
    let best = -Infinity;
    let bestIterations = 0;
    let bestConverged = false;
    let repaired = 0;
    for (let init = 0; init < s.nInit; init++) {
      k.gmmInitResp(rng, x, ld, n, d, K, s.kmeansIter, b.centres, b.chosen, b.dist, b.labels, b.sums, b.resp);
      repaired += k.gmmMStep(x, ld, n, d, K, b.resp, this.covType, s.regCovar, s.floor, b.cur, b.scratch);
      if (this.trace) this.trace = [];
      state.set([-Infinity, 0, 0, 0]);
      for (;;) {
        const done = k.gmmEmRun(x, ld, n, d, K, this.covType, s.regCovar, s.floor, s.tol, s.maxIter, budget, b.cur, b.resp, b.lse, b.work, b.scratch, b.state);
        this.trace?.push(state[0]);
        if (done) break;
        const p = pace();
        if (p) await p;
      }
      const [lowerBound, it, fixed, converged] = state;
      repaired += fixed;
      if (init === 0 || lowerBound > best) {
        best = lowerBound;
        bestIterations = it;
        bestConverged = converged === 1;
        const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
        f.copyWithin(b.fit >> 3, b.cur >> 3, (b.cur >> 3) + doubles);
      }
    }
    return { iterations: bestIterations, converged: bestConverged, lowerBound: best, repaired };
  }

  /** Mean log-likelihood of the n points at x (the training set of the last `run`) under the kept mixture `fit`. */
  trainLogLik(x: number, ld: number, n: number): number {
    const { d, K } = this.s;
    return this.k.gmmScore(x, ld, n, d, K, this.fit, this.buffers.lse, this.buffers.work);
  }
}
