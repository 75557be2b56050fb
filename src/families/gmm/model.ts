// One replicate of the GMM recursion (Shumailov et al. 2024, the GMM
// notebook): generation 0 is real data from the true mixture; model n is a
// K-component mixture fitted by EM to generation n-1's training set, and
// generation n's data are drawn from model n (bias, temperature) and turned
// into the next training set by the data policy. Every pass over points is
// one kernel call; this file sequences them (the EM loop is in gmm-em.ts) and
// records the metrics of the recorded generations.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { ReplicateEvent, ReplicateRecord } from '../results/types.js';
import type { FamilyChain } from '../families/family.js';
import type { GmmConfig, GmmMetric } from '../config/gmm.js';
import { recordedGenerations } from './generations.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import type { Ticker } from './ticker.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';
import { GmmEm, emBufferSizes, mixtureDoubles, type EmSettings, type FitResult } from './gmm-em.js';
import { allocGenerator, layoutBytes, total } from './layout.js';


export const GMM_METRICS: readonly GmmMetric[] = [
  'l2sq', 'stdMean', 'stdMin', 'stdMax', 'minWeight', 'holdoutLogLik', 'modesCovered', 'emIterations', 'converged', 'trainLogLik', 'mixVar', 'mixMeanSqError',
];

/** Byte size of every buffer a run lays out, for validation and allocation alike. */
export function planGmmBuffers(c: GmmConfig) {
  const d = c.dim;
  const K0 = c.mixture.weights.length;
  const m = c.samples;
  const pooled = c.policy === 'accumulate' || c.policy === 'accumulate-subsample';
  const poolCapacity = pooled ? m * (c.generations + 1) : 0;
  // the largest training set: the whole pool for accumulate, else M
  const maxTrain = c.policy === 'accumulate' ? poolCapacity : m;
  const em = emBufferSizes(emSettings(c, maxTrain, 0));
  const f64s = {
    truth: mixtureDoubles(K0, d),
    real: d * m,
    holdout: d * c.holdout,
    train: c.policy === 'accumulate' ? 0 : d * m,
    pool: d * poolCapacity,
    em: em.f64,
    scoring: c.holdout + 2 * d * d + 2 * d + Math.max(c.components, K0),
    sampling: Math.max(c.components, K0) + d,
  };
  return { bytes: layoutBytes(total(f64s), em.i32 + Math.max(poolCapacity, m), 30), poolCapacity, maxTrain };
}

/** The EM settings of a run. */
export function emSettings(c: GmmConfig, maxN: number, floor: number): EmSettings {
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

export class GmmChain implements FamilyChain {
  private readonly k: KernelExports;
  private readonly d: number;
  private readonly K: number;
  private readonly K0: number;
  private readonly scale: number;
  private readonly invTemp: number;
  private readonly recorded: number[];
  private readonly cap: number;
  // byte offsets in kernel memory
  private readonly rng: number;
  private readonly key: number;
  private readonly truth: number;
  private readonly fit: number;
  private readonly em: GmmEm;
  private readonly real: number;
  private readonly held: number;
  private readonly x: number;
  private readonly pool: number;
  private readonly lse: number;
  private readonly cum: number;
  private readonly work: number;
  private readonly z: number;
  private readonly index: number;
  /** Per-dimension variance tr(Sigma)/d and mean of the true mixture. */
  readonly trueVar: number;
  readonly trueMean: number[];
  readonly facts: Record<string, unknown>;

  constructor(private readonly arena: Arena, private readonly c: GmmConfig) {
    const k = (this.k = arena.backend.kernels);
    const d = (this.d = c.dim);
    const K = (this.K = c.components);
    const K0 = (this.K0 = c.mixture.weights.length);
    this.scale = Math.sqrt(c.bias);
    this.invTemp = 1 / c.temperature;
    this.recorded = recordedGenerations(c.generations, c.every);
    const plan = planGmmBuffers(c);
    this.cap = plan.poolCapacity;
    ({ rng: this.rng, key: this.key } = allocGenerator(arena));
    this.truth = arena.allocF64(mixtureDoubles(K0, d), 'true mixture');
    this.real = arena.allocF64(d * c.samples, 'real data');
    this.held = arena.allocF64(d * c.holdout, 'held-out data');
    this.pool = this.cap ? arena.allocF64(d * this.cap, 'pool of all samples') : 0;
    this.x = c.policy === 'accumulate' ? this.pool : arena.allocF64(d * c.samples, 'training set');
    this.lse = arena.allocF64(c.holdout, 'held-out log-likelihoods');
    this.cum = arena.allocF64(Math.max(K, K0));
    this.work = arena.allocF64(2 * d * d + 2 * d + Math.max(K, K0)); // scoring d + K, L2 2 d^2 + d
    this.z = arena.allocF64(d);
    this.index = arena.allocI32(Math.max(this.cap, c.samples), 'subsampling index');

    // the true mixture: weights, means, covariances, then its factors
    const t = arena.f64(this.truth, mixtureDoubles(K0, d));
    const m = c.mixture;
    m.weights.forEach((w, i) => (t[i] = w));
    m.means.forEach((mu, i) => t.set(mu, K0 + i * d));
    m.covs.forEach((cv, i) => t.set(cv, K0 + K0 * d + i * d * d));
    if (k.gmmPrepare(this.truth, K0, d, 0) !== 0) throw new RangeError('mixture: a true covariance is not positive definite');
    const s = this.mixtureStats(this.truth, K0);
    this.trueVar = s.mixVar;
    this.trueMean = s.mean;
    // the ridge for a covariance that is not positive definite (see gmmPrepare)
    this.em = new GmmEm(arena, emSettings(c, plan.maxTrain, Math.max(c.regCovar, 1e-12 * this.trueVar)));
    this.fit = this.em.fit;
    this.facts = { trueVar: this.trueVar, trueMean: this.trueMean, trueStds: s.stds, coverRadius: c.coverRadius };
  }

  async runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord> {
    const { k, d, K, c } = this;
    const m = c.samples;
    const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
    const at = (ptr: number) => ptr >> 3;
    const values = new MetricTable(GMM_METRICS, this.recorded.length);
    const events: ReplicateEvent[] = [];
    const hasher = new TrajectoryHasher();
    const paramDoubles = K * (1 + d + d * d);
    let iterationSum = 0;
    let nonConverged = 0;

    seedGenerator(this.arena, this.rng, this.key, replicateKey(c.seed, r));
    // Generation 0: the real data, then the held-out points, from the true mixture.
    k.gmmSample(this.rng, this.truth, this.K0, d, 1.0, 1.0, this.cum, this.z, this.real, m, m);
    k.gmmSample(this.rng, this.truth, this.K0, d, 1.0, 1.0, this.cum, this.z, this.held, c.holdout, c.holdout);
    let trainPtr = this.real;
    let trainLd = m;
    let trainN = m;
    let poolN = 0;
    if (this.cap) {
      for (let a = 0; a < d; a++) f.copyWithin(at(this.pool) + a * this.cap, at(this.real) + a * m, at(this.real) + (a + 1) * m);
      poolN = m;
    }
    let slot = 0;
    this.record(values, slot++, this.truth, this.K0, null);
    for (let n = 1; n <= c.generations; n++) {
      // Model n, fitted to generation n-1's training set.
      const fit = this.em.run(this.rng, trainPtr, trainLd, trainN);
      iterationSum += fit.iterations;
      if (!fit.converged) {
        nonConverged++;
        if (!events.some((e) => e.kind === 'not-converged')) events.push({ kind: 'not-converged', generation: n });
      }
      if (fit.repaired > 0 && !events.some((e) => e.kind === 'covariance-floor')) events.push({ kind: 'covariance-floor', generation: n });
      hasher.add(f.subarray(at(this.fit), at(this.fit) + paramDoubles));

      // Generation n's data, and from them the next training set.
      const sample = (dst: number, ld: number, count: number) => k.gmmSample(this.rng, this.fit, K, d, this.scale, this.invTemp, this.cum, this.z, dst, ld, count);
      switch (c.policy) {
        case 'replace':
          sample(this.x, m, m);
          trainPtr = this.x;
          break;
        case 'accumulate':
          sample(this.pool + 8 * poolN, this.cap, m);
          poolN += m;
          trainPtr = this.pool;
          trainLd = this.cap;
          trainN = poolN;
          break;
        case 'accumulate-subsample':
          sample(this.pool + 8 * poolN, this.cap, m);
          poolN += m;
          k.subsample(this.rng, this.pool, this.cap, poolN, d, m, this.x, m, this.index);
          trainPtr = this.x;
          break;
        case 'mix':
        case 'fresh': {
          const kReal = Math.round(c.realFraction * m);
          if (c.policy === 'mix') k.subsample(this.rng, this.real, m, m, d, kReal, this.x, m, this.index);
          else k.gmmSample(this.rng, this.truth, this.K0, d, 1.0, 1.0, this.cum, this.z, this.x, m, kReal);
          sample(this.x + 8 * kReal, m, m - kReal);
          trainPtr = this.x;
          break;
        }
      }

      if (this.recorded[slot] === n) this.record(values, slot++, this.fit, K, fit);
      if (ticker.due()) await ticker.pause(n);
    }
    return {
      kind: 'replicate',
      replicate: r,
      digest: hasher.digest(),
      metrics: values.toRecord(),
      finals: { meanIterations: iterationSum / c.generations, nonConverged },
      events,
    };
  }

  /** Weighted means, per-component stds and the mixture's own mean and per-dimension variance (host + - * / sqrt only). */
  private mixtureStats(mix: number, K: number) {
    const d = this.d;
    const p = this.arena.f64(mix, K * (1 + d + d * d));
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

  /** Metrics of mixture `mix` (K components) against the truth; `fit` is null for generation 0. */
  private record(values: MetricTable, slot: number, mix: number, K: number, fit: FitResult | null): void {
    const { k, d, c } = this;
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
    values.set('l2sq', slot, k.gmmL2Sq(this.truth, this.K0, mix, K, d, this.work));
    values.set('stdMean', slot, stdMean);
    values.set('stdMin', slot, Math.min(...s.stds));
    values.set('stdMax', slot, Math.max(...s.stds));
    values.set('minWeight', slot, minWeight);
    values.set('holdoutLogLik', slot, k.gmmScore(this.held, c.holdout, c.holdout, d, K, mix, this.lse, this.work));
    values.set('modesCovered', slot, covered);
    values.set('emIterations', slot, fit ? fit.iterations : NaN);
    values.set('converged', slot, fit ? (fit.converged ? 1 : 0) : NaN);
    values.set('trainLogLik', slot, fit ? fit.trainLogLik : NaN);
    values.set('mixVar', slot, s.mixVar);
    values.set('mixMeanSqError', slot, meanErr);
  }
}

