// One replicate of the linear-regression recursion (Gerstgrasser et al. 2024,
// the linear model): a fixed design X (T x d, standard normal rows) and true weights w*;
// generation 0's labels are y_0 = X w* + eps. Model n is OLS fitted to
// generation n-1's training set, and generation n's labels are
// y_n = X w_n + eps_n, turned into the next training set by the data policy.
// Every loop over rows is one kernel call; this file only sequences them.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { ReplicateEvent, ReplicateRecord } from '../results/types.js';
import type { RegressionConfig } from '../config/regression.js';
import type { FamilyChain } from '../families/family.js';
import { recordedGenerations } from './generations.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import type { Ticker } from './ticker.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';
import { allocGenerator, layoutBytes, total } from './layout.js';

/** Every metric recorded per generation and replicate. */
export type RegressionMetric = 'weightErrorSq' | 'testError' | 'stepSq';
export const REGRESSION_METRICS: readonly RegressionMetric[] = ['weightErrorSq', 'testError', 'stepSq'];


/**
 * Byte size of every buffer a run lays out, for validation and allocation
 * alike. accumulate-subsample keeps a pool of (label, row) pairs for the data
 * of generations 0..G-1 (generation G's labels would train model G + 1, which
 * is not fitted), as two columns of T G doubles.
 */
export function planRegressionBuffers(c: RegressionConfig) {
  const d = c.dim;
  const t = c.points;
  const poolCapacity = c.policy === 'accumulate-subsample' ? t * c.generations : 0;
  const f64s = {
    params: 2 * d * d + 6 * d + 4, // gram, factor; w*, w, previous w, rhs, running rhs, out
    design: d * t,
    test: d * c.testPoints,
    work: d + c.testPoints,
    labels: 2 * t, // real labels and the training labels
    subsample: poolCapacity ? d * t + 2 * t + 2 * poolCapacity : 0, // training design, picked pairs, pool
  };
  return { bytes: layoutBytes(total(f64s), Math.max(poolCapacity, t), 22), poolCapacity };
}

/** The buffers of a run, laid out once in the arena; replicates reuse them. */
export class RegressionChain implements FamilyChain {
  private readonly k: KernelExports;
  private readonly recorded: number[];
  private readonly sigma: number;
  private readonly cap: number;
  // byte offsets in kernel memory
  private readonly rng: number;
  private readonly key: number;
  private readonly x: number;
  private readonly xt: number;
  private readonly wStar: number;
  private readonly w: number;
  private readonly wPrev: number;
  private readonly gram: number;
  private readonly l: number;
  private readonly rhs: number;
  private readonly rhsSum: number;
  private readonly out: number;
  private readonly work: number;
  private readonly yReal: number;
  private readonly y: number;
  private readonly xs: number;
  private readonly picked: number;
  private readonly pool: number;
  private readonly index: number;
  readonly facts: Record<string, unknown> = {};

  constructor(private readonly arena: Arena, private readonly c: RegressionConfig) {
    this.k = arena.backend.kernels;
    const d = c.dim;
    const t = c.points;
    this.recorded = recordedGenerations(c.generations, c.every);
    this.sigma = Math.sqrt(c.noise);
    this.cap = planRegressionBuffers(c).poolCapacity;
    ({ rng: this.rng, key: this.key } = allocGenerator(arena));
    this.x = arena.allocF64(d * t, 'design');
    this.xt = arena.allocF64(d * c.testPoints, 'test points');
    this.wStar = arena.allocF64(d);
    this.w = arena.allocF64(d);
    this.wPrev = arena.allocF64(d);
    this.gram = arena.allocF64(d * d);
    this.l = arena.allocF64(d * d);
    this.rhs = arena.allocF64(d);
    this.rhsSum = arena.allocF64(d);
    this.out = arena.allocF64(4);
    this.work = arena.allocF64(d + c.testPoints, 'metric scratch');
    this.yReal = arena.allocF64(t);
    this.y = arena.allocF64(t);
    this.xs = this.cap ? arena.allocF64(d * t, 'subsampled design') : 0;
    this.picked = this.cap ? arena.allocF64(2 * t) : 0;
    this.pool = this.cap ? arena.allocF64(2 * this.cap, 'pool of all labels') : 0;
    this.index = arena.allocI32(Math.max(this.cap, t), 'subsampling index');
    if (this.cap) {
      // second pool column: pair j is design row j mod T (the pool holds
      // generation g's labels at j = g T + i); it never changes
      const rows = arena.f64(this.pool + 8 * this.cap, this.cap);
      for (let j = 0; j < this.cap; j++) rows[j] = j % t;
    }
  }

  /**
   * Runs replicate r. `pause` is awaited now and then (about every 100 ms of
   * work) so that the caller can show progress or stop on Ctrl-C.
   */
  async runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord> {
    const { k, c, sigma } = this;
    const d = c.dim;
    const t = c.points;
    const kReal = Math.round(c.realFraction * t);
    const values = new MetricTable(REGRESSION_METRICS, this.recorded.length);
    const events: ReplicateEvent[] = [];
    const hasher = new TrajectoryHasher();
    const wView = () => this.arena.f64(this.w, d);

    seedGenerator(this.arena, this.rng, this.key, replicateKey(c.seed, r));
    // Per replicate, in this order: design, test points, w*, real labels.
    k.fillNormal(this.rng, this.x, d * t, 0, 1);
    k.fillNormal(this.rng, this.xt, d * c.testPoints, 0, 1);
    // w* = ones still draws its d normals, so that both choices see the same
    // noise: OLS errors are linear in the noise alone, never in w*.
    k.fillNormal(this.rng, this.wStar, d, 0, 1);
    if (c.wStar === 'ones') this.arena.f64(this.wStar, d).fill(1);
    k.regressionLabels(this.rng, this.x, t, t, d, this.wStar, sigma, this.yReal);
    // Every policy but accumulate-subsample keeps the design X: factor once.
    let zeros = k.olsGram(this.x, t, t, d, this.gram, this.l);
    this.arena.f64(this.rhsSum, d).fill(0);
    if (this.cap) this.arena.f64(this.pool, t).set(this.arena.f64(this.yReal, t));
    let poolN = t;

    // Model 0 is the truth; its step is measured from it.
    this.arena.f64(this.wPrev, d).set(this.arena.f64(this.wStar, d));
    let slot = 0;
    this.record(values, slot++, this.wStar);

    let train = this.yReal; // labels of generation n-1's training set
    // a generation costs O(T d): look at the clock every generation only when that is large
    const clockMask = d * t >= 4096 ? 0 : 15;
    for (let n = 1; n <= c.generations; n++) {
      // Model n, fitted to generation n-1's training set.
      if (c.policy === 'accumulate') {
        k.olsAccumulate(this.x, t, t, d, train, this.l, this.rhsSum, n, this.rhs, this.w);
      } else if (c.policy === 'accumulate-subsample' && n > 1) {
        zeros = k.olsFit(this.xs, t, t, d, this.picked, this.gram, this.l, this.rhs, this.w);
      } else {
        k.olsSolve(this.x, t, t, d, train, this.l, this.rhs, this.w);
      }
      if (zeros > 0 && !events.length) events.push({ kind: 'rank-deficient', generation: n, rank: d - zeros });

      hasher.add(wView());
      if (this.recorded[slot] === n) this.record(values, slot++, this.w);
      this.arena.f64(this.wPrev, d).set(wView());

      // Generation n's labels, and from them the next training set.
      if (n < c.generations) {
        switch (c.policy) {
          case 'replace':
          case 'accumulate':
            k.regressionLabels(this.rng, this.x, t, t, d, this.w, sigma, this.y);
            train = this.y;
            break;
          case 'accumulate-subsample':
            k.regressionLabels(this.rng, this.x, t, t, d, this.w, sigma, this.pool + 8 * poolN);
            poolN += t;
            // T of the poolN (label, row) pairs, without replacement
            k.subsample(this.rng, this.pool, this.cap, poolN, 2, t, this.picked, t, this.index);
            k.regressionGatherRows(this.x, t, d, this.picked + 8 * t, t, this.xs, t);
            break;
          case 'mix':
            k.regressionMixLabels(this.rng, this.x, t, t, d, this.w, sigma, this.yReal, kReal, this.index, this.y);
            train = this.y;
            break;
          case 'fresh':
            // the first kReal rows get new real labels, the others synthetic ones
            k.regressionLabels(this.rng, this.x, t, kReal, d, this.wStar, sigma, this.y);
            k.regressionLabels(this.rng, this.x + 8 * kReal, t, t - kReal, d, this.w, sigma, this.y + 8 * kReal);
            train = this.y;
            break;
        }
      }
      if ((n & clockMask) === 0 && ticker.due()) await ticker.pause(n);
    }
    return { kind: 'replicate', replicate: r, digest: hasher.digest(), metrics: values.toRecord(), events };
  }

  /** Metrics of the weights at `w` against w* and the previous model. */
  private record(values: MetricTable, slot: number, w: number): void {
    const c = this.c;
    this.k.regressionMetrics(w, this.wStar, this.wPrev, c.dim, this.xt, c.testPoints, c.testPoints, this.work, this.out);
    const o = this.arena.f64(this.out, 3);
    values.set('weightErrorSq', slot, o[0]);
    values.set('testError', slot, o[1]);
    values.set('stepSq', slot, o[2]);
  }
}

