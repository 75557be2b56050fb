// The VAE as a chain (Shumailov et al. 2024, the paper's VAE experiment):
// model n is a VAE trained from fresh weights on generation n-1's images
// (model 1 on the first N real training digits); generation n is N images
// decoded from prior draws of model n. Images are points in [0, 1]^D, so the
// policies get their verbs from PointData. Training runs in the kernels a
// budget of minibatches per call, so a long fit yields to the event loop.
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { MaybeAsync, ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import { PointData } from '../../chain/point-data.js';
import { inOrder } from '../../chain/policies.js';
import { perSlice, sliced } from '../../chain/slices.js';
import { seedGenerator } from '../../rng/seed.js';
import { encodeImages } from '../../results/images.js';
import { loadDigits, type DigitSet } from './digits.js';
import { CLASSIFIER_BATCH, CLASSIFIER_HEADER_INTS, HEADER_INTS, STATS_OUT, classifierParamCount, paramCount, pixels, weightCount, type VaeBuffers } from './layout.js';
import type { VaeConfig, VaeMetric } from './types.js';

/** Adam's fixed settings: beta1, beta2, eps (PyTorch's defaults). */
export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
/** The classifier's Adam learning rate. */
const CLASSIFIER_LR = 0.01;
const DECODE_MODE = { mean: 0, bernoulli: 1 } as const;
const LIKELIHOOD_MODE = { bernoulli: 0, gaussian: 1 } as const;
/** The tail metric's quantile: the bound only 1% of held-out digits exceed under model 1. */
export const TAIL_QUANTILE = 0.99;

/** The first `count` images of a set, column-major with leading dimension ld, into `out`. */
export function columnMajor(set: DigitSet, D: number, count: number, out: Float64Array, ld: number): void {
  for (let i = 0; i < count; i++) for (let a = 0; a < D; a++) out[a * ld + i] = set.images[i * D + a];
}

/**
 * A minibatch of more than this many times VaeModel.callWork parameter-image
 * visits is one step too long for one kernel call: it runs in parts
 * (vaeStepPart), a range of rows, output units or parameters per call, of
 * about STEP_SLICE times callWork multiply-adds.
 */
const STEP_CALLS = 16;
const STEP_SLICE = 4;

/** The metrics a run records (the family's `metrics`): the class metrics and the Fréchet distance need the classifier. */
export function vaeMetrics(c: VaeConfig): readonly VaeMetric[] {
  const base: VaeMetric[] = ['negElbo', 'iwNll', 'tail', 'trainLoss', 'meanGrey', 'pixelVar', 'pairDist'];
  return c.classifierEpochs > 0 ? [...base, 'classEntropy', 'topClassShare', 'frechet'] : base;
}

export class VaeModel implements ModelAdapter {
  /**
   * Parameter-image visits per kernel call (about 20 ms): training is split
   * into calls of that many minibatches, held-out scoring into calls of that
   * many digits, with the event loop let in between; the kernels go minibatch
   * after minibatch and digit after digit, so the bits are the same. A
   * minibatch too long for one call runs in parts (STEP_CALLS). Tests set it small.
   */
  static callWork = 1 << 21;
  readonly metrics: readonly VaeMetric[];
  /** Classes kept; the classifier predicts their positions 0..C-1. */
  private readonly C: number;
  readonly facts: Record<string, unknown>;
  readonly data: PointData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  private readonly D: number;
  /** Floats of a parameter set (padded blocks). */
  private readonly P: number;
  private readonly realImages: Float64Array;
  /** Drawn from the chain's stream at the start of a replicate: the scoring generator's key base. */
  private scoreKey = 0;
  private trainLoss = NaN;
  /** Model 1's TAIL_QUANTILE of the held-out bounds, and its scores (model 1 is scored in fit(1), for any --every). */
  private tailCut = NaN;
  /** The held-out scores of the model scored last. */
  private scored: { negElbo: number; iwNll: number } | null = null;
  /** The classifier is trained at the start of this chain's first replicate (in budgeted calls): its held-out accuracy then, NaN before. */
  private classifierAccuracy = NaN;
  /** The trace of the held-out digits' feature covariance (the Fréchet distance's tr S1). */
  private refTrace = NaN;

  constructor(
    private readonly arena: Arena,
    private readonly c: VaeConfig,
    private readonly b: VaeBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    this.metrics = vaeMetrics(c);
    const D = (this.D = pixels(c));
    const H = c.hidden;
    const L = c.latent;
    this.P = paramCount(D, H, L);
    const digits = loadDigits(c.classes, c.size);
    this.realImages = new Float64Array(D * c.samples);
    columnMajor(digits.train, D, c.samples, this.realImages, c.samples);
    columnMajor(digits.heldOut, D, c.holdout, arena.f64(b.heldOut, D * c.holdout), c.holdout);
    arena.i32(b.net, HEADER_INTS).set([D, H, L, c.batch, b.params, b.grads, b.m, b.v, b.work, b.likelihood]);
    arena.f64(b.opt, 4).set([c.lr, ADAM.beta1, ADAM.beta2, ADAM.eps]);
    arena.f64(b.likelihood, 2).set([LIKELIHOOD_MODE[c.likelihood], c.pixelSd]);
    this.generationCost = c.samples * this.P * c.epochs;
    this.data = new PointData(arena, b.points, gen.rng, {
      sample: (ptr, ld, count) => k.vaeDecode(b.net, gen.rng, DECODE_MODE[c.decode], ptr, ld, count),
      drawReal: (ptr, ld, count) => {
        // the real data: the first N training digits, into the real buffer only (at generation 0, maybe
        // in slices of images; fresh is refused). ptr is image `from` of that buffer.
        const from = (ptr - b.points.real) >> 3;
        const f = arena.f64(ptr, (D - 1) * ld + count);
        for (let a = 0; a < D; a++) f.set(this.realImages.subarray(a * c.samples + from, a * c.samples + from + count), a * ld);
      },
      pointCost: H * (L + D),
    });
    this.facts = { pixels: D, parameters: weightCount(D, H, L), trainDigits: digits.train.count, heldOutDigits: digits.heldOut.count };
    this.C = c.classes.length;
    if (c.classifierEpochs > 0) {
      this.setUpClassifier(digits);
    }
  }

  /** The classifier's header and data: every training digit and every held-out digit of the classes kept, labels as positions 0..C-1. */
  private setUpClassifier(digits: ReturnType<typeof loadDigits>): void {
    const { arena, c, D } = this;
    const cl = this.b.classifier;
    const T = c.trainDigits;
    const Ho = c.heldOutDigits;
    const position = (label: number) => c.classes.indexOf(label);
    arena.i32(cl.net, CLASSIFIER_HEADER_INTS).set([D, c.classifierHidden, this.C, CLASSIFIER_BATCH, cl.params, cl.grads, cl.m, cl.v, cl.work]);
    columnMajor(digits.train, D, T, arena.f64(cl.data, T * D), T);
    arena.i32(cl.labels, T).set(Array.from(digits.train.labels, position));
    columnMajor(digits.heldOut, D, Ho, arena.f64(cl.heldData, Ho * D), Ho);
    arena.i32(cl.heldLabels, Ho).set(Array.from(digits.heldOut.labels, position));
    arena.f64(cl.opt, 4).set([CLASSIFIER_LR, ADAM.beta1, ADAM.beta2, ADAM.eps]);
  }

  /**
   * The digit classifier, trained once per chain before its first replicate
   * (the same for every replicate and worker: its own generator, a fixed
   * key) on every training digit, a budget of minibatches per kernel call;
   * then its accuracy on every held-out digit, and those digits' feature mean
   * and covariance square root, the Fréchet distance's reference.
   */
  private trainClassifier(ctx: StepContext): MaybeAsync {
    const { arena, k, c } = this;
    const cl = this.b.classifier;
    const s = this.b.scoring;
    const T = c.trainDigits;
    const Ho = c.heldOutDigits;
    const Hc = this.c.classifierHidden;
    seedGenerator(arena, s.rng, s.key, 'vae-classifier');
    k.vaeClassifierInit(cl.net, cl.opt, s.rng);
    const batches = Math.ceil(T / CLASSIFIER_BATCH);
    const perCall = Math.max(1, Math.floor(VaeModel.callWork / (CLASSIFIER_BATCH * classifierParamCount(this.D, Hc, this.C))));
    const epoch = (): MaybeAsync => {
      k.vaeShuffle(s.rng, cl.idx, T);
      return sliced(batches, perCall, ctx.yieldIfDue, (first, count) => void k.vaeClassifierTrain(cl.net, cl.opt, cl.data, T, T, cl.labels, cl.idx, first, count));
    };
    const reference = () => {
      const correct = k.vaeClassify(cl.net, cl.heldData, Ho, Ho, cl.heldLabels, cl.hist, cl.feats, Ho);
      k.featureMoments(cl.feats, Ho, Ho, Hc, cl.refMean, cl.cov);
      const cov = arena.f64(cl.cov, Hc * Hc);
      let trace = 0;
      for (let a = 0; a < Hc; a++) trace += cov[a * Hc + a];
      k.symmetricSqrt(cl.cov, Hc, cl.refRoot, cl.fdWork);
      this.refTrace = trace;
      this.classifierAccuracy = correct / Ho;
    };
    return inOrder(...Array.from({ length: c.classifierEpochs }, () => epoch), reference);
  }

  drawRealData(ctx: StepContext): MaybeAsync {
    this.scoreKey = this.k.rngNextInt32(this.gen.rng);
    this.tailCut = NaN;
    this.scored = null;
    const needsClassifier = this.c.classifierEpochs > 0 && Number.isNaN(this.classifierAccuracy);
    return inOrder(() => (needsClassifier ? this.trainClassifier(ctx) : undefined), () => this.data.drawRealData());
  }

  /** The classifier's accuracy on every held-out digit, in each replicate's record (the same in all). */
  finish(): Record<string, number | null> | undefined {
    return this.c.classifierEpochs > 0 ? { classifierAccuracy: this.classifierAccuracy } : undefined;
  }

  /** Seeds the scoring generator for model n: the same draws whether or not n is recorded. */
  private seedScoring(n: number): void {
    seedGenerator(this.arena, this.b.scoring.rng, this.b.scoring.key, `vae-score:${this.scoreKey}:${n}`);
  }

  /** Model n from fresh weights on generation n-1's images; its weights enter the digest. */
  fit(n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    const x = this.data.train;
    const rng = this.gen.rng;
    k.vaeInit(b.net, b.opt, rng);
    const batches = Math.ceil(x.n / c.batch);
    const perCall = Math.max(1, Math.floor(VaeModel.callWork / (c.batch * this.P)));
    let lossSum = 0;
    const sliceSteps = c.batch * this.P > STEP_CALLS * VaeModel.callWork;
    const finish = () => {
      this.trainLoss = lossSum / batches;
      // the weights' float32 bytes (P is a multiple of 4 floats: P / 2 doubles' worth)
      ctx.hash(this.arena.f64(b.params, this.P / 2));
      // model 1 sets the tail cut, whether or not generation 1 is recorded
      if (n === 1) return inOrder(() => this.score(1, ctx), () => this.setTailCut());
    };
    if (batches * c.epochs <= perCall && !sliceSteps) {
      for (let e = 0; e < c.epochs; e++) {
        k.vaeShuffle(rng, b.order, x.n);
        // the training loss is a metric of the last epoch only: the earlier epochs skip its logs (the same weights)
        lossSum = k.vaeTrain(b.net, b.opt, rng, x.ptr, x.ld, x.n, b.order, c.batch, 0, batches, e === c.epochs - 1 ? 1 : 0);
      }
      return finish();
    }
    return (async () => {
      for (let e = 0; e < c.epochs; e++) {
        k.vaeShuffle(rng, b.order, x.n);
        lossSum = 0;
        const wantLoss = e === c.epochs - 1 ? 1 : 0;
        // as vaeTrain's sum over one minibatch per call: 0 + its mean loss
        if (sliceSteps) for (let batch = 0; batch < batches; batch++) lossSum += 0 + (await this.stepInParts(batch, wantLoss, ctx));
        else for (let first = 0; first < batches; first += perCall) {
          lossSum += k.vaeTrain(b.net, b.opt, rng, x.ptr, x.ld, x.n, b.order, c.batch, first, Math.min(perCall, batches - first), wantLoss);
          const p = ctx.yieldIfDue();
          if (p) await p;
        }
      }
      await finish();
    })();
  }

  /**
   * Minibatch `batch` of the epoch (in b.order) trained as vaeTrain does it,
   * in parts (vaeStepPart), each a range of its units per call, with the event
   * loop let in between: the same bits. Returns the minibatch's mean loss
   * (0 without wantLoss).
   */
  private async stepInParts(batch: number, wantLoss: number, ctx: StepContext): Promise<number> {
    const { k, b, c } = this;
    const x = this.data.train;
    const from = batch * c.batch;
    const nb = Math.min(c.batch, x.n - from);
    const work = STEP_SLICE * VaeModel.callWork;
    let acc = 0;
    for (let part = 0; part < k.vaeStepParts(); part++) {
      const units = k.vaeStepUnits(b.net, nb, part);
      const per = perSlice(work, k.vaeStepUnitCost(b.net, nb, part));
      for (let u = 0; u < units; u += per) {
        acc = k.vaeStepPart(b.net, b.opt, this.gen.rng, x.ptr, x.ld, b.order, from, nb, part, u, Math.min(units, u + per), acc, wantLoss);
        const p = ctx.yieldIfDue();
        if (p) await p;
      }
    }
    return acc * (1 / nb);
  }

  /**
   * Held-out negative ELBO and importance-weighted bound of the model just
   * fitted, per digit into b.scores (the bound last), in slices of digits when
   * long; the means are summed here, digit by digit, so slicing keeps the bits.
   */
  private score(n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    this.seedScoring(n);
    const s = b.scoring.rng;
    const m = c.holdout;
    const perCall = Math.max(1, Math.floor(VaeModel.callWork / ((c.iwSamples + 1) * this.P)));
    const scores = this.arena.f64(b.scores, m);
    const mean = () => {
      let total = 0;
      for (let i = 0; i < m; i++) total += scores[i];
      return total / m;
    };
    let negElbo = NaN;
    return inOrder(
      () => sliced(m, perCall, ctx.yieldIfDue, (from, count) => void k.vaeNegElbo(b.net, s, b.heldOut + 8 * from, m, count, b.scores + 8 * from)),
      () => void (negElbo = mean()),
      () => this.iwBounds(ctx, perCall),
      () => void (this.scored = { negElbo, iwNll: mean() }),
    );
  }

  /**
   * The importance-weighted bound of every held-out digit into b.scores (the
   * scoring generator seeded): a slice of digits per call, or, when one
   * digit's K samples are too long for a call, a range of its samples per
   * call (vaeIwSamples, then vaeIwFinish): the same draws in the same order,
   * so the same bits.
   */
  private iwBounds(ctx: StepContext, perCall: number): MaybeAsync {
    const { k, b, c } = this;
    const s = b.scoring.rng;
    const m = c.holdout;
    const K = c.iwSamples;
    const perSample = c.hidden * (c.latent + this.D);
    if (K * perSample <= STEP_CALLS * VaeModel.callWork) {
      return sliced(m, perCall, ctx.yieldIfDue, (from, count) => void k.vaeIwBound(b.net, s, b.heldOut + 8 * from, m, count, K, b.iw, b.scores + 8 * from));
    }
    const perK = perSlice(STEP_SLICE * VaeModel.callWork, perSample);
    return (async () => {
      for (let i = 0; i < m; i++) {
        for (let k0 = 0; k0 < K; k0 += perK) {
          k.vaeIwSamples(b.net, s, b.heldOut, m, i, k0, Math.min(K, k0 + perK), b.iw);
          const p = ctx.yieldIfDue();
          if (p) await p;
        }
        k.vaeIwFinish(K, b.iw, b.scores + 8 * i);
      }
    })();
  }

  /** Model 1 (trained on the real digits) sets the tail cut: the TAIL_QUANTILE of its held-out bounds (nearest rank). */
  private setTailCut(): void {
    const { b, c } = this;
    const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
    f.copyWithin(b.sorted >> 3, b.scores >> 3, (b.scores >> 3) + c.holdout);
    this.k.sortF64(b.sorted, c.holdout);
    this.tailCut = this.arena.f64(b.sorted, c.holdout)[Math.max(0, Math.ceil(TAIL_QUANTILE * c.holdout) - 1)];
  }

  /** Model n's held-out bounds and the share of held-out digits beyond model 1's tail cut (n = 0: no model, null). */
  recordModel(t: MetricTable, slot: number, n: number, ctx: StepContext): MaybeAsync {
    if (n === 0) {
      for (const m of ['negElbo', 'iwNll', 'tail', 'trainLoss'] as const) t.set(m, slot, NaN);
      return;
    }
    const write = () => {
      const s = this.scored!;
      const scores = this.arena.f64(this.b.scores, this.c.holdout);
      let beyond = 0;
      for (let i = 0; i < scores.length; i++) if (scores[i] > this.tailCut) beyond++;
      t.set('negElbo', slot, s.negElbo);
      t.set('iwNll', slot, s.iwNll);
      t.set('tail', slot, beyond / scores.length);
      t.set('trainLoss', slot, this.trainLoss);
    };
    // model 1 was scored in fit(1), and b.scores still holds its bounds
    return inOrder(() => (n === 1 ? undefined : this.score(n, ctx)), write);
  }

  /** Generation n's images from the model (n = 0: the real digits): mean grey level, per-pixel variance, mean pairwise distance; its first images for the grid. */
  recordData(t: MetricTable, slot: number): void {
    const { k, b, c } = this;
    const s = this.data.synthetic;
    const S = Math.min(c.gridSamples, s.n);
    if (S > 0) t.setImages(slot, encodeImages(this.arena.f64(s.ptr, (this.D - 1) * s.ld + S), s.ld, S, c.size, c.size));
    k.vaeImageStats(s.ptr, s.ld, s.n, this.D, b.stats);
    const o = this.arena.f64(b.stats, STATS_OUT);
    t.set('meanGrey', slot, o[0]);
    t.set('pixelVar', slot, o[1]);
    t.set('pairDist', slot, o[2]);
    if (this.c.classifierEpochs > 0) {
      const cl = b.classifier;
      const Hc = this.c.classifierHidden;
      k.vaeClassify(cl.net, s.ptr, s.ld, s.n, -1, cl.hist, cl.feats, s.n);
      t.set('classEntropy', slot, k.countsEntropy(cl.hist, this.C));
      const hist = this.arena.f64(cl.hist, this.C);
      let top = 0;
      for (let j = 0; j < this.C; j++) if (hist[j] > top) top = hist[j];
      t.set('topClassShare', slot, top / s.n);
      k.featureMoments(cl.feats, s.n, s.n, Hc, cl.mean, cl.cov);
      t.set('frechet', slot, k.frechetDistance(cl.refMean, cl.refRoot, this.refTrace, cl.mean, cl.cov, Hc, cl.fdWork));
    }
  }
}
