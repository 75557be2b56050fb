// The KDE model (Kazdan et al. 2024): the model of generation t is the
// Gaussian KDE of its training set T_t with bandwidth h_t; it draws the
// samples from which the data policy builds T_{t+1}. The metrics of
// generation t describe T_t and its KDE, and (W2, 1-D) the generation's
// synthetic samples. Every loop over points is one kernel call.
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { MaybeAsync, ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import { PointData, type Block } from '../../chain/point-data.js';
import { inOrder } from '../../chain/policies.js';
import { sortSliced } from '../../chain/slices.js';
import { shareBelow, tailLevel } from '../../util/stats.js';
import { drawData, mixtureOf, mixtureTable, trueVariance } from './datasets.js';
import type { KdeBuffers } from './layout.js';
import type { KdeMetric } from './theory.js';
import type { BandwidthRule, KdeConfig } from './types.js';
import { PARAMS_KDE_CENTRES, type ModelParams } from '../../results/types.js';

const RULE_CODE: Record<BandwidthRule, number> = { scott: 0, silverman: 1 }; // kdeBandwidthFactor's `rule`

/** The metrics a run records (the family's `metrics`): W2 to the truth in 1-D only. */
export const kdeMetrics = (c: KdeConfig): readonly KdeMetric[] => (c.dim === 1 ? ['nll', 'tailShare', 'variance', 'bandwidth', 'w2sq'] : ['nll', 'tailShare', 'variance', 'bandwidth']);

export class KdeModel implements ModelAdapter {
  /**
   * Kernel evaluations per call when scoring the held-out points: a larger
   * scoring pass is split into calls on slices of the held-out points (each
   * point's log-density is independent and the mean is summed once, so the
   * bits are the same), and the event loop runs between them.
   */
  static scoreSlice = 1 << 22;
  readonly metrics: readonly KdeMetric[];
  readonly facts: Record<string, unknown>;
  readonly data: PointData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  private readonly d: number;
  /** The bandwidth of the current training set's KDE, and of the real data's (fixed and frozen). */
  private h = 0;
  private fixedH = 0;
  /** The KDE that draws the next samples: its points and bandwidth, fixed when it was fitted. */
  private model: Block = { ptr: 0, ld: 0, n: 0 };
  private modelH = 0;

  constructor(
    private readonly arena: Arena,
    private readonly c: KdeConfig,
    private readonly b: KdeBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    const d = (this.d = c.dim);
    this.generationCost = c.samples * d;
    this.metrics = kdeMetrics(c);
    const mix = mixtureOf(c);
    if (mix) arena.f64(b.table, mix.length * (2 + d)).set(mixtureTable(mix, d));
    const components = mix?.length ?? 0;
    this.data = new PointData(arena, b.points, gen.rng, {
      sample: (ptr, ld, count) => k.kdeSample(gen.rng, this.model.ptr, this.model.ld, this.model.n, d, this.modelH, ptr, ld, count),
      drawReal: (ptr, ld, count) => drawData(k, gen.rng, c, b.table, components, ptr, ld, count),
      pointCost: d + 16, // a point and d normals
    });
    this.facts = { trueVariance: trueVariance(c) };
  }

  private ruleBandwidth(x: Block): number {
    return this.k.kdeBandwidth(x.ptr, x.ld, x.n, this.d, RULE_CODE[this.c.bandwidth as BandwidthRule]);
  }

  /** Generation 0: n real points, then the m held-out points. */
  drawRealData(): MaybeAsync {
    const { k, b, c } = this;
    const real = this.data.real;
    return inOrder(
      () => this.data.drawRealData(),
      () => drawData(k, this.gen.rng, c, b.table, mixtureOf(c)?.length ?? 0, b.holdout, c.holdout, c.holdout),
      () => {
        if (this.d !== 1) return;
        this.f64().copyWithin(b.realSorted >> 3, real.ptr >> 3, (real.ptr >> 3) + real.n);
        // a sort of 10^7 points takes seconds: a range of its steps per call, Ctrl-C heard between
        return sortSliced(k, b.realSorted, real.n, KdeModel.scoreSlice, this.data.pace);
      },
      () => void (this.fixedH = c.bandwidthMode === 'fixed' ? (c.bandwidth as number) : this.ruleBandwidth(real)),
    );
  }

  /** The KDE of generation n-1's training set draws generation n's samples. */
  fit(): void {
    this.model = { ...this.data.train };
    this.modelH = this.h;
  }

  /** Generation n's training set is built: its bandwidth, and both in the digest (n >= 1). */
  built(n: number, ctx: StepContext): void {
    const { c, data } = this;
    const h = n > 0 && c.bandwidthMode === 'recompute' ? this.ruleBandwidth(data.train) : this.fixedH;
    this.h = h;
    if (n === 0) return;
    if (!(h < Infinity)) {
      // only a recomputed bandwidth can get here: the variance left the doubles
      ctx.event('overflow', n);
      ctx.stop('missing');
      return;
    }
    // a recomputed bandwidth of 0: every point is the same, and stays so (NLL +Infinity, reported as null)
    if (h === 0) ctx.event('collapsed', n);
    ctx.hash(new Float64Array([h]));
    const f = this.f64();
    if (data.train === data.pool) {
      // accumulate: the points this generation added to the pool
      const s = data.synthetic;
      for (let a = 0; a < this.d; a++) ctx.hash(f.subarray((s.ptr >> 3) + a * s.ld, (s.ptr >> 3) + a * s.ld + s.n));
    } else {
      ctx.hash(f.subarray(data.train.ptr >> 3, (data.train.ptr >> 3) + this.d * data.train.n));
    }
  }

  /**
   * Metrics of generation n's training set and its KDE, and (1-D) W2^2
   * between the generation's synthetic samples and the real data.
   */
  recordData(t: MetricTable, slot: number, n: number, ctx: StepContext): MaybeAsync {
    const { k, d, b, c } = this;
    const x = this.data.train;
    t.set('variance', slot, k.kdeVariance(x.ptr, x.ld, x.n, d));
    t.set('bandwidth', slot, this.h);
    if (t.keepsParams) t.setParams(slot, this.params(x));
    if (d !== 1) return this.score(t, slot, n, ctx);
    const s = this.data.synthetic;
    this.f64().copyWithin(b.sortScratch >> 3, s.ptr >> 3, (s.ptr >> 3) + s.n);
    return inOrder(
      () => sortSliced(k, b.sortScratch, s.n, KdeModel.scoreSlice, ctx.yieldIfDue),
      () => void t.set('w2sq', slot, k.w2SqSorted(b.realSorted, c.samples, b.sortScratch, s.n)),
      () => this.score(t, slot, n, ctx),
    );
  }

  /** The held-out points' log-densities under this generation's KDE: nll and tailShare. */
  private score(t: MetricTable, slot: number, n: number, ctx: StepContext): MaybeAsync {
    const { k, d, b, c } = this;
    const x = this.data.train;
    const slice = Math.max(1, Math.floor(KdeModel.scoreSlice / (x.n * d)));
    if (slice >= c.holdout) {
      this.setNll(t, slot, n, ctx, k.kdeLogDensity(x.ptr, x.ld, x.n, d, this.h, b.holdout, c.holdout, c.holdout, b.logDensity));
      this.recordTail(t, slot, n);
      return;
    }
    return this.scoreInSlices(t, slot, n, ctx, slice);
  }

  /**
   * The share of held-out points whose log-density under this generation's
   * KDE is below the 1% quantile of their log-densities under generation 0's
   * KDE (the chain's original model; set at n = 0 for the replicate).
   */
  private recordTail(t: MetricTable, slot: number, n: number): void {
    const logDensity = this.arena.f64(this.b.logDensity, this.c.holdout);
    if (n === 0) this.tailLevel = tailLevel(logDensity);
    t.set('tailShare', slot, shareBelow(logDensity, this.tailLevel));
  }

  private tailLevel = NaN;

  /** `--params`: the bandwidth and the first PARAMS_KDE_CENTRES points of the training set (each d coordinates). */
  private params(x: Block): ModelParams {
    const f = this.f64();
    const m = Math.min(PARAMS_KDE_CENTRES, x.n);
    const centres = Array.from({ length: m }, (_, i) => Array.from({ length: this.d }, (_, a) => f[(x.ptr >> 3) + a * x.ld + i]));
    return { bandwidth: this.h, points: x.n, centres };
  }

  private async scoreInSlices(t: MetricTable, slot: number, n: number, ctx: StepContext, slice: number): Promise<void> {
    const { k, d, b, c } = this;
    const x = this.data.train;
    for (let j = 0; j < c.holdout; j += slice) {
      const count = Math.min(slice, c.holdout - j);
      k.kdeLogDensity(x.ptr, x.ld, x.n, d, this.h, b.holdout + 8 * j, c.holdout, count, b.logDensity + 8 * j);
      const p = ctx.yieldIfDue();
      if (p) await p;
    }
    this.setNll(t, slot, n, ctx, -(k.sum(b.logDensity, c.holdout) / c.holdout));
    this.recordTail(t, slot, n);
  }

  /** The NLL, and why it is +Infinity (reported as null) when a held-out density underflowed with h > 0. */
  private setNll(t: MetricTable, slot: number, n: number, ctx: StepContext, nll: number): void {
    t.set('nll', slot, nll);
    if (!(nll < Infinity) && this.h > 0) ctx.event('density-underflow', n);
  }

  private f64(): Float64Array {
    return this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
  }
}
