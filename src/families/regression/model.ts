// The linear-regression model (Gerstgrasser et al. 2024, the linear model):
// a fixed design X (T x d, standard normal rows) and true weights w*;
// generation 0's labels are y_0 = X w* + eps. Model n is OLS fitted to
// generation n-1's training set; generation n's labels are y_n = X w_n + eps_n.
// A data point is a row with its label, so the training set is T labels on
// the design (or, after accumulate-subsample, T picked (label, row) pairs).
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import type { TrainingData } from '../../chain/policies.js';
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

  addFreshReal(k: number): void {
    const { b } = this;
    this.k.regressionLabels(this.rng, b.x, this.t, k, this.d, b.wStar, this.sigma, b.y);
    this.filled = k;
  }

  addSynthetic(k: number): void {
    const { b, t, d } = this;
    if (this.pendingReal) {
      // regressionMixLabels draws the real rows' indices first, then every row's noise
      this.k.regressionMixLabels(this.rng, b.x, t, t, d, b.w, this.sigma, b.yReal, this.pendingReal, b.index, b.y);
    } else {
      this.k.regressionLabels(this.rng, b.x + 8 * this.filled, t, k, d, b.w, this.sigma, b.y + 8 * this.filled);
    }
    this.filled += k;
  }

  addPoolSubsample(k: number): void {
    const { b, t } = this;
    // k of the poolN (label, row) pairs, without replacement, and their design rows
    this.k.subsample(this.rng, b.pool, b.cap, this.poolN, 2, k, b.picked, t, b.index);
    this.k.regressionGatherRows(b.x, t, this.d, b.picked + 8 * t, t, b.xs, t);
    this.picked = true;
  }

  poolReal(): void {
    if (!this.b.cap) return; // accumulate pools sums of X^T y instead (see fit)
    this.poolN = this.t;
  }

  poolSynthetic(k: number): void {
    const { b, t, d } = this;
    const dst = b.cap ? b.pool + 8 * this.poolN : b.y;
    this.k.regressionLabels(this.rng, b.x, t, k, d, b.w, this.sigma, dst);
    if (b.cap) this.poolN += k;
    else this.train = b.y;
  }

  trainOnPool(): void {}
}

export class RegressionModel implements ModelAdapter {
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

  /** Per replicate, in this order: design, test points, w*, real labels. */
  drawRealData(): void {
    const { k, b, c } = this;
    const d = c.dim;
    const t = c.points;
    const rng = this.gen.rng;
    k.fillNormal(rng, b.x, d * t, 0, 1);
    k.fillNormal(rng, b.xt, d * c.testPoints, 0, 1);
    // w* = ones still draws its d normals, so that both choices see the same
    // noise: OLS errors are linear in the noise alone, never in w*.
    k.fillNormal(rng, b.wStar, d, 0, 1);
    if (c.wStar === 'ones') this.arena.f64(b.wStar, d).fill(1);
    k.regressionLabels(rng, b.x, t, t, d, b.wStar, Math.sqrt(c.noise), b.yReal);
    // every policy but accumulate-subsample keeps the design X: factor once
    this.zeros = k.olsGram(b.x, t, t, d, b.gram, b.l);
    this.arena.f64(b.rhsSum, d).fill(0);
    if (b.cap) this.arena.f64(b.pool, t).set(this.arena.f64(b.yReal, t));
    // model 0 is the truth; its step is measured from it
    this.arena.f64(b.w, d).set(this.arena.f64(b.wStar, d));
    this.arena.f64(b.wPrev, d).set(this.arena.f64(b.wStar, d));
    Object.assign(this.data, { train: b.yReal, picked: false, poolN: 0 });
  }

  /** Model n: OLS on generation n-1's training set (accumulate: on every label so far, through running sums). */
  fit(n: number, ctx: StepContext): void {
    const { k, b, c } = this;
    const d = c.dim;
    const t = c.points;
    this.arena.f64(b.wPrev, d).set(this.arena.f64(b.w, d));
    if (c.policy === 'accumulate') k.olsAccumulate(b.x, t, t, d, this.data.train, b.l, b.rhsSum, n, b.rhs, b.w);
    else if (this.data.picked) this.zeros = k.olsFit(b.xs, t, t, d, b.picked, b.gram, b.l, b.rhs, b.w);
    else k.olsSolve(b.x, t, t, d, this.data.train, b.l, b.rhs, b.w);
    if (this.zeros > 0) ctx.event('rank-deficient', n, d - this.zeros);
    ctx.hash(this.arena.f64(b.w, d));
  }

  /** Metrics of model n's weights against w* and the previous model (n = 0: w* itself). */
  recordModel(t: MetricTable, slot: number): void {
    const { b, c } = this;
    this.k.regressionMetrics(b.w, b.wStar, b.wPrev, c.dim, b.xt, c.testPoints, c.testPoints, b.work, b.out);
    const o = this.arena.f64(b.out, 3);
    t.set('weightErrorSq', slot, o[0]);
    t.set('testError', slot, o[1]);
    t.set('stepSq', slot, o[2]);
    if (t.keepsParams) t.setParams(slot, { w: Array.from(this.arena.f64(b.w, c.dim)) });
  }
}
