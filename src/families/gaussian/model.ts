// The Gaussian model (Shumailov et al. 2024, SI 3.1): generation 0 is real
// data from N(mu_0, Sigma_0); model n is the mean and covariance fitted to
// generation n-1's training set; its samples are drawn from N(mu, lambda Sigma).
// Every loop over samples is one kernel call; this file only sequences them.
import type { KernelExports } from '../../kernels/abi.js';
import { UsageError } from '../../util/errors.js';
import type { Arena } from '../../kernels/arena.js';
import type { ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import { PointData, type PointSource } from '../../chain/point-data.js';
import { inOrder, type MaybeAsync } from '../../chain/policies.js';
import type { GaussianBuffers } from './layout.js';
import type { GaussianConfig, GaussianMetric } from './types.js';
import { sortedQuantile } from '../../util/stats.js';
import { perSlice, sliced, sortSliced } from '../../chain/slices.js';

/** Work counted per point of a sort (sortSliced: about 1.5 steps of 4 log2 n), up to 10^7 points, for the short path of recordData. */
const SORT_POINT_COST = 6 * 24;

/** The tail mass is recorded when the kernel brackets it this closely (Ruben's series, Chernoff, or the inversion; else null). */
export const TAIL_MASS_MAX_ERROR = 1e-9;

/**
 * Points, and under `accumulate` a pool kept as statistics, not points: the
 * fit of all data so far merges per-generation means and scatters (Chan et
 * al. 1979), so a generation costs O(M), not O(all data).
 */
class GaussianData extends PointData {
  poolN = 0;
  /** Under accumulate the pool is statistics (below); otherwise points. */
  readonly pooled: boolean;

  constructor(
    arena: Arena,
    private readonly bufs: GaussianBuffers,
    rng: number,
    source: PointSource,
    private readonly d: number,
    policy: string,
  ) {
    super(arena, bufs.points, rng, source);
    this.pooled = policy === 'accumulate';
  }

  /** Under accumulate the real data's statistics are computed where they can pause (GaussianModel.drawRealData). */
  override poolReal(): void {
    if (!this.pooled) return super.poolReal();
    this.poolN = this.real.n;
  }

  override poolSynthetic(m: number): MaybeAsync {
    if (!this.pooled) return super.poolSynthetic(m);
    const b = this.bufs;
    this.startTraining();
    return inOrder(
      () => this.addSynthetic(m),
      () => this.scatter(this.train.ptr, this.train.ld, m, b.genMean, b.genScatter),
      () => {
        this.k.gaussianMerge(this.poolN, b.poolMean, b.poolScatter, m, b.genMean, b.genScatter, this.d, b.delta);
        this.poolN += m;
      },
    );
  }

  /**
   * Mean and scatter of n points. A large scatter is computed a few rows per
   * kernel call (each entry is one centred dot product: the same bits), with
   * a chance for the event loop in between.
   */
  scatter(ptr: number, ld: number, n: number, mean: number, scatter: number): MaybeAsync {
    const { k, d } = this;
    const rows = Math.max(1, Math.floor(PointData.sliceWork / (n * d)));
    if (rows >= d || !this.pace) return k.gaussianScatter(ptr, ld, n, d, mean, scatter);
    k.gaussianMean(ptr, ld, n, d, mean);
    return (async () => {
      for (let a = 0; a < d; a += rows) {
        k.gaussianScatterRows(ptr, ld, n, d, mean, scatter, a, Math.min(d, a + rows));
        const p = this.pace!();
        if (p) await p;
      }
    })();
  }

  override trainOnPool(): void {
    if (!this.pooled) super.trainOnPool();
  }
}

/** The metrics a run records (the family's `metrics`): mu and the empirical W2 in 1-D only. */
export function gaussianMetrics(c: GaussianConfig): readonly GaussianMetric[] {
  const all: GaussianMetric[] = ['sigma', 'meanSqError', 'traceRatio', 'logDetRatio', 'marginalVariance', 'w2sq', 'tailMass', 'sampleQ01', 'sampleQ99'];
  return c.dim === 1 ? ['mu', ...all, 'w2sqEmpirical'] : all;
}

export class GaussianModel implements ModelAdapter {
  readonly metrics: readonly GaussianMetric[];
  readonly facts: Record<string, unknown>;
  readonly data: GaussianData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  private readonly d: number;
  private readonly ddof: number;
  private readonly trace0: number;
  private readonly logDet0: number;
  private readonly tailThreshold: number;

  constructor(
    private readonly arena: Arena,
    private readonly c: GaussianConfig,
    private readonly b: GaussianBuffers,
    gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    const d = (this.d = c.dim);
    const dd = d * d;
    this.ddof = c.estimator === 'unbiased' ? 1 : 0;
    this.generationCost = c.samples * d;
    this.metrics = gaussianMetrics(c);
    const scale = Math.sqrt(c.bias);
    const source: PointSource = {
      sample: (ptr, ld, n) => k.gaussianSample(gen.rng, b.mean, b.l, d, scale, b.z, ptr, ld, n),
      drawReal: (ptr, ld, n) => k.gaussianSample(gen.rng, b.mean0, b.l0, d, 1.0, b.z, ptr, ld, n),
      pointCost: d * d + 16, // d normals and the triangular product
    };
    this.data = new GaussianData(arena, b, gen.rng, source, d, c.policy);

    arena.f64(b.mean0, d).set(c.mu0);
    arena.f64(b.cov0, dd).set(c.cov0);
    // validation checked positive definiteness on the host; the kernel agrees up to rounding
    if (k.choleskyPsd(b.cov0, d, b.l0) !== 0) throw new UsageError('--cov0/--sigma0: the original covariance is singular in double precision (a zero Cholesky pivot); give a better-conditioned one');
    k.gaussianMetrics(b.mean0, b.cov0, b.l0, b.mean0, b.cov0, b.l0, d, b.work, b.out);
    const o = arena.f64(b.out, 4);
    this.trace0 = o[1];
    this.logDet0 = o[2];
    arena.f64(b.work, dd).set(c.cov0);
    k.jacobiEigenvalues(b.work, d);
    const w = arena.f64(b.work, dd);
    // the original's central 99%: |x - mu_0| <= z_0.995 sigma_0 in 1-D (t = z^2),
    // (x - mu_0)^T Sigma_0^-1 (x - mu_0) <= chi2_(d, 0.99) in d-D, computed in the kernels
    this.tailThreshold = k.chiSquareUpperQuantile(d, 0.01);
    this.facts = { sigma0Eigenvalues: Array.from({ length: d }, (_, i) => w[i * d + i]), tailThreshold: this.tailThreshold };
  }

  drawRealData(): MaybeAsync {
    const { data, b } = this;
    const { real } = data;
    return inOrder(
      () => data.drawRealData(),
      // accumulate: the pool's statistics start from the real data's (policy.init's poolReal counts them)
      () => (data.pooled ? data.scatter(real.ptr, real.ld, real.n, b.poolMean, b.poolScatter) : undefined),
      () => {
        if (this.d !== 1) return;
        this.f64().copyWithin(b.realSorted >> 3, real.ptr >> 3, (real.ptr >> 3) + real.n);
        return sortSliced(this.k, b.realSorted, real.n, PointData.sliceWork, data.pace);
      },
    );
  }

  fit(n: number, ctx: StepContext): MaybeAsync {
    const { k, d, b, c, data } = this;
    const train = data.train;
    if (data.pooled) {
      this.f64().copyWithin(b.mean >> 3, b.poolMean >> 3, (b.poolMean >> 3) + d);
      k.covarianceFromScatter(b.poolScatter, d, data.poolN - this.ddof, b.cov);
      return this.factor(n, ctx);
    }
    if (c.realWeight !== null && n > 1) {
      // fresh with --real-weight: fit the real part [0, kReal) and the
      // synthetic part [kReal, n) apart, then blend the two estimates
      const kReal = Math.round(c.realFraction * train.n);
      return inOrder(
        () => data.scatter(train.ptr, train.ld, kReal, b.partMean, b.partScatter),
        () => k.covarianceFromScatter(b.partScatter, d, kReal - this.ddof, b.partCov),
        () => data.scatter(train.ptr + 8 * kReal, train.ld, train.n - kReal, b.mean, b.scatter),
        () => {
          k.covarianceFromScatter(b.scatter, d, train.n - kReal - this.ddof, b.cov);
          k.gaussianBlend(c.realWeight!, b.partMean, b.partCov, b.mean, b.cov, d, b.mean, b.cov);
          this.factor(n, ctx);
        },
      );
    }
    return inOrder(
      () => data.scatter(train.ptr, train.ld, train.n, b.mean, b.scatter),
      () => {
        k.covarianceFromScatter(b.scatter, d, train.n - this.ddof, b.cov);
        this.factor(n, ctx);
      },
    );
  }

  /** The Cholesky factor of the fitted covariance (for sampling), and the fit into the digest. */
  private factor(n: number, ctx: StepContext): void {
    const { k, d, b } = this;
    const zeros = k.choleskyPsd(b.cov, d, b.l);
    if (zeros > 0) ctx.event(zeros === d ? 'zero-variance' : 'singular-covariance', n, d - zeros);
    // views of the fit, made again only when the memory was replaced (a new
    // typed array per generation would cost more than a small generation)
    let v = this.fitViews;
    if (!v || v[0].buffer !== this.arena.backend.buffer()) v = this.fitViews = [this.arena.f64(b.mean, d), this.arena.f64(b.cov, d * d)];
    ctx.hash(v[0]);
    ctx.hash(v[1]);
  }

  private fitViews: [Float64Array, Float64Array] | undefined;

  /** Metrics of model n (n = 0: the original distribution). */
  recordModel(t: MetricTable, slot: number, n: number): void {
    const { k, d, b } = this;
    const [mean, cov, l] = n === 0 ? [b.mean0, b.cov0, b.l0] : [b.mean, b.cov, b.l];
    k.gaussianMetrics(mean, cov, l, b.mean0, b.cov0, b.l0, d, b.work, b.out);
    const o = this.arena.f64(b.out, 4);
    const msq = o[0];
    const tr = o[1];
    t.set('sigma', slot, Math.sqrt(tr / d));
    t.set('meanSqError', slot, msq);
    t.set('traceRatio', slot, tr / this.trace0);
    t.set('logDetRatio', slot, o[2] - this.logDet0);
    t.set('marginalVariance', slot, (tr + msq) / d);
    t.set('w2sq', slot, o[3]);
    if (d === 1) t.set('mu', slot, this.arena.f64(mean, 1)[0]);
    k.gaussianTailMass(mean, cov, b.mean0, b.l0, d, this.tailThreshold, b.tailWork, b.tailSeries, b.tailOut);
    const tail = this.arena.f64(b.tailOut, 3);
    // neither Ruben's series nor the inversion bracketed the mass within its
    // term budget (eigenvalues of B spread far, one large): no value rather than a rough one
    t.set('tailMass', slot, tail[1] <= TAIL_MASS_MAX_ERROR ? tail[0] : NaN);
    if (t.keepsParams) t.setParams(slot, { mean: Array.from(this.arena.f64(mean, d)), cov: Array.from(this.arena.f64(cov, d * d)) });
  }

  /**
   * The 1% and 99% quantiles of generation n's samples (n = 0: the real
   * data): of the points in 1-D, of their squared Mahalanobis distances to
   * the original, (x - mu_0)^T Sigma_0^-1 (x - mu_0), in d-D. 1-D also: W2^2
   * between the samples and the real data. Many samples: the distances a
   * slice of points per kernel call (each point's on its own) and the sort a
   * range of its steps per call (the same steps), with the event loop let in between.
   */
  recordData(t: MetricTable, slot: number): MaybeAsync {
    const { k, b, d } = this;
    const s = this.data.synthetic;
    const pace = this.data.pace;
    const work = PointData.sliceWork;
    const quantiles = () => {
      const sorted = this.arena.f64(b.sortScratch, s.n);
      t.set('sampleQ01', slot, sortedQuantile(sorted, s.n, 0.01));
      t.set('sampleQ99', slot, sortedQuantile(sorted, s.n, 0.99));
      if (d === 1) t.set('w2sqEmpirical', slot, k.w2SqSorted(b.realSorted, this.c.samples, b.sortScratch, s.n));
    };
    const distances = () => {
      if (d === 1) return void this.f64().copyWithin(b.sortScratch >> 3, s.ptr >> 3, (s.ptr >> 3) + s.n);
      return sliced(s.n, perSlice(work, d * d + 16), pace, (from, count) => k.mahalanobisSq(s.ptr + 8 * from, s.ld, count, d, b.mean0, b.l0, b.z, b.sortScratch + 8 * from));
    };
    if (s.n * (d * d + 16 + SORT_POINT_COST) <= work || !pace) {
      // a short pass (most generations): the calls at once, without the slices' promises
      distances();
      k.sortF64(b.sortScratch, s.n);
      return quantiles();
    }
    return inOrder(distances, () => sortSliced(k, b.sortScratch, s.n, work, pace), quantiles);
  }

  private f64(): Float64Array {
    return this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
  }
}
