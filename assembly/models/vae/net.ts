// The VAE's network (Kingma & Welling 2014, "Auto-Encoding Variational
// Bayes"): an MLP encoder x -> relu(W1 x + b1) -> (mu, log var) and an MLP
// decoder z -> relu(Wd z + bd) -> logits Wo h + bo, one logit t per pixel:
// a Bernoulli likelihood with probability sigma(t), or a Gaussian with mean
// sigma(t) and a fixed standard deviation. Written from the paper's formulas.
//
// A network is an i32 header (HDR_* below: sizes and buffer pointers) so that
// every kernel takes one pointer for it. Parameters, gradients and Adam's
// moments share one layout (paramAt): W1[H][D] b1[H] We[2L][H] be[2L]
// Wd[H][L] bd[H] Wo[D][H] bo[D], weights row-major (row = output unit).
// A minibatch's activations are row-major too, one row per image, so every
// forward unit is a `dotF32` of two contiguous rows (fixed order, SIMD twin);
// the layers' matrix products, register-blocked, are in dense.ts.
//
// The network trains in float32 (f32), as PyTorch does by default: weights,
// gradients, Adam's moments and activations are floats (4 bytes), every
// float op rounded to float (platform.ts `fr`, so js = wasm bit for bit).
// Each block starts on 16 bytes (its size rounded up to 4 floats, the
// padding zero) so that SIMD loads stay aligned. Steps that take an
// exponential or a logarithm (reparameterisation, KL, pixel likelihood) are
// computed in f64 with detmath from the floats widened, and rounded to float
// once; sums that are metrics (losses, bounds) are accumulated in f64.
import { ldf, ldi, ldf32, stf32, demote } from "./../../platform";
import { denseForward } from "./dense";
import { exp } from "./../../detmath";
import { normal } from "./../../distributions/ziggurat";

export const HDR_D: i32 = 0;
export const HDR_H: i32 = 1;
export const HDR_L: i32 = 2;
/** Rows of the minibatch work buffers. */
export const HDR_B: i32 = 3;
export const HDR_PARAMS: i32 = 4;
export const HDR_GRADS: i32 = 5;
export const HDR_M: i32 = 6;
export const HDR_V: i32 = 7;
export const HDR_WORK: i32 = 8;
/** The pixel likelihood: pointer to two doubles (f64), the mode (LIK_*) and the Gaussian's fixed standard deviation. */
export const HDR_LIK: i32 = 9;
export const HDR_INTS: i32 = 10;

export const LIK_BERNOULLI: i32 = 0;
export const LIK_GAUSSIAN: i32 = 1;

export function hdr(net: i32, field: i32): i32 {
  return ldi(net + (field << 2));
}

/** n rounded up to a multiple of 4 (floats: 16 bytes, one v128). */
export function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

// Offsets (in floats) of each parameter block.
export const P_W1: i32 = 0;
export const P_B1: i32 = 1;
export const P_WE: i32 = 2;
export const P_BE: i32 = 3;
export const P_WD: i32 = 4;
export const P_BD: i32 = 5;
export const P_WO: i32 = 6;
export const P_BO: i32 = 7;

/** Offset in floats of parameter block `which` (P_*) for sizes D, H, L, each block padded to 4 floats; P_BO + 1 gives the count. */
export function paramAt(which: i32, D: i32, H: i32, L: i32): i32 {
  let at = 0;
  if (which > P_W1) at = (at + pad4(H * D)) | 0;
  if (which > P_B1) at = (at + pad4(H)) | 0;
  if (which > P_WE) at = (at + pad4(2 * L * H)) | 0;
  if (which > P_BE) at = (at + pad4(2 * L)) | 0;
  if (which > P_WD) at = (at + pad4(H * L)) | 0;
  if (which > P_BD) at = (at + pad4(H)) | 0;
  if (which > P_WO) at = (at + pad4(D * H)) | 0;
  if (which > P_BO) at = (at + pad4(D)) | 0;
  return at;
}

/** Floats of one parameter set (a multiple of 4). */
export function vaeParamCount(D: i32, H: i32, L: i32): i32 {
  return paramAt(P_BO + 1, D, H, L);
}

// Work buffers, in rows of B: x[D] a1[H] e[2L] eps[L] z[L] a2[H] o[D] dA1[H] dE[2L] dZ[L] dA2[H].
export const W_X: i32 = 0;
export const W_A1: i32 = 1;
export const W_E: i32 = 2;
export const W_EPS: i32 = 3;
export const W_Z: i32 = 4;
export const W_A2: i32 = 5;
export const W_O: i32 = 6;
export const W_DA1: i32 = 7;
export const W_DE: i32 = 8;
export const W_DZ: i32 = 9;
export const W_DA2: i32 = 10;

function workWidth(which: i32, D: i32, H: i32, L: i32): i32 {
  if (which == W_X || which == W_O) return D;
  if (which == W_A1 || which == W_A2 || which == W_DA1 || which == W_DA2) return H;
  if (which == W_E || which == W_DE) return 2 * L;
  return L;
}

/** Offset in floats of work buffer `which` (W_*) with B rows, each padded to 4 floats; W_DA2 + 1 gives the count. */
export function workAt(which: i32, B: i32, D: i32, H: i32, L: i32): i32 {
  let at = 0;
  for (let w = 0; w < which; w++) at = (at + pad4(B * workWidth(w, D, H, L))) | 0;
  return at;
}

/** Floats of the work buffers for minibatches of B images. */
export function vaeWorkFloats(B: i32, D: i32, H: i32, L: i32): i32 {
  return workAt(W_DA2 + 1, B, D, H, L);
}

/** Byte address of parameter block `which` in the set at `base` (params, grads, m or v). */
export function pAddr(net: i32, base: i32, which: i32): i32 {
  return base + (paramAt(which, hdr(net, HDR_D), hdr(net, HDR_H), hdr(net, HDR_L)) << 2);
}

/** Byte address of work buffer `which`. */
export function wAddr(net: i32, which: i32): i32 {
  return hdr(net, HDR_WORK) + (workAt(which, hdr(net, HDR_B), hdr(net, HDR_D), hdr(net, HDR_H), hdr(net, HDR_L)) << 2);
}

/** ReLU in place on n floats: x kept when x > 0, else +0 (NaN too). */
export function reluInPlace(p: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    // four at a time without a branch: x AND (x > 0), whose false lanes are +0's bits
    const zero = f32x4.splat(0.0);
    for (; k + 4 <= n; k += 4) {
      const q = <usize>(p + (k << 2));
      const x = v128.load(q);
      v128.store(q, v128.and(x, f32x4.gt(x, zero)));
    }
  }
  for (; k < n; k++) {
    const q = p + (k << 2);
    if (!(ldf32(q) > 0.0)) stf32(q, 0.0);
  }
}

/** dA *= 1[a > 0] on n floats (dA kept when a > 0, else +0): the ReLU's backward step. */
export function reluBackward(a: i32, da: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0.0);
    for (; k + 4 <= n; k += 4) {
      const q = <usize>(da + (k << 2));
      v128.store(q, v128.and(v128.load(q), f32x4.gt(v128.load(<usize>(a + (k << 2))), zero)));
    }
  }
  for (; k < n; k++) if (!(ldf32(a + (k << 2)) > 0.0)) stf32(da + (k << 2), 0.0);
}

/** n N(0, sigma^2) draws into the floats at out: sigma times n calls of normal(), each rounded to float. */
export function fillNormalF32(rng: i32, out: i32, n: i32, sigma: f64): void {
  for (let k = 0; k < n; k++) stf32(out + (k << 2), demote(sigma * normal(rng)));
}

/** Copies images idx[from..from+nb) (or, when idx < 0, images from..from+nb) of column-major data (doubles) to nb rows of D floats. */
export function gatherRows(data: i32, ld: i32, D: i32, idx: i32, from: i32, nb: i32, x: i32): void {
  // pixel by pixel: the nb reads of one pixel fall in one row of the data (ld doubles), where reading
  // image by image would stride over all D rows (a page each) for every image
  for (let a = 0; a < D; a++) {
    const row = data + ((a * ld) << 3);
    for (let i = 0; i < nb; i++) {
      const img = idx < 0 ? (from + i) | 0 : ldi(idx + (((from + i) | 0) << 2));
      stf32(x + ((i * D + a) << 2), demote(ldf(row + (img << 3))));
    }
  }
}

/** The encoder for nb rows at W_X: W_A1 = relu(W1 x + b1), W_E = (mu, log var) rows of 2L. */
export function encode(net: i32, nb: i32): void {
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  const p = hdr(net, HDR_PARAMS);
  const a1 = wAddr(net, W_A1);
  denseForward(wAddr(net, W_X), nb, D, pAddr(net, p, P_W1), pAddr(net, p, P_B1), H, a1);
  reluInPlace(a1, nb * H);
  denseForward(a1, nb, H, pAddr(net, p, P_WE), pAddr(net, p, P_BE), 2 * L, wAddr(net, W_E));
}

/** z = mu + exp(log var / 2) eps for nb rows (W_E, W_EPS -> W_Z); the standard deviation is sqrt(exp(log var)); in f64, rounded to float once. */
export function reparameterise(net: i32, nb: i32): void {
  reparameteriseRows(net, 0, nb);
}

/** reparameterise for rows i0..i1-1 (each row on its own). */
export function reparameteriseRows(net: i32, i0: i32, i1: i32): void {
  const L = hdr(net, HDR_L);
  const e = wAddr(net, W_E);
  const eps = wAddr(net, W_EPS);
  const z = wAddr(net, W_Z);
  for (let i = i0; i < i1; i++) {
    for (let l = 0; l < L; l++) {
      const mu = f64(ldf32(e + ((2 * L * i + l) << 2)));
      const sd = Math.sqrt(exp(f64(ldf32(e + ((2 * L * i + L + l) << 2)))));
      stf32(z + ((L * i + l) << 2), demote(mu + sd * f64(ldf32(eps + ((L * i + l) << 2)))));
    }
  }
}

/** The decoder for nb rows at z (rows of L): W_A2 = relu(Wd z + bd), W_O = logits Wo a2 + bo. */
export function decode(net: i32, z: i32, nb: i32): void {
  const D = hdr(net, HDR_D);
  const H = hdr(net, HDR_H);
  const L = hdr(net, HDR_L);
  const p = hdr(net, HDR_PARAMS);
  const a2 = wAddr(net, W_A2);
  denseForward(z, nb, L, pAddr(net, p, P_WD), pAddr(net, p, P_BD), H, a2);
  reluInPlace(a2, nb * H);
  denseForward(a2, nb, H, pAddr(net, p, P_WO), pAddr(net, p, P_BO), D, wAddr(net, W_O));
}

/** KL(N(mu, diag exp(lv)) || N(0, I)) = (1/2) sum (mu^2 + exp(lv) - 1 - lv) of one row of W_E (floats), in f64. */
export function klRow(e: i32, L: i32): f64 {
  let s: f64 = 0.0;
  for (let l = 0; l < L; l++) {
    const mu = f64(ldf32(e + (l << 2)));
    const lv = f64(ldf32(e + ((L + l) << 2)));
    s += mu * mu + exp(lv) - 1.0 - lv;
  }
  return 0.5 * s;
}
