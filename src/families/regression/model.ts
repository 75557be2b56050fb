// The linear-regression model (Gerstgrasser et al. 2024, the linear model):
// a fixed design X (T x d, standard normal rows) and true weights w*;
// generation 0's labels are y_0 = X w* + eps. Model n is OLS fitted to
// generation n-1's training set; generation n's labels are y_n = X w_n + eps_n.
// A data point is a row with its label, so the training set is T labels on
// the design (or, after accumulate-subsample, T picked (label, row) pairs).
// Every pass over the design runs in slices of rows or of output entries
// when long (RegressionModel.callWork), with the bits of one call.
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import { inOrder, type MaybeAsync, type TrainingData } from '../../chain/policies.js';
import { perSlice, sliced } from '../../chain/slices.js';
import type { RegressionBuffers } from './layout.js';
import type { RegressionConfig, RegressionMetric } from './types.js';

const REGRESSION_METRICS: readonly RegressionMetric[] = ['weightErrorSq', 'testError', 'stepSq'];

/** The metrics a run records (the family's `metrics`). */
export const regressionMetrics = (_c: RegressionConfig): readonly RegressionMetric[] => REGRESSION_METRICS;

/** The policy verbs over labels on the fixed design. */
class LabelData implements TrainingData {
  /** Labels of the current training set, one per design row. */
  train = 0;
  /** The training set is T picked (label, row) pairs (accumulate-subsample), not the design's rows. */
  picked = false;
  /** (label, row) pairs in the pool. */
  poolN = 0;
  private filled = 0;
  private pendingReal = 0;
  private readonly t: number;
  private readonly d: number;
  private readonly sigma: number;
  pace?: () => MaybeAsync;

  constructor(
    private readonly k: KernelExports,
    private readonly b: RegressionBuffers,
    private readonly rng: number,
    c: RegressionConfig,
  ) {
    this.t = c.points;
    this.d = c.dim;
    this.sigma = Math.sqrt(c.noise);
  }

  startTraining(): void {
    this.filled = this.pendingReal = 0;
    this.train = this.b.y;
  }

  /** mix: the rows keeping their real labels are drawn with the synthetic labels, in one kernel (below). */
  addRealSubsample(k: number): void {
    this.pendingReal = k;
  }

  /**
   * Labels of the n design rows from `row` on under weights w, into y:
   * regressionLabels, a slice of rows per call when long (it goes row after
   * row, products then noise, so the bits are the same).
   */
  labels(row: number, n: number, w: number, y: number): MaybeAsync {
    const { b, t, d } = this;
    if (n * (d + 16) <= RegressionModel.callWork) return this.k.regressionLabels(this.rng, b.x + 8 * row, t, n, d, w, this.sigma, y);
    return sliced(n, perSlice(RegressionModel.callWork, d + 16), this.pace, (from, count) => this.k.regressionLabels(this.rng, b.x + 8 * (row + from), t, count, d, w, this.sigma, y + 8 * from));
  }

  addFreshReal(k: number): MaybeAsync {
    this.filled = k;
    return this.labels(0, k, this.b.wStar, this.b.y);
  }

  addSynthetic(k: number): MaybeAsync {
    const { b, t } = this;
    const filled = this.filled;
    this.filled += k;
    if (!this.pendingReal) return this.labels(filled, k, b.w, b.y + 8 * filled);
    // regressionMixLabels in its three steps: the real rows' indices first, then every row's label, then the real labels back
    const real = this.pendingReal;
    this.k.regressionMixRows(this.rng, t, real, b.index);
    const p = this.labels(0, t, b.w, b.y);
    if (!p) return this.k.regressionKeepReal(b.yReal, real, b.index, b.y);
    return p.then(() => this.k.regressionKeepReal(b.yReal, real, b.index, b.y));
  }

  /** k of the poolN (label, row) pairs, without replacement; their design rows are gathered by the fit. */
  addPoolSubsample(k: number): void {
    const { b, t } = this;
    this.k.subsample(this.rng, b.pool, b.cap, this.poolN, 2, k, b.picked, t, b.index);
    this.picked = true;
  }

  poolReal(): void {
    if (!this.b.cap) return; // accumulate pools sums of X^T y instead (see fit)
    this.poolN = this.t;
  }

  poolSynthetic(k: number): MaybeAsync {
    const { b } = this;
    const dst = b.cap ? b.pool + 8 * this.poolN : b.y;
    const added = () => {
      if (b.cap) this.poolN += k;
      else this.train = b.y;
    };
    const p = this.labels(0, k, b.w, dst);
    if (!p) return added();
    return p.then(added);
  }

  trainOnPool(): void {}
}

export class RegressionModel implements ModelAdapter {
  /**
   * Work per kernel call (multiply-adds; a normal draw counts 16) before a
   * pass is split: the design's draw into slices of normals, labels and the
   * design rows gathered into slices of rows, X^T X and X^T y into ranges of
   * their entries (each one whole dot product), the test error into slices
   * of test points, with the event loop let in between. The kernels go draw
   * after draw, row after row and entry by entry, so the bits do not depend
   * on it. Tests set it small.
   */
  static callWork = 1 << 24;
  readonly metrics = REGRESSION_METRICS;
  readonly facts: Record<string, unknown> = {};
  readonly data: LabelData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  /** Zero pivots of the last Gram factor (0 = full column rank). */
  private zeros = 0;

  constructor(
    private readonly arena: Arena,
    private readonly c: RegressionConfig,
    private readonly b: RegressionBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    this.k = arena.backend.kernels;
    this.generationCost = c.points * c.dim;
    this.data = new LabelData(this.k, b, gen.rng, c);
    if (b.cap) {
      // second pool column: pair j is design row j mod T (the pool holds
      // generation g's labels at j = g T + i); it never changes
      const rows = arena.f64(b.pool + 8 * b.cap, b.cap);
      for (let j = 0; j < b.cap; j++) rows[j] = j % c.points;
    }
  }

  /** n standard normals at ptr (fillNormal, a slice of draws per call when long: the same stream). */
  private normals(ptr: number, n: number): MaybeAsync {
    return sliced(n, perSlice(RegressionModel.callWork, 16), this.data.pace, (from, count) => this.k.fillNormal(this.gen.rng, ptr + 8 * from, count, 0, 1));
  }

  /** The Gram matrix of the T rows of design x (leading dimension T) and its factor (olsGram): a range of entries per call when long. */
  private gram(x: number): MaybeAsync {
    const { k, b, c } = this;
    const d = c.dim;
    const t = c.points;
    return inOrder(
      () => sliced((d * (d + 1)) / 2, perSlice(RegressionModel.callWork, t), this.data.pace, (from, count) => k.olsGramEntries(x, t, t, d, b.gram, from, from + count)),
      () => void (this.zeros = k.choleskyPsd(b.gram, d, b.l)),
    );
  }

  /** rhs = X^T y for design x (leading dimension T): a range of entries per call when long. */
  private cross(x: number, y: number): MaybeAsync {
    const { k, b, c } = this;
    const t = c.points;
    return sliced(c.dim, perSlice(RegressionModel.callWork, t), this.data.pace, (from, count) => k.olsCrossRows(x, t, t, y, b.rhs, from, from + count));
  }

  /** Per replicate, in this order: design, test points, w*, real labels. */
  drawRealData(): MaybeAsync {
    const { k, b, c } = this;
    const d = c.dim;
    const t = c.points;
    const rng = this.gen.rng;
    return inOrder(
      () => this.normals(b.x, d * t),
      () => this.normals(b.xt, d * c.testPoints),
      () => {
        // w* = ones still draws its d normals, so that both choices see the same
        // noise: OLS errors are linear in the noise alone, never in w*.
        k.fillNormal(rng, b.wStar, d, 0, 1);
        if (c.wStar === 'ones') this.arena.f64(b.wStar, d).fill(1);
      },
      () => this.data.labels(0, t, b.wStar, b.yReal),
      // every policy but accumulate-subsample keeps the design X: factor once
      () => this.gram(b.x),
      () => {
        this.arena.f64(b.rhsSum, d).fill(0);
        if (b.cap) this.arena.f64(b.pool, t).set(this.arena.f64(b.yReal, t));
        // model 0 is the truth; its step is measured from it
        this.arena.f64(b.w, d).set(this.arena.f64(b.wStar, d));
        this.arena.f64(b.wPrev, d).set(this.arena.f64(b.wStar, d));
        Object.assign(this.data, { train: b.yReal, picked: false, poolN: 0 });
      },
    );
  }

  /** Model n: OLS on generation n-1's training set (accumulate: on every label so far, through running sums). */
  fit(n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    const d = c.dim;
    const t = c.points;
    const y = this.data.train;
    this.arena.f64(b.wPrev, d).set(this.arena.f64(b.w, d));
    const done = () => {
      if (this.zeros > 0) ctx.event('rank-deficient', n, d - this.zeros);
      ctx.hash(this.arena.f64(b.w, d));
    };
    const work = RegressionModel.callWork;
    if (!this.data.picked && t * d <= work) {
      // a short fit (most generations): one call, without the slices' promises
      if (c.policy === 'accumulate') k.olsAccumulate(b.x, t, t, d, y, b.l, b.rhsSum, n, b.rhs, b.w);
      else k.olsSolve(b.x, t, t, d, y, b.l, b.rhs, b.w);
      return done();
    }
    if (this.data.picked && (t * d * (d + 1)) / 2 <= work) {
      k.regressionGatherRows(b.x, t, d, b.picked + 8 * t, t, b.xs, t);
      this.zeros = k.olsFit(b.xs, t, t, d, b.picked, b.gram, b.l, b.rhs, b.w);
      return done();
    }
    if (c.policy === 'accumulate') return inOrder(() => this.cross(b.x, y), () => k.olsAccumulateSolve(d, b.l, b.rhsSum, n, b.rhs, b.w), done);
    if (!this.data.picked) return inOrder(() => this.cross(b.x, y), () => k.olsSolveFactored(b.l, d, b.rhs, b.w), done);
    // accumulate-subsample: the picked pairs' design rows, then a whole OLS fit (olsFit) on them
    return inOrder(
      // a gathered element costs a cache miss or more (a row's coordinates lie T doubles apart): counted as 32
      () => sliced(t, perSlice(RegressionModel.callWork, 32 * d), ctx.yieldIfDue, (from, count) => k.regressionGatherRows(b.x, t, d, b.picked + 8 * (t + from), count, b.xs + 8 * from, t)),
      () => this.gram(b.xs),
      () => this.cross(b.xs, b.picked),
      () => k.olsSolveFactored(b.l, d, b.rhs, b.w),
      done,
    );
  }

  /** Metrics of model n's weights against w* and the previous model (n = 0: w* itself). */
  recordModel(t: MetricTable, slot: number, _n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    const nt = c.testPoints;
    const write = () => {
      const o = this.arena.f64(b.out, 3);
      t.set('weightErrorSq', slot, o[0]);
      t.set('testError', slot, o[1]);
      t.set('stepSq', slot, o[2]);
      if (t.keepsParams) t.setParams(slot, { w: Array.from(this.arena.f64(b.w, c.dim)) });
    };
    if (nt * c.dim <= RegressionModel.callWork) {
      k.regressionMetrics(b.w, b.wStar, b.wPrev, c.dim, b.xt, nt, nt, b.work, b.out);
      return write();
    }
    return inOrder(
      () => sliced(nt, perSlice(RegressionModel.callWork, c.dim), ctx.yieldIfDue, (from, count) => k.regressionTestRows(b.w, b.wStar, c.dim, b.xt, nt, from, from + count, b.work)),
      () => k.regressionMetricsFinish(b.w, b.wStar, b.wPrev, c.dim, nt, b.work, b.out),
      write,
    );
  }
}
