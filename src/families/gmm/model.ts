// The GMM model (Shumailov et al. 2024, the GMM notebook): model n is a
// K-component mixture fitted by EM (em.ts) to generation n-1's training set;
// its samples are drawn with sampling bias and temperature. Every pass over
// points is one kernel call; this file sequences them and records the metrics.
import { shareBelow, tailLevel } from '../../util/stats.js';
import type { KernelExports } from '../../kernels/abi.js';
import { UsageError } from '../../util/errors.js';
import type { Arena } from '../../kernels/arena.js';
import type { MaybeAsync, ModelAdapter, StepContext } from '../../chain/adapter.js';
import { inOrder } from '../../chain/policies.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import { PointData } from '../../chain/point-data.js';
import { GmmEm, mixtureDoubles, type EmSettings, type FitResult } from './em.js';
import { SAMPLE_SCRATCH, type GmmBuffers } from './layout.js';
import type { GmmConfig, GmmMetric } from './types.js';

const GMM_METRICS: readonly GmmMetric[] = [
  'l2sq', 'stdMean', 'stdMin', 'stdMax', 'minWeight', 'holdoutLogLik', 'tailShare', 'modesCovered', 'emIterations', 'converged', 'trainLogLik', 'mixVar', 'mixMeanSqError',
];

/** The metrics a run records (the family's `metrics`). */
export const gmmMetrics = (_c: GmmConfig): readonly GmmMetric[] => GMM_METRICS;

/** The EM settings of a run. */
function emSettings(c: GmmConfig, maxN: number, floor: number): EmSettings {
  return {
    d: c.dim,
    K: c.components,
    covariance: c.covariance,
    tol: c.tol,
    maxIter: c.maxIter,
    regCovar: c.regCovar,
    floor,
    nInit: c.nInit,
    kmeansIter: c.kmeansIter,
    maxN,
  };
}

/** Training sets above this many points x components let the event loop run between EM kernel calls (GmmEm.callWork). */
const LONG_FIT = 1 << 16;

export class GmmModel implements ModelAdapter {
  readonly metrics = GMM_METRICS;
  /** The truth's 1% quantile of held-out log-likelihoods, this replicate's (set at generation 0). */
  private tailLevel = NaN;
  readonly facts: Record<string, unknown>;
  readonly data: PointData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  private readonly d: number;
  private readonly K: number;
  private readonly K0: number;
  private readonly em: GmmEm;
  /** Per-dimension variance tr(Sigma)/d and mean of the true mixture. */
  private readonly trueVar: number;
  private readonly trueMean: number[];
  private last: FitResult | null = null;
  private iterationSum = 0;
  private nonConverged = 0;

  constructor(
    private readonly arena: Arena,
    private readonly c: GmmConfig,
    private readonly b: GmmBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    const d = (this.d = c.dim);
    const K = (this.K = c.components);
    const K0 = (this.K0 = c.mixture.weights.length);
    if (k.gmmSampleScratch() !== SAMPLE_SCRATCH) throw new Error('gmm: kernel and host disagree on the sampling scratch');
    this.generationCost = c.samples * K * d;
    const scale = Math.sqrt(c.bias);
    const invTemp = 1 / c.temperature;
    this.data = new PointData(arena, b.points, gen.rng, {
      sample: (ptr, ld, n) => k.gmmSample(gen.rng, b.em.fit, K, d, scale, invTemp, b.cum, b.z, ptr, ld, n),
      drawReal: (ptr, ld, n) => k.gmmSample(gen.rng, b.truth, K0, d, 1.0, 1.0, b.cum, b.z, ptr, ld, n),
      pointCost: d * d + K + 16, // a component, d normals and the triangular product
    });

    // the true mixture: weights, means, covariances, then its factors
    const t = arena.f64(b.truth, mixtureDoubles(K0, d));
    const m = c.mixture;
    m.weights.forEach((w, i) => (t[i] = w));
    m.means.forEach((mu, i) => t.set(mu, K0 + i * d));
    m.covs.forEach((cv, i) => t.set(cv, K0 + K0 * d + i * d * d));
    // validation checked every covariance on the host; the kernel agrees up to rounding
    if (k.gmmPrepare(b.truth, K0, d, 0) !== 0) throw new UsageError('--mixture: a true covariance is singular in double precision (a zero Cholesky pivot); give better-conditioned ones');
    const s = this.mixtureStats(b.truth, K0);
    this.trueVar = s.mixVar;
    this.trueMean = s.mean;
    // the ridge for a covariance that is not positive definite (see gmmPrepare)
    const maxN = c.policy === 'accumulate' ? b.points.sizes.poolCapacity : c.samples;
    this.em = new GmmEm(arena, emSettings(c, maxN, Math.max(c.regCovar, 1e-12 * this.trueVar)), b.em);
    this.facts = { trueVar: this.trueVar, trueMean: this.trueMean, trueStds: s.stds, coverRadius: c.coverRadius };
  }

  /** Generation 0: the real data, then the held-out points, from the true mixture. */
  drawRealData(): MaybeAsync {
    this.iterationSum = this.nonConverged = 0;
    this.last = null;
    return inOrder(
      () => this.data.drawRealData(),
      () => this.k.gmmSample(this.gen.rng, this.b.truth, this.K0, this.d, 1.0, 1.0, this.b.cum, this.b.z, this.b.held, this.c.holdout, this.c.holdout),
    );
  }

  fit(n: number, ctx: StepContext): Promise<void> {
    const t = this.data.train;
    const pace = t.n * this.K > LONG_FIT ? ctx.yieldIfDue : undefined;
    return this.em.run(this.gen.rng, t.ptr, t.ld, t.n, pace).then((fit) => {
      this.last = fit;
      this.iterationSum += fit.iterations;
      if (!fit.converged) {
        this.nonConverged++;
        ctx.event('not-converged', n);
      }
      if (fit.repaired > 0) ctx.event('covariance-floor', n);
      ctx.hash(this.arena.f64(this.em.fit, this.K * (1 + this.d + this.d * this.d)));
    });
  }

  finish(): Record<string, number | null> {
    return { meanIterations: this.iterationSum / this.c.generations, nonConverged: this.nonConverged };
  }

  /** Metrics of model n against the truth (n = 0: the truth itself). */
  recordModel(t: MetricTable, slot: number, n: number): void {
    if (n === 0) this.record(t, slot, this.b.truth, this.K0, null);
    else this.record(t, slot, this.em.fit, this.K, this.last);
  }

  /** mixtureStats of a mixture laid out in kernel memory. */
  private mixtureStats(mix: number, K: number) {
    return mixtureStats(this.arena.f64(mix, K * (1 + this.d + this.d * this.d)), K, this.d);
  }

  /** Metrics of mixture `mix` (K components) against the truth; `fit` is null for generation 0. */
  private record(values: MetricTable, slot: number, mix: number, K: number, fit: FitResult | null): void {
    const { k, d, c, b } = this;
    const s = this.mixtureStats(mix, K);
    let stdMean = 0;
    let minWeight = Infinity;
    s.stds.forEach((sd, j) => {
      stdMean += s.weights[j] * sd;
      if (s.weights[j] < minWeight) minWeight = s.weights[j];
    });
    let meanErr = 0;
    for (let a = 0; a < d; a++) {
      const e = s.mean[a] - this.trueMean[a];
      meanErr += e * e;
    }
    const r2 = c.coverRadius * c.coverRadius;
    let covered = 0;
    for (const mu of c.mixture.means) {
      const hit = s.means.some((mj, j) => {
        if (!(s.weights[j] > c.coverWeight)) return false;
        let q = 0;
        for (let a = 0; a < d; a++) q += (mj[a] - mu[a]) * (mj[a] - mu[a]);
        return q <= r2;
      });
      if (hit) covered++;
    }
    values.set('l2sq', slot, k.gmmL2Sq(b.truth, this.K0, mix, K, d, b.work));
    values.set('stdMean', slot, stdMean);
    values.set('stdMin', slot, s.stds.reduce((a, x) => Math.min(a, x), Infinity));
    values.set('stdMax', slot, s.stds.reduce((a, x) => Math.max(a, x), -Infinity));
    values.set('minWeight', slot, minWeight);
    values.set('holdoutLogLik', slot, k.gmmScore(b.held, c.holdout, c.holdout, d, K, mix, b.lse, b.work));
    // gmmScore left each held-out point's log-likelihood in lse; the truth's 1% level is set at n = 0
    const logLik = this.arena.f64(b.lse, c.holdout);
    if (fit === null) this.tailLevel = tailLevel(logLik);
    values.set('tailShare', slot, shareBelow(logLik, this.tailLevel));
    values.set('modesCovered', slot, covered);
    values.set('emIterations', slot, fit ? fit.iterations : NaN);
    values.set('converged', slot, fit ? (fit.converged ? 1 : 0) : NaN);
    // the training set of the fit is still in place here (recorded before the next build)
    const t = this.data.train;
    values.set('trainLogLik', slot, fit ? this.em.trainLogLik(t.ptr, t.ld, t.n) : NaN);
    values.set('mixVar', slot, s.mixVar);
    values.set('mixMeanSqError', slot, meanErr);
    if (values.keepsParams) {
      const p = this.arena.f64(mix, K * (1 + d + d * d));
      const covs = Array.from({ length: K }, (_, j) => Array.from(p.subarray(K + K * d + j * d * d, K + K * d + (j + 1) * d * d)));
      values.setParams(slot, { weights: s.weights, means: s.means, covs });
    }
  }
}

/**
 * Weighted means, per-component stds and the mixture's own mean and
 * per-dimension variance (host + - * / sqrt only), of K components laid out
 * as the kernels hold them: weights, means, covariances row-major. The run
 * header's facts come from it, so a header's are checked against it.
 */
export function mixtureStats(p: Float64Array, K: number, d: number) {
  const mean = new Array(d).fill(0);
  for (let j = 0; j < K; j++) for (let a = 0; a < d; a++) mean[a] += p[j] * p[K + j * d + a];
  const stds: number[] = [];
  let mixVar = 0;
  for (let j = 0; j < K; j++) {
    let tr = 0;
    let spread = 0;
    for (let a = 0; a < d; a++) {
      tr += p[K + K * d + j * d * d + a * d + a];
      const dm = p[K + j * d + a] - mean[a];
      spread += dm * dm;
    }
    stds.push(Math.sqrt(tr / d));
    mixVar += p[j] * (tr + spread);
  }
  return { mean, stds, mixVar: mixVar / d, weights: Array.from(p.subarray(0, K)), means: Array.from({ length: K }, (_, j) => Array.from(p.subarray(K + j * d, K + (j + 1) * d))) };
}
