// Every buffer of a vae run, declared once (see chain/layout.ts).
import { allocGenerator, type Allocator } from '../../chain/layout.js';
import { allocPoints, poolCapacity } from '../../chain/point-data.js';
import type { VaeConfig } from './types.js';

/** i32 of a network's header, and doubles of Adam's settings and state (assembly/models/vae: HDR_INTS, OPT_DOUBLES). */
export const HEADER_INTS = 10;
/** i32 of the classifier's header (assembly/models/vae/classifier.ts: CHDR_INTS). */
export const CLASSIFIER_HEADER_INTS = 9;
/** Doubles of the pixel likelihood's settings: the mode (0 Bernoulli, 1 Gaussian) and the Gaussian's standard deviation. */
export const LIKELIHOOD_DOUBLES = 2;
export const OPT_DOUBLES = 6;
/** Doubles written by vaeImageStats. */
export const STATS_OUT = 3;

/** Pixels per image. */
export const pixels = (c: Pick<VaeConfig, 'size'>): number => c.size * c.size;

/** n rounded up to a multiple of 4: every block of floats starts on 16 bytes (the kernels' pad4). */
export const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * Floats (f32: the network trains in float32) of one parameter set, each of
 * its eight blocks padded to 4 floats (the kernels' vaeParamCount): a multiple
 * of 4, so its bytes are a whole number of doubles (the digest hashes them so).
 */
export function paramCount(D: number, H: number, L: number): number {
  return pad4(H * D) + pad4(H) + pad4(2 * L * H) + pad4(2 * L) + pad4(H * L) + pad4(H) + pad4(D * H) + pad4(D);
}

/** The network's weights and biases (paramCount without the padding). */
export function weightCount(D: number, H: number, L: number): number {
  return H * D + H + 2 * L * H + 2 * L + H * L + H + D * H + D;
}

/** Floats of the minibatch work buffers, each of the eleven padded to 4 (the kernels' vaeWorkFloats). */
export function workFloats(B: number, D: number, H: number, L: number): number {
  return 2 * pad4(B * D) + 4 * pad4(B * H) + 2 * pad4(B * 2 * L) + 3 * pad4(B * L);
}

/** The largest training set: accumulate trains on the pool of every generation. */
export function maxTrain(c: VaeConfig): number {
  return c.policy === 'accumulate' ? c.samples * (c.generations + 1) : c.samples;
}

/** Images per minibatch of the classifier. */
export const CLASSIFIER_BATCH = 100;

/** Floats of one parameter set of the classifier, each block padded to 4 (the kernels' vaeClassifierParamCount). */
export function classifierParamCount(D: number, Hc: number, C: number): number {
  return pad4(Hc * D) + pad4(Hc) + pad4(C * Hc) + pad4(C);
}

/** Floats of its minibatch work buffers (the kernels' vaeClassifierWorkFloats). */
export function classifierWorkFloats(B: number, D: number, Hc: number, C: number): number {
  return pad4(B * D) + 2 * pad4(B * Hc) + pad4(B * C);
}

/**
 * The classifier's buffers (none when --classifier-epochs is 0): its network,
 * Adam, the training and held-out digits with their labels, the features of a
 * set of images, and the moments of the Fréchet distance (the held-out
 * digits' mean and covariance square root, a generation's mean and covariance).
 */
function allocClassifier(c: VaeConfig, a: Allocator) {
  const on = c.classifierEpochs > 0;
  const D = pixels(c);
  const C = c.classes.length;
  const Hc = on ? c.classifierHidden : 0;
  const P = on ? classifierParamCount(D, Hc, C) : 0;
  const T = on ? c.trainDigits : 0;
  const Ho = on ? c.heldOutDigits : 0;
  return {
    net: a.allocI32(on ? CLASSIFIER_HEADER_INTS : 0, 'classifier header'),
    params: a.allocF32(P, 'classifier weights'),
    grads: a.allocF32(P, 'classifier gradients'),
    m: a.allocF32(P, 'classifier first moments'),
    v: a.allocF32(P, 'classifier second moments'),
    opt: a.allocF64(on ? OPT_DOUBLES : 0, 'classifier Adam state'),
    work: a.allocF32(on ? classifierWorkFloats(CLASSIFIER_BATCH, D, Hc, C) : 0, 'classifier minibatch'),
    data: a.allocF64(T * D, 'classifier training digits'),
    labels: a.allocI32(T, 'classifier labels'),
    idx: a.allocI32(T, 'classifier minibatch order'),
    heldData: a.allocF64(Ho * D, 'every held-out digit'),
    heldLabels: a.allocI32(Ho, 'held-out labels'),
    hist: a.allocF64(on ? C : 0, 'class counts'),
    feats: a.allocF64(on ? Hc * Math.max(c.samples, Ho) : 0, 'classifier features'),
    refMean: a.allocF64(Hc, 'held-out feature mean'),
    refRoot: a.allocF64(Hc * Hc, 'held-out feature covariance square root'),
    mean: a.allocF64(Hc, 'feature mean'),
    cov: a.allocF64(Hc * Hc, 'feature covariance'),
    fdWork: a.allocF64(2 * Hc * Hc, 'Frechet distance work'),
  };
}

export function vaeLayout(c: VaeConfig, a: Allocator) {
  const D = pixels(c);
  const P = paramCount(D, c.hidden, c.latent);
  const pool = poolCapacity(c.policy, c.generations, () => c.samples);
  return {
    // accumulate trains on the pool itself, so it needs no training buffer
    points: allocPoints(a, { d: D, real: c.samples, maxTrain: c.policy === 'accumulate' ? 0 : c.samples, poolCapacity: pool, doubleBuffer: false }),
    heldOut: a.allocF64(D * c.holdout, 'held-out digits'),
    net: a.allocI32(HEADER_INTS, 'network header'),
    opt: a.allocF64(OPT_DOUBLES, 'Adam settings and state'),
    likelihood: a.allocF64(LIKELIHOOD_DOUBLES, 'pixel likelihood settings'),
    params: a.allocF32(P, 'weights'),
    grads: a.allocF32(P, 'gradients'),
    m: a.allocF32(P, 'Adam first moments'),
    v: a.allocF32(P, 'Adam second moments'),
    work: a.allocF32(workFloats(c.batch, D, c.hidden, c.latent), 'minibatch activations'),
    order: a.allocI32(maxTrain(c), 'minibatch order'),
    scores: a.allocF64(c.holdout, 'held-out bounds'),
    sorted: a.allocF64(c.holdout, 'sorted bounds'),
    iw: a.allocF64(c.iwSamples, 'importance weights'),
    stats: a.allocF64(STATS_OUT, 'image summaries'),
    // the metrics draw from their own generator, so recording (--every) never moves the chain's stream
    scoring: allocGenerator(a),
    classifier: allocClassifier(c, a),
  };
}

export type VaeBuffers = ReturnType<typeof vaeLayout>;
