// The categorical model (Shumailov et al. 2024, sec. 3.1, the discrete case):
// model n is the plug-in fit counts / N of generation n-1's training set:
// neutral Wright-Fisher drift. The training set is kept as counts (its
// sufficient statistic), and a generation's counts are one multinomial draw
// by conditional binomials, O(K) whatever M. Labels exist only where a
// policy resamples points (mix: the real ones; accumulate-subsample: the
// pool, drawn one by one through an alias table).
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import type { TrainingData } from '../../chain/policies.js';
import { initialProbabilities, tailStates } from './initial.js';
import { METRIC_OUT, spanHashDoubles, type CategoricalBuffers } from './layout.js';
import type { CategoricalConfig, CategoricalMetric } from './types.js';
import type { ModelParams } from '../../results/types.js';

/** The policy verbs over counts (and the label pool). */
class CountData implements TrainingData {
  /** Samples behind the counts: M, or n M for accumulate's pool. */
  total = 0;
  /** The total behind the model's counts (set when it is fitted). */
  modelTotal = 0;
  /** The model's live states (set when it is fitted). */
  modelLive = 0;
  /** Labels in the pool (accumulate-subsample). */
  poolN = 0;
  /**
   * True while every count sits on a state of the live list (set by fit;
   * drawing from the model keeps it, real or pooled labels end it): the next
   * fit then lists the live states from that list, not from all K counts.
   */
  withinModel = false;

  constructor(
    private readonly k: KernelExports,
    private readonly b: CategoricalBuffers,
    private readonly rng: number,
    private readonly K: number,
    /** M, the real sample (its labels are the first of the label buffer). */
    private readonly realN: number,
    /** A view of the counts (memory does not move once laid out). */
    private readonly counts: Int32Array,
    /** accumulate-subsample pools labels; accumulate pools counts. */
    private readonly labelledPool: boolean,
    /** The sum of p_0's entries in state order (the multinomial's total for fresh real data). */
    private readonly p0Total: number,
  ) {}

  startTraining(m: number): void {
    this.counts.fill(0);
    this.total = m;
  }

  addRealSubsample(k: number): void {
    this.withinModel = false;
    this.k.subsampleLabelsAddCounts(this.rng, this.b.labels, this.realN, k, this.b.counts);
  }

  addFreshReal(k: number): void {
    this.withinModel = false;
    this.k.multinomialAddCounts(this.rng, this.b.p0, this.p0Total, this.K, k, this.b.counts);
  }

  addSynthetic(k: number): void {
    this.k.multinomialAddLive(this.rng, this.b.live + 8, this.modelLive, this.modelTotal, k, this.b.counts);
  }

  addPoolSubsample(k: number): void {
    this.withinModel = false;
    this.k.subsampleLabelsAddCounts(this.rng, this.b.labels, this.poolN, k, this.b.counts);
  }

  poolReal(): void {
    // the real labels are the first of the pool; under accumulate the counts are the pool
    this.poolN = this.realN;
  }

  poolSynthetic(k: number): void {
    if (this.labelledPool) {
      this.withinModel = false;
      this.k.aliasDrawLabels(this.rng, this.b.prob, this.b.alias, this.K, k, this.b.labels + 4 * this.poolN);
      this.poolN += k;
    } else {
      this.addSynthetic(k);
      this.total += k;
    }
  }

  trainOnPool(): void {}
}

const CATEGORICAL_METRICS: readonly CategoricalMetric[] = ['entropy', 'survivors', 'heterozygosity', 'totalVariation', 'kl', 'klInfinite', 'tailMass'];

/** The metrics a run records (the family's `metrics`). */
export const categoricalMetrics = (_c: CategoricalConfig): readonly CategoricalMetric[] => CATEGORICAL_METRICS;

export class CategoricalModel implements ModelAdapter {
  readonly metrics = CATEGORICAL_METRICS;
  readonly facts: Record<string, unknown>;
  readonly data: CountData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  private readonly K: number;
  private readonly tailN: number;
  /** The live list (header and (state, count) pairs) as f64 bits, as it enters the digest. */
  private readonly liveBits: Float64Array;
  private absorbedAt: number | null = null;
  private absorbingState: number | null = null;

  constructor(
    private readonly arena: Arena,
    private readonly c: CategoricalConfig,
    private readonly b: CategoricalBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    const K = (this.K = c.states);
    this.generationCost = c.samples + K;
    const p0 = c.init === 'zipf' ? null : initialProbabilities(c);

    // p_0: uniform and given are exact host divisions; Zipf's powers come from
    // the kernel (detmath), so that every backend samples the same p_0.
    if (p0) arena.f64(b.p0, K).set(p0);
    else k.zipfProbabilities(K, c.zipfA!, c.zipfB!, b.p0);
    let p0Total = 0;
    const p0Bits = arena.f64(b.p0, K);
    for (let i = 0; i < K; i++) p0Total += p0Bits[i]; // in state order, as the multinomial spends it
    this.data = new CountData(k, b, gen.rng, K, c.samples, arena.i32(b.counts, K), c.policy === 'accumulate-subsample', p0Total);
    k.logFill(b.p0, b.logP0, K);
    // p_0's alias table draws the real labels, which only mix and accumulate-subsample keep
    if (b.labels) k.aliasFromWeights(b.p0, K, b.prob0, b.alias0, b.work, b.stack);
    arena.i32(b.counts, K).fill(0);
    this.liveBits = arena.f64(b.live, K + 1);
    const tail = tailStates(arena.f64(b.p0, K), c.tailQuantile);
    this.tailN = tail.length;
    arena.i32(b.tail, this.tailN).set(tail);

    k.categoricalMetrics(b.p0, 1, 1.0, b.p0, b.logP0, K, b.tail, this.tailN, b.out);
    const o = arena.f64(b.out, METRIC_OUT);
    this.facts = { tailStates: this.tailN, tailMass0: o[5], entropy0: o[0], heterozygosity0: o[2] };
  }

  /** Generation 0: M real samples from p_0, as counts (and as labels where a policy resamples them). */
  drawRealData(): void {
    const { k, K, b, c } = this;
    this.absorbedAt = this.absorbingState = null;
    this.data.startTraining(c.samples);
    this.data.withinModel = false; // a new replicate: the list is the last one's
    this.data.poolN = 0;
    if (b.labels) {
      k.aliasDrawLabels(this.gen.rng, b.prob0, b.alias0, K, c.samples, b.labels);
      k.addLabelCounts(b.labels, c.samples, b.counts);
    } else {
      this.data.addFreshReal(c.samples);
    }
  }

  /**
   * Model n is the counts of generation n-1's training set: their live states
   * become the multinomial's weights (or an alias table, where labels are
   * drawn) and enter the digest (pooled under accumulate). Under replace one
   * live state is absorption: with --until-absorbed the replicate ends there
   * (every later model is the same).
   */
  fit(n: number, ctx: StepContext): void {
    const { k, K, b, c, data } = this;
    if (c.policy === 'accumulate-subsample') k.aliasFromCounts(b.counts, K, b.prob, b.alias, b.work, b.stack);
    const live = (data.modelLive = data.withinModel ? k.liveCountsIn(b.counts, b.live) : k.liveCounts(b.counts, K, b.live));
    data.modelTotal = data.total;
    data.withinModel = true;
    ctx.hash(this.liveBits.subarray(0, live + 1));
    if (c.policy === 'replace' && live === 1 && this.absorbedAt === null) {
      this.absorbedAt = n;
      this.absorbingState = this.arena.i32(b.live + 8, 1)[0];
      if (c.untilAbsorbed) ctx.stop('repeat');
    }
  }

  /**
   * Generations n..last of `replace` in one kernel call (categoricalReplaceSpan):
   * the same fits, digest bytes and draws as fit and the policy's build one
   * generation at a time. It stops before a generation with one live state
   * until the absorption is noted (by fit), and runs nothing before the
   * counts lie within the live list (generation 1's fit makes that list).
   */
  replaceSpan(n: number, last: number, samples: number, ctx: StepContext): number {
    const { k, b, data } = this;
    if (!data.withinModel) return 0;
    const ran = k.categoricalReplaceSpan(this.gen.rng, b.counts, b.live, data.total, samples, last - n + 1, this.absorbedAt === null ? 1 : 0, b.spanHash, spanHashDoubles(this.K));
    if (ran === 0) return 0;
    const used = this.arena.i32(b.spanHash, 1)[0];
    ctx.hash(this.arena.f64(b.spanHash + 8, used));
    // as the last generation's fit and build leave them
    data.modelLive = this.arena.i32(b.live, 1)[0];
    data.modelTotal = ran > 1 ? samples : data.total;
    data.total = samples;
    return ran;
  }

  /** Metrics of model n = counts / total (n = 0: p_0 itself). */
  recordModel(t: MetricTable, slot: number, n: number): void {
    const { k, K, b } = this;
    if (n === 0) k.categoricalMetrics(b.p0, 1, 1.0, b.p0, b.logP0, K, b.tail, this.tailN, b.out);
    else k.categoricalMetrics(b.counts, 0, this.data.total, b.p0, b.logP0, K, b.tail, this.tailN, b.out);
    const o = this.arena.f64(b.out, METRIC_OUT);
    t.set('entropy', slot, o[0]);
    t.set('survivors', slot, o[1]);
    t.set('heterozygosity', slot, o[2]);
    t.set('totalVariation', slot, o[3]);
    t.set('kl', slot, o[4]); // +Infinity becomes null in the record
    t.set('klInfinite', slot, o[4] === Infinity ? 1 : 0);
    t.set('tailMass', slot, o[5]);
    if (t.keepsParams) t.setParams(slot, this.params(n));
  }

  /** `--params`: the live states of model n and their probabilities (n = 0: p_0's states above 0). */
  private params(n: number): ModelParams {
    const { K, b } = this;
    const weights = n === 0 ? this.arena.f64(b.p0, K) : this.arena.i32(b.counts, K);
    const total = n === 0 ? 1 : this.data.total;
    const states: number[] = [];
    const probs: number[] = [];
    for (let i = 0; i < K; i++) {
      if (weights[i] > 0) {
        states.push(i);
        probs.push(weights[i] / total);
      }
    }
    return { states, probs };
  }

  finish(ctx: StepContext): Record<string, number | null> | undefined {
    if (this.c.untilAbsorbed && this.absorbedAt === null) ctx.event('not-absorbed', this.c.generations);
    return this.c.policy === 'replace' ? { absorptionGeneration: this.absorbedAt, absorbingState: this.absorbingState } : undefined;
  }
}
