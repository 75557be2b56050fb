// Scoring and sampling a trained VAE: the negative ELBO and the importance-
// weighted bound (Burda, Grosse & Salakhutdinov 2016) of images, images
// decoded from prior draws, and summaries of a set of images. The network
// runs in float (net.ts); the bounds and their sums are f64, from its floats
// widened. Images in and out are doubles (column-major, as every family's points).
import { ldf, stf, ldf32, stf32, demote } from "./../../platform";
import { sum, crossDev } from "./../../reduce";
import { rngDouble } from "./../../rng/xor4096";
import { exp, log } from "./../../detmath";
import {
  HDR_B, HDR_D, HDR_L, hdr, wAddr, W_X, W_E, W_EPS, W_Z, W_O,
  gatherRows, encode, reparameterise, decode, klRow, fillNormalF32,
} from "./net";
import { sigmoid, meanPixels, pixelNll } from "./pixels";

/**
 * The one-sample negative ELBO -log p(x | z) + KL(q(z | x) || p(z)), z = mu + sigma eps,
 * of each of the n images of column-major data into out[i] (n doubles), in
 * minibatches of the work rows (eps image by image, so their size does not
 * change the bits). Returns the mean.
 */
export function vaeNegElbo(net: i32, rng: i32, data: i32, ld: i32, n: i32, out: i32): f64 {
  const B = hdr(net, HDR_B);
  const D = hdr(net, HDR_D);
  const L = hdr(net, HDR_L);
  const x = wAddr(net, W_X);
  const e = wAddr(net, W_E);
  const o = wAddr(net, W_O);
  let total: f64 = 0.0;
  for (let from = 0; from < n; from += B) {
    const nb = from + B <= n ? B : n - from;
    gatherRows(data, ld, D, -1, from, nb, x);
    encode(net, nb);
    fillNormalF32(rng, wAddr(net, W_EPS), nb * L, 1.0);
    reparameterise(net, nb);
    decode(net, wAddr(net, W_Z), nb);
    for (let i = 0; i < nb; i++) {
      const v = pixelNll(net, x + ((i * D) << 2), o + ((i * D) << 2), D) + klRow(e + ((2 * L * i) << 2), L);
      stf(out + (((from + i) | 0) << 3), v);
      total += v;
    }
  }
  return total / f64(n);
}

/**
 * The importance-weighted bound with K samples, -log (1/K) sum_k p(x, z_k) / q(z_k | x),
 * an upper bound on -log p(x) that tightens as K grows (K = 1: the ELBO),
 * of each of the n images into out[i]; `w` holds K doubles. With
 * z = mu + sigma eps, log p(z) - log q(z | x) = (sum eps^2 - sum z^2 + sum log var) / 2
 * (the 2 pi terms cancel). Each image's eps are drawn in chunks of the work
 * rows, in order. Returns the mean.
 */
export function vaeIwBound(net: i32, rng: i32, data: i32, ld: i32, n: i32, K: i32, w: i32, out: i32): f64 {
  let total: f64 = 0.0;
  for (let i = 0; i < n; i++) {
    vaeIwSamples(net, rng, data, ld, i, 0, K, w);
    total += vaeIwFinish(K, w, out + (i << 3));
  }
  return total / f64(n);
}

/**
 * vaeIwBound's samples k0..k1-1 of image i: their log weights into
 * w[k0..k1) (the image encoded again for each call: the same floats, no
 * draws). Called over consecutive ranges covering 0..K and then
 * vaeIwFinish, it gives vaeIwBound's bits for that image: the eps go sample
 * after sample and a sample's weight depends on its own draws alone, so the
 * host may split a long bound (many samples) into calls.
 */
export function vaeIwSamples(net: i32, rng: i32, data: i32, ld: i32, i: i32, k0: i32, k1: i32, w: i32): void {
  const B = hdr(net, HDR_B);
  const D = hdr(net, HDR_D);
  const L = hdr(net, HDR_L);
  const x = wAddr(net, W_X);
  const e = wAddr(net, W_E);
  const eps = wAddr(net, W_EPS);
  const z = wAddr(net, W_Z);
  const o = wAddr(net, W_O);
  gatherRows(data, ld, D, -1, i, 1, x);
  encode(net, 1);
  let logVarSum: f64 = 0.0;
  for (let l = 0; l < L; l++) logVarSum += f64(ldf32(e + ((L + l) << 2)));
  for (let from = k0; from < k1; from += B) {
    const nb = from + B <= k1 ? B : k1 - from;
    fillNormalF32(rng, eps, nb * L, 1.0);
    for (let j = 0; j < nb; j++) {
      for (let l = 0; l < L; l++) {
        // as reparameterise: in f64, rounded to float once
        const sd = Math.sqrt(exp(f64(ldf32(e + ((L + l) << 2)))));
        stf32(z + ((L * j + l) << 2), demote(f64(ldf32(e + (l << 2))) + sd * f64(ldf32(eps + ((L * j + l) << 2)))));
      }
    }
    decode(net, z, nb);
    for (let j = 0; j < nb; j++) {
      let ee: f64 = 0.0;
      let zz: f64 = 0.0;
      for (let l = 0; l < L; l++) {
        const a = f64(ldf32(eps + ((L * j + l) << 2)));
        const b = f64(ldf32(z + ((L * j + l) << 2)));
        ee += a * a;
        zz += b * b;
      }
      stf(w + (((from + j) | 0) << 3), 0.5 * (ee - zz + logVarSum) - pixelNll(net, x, o + ((j * D) << 2), D));
    }
  }
}

/** The bound -log (1/K) sum_k exp(w_k) of the K log weights at w (vaeIwSamples), by log-sum-exp from the largest in order, stored at out and returned. */
export function vaeIwFinish(K: i32, w: i32, out: i32): f64 {
  let m = ldf(w);
  for (let k = 1; k < K; k++) if (ldf(w + (k << 3)) > m) m = ldf(w + (k << 3));
  let s: f64 = 0.0;
  for (let k = 0; k < K; k++) s += exp(ldf(w + (k << 3)) - m);
  const v = -(m + log(s) - log(f64(K)));
  stf(out, v);
  return v;
}

/**
 * count images from the model into column-major out (pixel a of image i at
 * out + 8 (a ld + i)): per image, L prior normals z, then the decoder's
 * pixel probabilities sigma(logit) (mode 0, the mean image) or one Bernoulli
 * draw per pixel from them (mode 1: u < p, u = rngDouble, pixel by pixel).
 * The stream is image by image (z, then mode 1's draws), so slicing a draw
 * does not change the bits. Mode 0 draws nothing after z, so it decodes the
 * work rows' worth of images at once (a row's outputs do not depend on the
 * other rows); mode 1 decodes one image at a time to keep the stream's order.
 */
export function vaeDecode(net: i32, rng: i32, mode: i32, out: i32, ld: i32, count: i32): void {
  const D = hdr(net, HDR_D);
  const L = hdr(net, HDR_L);
  const z = wAddr(net, W_Z);
  const o = wAddr(net, W_O);
  const rows = mode == 0 ? hdr(net, HDR_B) : 1;
  for (let from = 0; from < count; from += rows) {
    const nb = from + rows <= count ? rows : count - from;
    fillNormalF32(rng, z, nb * L, 1.0);
    decode(net, z, nb);
    for (let i = 0; i < nb; i++) {
      const column = out + (((from + i) | 0) << 3);
      const logits = o + ((i * D) << 2);
      if (mode == 0) {
        meanPixels(logits, D, column, ld);
      } else {
        for (let a = 0; a < D; a++) {
          const prob = sigmoid(f64(ldf32(logits + (a << 2))));
          stf(column + ((a * ld) << 3), rngDouble(rng) < prob ? 1.0 : 0.0);
        }
      }
    }
  }
}

/**
 * Summaries of n >= 2 column-major images of D pixels into out[0..3): the
 * mean grey level, the per-pixel variance over images (unbiased) averaged
 * over pixels, and the mean Euclidean distance between images 2j and 2j+1
 * (disjoint pairs: an unbiased estimate of the mean pairwise distance, in O(n D)).
 */
export function vaeImageStats(data: i32, ld: i32, n: i32, D: i32, out: i32): void {
  let meanSum: f64 = 0.0;
  let varSum: f64 = 0.0;
  for (let a = 0; a < D; a++) {
    const col = data + ((a * ld) << 3);
    const m = sum(col, n) / f64(n);
    meanSum += m;
    varSum += crossDev(col, col, n, m, m) / f64(n - 1);
  }
  let dist: f64 = 0.0;
  let pairs = 0;
  for (let j = 0; j + 1 < n; j += 2) {
    let s: f64 = 0.0;
    for (let a = 0; a < D; a++) {
      const d = ldf(data + ((a * ld + j) << 3)) - ldf(data + ((a * ld + j + 1) << 3));
      s += d * d;
    }
    dist += Math.sqrt(s);
    pairs++;
  }
  stf(out, meanSum / f64(D));
  stf(out + 8, varSum / f64(D));
  stf(out + 16, dist / f64(pairs));
}
