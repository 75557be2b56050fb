// One replicate of the Gaussian recursion: generation 0 is real data from
// N(mu_0, Sigma_0); model n is fitted to generation n-1's training set, and
// generation n's data are drawn from model n (covariance scaled by the bias)
// and turned into the next training set by the data policy. Every loop over
// samples is one kernel call; this file only sequences them.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { GaussianConfig, GaussianMetric, ReplicateEvent, ReplicateRecord } from '../results/types.js';
import type { FamilyChain } from '../families/family.js';
import { samplesAt } from './schedule.js';
import { recordedGenerations } from './generations.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import type { Ticker } from './ticker.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';
import { allocGenerator, layoutBytes, total } from './layout.js';


/** Byte size of every buffer a run lays out, for validation and allocation alike. */
export function planGaussianBuffers(c: GaussianConfig) {
  const d = c.dim;
  const m0 = c.samples;
  const maxM = samplesAt(c.schedule, m0, c.generations);
  let poolCapacity = 0;
  if (c.policy === 'accumulate-subsample') for (let n = 0; n <= c.generations; n++) poolCapacity += samplesAt(c.schedule, m0, n);
  const f64s = {
    params: 11 * d * d + 9 * d + 8, // truth, model, accumulate pools, the blended part, scratch
    real: d * m0,
    train: d * maxM,
    sorted: d === 1 ? m0 + maxM : 0,
    pool: d * poolCapacity,
  };
  return { bytes: layoutBytes(total(f64s), Math.max(poolCapacity, m0), 30), maxM, poolCapacity };
}

/** The buffers of a run, laid out once in the arena; replicates reuse them. */
export class GaussianChain implements FamilyChain {
  private readonly k: KernelExports;
  private readonly d: number;
  private readonly ddof: number;
  private readonly scale: number;
  private readonly recorded: number[];
  private readonly ld: number;
  private readonly cap: number;
  // byte offsets in kernel memory
  private readonly rng: number;
  private readonly key: number;
  private readonly mean0: number;
  private readonly cov0: number;
  private readonly l0: number;
  private readonly mean: number;
  private readonly cov: number;
  private readonly l: number;
  private readonly scatter: number;
  private readonly poolMean: number;
  private readonly poolScatter: number;
  private readonly genMean: number;
  private readonly genScatter: number;
  private readonly delta: number;
  private readonly partMean: number;
  private readonly partScatter: number;
  private readonly partCov: number;
  private readonly z: number;
  private readonly work: number;
  private readonly out: number;
  private readonly real: number;
  private readonly realSorted: number;
  private readonly x: number;
  private readonly sortScratch: number;
  private readonly pool: number;
  private readonly index: number;
  // facts of the original distribution
  readonly trace0: number;
  readonly logDet0: number;
  readonly sigma0Eigenvalues: number[];
  readonly facts: Record<string, unknown>;

  constructor(private readonly arena: Arena, private readonly c: GaussianConfig) {
    this.k = arena.backend.kernels;
    const d = (this.d = c.dim);
    this.ddof = c.estimator === 'unbiased' ? 1 : 0;
    this.scale = Math.sqrt(c.bias);
    this.recorded = recordedGenerations(c.generations, c.every);
    const plan = planGaussianBuffers(c);
    this.ld = plan.maxM;
    this.cap = plan.poolCapacity;
    const dd = d * d;
    ({ rng: this.rng, key: this.key } = allocGenerator(arena));
    this.mean0 = arena.allocF64(d);
    this.cov0 = arena.allocF64(dd);
    this.l0 = arena.allocF64(dd);
    this.mean = arena.allocF64(d);
    this.cov = arena.allocF64(dd);
    this.l = arena.allocF64(dd);
    this.scatter = arena.allocF64(dd);
    this.poolMean = arena.allocF64(d);
    this.poolScatter = arena.allocF64(dd);
    this.genMean = arena.allocF64(d);
    this.genScatter = arena.allocF64(dd);
    this.delta = arena.allocF64(d);
    this.partMean = arena.allocF64(d);
    this.partScatter = arena.allocF64(dd);
    this.partCov = arena.allocF64(dd);
    this.z = arena.allocF64(d);
    this.work = arena.allocF64(2 * dd);
    this.out = arena.allocF64(4);
    this.real = arena.allocF64(d * c.samples, 'real data');
    this.realSorted = d === 1 ? arena.allocF64(c.samples) : 0;
    this.x = arena.allocF64(d * this.ld, 'training set');
    this.sortScratch = d === 1 ? arena.allocF64(this.ld) : 0;
    this.pool = this.cap ? arena.allocF64(d * this.cap, 'pool of all samples') : 0;
    this.index = arena.allocI32(Math.max(this.cap, c.samples), 'subsampling index');

    arena.f64(this.mean0, d).set(c.mu0);
    arena.f64(this.cov0, dd).set(c.cov0);
    if (this.k.choleskyPsd(this.cov0, d, this.l0) !== 0) throw new RangeError('cov0: the original covariance is not positive definite');
    this.k.gaussianMetrics(this.mean0, this.cov0, this.l0, this.mean0, this.cov0, this.l0, d, this.work, this.out);
    const o = arena.f64(this.out, 4);
    this.trace0 = o[1];
    this.logDet0 = o[2];
    arena.f64(this.work, dd).set(c.cov0);
    this.k.jacobiEigenvalues(this.work, d);
    const w = arena.f64(this.work, dd);
    this.sigma0Eigenvalues = Array.from({ length: d }, (_, i) => w[i * d + i]);
    this.facts = { sigma0Eigenvalues: this.sigma0Eigenvalues };
  }

  /**
   * Runs replicate r. `pause` is awaited now and then (about every 100 ms of
   * work) so that the caller can show progress or stop on Ctrl-C.
   */
  async runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord> {
    const { k, d, c, ld } = this;
    const dd = d * d;
    const m0 = c.samples;
    const mem = () => this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
    const f = mem();
    const at = (ptr: number) => ptr >> 3;

    const names: GaussianMetric[] = ['sigma', 'meanSqError', 'traceRatio', 'logDetRatio', 'marginalVariance', 'w2sq'];
    if (d === 1) names.unshift('mu'), names.push('w2sqEmpirical');
    const values = new MetricTable(names, this.recorded.length);
    const events: ReplicateEvent[] = [];
    const hasher = new TrajectoryHasher();

    seedGenerator(this.arena, this.rng, this.key, replicateKey(this.c.seed, r));
    // Generation 0: the real data.
    k.gaussianSample(this.rng, this.mean0, this.l0, d, 1.0, this.z, this.real, m0, m0);
    if (d === 1) {
      f.copyWithin(at(this.realSorted), at(this.real), at(this.real) + m0);
      k.sortF64(this.realSorted, m0);
    }
    let trainPtr = this.real;
    let trainLd = m0;
    let trainN = m0;
    let poolN = m0;
    if (c.policy === 'accumulate') k.gaussianScatter(this.real, m0, m0, d, this.poolMean, this.poolScatter);
    if (c.policy === 'accumulate-subsample') for (let a = 0; a < d; a++) f.copyWithin(at(this.pool) + a * this.cap, at(this.real) + a * m0, at(this.real) + (a + 1) * m0);
    let slot = 0;
    this.record(values, slot++, this.mean0, this.cov0, this.l0, this.real, m0);
    for (let n = 1; n <= c.generations; n++) {
      // Model n, fitted to generation n-1's training set.
      if (c.policy === 'accumulate') {
        if (n > 1) {
          const mPrev = samplesAt(c.schedule, m0, n - 1);
          k.gaussianMerge(poolN, this.poolMean, this.poolScatter, mPrev, this.genMean, this.genScatter, d, this.delta);
          poolN += mPrev;
        }
        f.copyWithin(at(this.mean), at(this.poolMean), at(this.poolMean) + d);
        k.covarianceFromScatter(this.poolScatter, d, poolN - this.ddof, this.cov);
      } else if (c.realWeight !== null && n > 1) {
        // fresh with --real-weight: fit the real part [0, kReal) and the
        // synthetic part [kReal, trainN) apart, then blend the two estimates
        const kReal = Math.round(c.realFraction * trainN);
        k.gaussianScatter(trainPtr, trainLd, kReal, d, this.partMean, this.partScatter);
        k.covarianceFromScatter(this.partScatter, d, kReal - this.ddof, this.partCov);
        k.gaussianScatter(trainPtr + 8 * kReal, trainLd, trainN - kReal, d, this.mean, this.scatter);
        k.covarianceFromScatter(this.scatter, d, trainN - kReal - this.ddof, this.cov);
        k.gaussianBlend(c.realWeight, this.partMean, this.partCov, this.mean, this.cov, d, this.mean, this.cov);
      } else {
        k.gaussianScatter(trainPtr, trainLd, trainN, d, this.mean, this.scatter);
        k.covarianceFromScatter(this.scatter, d, trainN - this.ddof, this.cov);
      }
      const zeros = k.choleskyPsd(this.cov, d, this.l);
      if (zeros > 0) this.noteEvent(events, zeros, n);

      hasher.add(f.subarray(at(this.mean), at(this.mean) + d));
      hasher.add(f.subarray(at(this.cov), at(this.cov) + dd));

      // Generation n's data, and from them the next training set.
      const m = samplesAt(c.schedule, m0, n);
      let synth = this.x;
      let synthN = m;
      switch (c.policy) {
        case 'replace':
          k.gaussianSample(this.rng, this.mean, this.l, d, this.scale, this.z, this.x, ld, m);
          break;
        case 'accumulate':
          k.gaussianSample(this.rng, this.mean, this.l, d, this.scale, this.z, this.x, ld, m);
          k.gaussianScatter(this.x, ld, m, d, this.genMean, this.genScatter);
          break;
        case 'accumulate-subsample':
          synth = this.pool + 8 * poolN;
          k.gaussianSample(this.rng, this.mean, this.l, d, this.scale, this.z, synth, this.cap, m);
          poolN += m;
          k.subsample(this.rng, this.pool, this.cap, poolN, d, m, this.x, ld, this.index);
          break;
        case 'mix':
        case 'fresh': {
          const kReal = Math.round(c.realFraction * m);
          if (c.policy === 'mix') k.subsample(this.rng, this.real, m0, m0, d, kReal, this.x, ld, this.index);
          else k.gaussianSample(this.rng, this.mean0, this.l0, d, 1.0, this.z, this.x, ld, kReal);
          synth = this.x + 8 * kReal;
          synthN = m - kReal;
          k.gaussianSample(this.rng, this.mean, this.l, d, this.scale, this.z, synth, ld, synthN);
          break;
        }
      }
      trainPtr = this.x;
      trainLd = ld;
      trainN = m;

      if (this.recorded[slot] === n) this.record(values, slot++, this.mean, this.cov, this.l, synth, synthN);
      if ((n & 63) === 0 && ticker.due()) await ticker.pause(n);
    }
    return { kind: 'replicate', replicate: r, digest: hasher.digest(), metrics: values.toRecord(), events };
  }

  /** Metrics of model (mean, cov, l) and of its samples at `synth` (1-D). */
  private record(values: MetricTable, slot: number, mean: number, cov: number, l: number, synth: number, synthN: number): void {
    const { k, d } = this;
    k.gaussianMetrics(mean, cov, l, this.mean0, this.cov0, this.l0, d, this.work, this.out);
    const o = this.arena.f64(this.out, 4);
    const msq = o[0];
    const tr = o[1];
    values.set('sigma', slot, Math.sqrt(tr / d));
    values.set('meanSqError', slot, msq);
    values.set('traceRatio', slot, tr / this.trace0);
    values.set('logDetRatio', slot, o[2] - this.logDet0);
    values.set('marginalVariance', slot, (tr + msq) / d);
    values.set('w2sq', slot, o[3]);
    if (d === 1) {
      values.set('mu', slot, this.arena.f64(mean, 1)[0]);
      const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
      f.copyWithin(this.sortScratch >> 3, synth >> 3, (synth >> 3) + synthN);
      k.sortF64(this.sortScratch, synthN);
      values.set('w2sqEmpirical', slot, k.w2SqSorted(this.realSorted, this.c.samples, this.sortScratch, synthN));
    }
  }

  private noteEvent(events: ReplicateEvent[], zeros: number, n: number): void {
    const kind = zeros === this.d ? 'zero-variance' : 'singular-covariance';
    if (!events.some((e) => e.kind === kind)) events.push({ kind, generation: n, rank: this.d - zeros });
  }
}

