// One replicate of the categorical recursion: generation 0 is M real samples
// from p_0; model n is the plug-in fit (counts / N) of generation n-1's
// training set; generation n's data are M draws from model n, turned into
// the next training set by the data policy. Each generation is one to three
// kernel calls (alias table, draws, subsample); this file only sequences them.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { ReplicateEvent, ReplicateRecord } from '../results/types.js';
import type { CategoricalConfig, CategoricalMetric } from '../config/categorical.js';
import type { FamilyChain } from '../families/family.js';
import { recordedGenerations } from './generations.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import type { Ticker } from './ticker.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';
import { initialProbabilities, tailStates } from './categorical-initial.js';
import { allocGenerator, layoutBytes } from './layout.js';

const OUT = 7; // doubles written by categoricalMetrics

/** Byte size of every buffer a run lays out, for validation and allocation alike. */
export function planCategoricalBuffers(c: CategoricalConfig) {
  const K = c.states;
  const evenK = K + (K & 1);
  // the label pool: all samples so far (accumulate-subsample: generations
  // 0..G-1, which model G is fitted from) or the real sample (mix)
  const labels = c.policy === 'accumulate-subsample' ? c.samples * c.generations : c.policy === 'mix' ? c.samples : 0;
  const f64s = 5 * K + OUT; // p0, log p0, prob, prob0, work; out
  const i32s = evenK + 3 * K + K + labels; // counts, alias, alias0, stack; tail; labels
  return { bytes: layoutBytes(f64s, i32s, 14), labels };
}

/** The buffers of a run, laid out once in the arena; replicates reuse them. */
export class CategoricalChain implements FamilyChain {
  private readonly k: KernelExports;
  private readonly K: number;
  private readonly evenK: number;
  private readonly recorded: number[];
  private readonly kReal: number;
  private readonly tailN: number;
  // byte offsets in kernel memory
  private readonly rng: number;
  private readonly key: number;
  private readonly p0: number;
  private readonly logP0: number;
  private readonly prob: number;
  private readonly alias: number;
  private readonly prob0: number;
  private readonly alias0: number;
  private readonly work: number;
  private readonly stack: number;
  private readonly counts: number;
  private readonly tail: number;
  private readonly labels: number;
  private readonly hasLabels: boolean;
  private readonly out: number;
  readonly facts: Record<string, unknown>;

  constructor(private readonly arena: Arena, private readonly c: CategoricalConfig) {
    const k = (this.k = arena.backend.kernels);
    const K = (this.K = c.states);
    this.evenK = K + (K & 1);
    this.recorded = recordedGenerations(c.generations, c.every);
    this.kReal = c.policy === 'mix' || c.policy === 'fresh' ? Math.round(c.realFraction * c.samples) : 0;
    const plan = planCategoricalBuffers(c);
    ({ rng: this.rng, key: this.key } = allocGenerator(arena));
    this.p0 = arena.allocF64(K, 'p_0');
    this.logP0 = arena.allocF64(K, 'log p_0');
    this.prob = arena.allocF64(K, 'alias table');
    this.prob0 = arena.allocF64(K, 'alias table of p_0');
    this.work = arena.allocF64(K, 'alias scratch');
    this.out = arena.allocF64(OUT);
    this.alias = arena.allocI32(K, 'alias table');
    this.alias0 = arena.allocI32(K, 'alias table of p_0');
    this.stack = arena.allocI32(K, 'alias scratch');
    this.counts = arena.allocI32(this.evenK, 'counts');
    this.tail = arena.allocI32(K, 'tail states');
    this.hasLabels = plan.labels > 0;
    this.labels = this.hasLabels ? arena.allocI32(plan.labels, 'sample labels') : 0;

    // p_0: uniform and given are exact host divisions; Zipf's powers come from
    // the kernel (detmath), so that every backend samples the same p_0.
    if (c.init === 'zipf') k.zipfProbabilities(K, c.zipfA!, c.zipfB!, this.p0);
    else arena.f64(this.p0, K).set(initialProbabilities(c));
    k.logFill(this.p0, this.logP0, K);
    k.aliasFromWeights(this.p0, K, this.prob0, this.alias0, this.work, this.stack);
    // the counts are hashed as f64 pairs: the pad slot of an odd K must be 0
    arena.i32(this.counts, this.evenK).fill(0);
    const tail = tailStates(arena.f64(this.p0, K), c.tailQuantile);
    this.tailN = tail.length;
    arena.i32(this.tail, this.tailN).set(tail);

    k.categoricalMetrics(this.p0, 1, 1.0, this.p0, this.logP0, K, this.tail, this.tailN, this.out);
    const o = arena.f64(this.out, OUT);
    this.facts = { tailStates: this.tailN, tailMass0: o[5], entropy0: o[0], heterozygosity0: o[2] };
  }

  /**
   * Runs replicate r. `pause` is awaited now and then (about every 100 ms of
   * work) so that the caller can show progress or stop on Ctrl-C.
   *
   * The digest is SHA-256 over the fitted model of every generation 1..G, as
   * the bits of its i32 counts (pooled counts under accumulate; K padded to
   * even). With --until-absorbed it covers generations 1..T, T the absorption
   * generation (or G): the later models all equal model T, so they are not
   * simulated; the digest is still a function of the config and seed alone.
   */
  async runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord> {
    const { k, K, c } = this;
    const M = c.samples;
    const names: CategoricalMetric[] = ['entropy', 'survivors', 'heterozygosity', 'totalVariation', 'kl', 'klInfinite', 'tailMass'];
    const values = new MetricTable(names, this.recorded.length);
    const events: ReplicateEvent[] = [];
    // a chunk of about 64 generations: chains of a few states and generations
    // are common, and a full-size chunk per replicate would cost more than they do
    const hasher = new TrajectoryHasher(Math.min(1 << 15, Math.max(256, (this.evenK / 2) * 64)));
    const counts = this.arena.i32(this.counts, K);
    const countBits = this.arena.f64(this.counts, this.evenK / 2);
    const replace = c.policy === 'replace';
    let absorbedAt: number | null = null;
    let absorbingState: number | null = null;

    seedGenerator(this.arena, this.rng, this.key, replicateKey(c.seed, r));
    let slot = 0;
    this.record(values, slot++, this.p0, 1, 1.0);

    let total = M; // sum of the counts: M, or n M for accumulate's pool
    let poolN = 0; // labels in the pool (accumulate-subsample)
    for (let n = 1; n <= c.generations; n++) {
      // The training set of generation n-1, as counts: model n is counts / total.
      let live = 0;
      if (n === 1) live = this.realData(counts);
      else {
        switch (c.policy) {
          case 'replace':
            live = k.categoricalReplaceStep(this.rng, this.counts, K, M, this.prob, this.alias, this.work, this.stack);
            break;
          case 'accumulate':
            k.aliasFromCounts(this.counts, K, this.prob, this.alias, this.work, this.stack);
            k.aliasAddCounts(this.rng, this.prob, this.alias, K, M, this.counts);
            total += M;
            break;
          case 'accumulate-subsample':
            k.aliasFromCounts(this.counts, K, this.prob, this.alias, this.work, this.stack);
            k.aliasDrawLabels(this.rng, this.prob, this.alias, K, M, this.labels + 4 * poolN);
            poolN += M;
            counts.fill(0);
            k.subsampleLabelsAddCounts(this.rng, this.labels, poolN, M, this.counts);
            break;
          case 'mix':
          case 'fresh':
            k.aliasFromCounts(this.counts, K, this.prob, this.alias, this.work, this.stack);
            counts.fill(0);
            if (c.policy === 'mix') k.subsampleLabelsAddCounts(this.rng, this.labels, M, this.kReal, this.counts);
            else k.aliasAddCounts(this.rng, this.prob0, this.alias0, K, this.kReal, this.counts);
            k.aliasAddCounts(this.rng, this.prob, this.alias, K, M - this.kReal, this.counts);
            break;
        }
      }
      if (n === 1 && c.policy === 'accumulate-subsample') poolN = M;
      hasher.add(countBits);
      if (this.recorded[slot] === n) this.record(values, slot++, this.counts, 0, total);

      if (replace && live === 1 && absorbedAt === null) {
        absorbedAt = n;
        absorbingState = counts.findIndex((x) => x > 0);
        if (c.untilAbsorbed) {
          // every later model equals this one: fill the remaining slots with its metrics
          if (slot < this.recorded.length) {
            this.record(values, slot, this.counts, 0, total);
            values.fillFrom(slot);
          }
          break;
        }
      }
      if ((n & 63) === 0 && ticker.due()) await ticker.pause(n);
    }
    if (c.untilAbsorbed && absorbedAt === null) events.push({ kind: 'not-absorbed', generation: c.generations });
    const finals = replace ? { absorptionGeneration: absorbedAt, absorbingState } : undefined;
    return { kind: 'replicate', replicate: r, digest: hasher.digest(), metrics: values.toRecord(), ...(finals ? { finals } : {}), events };
  }

  /** Generation 0: M real samples from p_0, as counts (and as labels where the policy keeps them). Returns the live states. */
  private realData(counts: Int32Array): number {
    const { k, K, c } = this;
    const M = c.samples;
    counts.fill(0);
    if (this.hasLabels) {
      k.aliasDrawLabels(this.rng, this.prob0, this.alias0, K, M, this.labels);
      k.addLabelCounts(this.labels, M, this.counts);
    } else {
      k.aliasAddCounts(this.rng, this.prob0, this.alias0, K, M, this.counts);
    }
    return k.liveStates(this.counts, K);
  }

  /** Metrics of the model w / total (w: counts, or p_0 itself when weightsF64 = 1). */
  private record(values: MetricTable, slot: number, w: number, weightsF64: number, total: number): void {
    this.k.categoricalMetrics(w, weightsF64, total, this.p0, this.logP0, this.K, this.tail, this.tailN, this.out);
    const o = this.arena.f64(this.out, OUT);
    values.set('entropy', slot, o[0]);
    values.set('survivors', slot, o[1]);
    values.set('heterozygosity', slot, o[2]);
    values.set('totalVariation', slot, o[3]);
    values.set('kl', slot, o[4]); // +Infinity becomes null in the record
    values.set('klInfinite', slot, o[4] === Infinity ? 1 : 0);
    values.set('tailMass', slot, o[5]);
  }
}

