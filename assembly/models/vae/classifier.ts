// The digit classifier behind the class metrics and the Fréchet distance: an
// MLP x -> h = relu(W1 x + b1) -> logits W2 h + b2 (one hidden layer of Hc
// units, C classes), trained once on the real training digits by Adam on
// minibatches (the update of train.ts). Its predictions on generated images
// give their class histogram, whose entropy falls when a chain loses classes
// (mode collapse); its hidden units are the features of the Fréchet distance.
//
// Like the VAE, a classifier is an i32 header (CHDR_* below); parameters,
// gradients and Adam's moments share one layout: W1[Hc][D] b1[Hc] W2[C][Hc] b2[C],
// each block padded to 4 floats. It shares dense.ts and Adam with the VAE, so
// it trains in float (f32) too; its softmax and loss are computed in f64
// from the logits widened, each gradient rounded to float once, and its
// features leave as doubles.
import { ldf, stf, ldi, ldf32, stf32, demote } from "./../../platform";
import { exp, log } from "./../../detmath";
import { reluInPlace, reluBackward, gatherRows, fillNormalF32, pad4 } from "./net";
import { denseForward, denseBackward } from "./dense";
import { adamUpdate, zeroF32, OPT_BETA1_T, OPT_BETA2_T } from "./train";

export const CHDR_D: i32 = 0;
export const CHDR_H: i32 = 1;
export const CHDR_C: i32 = 2;
/** Rows of the minibatch work buffers. */
export const CHDR_B: i32 = 3;
export const CHDR_PARAMS: i32 = 4;
export const CHDR_GRADS: i32 = 5;
export const CHDR_M: i32 = 6;
export const CHDR_V: i32 = 7;
/** Work (floats, each block padded to 4): x[B][D] h[B][Hc] p[B][C] dh[B][Hc]. */
export const CHDR_WORK: i32 = 8;
export const CHDR_INTS: i32 = 9;

function chdr(cls: i32, field: i32): i32 {
  return ldi(cls + (field << 2));
}

/** Floats of one parameter set of a classifier with D inputs, Hc hidden units and C classes. */
export function vaeClassifierParamCount(D: i32, Hc: i32, C: i32): i32 {
  return (pad4(Hc * D) + pad4(Hc) + pad4(C * Hc) + pad4(C)) | 0;
}

/** Floats of its work buffers for minibatches of B. */
export function vaeClassifierWorkFloats(B: i32, D: i32, Hc: i32, C: i32): i32 {
  return (pad4(B * D) + 2 * pad4(B * Hc) + pad4(B * C)) | 0;
}

/** Byte offsets from the parameter set's start: b1, W2, b2. */
function atB1(D: i32, H: i32): i32 {
  return pad4(H * D) << 2;
}
function atW2(D: i32, H: i32): i32 {
  return (pad4(H * D) + pad4(H)) << 2;
}
function atB2(D: i32, H: i32, C: i32): i32 {
  return (pad4(H * D) + pad4(H) + pad4(C * H)) << 2;
}

/** Byte addresses of the work buffers h, logits and dh (x at CHDR_WORK). */
function workH(cls: i32): i32 {
  return chdr(cls, CHDR_WORK) + (pad4(chdr(cls, CHDR_B) * chdr(cls, CHDR_D)) << 2);
}
function workO(cls: i32): i32 {
  return workH(cls) + (pad4(chdr(cls, CHDR_B) * chdr(cls, CHDR_H)) << 2);
}
function workDh(cls: i32): i32 {
  return workO(cls) + (pad4(chdr(cls, CHDR_B) * chdr(cls, CHDR_C)) << 2);
}

/**
 * A fresh classifier: W1 ~ N(0, 2/D) (before a ReLU), W2 ~ N(0, 1/Hc), from
 * the stream in that order; biases, gradients and moments 0; Adam's step count 0.
 */
export function vaeClassifierInit(cls: i32, opt: i32, rng: i32): void {
  const D = chdr(cls, CHDR_D);
  const H = chdr(cls, CHDR_H);
  const C = chdr(cls, CHDR_C);
  const n = vaeClassifierParamCount(D, H, C);
  const p = chdr(cls, CHDR_PARAMS);
  zeroF32(p, n);
  zeroF32(chdr(cls, CHDR_GRADS), n);
  zeroF32(chdr(cls, CHDR_M), n);
  zeroF32(chdr(cls, CHDR_V), n);
  fillNormalF32(rng, p, H * D, Math.sqrt(2.0 / f64(D)));
  fillNormalF32(rng, p + atW2(D, H), C * H, Math.sqrt(1.0 / f64(H)));
  stf(opt + (OPT_BETA1_T << 3), 1.0);
  stf(opt + (OPT_BETA2_T << 3), 1.0);
}

/** The forward pass of nb rows of x (work row 0 on): hidden features and logits in the work buffers. */
function forward(cls: i32, nb: i32): void {
  const D = chdr(cls, CHDR_D);
  const H = chdr(cls, CHDR_H);
  const C = chdr(cls, CHDR_C);
  const p = chdr(cls, CHDR_PARAMS);
  const x = chdr(cls, CHDR_WORK);
  const h = workH(cls);
  denseForward(x, nb, D, p, p + atB1(D, H), H, h);
  reluInPlace(h, nb * H);
  denseForward(h, nb, H, p + atW2(D, H), p + atB2(D, H, C), C, workO(cls));
}

/**
 * Minibatches first..first+count-1 of an epoch over the n labelled images
 * (labels 0..C-1, i32) of column-major data in the order idx, B each (the
 * last one of the epoch smaller): the mean cross-entropy's gradient and an
 * Adam step each. The host calls it a budget of minibatches at a time; the
 * bits do not depend on the budget. Returns the sum of the minibatches' mean losses.
 */
export function vaeClassifierTrain(cls: i32, opt: i32, data: i32, ld: i32, n: i32, labels: i32, idx: i32, first: i32, count: i32): f64 {
  const D = chdr(cls, CHDR_D);
  const H = chdr(cls, CHDR_H);
  const C = chdr(cls, CHDR_C);
  const B = chdr(cls, CHDR_B);
  const p = chdr(cls, CHDR_PARAMS);
  const g = chdr(cls, CHDR_GRADS);
  const P = vaeClassifierParamCount(D, H, C);
  const x = chdr(cls, CHDR_WORK);
  const h = workH(cls);
  const o = workO(cls);
  const dh = workDh(cls);
  const w2 = p + atW2(D, H);
  const g2 = g + atW2(D, H);
  let total: f64 = 0.0;
  for (let b = first; b < first + count; b++) {
    const from = b * B;
    if (from >= n) break;
    const nb = from + B <= n ? B : n - from;
    gatherRows(data, ld, D, idx, from, nb, x);
    forward(cls, nb);
    const inv = 1.0 / f64(nb);
    let loss: f64 = 0.0;
    for (let i = 0; i < nb; i++) {
      const oi = o + ((i * C) << 2);
      let mx = f64(ldf32(oi));
      for (let c = 1; c < C; c++) if (f64(ldf32(oi + (c << 2))) > mx) mx = f64(ldf32(oi + (c << 2)));
      let s: f64 = 0.0;
      for (let c = 0; c < C; c++) s += exp(f64(ldf32(oi + (c << 2))) - mx);
      const y = ldi(labels + (ldi(idx + (((from + i) | 0) << 2)) << 2));
      loss += log(s) - (f64(ldf32(oi + (y << 2))) - mx);
      // d loss / d logit_c = (softmax_c - 1[c = y]) / nb, in f64, rounded to float over the logits
      for (let c = 0; c < C; c++) {
        const q = oi + (c << 2);
        stf32(q, demote((exp(f64(ldf32(q)) - mx) / s - (c == y ? 1.0 : 0.0)) * inv));
      }
    }
    denseBackward(h, nb, H, w2, C, o, g2, g + atB2(D, H, C), dh, true);
    reluBackward(h, dh, nb * H);
    denseBackward(x, nb, D, p, H, dh, g, g + atB1(D, H), 0, false);
    adamUpdate(p, g, chdr(cls, CHDR_M), chdr(cls, CHDR_V), P, opt);
    total += loss * inv;
  }
  return total;
}

/**
 * Classifies the n column-major images, B at a time: adds each image's class
 * (the largest logit, the lowest class on ties) to the counts hist[C]
 * (doubles, zeroed here); when feats >= 0, writes image i's Hc hidden units
 * column-major at feats (unit a at feats + 8 (a fld + i)). Returns how many
 * classes equal labels[i] (0 when labels < 0).
 */
export function vaeClassify(cls: i32, data: i32, ld: i32, n: i32, labels: i32, hist: i32, feats: i32, fld: i32): i32 {
  const D = chdr(cls, CHDR_D);
  const H = chdr(cls, CHDR_H);
  const C = chdr(cls, CHDR_C);
  const B = chdr(cls, CHDR_B);
  const x = chdr(cls, CHDR_WORK);
  const h = workH(cls);
  const o = workO(cls);
  for (let c = 0; c < C; c++) stf(hist + (c << 3), 0.0);
  let correct = 0;
  for (let from = 0; from < n; from += B) {
    const nb = from + B <= n ? B : n - from;
    gatherRows(data + (from << 3), ld, D, -1, 0, nb, x);
    forward(cls, nb);
    for (let i = 0; i < nb; i++) {
      const oi = o + ((i * C) << 2);
      let best = 0;
      for (let c = 1; c < C; c++) if (ldf32(oi + (c << 2)) > ldf32(oi + (best << 2))) best = c;
      stf(hist + (best << 3), ldf(hist + (best << 3)) + 1.0);
      const img = (from + i) | 0;
      if (labels >= 0 && ldi(labels + (img << 2)) == best) correct = (correct + 1) | 0;
      if (feats >= 0) for (let a = 0; a < H; a++) stf(feats + ((a * fld + img) << 3), f64(ldf32(h + ((i * H + a) << 2))));
    }
  }
  return correct;
}

/** Entropy -sum p log p (nats) of the C counts at hist, p = count / total (0 log 0 = 0). */
export function countsEntropy(hist: i32, C: i32): f64 {
  let total: f64 = 0.0;
  for (let c = 0; c < C; c++) total += ldf(hist + (c << 3));
  let h: f64 = 0.0;
  for (let c = 0; c < C; c++) {
    const q = ldf(hist + (c << 3)) / total;
    if (q > 0.0) h -= q * log(q);
  }
  return h;
}
