// Training the VAE: weights drawn from the replicate's stream, the negative
// ELBO of a minibatch and its gradient by backpropagation through the
// reparameterisation z = mu + sigma eps (Kingma & Welling 2014), and Adam
// (Kingma & Ba 2015, Algorithm 1, with eps added to sqrt(v-hat) as in PyTorch).
// The network's numbers are floats (f32, see net.ts); Adam's settings and
// step count are doubles, its per-parameter arithmetic float.
import { ldf, stf, ldf32, stf32, fr, demote, sqrt32 } from "./../../platform";
import { sampleIndices } from "./../../distributions/subsample";
import { exp } from "./../../detmath";
import {
  HDR_D, HDR_H, HDR_L, HDR_PARAMS, HDR_GRADS, HDR_M, HDR_V, hdr, pAddr, wAddr, vaeParamCount,
  P_W1, P_B1, P_WE, P_BE, P_WD, P_BD, P_WO, P_BO, W_X, W_A1, W_E, W_EPS, W_Z, W_A2, W_O, W_DA1, W_DE, W_DZ, W_DA2,
  reluBackward, reluInPlace, gatherRows, reparameteriseRows, klRow, fillNormalF32,
} from "./net";
import { denseForward, weightGradsRange, inputGrads } from "./dense";
import { pixelNllAndGrad } from "./pixels";

// Adam's settings and state: doubles at `opt`.
export const OPT_LR: i32 = 0;
export const OPT_BETA1: i32 = 1;
export const OPT_BETA2: i32 = 2;
export const OPT_EPS: i32 = 3;
/** beta1^t and beta2^t after t steps, by repeated multiplication (no pow). */
export const OPT_BETA1_T: i32 = 4;
export const OPT_BETA2_T: i32 = 5;
export const OPT_DOUBLES: i32 = 6;

/** Sets n floats at p to 0. */
export function zeroF32(p: i32, n: i32): void {
  for (let k = 0; k < n; k++) stf32(p + (k << 2), 0.0);
}

/**
 * Draws a fresh network: each weight N(0, s^2) from the stream (W1, We, Wd,
 * Wo in turn) with s^2 = 2 / fan-in before a ReLU (He et al. 2015) and
 * 1 / fan-in before a linear output; biases, gradients and Adam's moments 0,
 * and Adam's step count back to 0.
 */
export function vaeInit(net: i32, opt: i32, rng: i32): void {
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  const n = vaeParamCount(D, H, L);
  const p = hdr(net, HDR_PARAMS);
  zeroF32(p, n);
  zeroF32(hdr(net, HDR_GRADS), n);
  zeroF32(hdr(net, HDR_M), n);
  zeroF32(hdr(net, HDR_V), n);
  fillNormalF32(rng, pAddr(net, p, P_W1), H * D, Math.sqrt(2.0 / f64(D)));
  fillNormalF32(rng, pAddr(net, p, P_WE), 2 * L * H, Math.sqrt(1.0 / f64(H)));
  fillNormalF32(rng, pAddr(net, p, P_WD), H * L, Math.sqrt(2.0 / f64(L)));
  fillNormalF32(rng, pAddr(net, p, P_WO), D * H, Math.sqrt(1.0 / f64(H)));
  stf(opt + (OPT_BETA1_T << 3), 1.0);
  stf(opt + (OPT_BETA2_T << 3), 1.0);
}

/** A uniform random order of the n training images in idx (n i32): an epoch's minibatches. */
export function vaeShuffle(rng: i32, idx: i32, n: i32): void {
  sampleIndices(rng, idx, n, n);
}

/**
 * The minibatch of images idx[from..from+nb) (idx < 0: images from..from+nb)
 * of column-major data: draws its eps (nb L normals, image by image), and
 * returns its mean negative ELBO (1/nb) sum_i [-log p(x_i | z_i) + KL_i],
 * leaving that mean's gradient in the grads.
 */
export function vaeBatchGrad(net: i32, rng: i32, data: i32, ld: i32, idx: i32, from: i32, nb: i32): f64 {
  return batchGrad(net, rng, data, ld, idx, from, nb, true);
}

/** vaeBatchGrad; without wantLoss the same gradient (the same bits) and 0 returned, without the loss's logs. */
function batchGrad(net: i32, rng: i32, data: i32, ld: i32, idx: i32, from: i32, nb: i32, wantLoss: bool): f64 {
  let loss: f64 = 0.0;
  for (let part = 0; part < STEP_ADAM_T; part++) loss = stepPart(net, 0, rng, data, ld, idx, from, nb, part, 0, vaeStepUnits(net, nb, part), loss, wantLoss);
  return loss * (1.0 / f64(nb));
}

// One minibatch step (batchGrad, then Adam) as a sequence of parts, each a
// loop over units that are computed on their own: rows (images) of the
// minibatch, output units of a layer's weight gradient (each element summed
// over the images in order, dense.ts), or blocks of four parameters. A part
// may run a range of its units per call (vaeStepPart), so the host can split
// a long step with pauses between calls: the same operations on every
// element, so the same bits (the random draws, eps, go row after row in one
// part). The minibatch's loss is a sum in row order, carried from call to call.
/** Rows: the images into W_X (floats). */
export const STEP_GATHER: i32 = 0;
/** Rows: W_A1 = relu(W1 x + b1). */
export const STEP_HIDDEN1: i32 = 1;
/** Rows: W_E = (mu, log var) = We a1 + be. */
export const STEP_CODE: i32 = 2;
/** Rows: eps, L normals each, row after row. */
export const STEP_EPS: i32 = 3;
/** Rows: z = mu + exp(log var / 2) eps. */
export const STEP_Z: i32 = 4;
/** Rows: W_A2 = relu(Wd z + bd). */
export const STEP_HIDDEN2: i32 = 5;
/** Rows: the logits W_O = Wo a2 + bo. */
export const STEP_LOGITS: i32 = 6;
/** Rows: each row's loss added to the carried sum (wantLoss), and d loss / d logit over its logits. */
export const STEP_LOSS: i32 = 7;
/** Outputs (D): Wo's and bo's gradient rows. */
export const STEP_GRAD_O: i32 = 8;
/** Rows: dA2 = dO Wo, times 1[a2 > 0]. */
export const STEP_BACK_A2: i32 = 9;
/** Outputs (H): Wd's and bd's gradient rows. */
export const STEP_GRAD_D: i32 = 10;
/** Rows: dZ = dA2 Wd. */
export const STEP_BACK_Z: i32 = 11;
/** Rows: dE, through z = mu + exp(lv / 2) eps, plus the KL term's own gradient. */
export const STEP_BACK_E: i32 = 12;
/** Outputs (2L): We's and be's gradient rows. */
export const STEP_GRAD_E: i32 = 13;
/** Rows: dA1 = dE We, times 1[a1 > 0]. */
export const STEP_BACK_A1: i32 = 14;
/** Outputs (H): W1's and b1's gradient rows. */
export const STEP_GRAD_1: i32 = 15;
/** One unit: Adam's b1^t and b2^t advance. */
export const STEP_ADAM_T: i32 = 16;
/** Blocks of four parameters: Adam's update. */
export const STEP_ADAM: i32 = 17;
export const STEP_PARTS: i32 = 18;

/** STEP_PARTS, for the host. */
export function vaeStepParts(): i32 {
  return STEP_PARTS;
}

/** The units of part `part` (STEP_*) of a step on a minibatch of nb images. */
export function vaeStepUnits(net: i32, nb: i32, part: i32): i32 {
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  if (part == STEP_GRAD_O) return D;
  if (part == STEP_GRAD_D || part == STEP_GRAD_1) return H;
  if (part == STEP_GRAD_E) return 2 * L;
  if (part == STEP_ADAM_T) return 1;
  if (part == STEP_ADAM) return vaeParamCount(D, H, L) >> 2;
  return nb;
}

/** Rough work (multiply-adds; an exp, a log or a normal draw about 16) of one unit of part `part`, for the host's slices. */
export function vaeStepUnitCost(net: i32, nb: i32, part: i32): f64 {
  const D = f64(hdr(net, HDR_D));
  const H = f64(hdr(net, HDR_H));
  const L = f64(hdr(net, HDR_L));
  const B = f64(nb);
  if (part == STEP_GATHER) return 8.0 * D;
  if (part == STEP_HIDDEN1 || part == STEP_LOGITS || part == STEP_BACK_A2) return D * H;
  if (part == STEP_CODE || part == STEP_BACK_A1) return 2.0 * L * H;
  if (part == STEP_HIDDEN2 || part == STEP_BACK_Z) return L * H;
  if (part == STEP_EPS || part == STEP_Z || part == STEP_BACK_E) return 32.0 * L;
  if (part == STEP_LOSS) return 32.0 * D;
  if (part == STEP_GRAD_O || part == STEP_GRAD_D) return H * B + B;
  if (part == STEP_GRAD_E) return H * B + B;
  if (part == STEP_GRAD_1) return D * B + B;
  if (part == STEP_ADAM) return 32.0;
  return 1.0;
}

/**
 * Units u0..u1-1 of part `part` (STEP_*) of the step on the minibatch of
 * images idx[from..from+nb) of column-major data; the parts run in order,
 * each over all its units, make vaeTrain's step on that minibatch (the same
 * bits). `acc` is the loss summed so far over the minibatch's rows (0 at the
 * start); returns it with STEP_LOSS's rows added (when wantLoss != 0). The
 * minibatch's mean loss is the last sum / nb.
 */
export function vaeStepPart(net: i32, opt: i32, rng: i32, data: i32, ld: i32, idx: i32, from: i32, nb: i32, part: i32, u0: i32, u1: i32, acc: f64, wantLoss: i32): f64 {
  return stepPart(net, opt, rng, data, ld, idx, from, nb, part, u0, u1, acc, wantLoss != 0);
}

function stepPart(net: i32, opt: i32, rng: i32, data: i32, ld: i32, idx: i32, from: i32, nb: i32, part: i32, u0: i32, u1: i32, acc: f64, wantLoss: bool): f64 {
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  const p = hdr(net, HDR_PARAMS);
  const g = hdr(net, HDR_GRADS);
  const n = u1 - u0;
  if (n <= 0) return acc;
  const x = wAddr(net, W_X);
  const a1 = wAddr(net, W_A1);
  const e = wAddr(net, W_E);
  const eps = wAddr(net, W_EPS);
  const z = wAddr(net, W_Z);
  const a2 = wAddr(net, W_A2);
  const o = wAddr(net, W_O);
  const dA1 = wAddr(net, W_DA1);
  const dE = wAddr(net, W_DE);
  const dZ = wAddr(net, W_DZ);
  const dA2 = wAddr(net, W_DA2);
  const inv = 1.0 / f64(nb);
  // rows u0..u1-1 of a buffer of rows of w floats
  const H4 = H << 2;
  if (part == STEP_GATHER) {
    gatherRows(data, ld, D, idx, (from + u0) | 0, n, x + ((u0 * D) << 2));
  } else if (part == STEP_HIDDEN1) {
    denseForward(x + ((u0 * D) << 2), n, D, pAddr(net, p, P_W1), pAddr(net, p, P_B1), H, a1 + u0 * H4);
    reluInPlace(a1 + u0 * H4, n * H);
  } else if (part == STEP_CODE) {
    denseForward(a1 + u0 * H4, n, H, pAddr(net, p, P_WE), pAddr(net, p, P_BE), 2 * L, e + ((2 * L * u0) << 2));
  } else if (part == STEP_EPS) {
    fillNormalF32(rng, eps + ((L * u0) << 2), n * L, 1.0);
  } else if (part == STEP_Z) {
    reparameteriseRows(net, u0, u1);
  } else if (part == STEP_HIDDEN2) {
    denseForward(z + ((L * u0) << 2), n, L, pAddr(net, p, P_WD), pAddr(net, p, P_BD), H, a2 + u0 * H4);
    reluInPlace(a2 + u0 * H4, n * H);
  } else if (part == STEP_LOGITS) {
    denseForward(a2 + u0 * H4, n, H, pAddr(net, p, P_WO), pAddr(net, p, P_BO), D, o + ((u0 * D) << 2));
  } else if (part == STEP_LOSS) {
    // each row's loss (f64) when wanted, and d loss / d logit (/ nb) written over its logits
    for (let i = u0; i < u1; i++) {
      const nll = pixelNllAndGrad(net, x + ((i * D) << 2), o + ((i * D) << 2), D, inv, wantLoss);
      if (wantLoss) acc += nll + klRow(e + ((2 * L * i) << 2), L);
    }
  } else if (part == STEP_GRAD_O) {
    weightGradsRange(a2, nb, H, D, o, pAddr(net, g, P_WO), pAddr(net, g, P_BO), u0, u1);
  } else if (part == STEP_BACK_A2) {
    inputGrads(n, H, pAddr(net, p, P_WO), D, o + ((u0 * D) << 2), dA2 + u0 * H4);
    reluBackward(a2 + u0 * H4, dA2 + u0 * H4, n * H);
  } else if (part == STEP_GRAD_D) {
    weightGradsRange(z, nb, L, H, dA2, pAddr(net, g, P_WD), pAddr(net, g, P_BD), u0, u1);
  } else if (part == STEP_BACK_Z) {
    inputGrads(n, L, pAddr(net, p, P_WD), H, dA2 + u0 * H4, dZ + ((L * u0) << 2));
  } else if (part == STEP_BACK_E) {
    // through z = mu + exp(lv / 2) eps, plus the KL term's own gradient (in f64, rounded to float once)
    for (let i = u0; i < u1; i++) {
      for (let l = 0; l < L; l++) {
        const mu = f64(ldf32(e + ((2 * L * i + l) << 2)));
        const lv = f64(ldf32(e + ((2 * L * i + L + l) << 2)));
        const v = exp(lv);
        const dz = f64(ldf32(dZ + ((L * i + l) << 2)));
        stf32(dE + ((2 * L * i + l) << 2), demote(dz + mu * inv));
        stf32(dE + ((2 * L * i + L + l) << 2), demote(0.5 * dz * f64(ldf32(eps + ((L * i + l) << 2))) * Math.sqrt(v) + 0.5 * (v - 1.0) * inv));
      }
    }
  } else if (part == STEP_GRAD_E) {
    weightGradsRange(a1, nb, H, 2 * L, dE, pAddr(net, g, P_WE), pAddr(net, g, P_BE), u0, u1);
  } else if (part == STEP_BACK_A1) {
    inputGrads(n, H, pAddr(net, p, P_WE), 2 * L, dE + ((2 * L * u0) << 2), dA1 + u0 * H4);
    reluBackward(a1 + u0 * H4, dA1 + u0 * H4, n * H);
  } else if (part == STEP_GRAD_1) {
    weightGradsRange(x, nb, D, H, dA1, pAddr(net, g, P_W1), pAddr(net, g, P_B1), u0, u1);
  } else if (part == STEP_ADAM_T) {
    adamAdvance(opt);
  } else if (part == STEP_ADAM) {
    adamRange(p, g, hdr(net, HDR_M), hdr(net, HDR_V), u0 << 2, u1 << 2, opt);
  }
  return acc;
}

/**
 * One Adam step on the n parameters (floats) at p from the gradients at g
 * (moments m, v): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), in float
 * arithmetic with the settings rounded to float; b^t in opt (doubles) advance first.
 */
export function adamUpdate(p: i32, g: i32, m: i32, v: i32, n: i32, opt: i32): void {
  adamAdvance(opt);
  adamRange(p, g, m, v, 0, n, opt);
}

/** The start of an Adam step: b1^t and b2^t (doubles in opt) advance. */
function adamAdvance(opt: i32): void {
  stf(opt + (OPT_BETA1_T << 3), ldf(opt + (OPT_BETA1_T << 3)) * ldf(opt + (OPT_BETA1 << 3)));
  stf(opt + (OPT_BETA2_T << 3), ldf(opt + (OPT_BETA2_T << 3)) * ldf(opt + (OPT_BETA2 << 3)));
}

/** The rest of adamUpdate (after adamAdvance) on parameters k0..k1-1: each on its own, so any range gives the same bits. */
function adamRange(p: i32, g: i32, m: i32, v: i32, k0: i32, k1: i32, opt: i32): void {
  const b1 = ldf(opt + (OPT_BETA1 << 3));
  const b2 = ldf(opt + (OPT_BETA2 << 3));
  const b1t = ldf(opt + (OPT_BETA1_T << 3));
  const b2t = ldf(opt + (OPT_BETA2_T << 3));
  const lr = demote(ldf(opt + (OPT_LR << 3)));
  const eps = demote(ldf(opt + (OPT_EPS << 3)));
  const fb1 = demote(b1);
  const fb2 = demote(b2);
  const a1 = demote(1.0 - b1);
  const a2 = demote(1.0 - b2);
  const c1 = demote(1.0 - b1t);
  const c2 = demote(1.0 - b2t);
  let k = k0;
  const n = k1;
  if (ASC_FEATURE_SIMD) {
    // four parameters at a time, each lane the scalar's operations (div and sqrt are correctly rounded)
    const vb1 = f32x4.splat(fb1);
    const vb2 = f32x4.splat(fb2);
    const va1 = f32x4.splat(a1);
    const va2 = f32x4.splat(a2);
    const vc1 = f32x4.splat(c1);
    const vc2 = f32x4.splat(c2);
    const vlr = f32x4.splat(lr);
    const veps = f32x4.splat(eps);
    for (; k + 4 <= n; k += 4) {
      const q = k << 2;
      const gk = v128.load(<usize>(g + q));
      const mk = f32x4.add(f32x4.mul(vb1, v128.load(<usize>(m + q))), f32x4.mul(va1, gk));
      const vk = f32x4.add(f32x4.mul(vb2, v128.load(<usize>(v + q))), f32x4.mul(f32x4.mul(va2, gk), gk));
      v128.store(<usize>(m + q), mk);
      v128.store(<usize>(v + q), vk);
      const step = f32x4.div(f32x4.mul(vlr, f32x4.div(mk, vc1)), f32x4.add(f32x4.sqrt(f32x4.div(vk, vc2)), veps));
      v128.store(<usize>(p + q), f32x4.sub(v128.load(<usize>(p + q)), step));
    }
  }
  for (; k < n; k++) {
    const q = k << 2;
    const gk = ldf32(g + q);
    const mk = fr(fr(fb1 * ldf32(m + q)) + fr(a1 * gk));
    const vk = fr(fr(fb2 * ldf32(v + q)) + fr(fr(a2 * gk) * gk));
    stf32(m + q, mk);
    stf32(v + q, vk);
    const step = fr(fr(lr * fr(mk / c1)) / fr(sqrt32(fr(vk / c2)) + eps));
    stf32(p + q, fr(ldf32(p + q) - step));
  }
}

/** One Adam step on every weight of the network from its gradients (adamUpdate). */
export function vaeAdamStep(net: i32, opt: i32): void {
  const n = vaeParamCount(hdr(net, HDR_D), hdr(net, HDR_H), hdr(net, HDR_L));
  adamUpdate(hdr(net, HDR_PARAMS), hdr(net, HDR_GRADS), hdr(net, HDR_M), hdr(net, HDR_V), n, opt);
}

/**
 * Minibatches first..first+count-1 of an epoch over the n images of
 * column-major data in the order idx (vaeShuffle), B images each (the last
 * one of the epoch smaller): gradient and Adam step each. A budget of
 * minibatches per call lets the host yield between calls; the bits do not
 * depend on it. Returns the sum of the minibatches' mean losses when
 * wantLoss != 0, else 0: the loss is a metric (the host keeps the last
 * epoch's), which the gradient does not need, and it costs a log per pixel.
 * (An i32, not a bool: every kernel parameter is a number, test/kernel-abi.test.ts.)
 */
export function vaeTrain(net: i32, opt: i32, rng: i32, data: i32, ld: i32, n: i32, idx: i32, B: i32, first: i32, count: i32, wantLoss: i32): f64 {
  let total: f64 = 0.0;
  for (let b = first; b < first + count; b++) {
    const from = b * B;
    if (from >= n) break;
    const nb = from + B <= n ? B : n - from;
    total += batchGrad(net, rng, data, ld, idx, from, nb, wantLoss != 0);
    vaeAdamStep(net, opt);
  }
  return total;
}
