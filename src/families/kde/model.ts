// One replicate of the KDE recursion. Generation 0's training set T_0 is n
// real points; the KDE of T_t (its points, with bandwidth h_t) draws
// generation t+1's samples, and the data policy turns them into T_{t+1}.
// The metrics of generation t describe T_t and its KDE, and (W2, 1-D) the
// generation's synthetic samples. Every loop over points is one kernel call;
// this file only sequences them.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { ReplicateEvent, ReplicateRecord } from '../results/types.js';
import type { KdeConfig, BandwidthRule } from '../config/kde.js';
import type { FamilyChain } from '../families/family.js';
import type { KdeMetric } from '../theory/kde.js';
import { recordedGenerations } from './generations.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import type { Ticker } from './ticker.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';
import { drawData, mixtureOf, mixtureTable, trueVariance } from './kde-datasets.js';
import { allocGenerator, layoutBytes, total } from './layout.js';

const MAX_COMPONENTS = 4;
const RULE_CODE: Record<BandwidthRule, number> = { scott: 0, silverman: 1 }; // kdeBandwidthFactor's `rule`

/** Byte size of every buffer a run lays out, for validation and allocation alike. */
export function planKdeBuffers(c: KdeConfig) {
  const d = c.dim;
  const n = c.samples;
  const pooled = c.policy === 'accumulate' || c.policy === 'accumulate-subsample';
  const poolCapacity = pooled ? n * (c.generations + 1) : 0;
  // the largest training set: accumulate's KDE holds every point so far
  const maxTrain = c.policy === 'accumulate' ? poolCapacity : n;
  const f64s = {
    table: MAX_COMPONENTS * (2 + d),
    real: d * n,
    holdout: d * c.holdout,
    trainingSets: c.policy === 'accumulate' ? 0 : 2 * d * n, // two, alternating: T_t is read while T_{t+1} is written
    pool: d * poolCapacity,
    work: maxTrain,
    logDensity: c.holdout,
    sorted: d === 1 ? 2 * n : 0, // the real data and one generation's samples, sorted
  };
  return { bytes: layoutBytes(total(f64s), Math.max(poolCapacity, n), 14), poolCapacity, maxTrain };
}

/** The buffers of a run, laid out once in the arena; replicates reuse them. */
export class KdeChain implements FamilyChain {
  private readonly k: KernelExports;
  private readonly d: number;
  private readonly n: number;
  private readonly m: number;
  private readonly recorded: number[];
  private readonly cap: number;
  private readonly components: number;
  // byte offsets in kernel memory
  private readonly rng: number;
  private readonly key: number;
  private readonly table: number;
  private readonly real: number;
  private readonly holdout: number;
  private readonly bufA: number;
  private readonly bufB: number;
  private readonly pool: number;
  private readonly work: number;
  private readonly logDensity: number;
  private readonly realSorted: number;
  private readonly sortScratch: number;
  private readonly index: number;
  readonly facts: Record<string, unknown>;

  constructor(private readonly arena: Arena, private readonly c: KdeConfig) {
    this.k = arena.backend.kernels;
    const d = (this.d = c.dim);
    const n = (this.n = c.samples);
    const m = (this.m = c.holdout);
    this.recorded = recordedGenerations(c.generations, c.every);
    const plan = planKdeBuffers(c);
    this.cap = plan.poolCapacity;
    const mix = mixtureOf(c);
    this.components = mix?.length ?? 0;
    ({ rng: this.rng, key: this.key } = allocGenerator(arena));
    this.table = arena.allocF64(MAX_COMPONENTS * (2 + d));
    this.real = arena.allocF64(d * n, 'real data');
    this.holdout = arena.allocF64(d * m, 'held-out points');
    const separate = c.policy !== 'accumulate';
    this.bufA = separate ? arena.allocF64(d * n, 'training set') : 0;
    this.bufB = separate ? arena.allocF64(d * n, 'training set') : 0;
    this.pool = this.cap ? arena.allocF64(d * this.cap, 'pool of all samples') : 0;
    this.work = arena.allocF64(plan.maxTrain, 'log-likelihood scratch');
    this.logDensity = arena.allocF64(m);
    this.realSorted = d === 1 ? arena.allocF64(n) : 0;
    this.sortScratch = d === 1 ? arena.allocF64(n, 'sorted samples') : 0;
    this.index = arena.allocI32(Math.max(this.cap, n), 'subsampling index');
    if (mix) arena.f64(this.table, mix.length * (2 + d)).set(mixtureTable(mix, d));
    this.facts = { trueVariance: trueVariance(c) };
  }

  /** Draws `count` points of the true distribution into `out` (leading dimension ld). */
  private drawReal(out: number, ld: number, count: number): void {
    drawData(this.k, this.rng, this.c, this.table, this.components, out, ld, count);
  }

  /** The bandwidth of the KDE of the `count` points at `x`, by the configured rule. */
  private ruleBandwidth(x: number, ld: number, count: number): number {
    return this.k.kdeBandwidth(x, ld, count, this.d, RULE_CODE[this.c.bandwidth as BandwidthRule]);
  }

  /**
   * Runs replicate r. `pause` is awaited about every 100 ms of work so that
   * the caller can show progress or stop on Ctrl-C.
   */
  async runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord> {
    const { k, d, n, c, cap } = this;
    const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
    const at = (ptr: number) => ptr >> 3;

    const names: KdeMetric[] = ['nll', 'variance', 'bandwidth'];
    if (d === 1) names.push('w2sq');
    const values = new MetricTable(names, this.recorded.length);
    const events: ReplicateEvent[] = [];
    const hasher = new TrajectoryHasher();
    const hBits = new Float64Array(1);

    seedGenerator(this.arena, this.rng, this.key, replicateKey(c.seed, r));
    // Generation 0: n real points, then the m held-out points.
    this.drawReal(this.real, n, n);
    this.drawReal(this.holdout, this.m, this.m);
    if (d === 1) {
      f.copyWithin(at(this.realSorted), at(this.real), at(this.real) + n);
      k.sortF64(this.realSorted, n);
    }
    let train = this.real;
    let trainLd = n;
    let trainN = n;
    let poolN = 0;
    if (cap) {
      for (let a = 0; a < d; a++) f.copyWithin(at(this.pool) + a * cap, at(this.real) + a * n, at(this.real) + (a + 1) * n);
      poolN = n;
      if (c.policy === 'accumulate') {
        train = this.pool;
        trainLd = cap;
      }
    }
    const fixedH = c.bandwidthMode === 'fixed' ? (c.bandwidth as number) : this.ruleBandwidth(this.real, n, n);
    let h = fixedH;
    let slot = 0;
    this.record(values, slot++, train, trainLd, trainN, h, this.real, n);
    for (let g = 1; g <= c.generations; g++) {
      // Generation g's samples from the KDE of T_{g-1}, and T_g from them.
      const dst = train === this.bufA ? this.bufB : this.bufA;
      let addedFrom = -1; // accumulate: where the new points start in the pool
      let synth = dst; // generation g's synthetic samples (first coordinate), for W2
      let synthN = n;
      switch (c.policy) {
        case 'replace':
          k.kdeSample(this.rng, train, trainLd, trainN, d, h, dst, n, n);
          train = dst;
          break;
        case 'accumulate':
          addedFrom = poolN;
          synth = this.pool + 8 * poolN;
          k.kdeSample(this.rng, this.pool, cap, poolN, d, h, synth, cap, n);
          poolN += n;
          trainN = poolN;
          break;
        case 'accumulate-subsample':
          synth = this.pool + 8 * poolN;
          k.kdeSample(this.rng, train, trainLd, trainN, d, h, synth, cap, n);
          poolN += n;
          k.subsample(this.rng, this.pool, cap, poolN, d, n, dst, n, this.index);
          train = dst;
          break;
        case 'mix':
        case 'fresh': {
          const kReal = Math.round(c.realFraction * n);
          if (c.policy === 'mix') k.subsample(this.rng, this.real, n, n, d, kReal, dst, n, this.index);
          else this.drawReal(dst, n, kReal);
          synth = dst + 8 * kReal;
          synthN = n - kReal;
          k.kdeSample(this.rng, train, trainLd, trainN, d, h, synth, n, synthN);
          train = dst;
          break;
        }
      }
      if (c.policy !== 'accumulate') trainLd = n;

      h = c.bandwidthMode === 'recompute' ? this.ruleBandwidth(train, trainLd, trainN) : fixedH;
      if (!(h < Infinity)) {
        // only a recomputed bandwidth can get here: the variance left the doubles
        events.push({ kind: 'overflow', generation: g });
        for (; slot < this.recorded.length; slot++) for (const name of names) values.set(name, slot, NaN);
        break;
      }
      if (h === 0 && !events.length) {
        // a recomputed bandwidth of 0: every point is the same, and stays so (NLL +Infinity, reported as null)
        events.push({ kind: 'collapsed', generation: g });
      }

      hBits[0] = h;
      hasher.add(hBits);
      if (addedFrom >= 0) for (let a = 0; a < d; a++) hasher.add(f.subarray(at(this.pool) + a * cap + addedFrom, at(this.pool) + a * cap + addedFrom + n));
      else hasher.add(f.subarray(at(train), at(train) + d * n));

      if (this.recorded[slot] === g) this.record(values, slot++, train, trainLd, trainN, h, synth, synthN);
      if (ticker.due()) await ticker.pause(g);
    }
    return { kind: 'replicate', replicate: r, digest: hasher.digest(), metrics: values.toRecord(), events };
  }

  /**
   * Metrics of the training set at `train` and of its KDE with bandwidth h,
   * and (1-D) W2^2 between the generation's synthetic samples and the real data.
   */
  private record(values: MetricTable, slot: number, train: number, ld: number, count: number, h: number, synth: number, synthN: number): void {
    const { k, d } = this;
    values.set('nll', slot, k.kdeLogDensity(train, ld, count, d, h, this.holdout, this.m, this.m, this.work, this.logDensity));
    values.set('variance', slot, k.kdeVariance(train, ld, count, d));
    values.set('bandwidth', slot, h);
    if (d === 1) {
      const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
      f.copyWithin(this.sortScratch >> 3, synth >> 3, (synth >> 3) + synthN);
      k.sortF64(this.sortScratch, synthN);
      values.set('w2sq', slot, k.w2SqSorted(this.realSorted, this.n, this.sortScratch, synthN));
    }
  }
}

