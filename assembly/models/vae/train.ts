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
  reluBackward, gatherRows, encode, reparameterise, decode, klRow, fillNormalF32,
} from "./net";
import { denseBackward } from "./dense";
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
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  const p = hdr(net, HDR_PARAMS);
  const g = hdr(net, HDR_GRADS);
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
  gatherRows(data, ld, D, idx, from, nb, x);
  encode(net, nb);
  fillNormalF32(rng, eps, nb * L, 1.0);
  reparameterise(net, nb);
  decode(net, z, nb);
  const inv = 1.0 / f64(nb);
  let loss: f64 = 0.0;
  // each row's loss (f64) when wanted, and d loss / d logit (/ nb) written over its logits
  for (let i = 0; i < nb; i++) {
    const nll = pixelNllAndGrad(net, x + ((i * D) << 2), o + ((i * D) << 2), D, inv, wantLoss);
    if (wantLoss) loss += nll + klRow(e + ((2 * L * i) << 2), L);
  }
  denseBackward(a2, nb, H, pAddr(net, p, P_WO), D, o, pAddr(net, g, P_WO), pAddr(net, g, P_BO), dA2, true);
  reluBackward(a2, dA2, nb * H);
  denseBackward(z, nb, L, pAddr(net, p, P_WD), H, dA2, pAddr(net, g, P_WD), pAddr(net, g, P_BD), dZ, true);
  // through z = mu + exp(lv / 2) eps, plus the KL term's own gradient (in f64, rounded to float once)
  for (let i = 0; i < nb; i++) {
    for (let l = 0; l < L; l++) {
      const mu = f64(ldf32(e + ((2 * L * i + l) << 2)));
      const lv = f64(ldf32(e + ((2 * L * i + L + l) << 2)));
      const v = exp(lv);
      const dz = f64(ldf32(dZ + ((L * i + l) << 2)));
      stf32(dE + ((2 * L * i + l) << 2), demote(dz + mu * inv));
      stf32(dE + ((2 * L * i + L + l) << 2), demote(0.5 * dz * f64(ldf32(eps + ((L * i + l) << 2))) * Math.sqrt(v) + 0.5 * (v - 1.0) * inv));
    }
  }
  denseBackward(a1, nb, H, pAddr(net, p, P_WE), 2 * L, dE, pAddr(net, g, P_WE), pAddr(net, g, P_BE), dA1, true);
  reluBackward(a1, dA1, nb * H);
  denseBackward(x, nb, D, pAddr(net, p, P_W1), H, dA1, pAddr(net, g, P_W1), pAddr(net, g, P_B1), 0, false);
  return loss * inv;
}

/**
 * One Adam step on the n parameters (floats) at p from the gradients at g
 * (moments m, v): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), in float
 * arithmetic with the settings rounded to float; b^t in opt (doubles) advance first.
 */
export function adamUpdate(p: i32, g: i32, m: i32, v: i32, n: i32, opt: i32): void {
  const b1 = ldf(opt + (OPT_BETA1 << 3));
  const b2 = ldf(opt + (OPT_BETA2 << 3));
  const b1t = ldf(opt + (OPT_BETA1_T << 3)) * b1;
  const b2t = ldf(opt + (OPT_BETA2_T << 3)) * b2;
  stf(opt + (OPT_BETA1_T << 3), b1t);
  stf(opt + (OPT_BETA2_T << 3), b2t);
  const lr = demote(ldf(opt + (OPT_LR << 3)));
  const eps = demote(ldf(opt + (OPT_EPS << 3)));
  const fb1 = demote(b1);
  const fb2 = demote(b2);
  const a1 = demote(1.0 - b1);
  const a2 = demote(1.0 - b2);
  const c1 = demote(1.0 - b1t);
  const c2 = demote(1.0 - b2t);
  let k = 0;
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
