// The pixel likelihood of the VAE's decoder: one logit t per pixel, a
// Bernoulli with probability sigma(t) or a Gaussian with mean sigma(t) and a
// fixed standard deviation (the network header's HDR_LIK); its negative log
// and its gradient. Grey levels and logits are floats (f32) of the network's
// rows; everything here is computed in f64 from them widened (the losses are
// summed in f64), and each gradient is rounded to float once as it is stored.
//
// The SIMD build evaluates two pixels at a time (two floats widened to an
// f64x2) through detmath's expLanes and logLanes, whose lanes are bitwise the scalar exp and log, with the
// scalar's operations lane by lane, and adds the lanes to the running sum in
// pixel order: the same bits as the scalar build. Training needs the loss and
// its gradient of the same logits: pixelNllAndGrad shares one exponential
// e^-|t| between softplus and sigma, the value each computed on its own.
import { ldf, stf, ldf32, stf32, demote } from "./../../platform";
import { exp, log, expLanes, logLanes } from "./../../detmath";
import { HDR_LIK, LIK_GAUSSIAN, hdr } from "./net";

/** sigma(t) = 1 / (1 + e^-t), from the side where the exponential cannot overflow. */
export function sigmoid(t: f64): f64 {
  if (t >= 0.0) return 1.0 / (1.0 + exp(-t));
  const e = exp(t);
  return e / (1.0 + e);
}

/** sigma of t given e = e^-|t| (the exponential `sigmoid` takes on either side). */
function sigmoidFrom(t: f64, e: f64): f64 {
  return t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

/** softplus(t) = log(1 + e^t) = max(t, 0) + log(1 + e^-|t|): -log sigma(-t), never overflowing. */
export function softplus(t: f64): f64 {
  const m = t > 0.0 ? t : 0.0;
  return m + log(1.0 + exp(-Math.abs(t)));
}

/** SIMD build: the two floats at p, widened to an f64x2. */
function loadPair(p: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(<usize>p));
}

/** SIMD build: both lanes of v rounded to float (as `demote`) into the two floats at p. */
function storePair(p: i32, v: v128): void {
  v128.store64_lane(<usize>p, f32x4.demote_f64x2_zero(v), 0);
}

/** SIMD build: e^-|t| of both lanes (the exponential of sigmoid and softplus). */
function expNegAbsLanes(t: v128): v128 {
  return expLanes(f64x2.neg(f64x2.abs(t)));
}

/** SIMD build: sigmoidFrom of both lanes. */
function sigmoidLanes(t: v128, e: v128): v128 {
  const one = f64x2.splat(1.0);
  const d = f64x2.add(one, e);
  return v128.bitselect(f64x2.div(one, d), f64x2.div(e, d), f64x2.ge(t, f64x2.splat(0.0)));
}

/** SIMD build: softplus of both lanes given e = e^-|t|. */
function softplusLanes(t: v128, e: v128): v128 {
  const zero = f64x2.splat(0.0);
  const m = v128.bitselect(t, zero, f64x2.gt(t, zero)); // t > 0 ? t : 0, as the scalar (-0 and NaN give +0)
  return f64x2.add(m, logLanes(f64x2.add(f64x2.splat(1.0), e)));
}

/**
 * The Bernoulli negative log-likelihood of grey levels x in [0, 1] given
 * logits t, summed over n pixels: sum softplus(t) - x t (the cross-entropy
 * -x log sigma(t) - (1 - x) log(1 - sigma(t)), stable for any t).
 */
export function bernoulliNll(x: i32, t: i32, n: i32): f64 {
  let s: f64 = 0.0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) {
      const tk = loadPair(t + (k << 2));
      const term = f64x2.sub(softplusLanes(tk, expNegAbsLanes(tk)), f64x2.mul(loadPair(x + (k << 2)), tk));
      s += f64x2.extract_lane(term, 0);
      s += f64x2.extract_lane(term, 1);
    }
  }
  for (; k < n; k++) {
    const tk = f64(ldf32(t + (k << 2)));
    s += softplus(tk) - f64(ldf32(x + (k << 2))) * tk;
  }
  return s;
}

const HALF_LOG_2PI: f64 = 0.9189385332046728; // log(2 pi) / 2

/** 1 when the network's pixel likelihood is the Gaussian one. */
function gaussianPixels(net: i32): bool {
  return ldf(hdr(net, HDR_LIK)) == f64(LIK_GAUSSIAN);
}

/** The sum over n pixels of (x - sigma(t))^2. */
function squaredErrors(x: i32, t: i32, n: i32): f64 {
  let s: f64 = 0.0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) {
      const tk = loadPair(t + (k << 2));
      const u = f64x2.sub(loadPair(x + (k << 2)), sigmoidLanes(tk, expNegAbsLanes(tk)));
      const uu = f64x2.mul(u, u);
      s += f64x2.extract_lane(uu, 0);
      s += f64x2.extract_lane(uu, 1);
    }
  }
  for (; k < n; k++) {
    const u = f64(ldf32(x + (k << 2))) - sigmoid(f64(ldf32(t + (k << 2))));
    s += u * u;
  }
  return s;
}

/**
 * The mean image of n logits at t (floats): sigma(t) of pixel a into the
 * double at out + 8 a ld (one column of column-major images).
 */
export function meanPixels(t: i32, n: i32, out: i32, ld: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) {
      const tk = loadPair(t + (k << 2));
      const p = sigmoidLanes(tk, expNegAbsLanes(tk));
      stf(out + ((k * ld) << 3), f64x2.extract_lane(p, 0));
      stf(out + (((k + 1) * ld) << 3), f64x2.extract_lane(p, 1));
    }
  }
  for (; k < n; k++) stf(out + ((k * ld) << 3), sigmoid(f64(ldf32(t + (k << 2)))));
}

/** The Gaussian's -log p(x | t) over n pixels from the sum of squared errors. */
function gaussianNll(net: i32, squares: f64, n: i32): f64 {
  const sd = ldf(hdr(net, HDR_LIK) + 8);
  const inv = 1.0 / (sd * sd);
  return 0.5 * squares * inv + f64(n) * (log(sd) + HALF_LOG_2PI);
}

/**
 * -log p(x | t) summed over n pixels: the Bernoulli cross-entropy
 * (bernoulliNll), or the Gaussian's sum (x - sigma(t))^2 / (2 s^2) + log s + log(2 pi) / 2
 * with the fixed standard deviation s.
 */
export function pixelNll(net: i32, x: i32, t: i32, n: i32): f64 {
  if (!gaussianPixels(net)) return bernoulliNll(x, t, n);
  return gaussianNll(net, squaredErrors(x, t, n), n);
}

/**
 * pixelNll of the n logits at t, returned, and the logits overwritten with
 * scale * d(-log p(x | t))/dt (computed in f64, rounded to float): Bernoulli sigma(t) - x; Gaussian
 * (mu - x) mu (1 - mu) / s^2 with mu = sigma(t) (bounded by 1 / (4 s^2) per
 * pixel for any t). Bit for bit pixelNll followed by the gradient alone.
 * Without wantLoss only the gradient (the same bits), and 0 returned: the
 * gradient needs sigma(t) alone, the loss a log per pixel besides.
 */
export function pixelNllAndGrad(net: i32, x: i32, t: i32, n: i32, scale: f64, wantLoss: bool): f64 {
  const gauss = gaussianPixels(net);
  const sd = ldf(hdr(net, HDR_LIK) + 8);
  const inv = gauss ? scale / (sd * sd) : scale;
  let s: f64 = 0.0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vinv = f64x2.splat(inv);
    for (; k + 2 <= n; k += 2) {
      const q = t + (k << 2);
      const tk = loadPair(q);
      const xk = loadPair(x + (k << 2));
      const e = expNegAbsLanes(tk);
      const mu = sigmoidLanes(tk, e);
      const r = f64x2.sub(mu, xk);
      if (gauss) storePair(q, f64x2.mul(f64x2.mul(r, f64x2.mul(mu, f64x2.sub(f64x2.splat(1.0), mu))), vinv));
      else storePair(q, f64x2.mul(r, vinv));
      if (wantLoss) {
        let term: v128;
        if (gauss) {
          const u = f64x2.sub(xk, mu);
          term = f64x2.mul(u, u);
        } else {
          term = f64x2.sub(softplusLanes(tk, e), f64x2.mul(xk, tk));
        }
        s += f64x2.extract_lane(term, 0);
        s += f64x2.extract_lane(term, 1);
      }
    }
  }
  for (; k < n; k++) {
    const q = t + (k << 2);
    const tk = f64(ldf32(q));
    const xk = f64(ldf32(x + (k << 2)));
    const e = exp(-Math.abs(tk));
    const mu = sigmoidFrom(tk, e);
    const r = mu - xk;
    if (gauss) {
      const u = xk - mu;
      if (wantLoss) s += u * u;
      stf32(q, demote(r * (mu * (1.0 - mu)) * inv));
    } else {
      const m = tk > 0.0 ? tk : 0.0;
      if (wantLoss) s += (m + log(1.0 + e)) - xk * tk;
      stf32(q, demote(r * inv));
    }
  }
  if (!wantLoss) return 0.0;
  return gauss ? gaussianNll(net, s, n) : s;
}
