// The KDE family: a Gaussian kernel density estimate stores its training
// points; sampling picks one uniformly and adds N(0, h^2 I) noise; the
// held-out log-likelihood is a log-sum-exp over every training point.
//
// Data are column-major as everywhere: coordinate a of point i is the f64 at
// x + 8 * (a * ld + i). Every function here is one whole loop (a whole
// generation's sample, a whole n x m log-likelihood matrix).
import { ldf, stf } from "./../platform";
import { sum, crossDev } from "./../reduce";
import { normal } from "./../distributions/ziggurat";
import { rngBelow } from "./../rng/xor4096";
import { exp, log } from "./../detmath";

// The data generators of the family (mixtures, rings, moons).
export * from "./kde/datasets";

const LOG_TWO_PI: f64 = 1.8378770664093453; // log(2 pi), for the kernel's normalising constant

/**
 * Draws `m` points from the KDE of the `n` training points at `train`
 * (leading dimension trainLd) with bandwidth `h`, into `out` (leading
 * dimension outLd): for each point, an index j = rngBelow(n), then d normals,
 * out_i = x_j + h z. `out` must not overlap the training points.
 */
export function kdeSample(rng: i32, train: i32, trainLd: i32, n: i32, d: i32, h: f64, out: i32, outLd: i32, m: i32): void {
  for (let i = 0; i < m; i++) {
    const j = rngBelow(rng, n);
    for (let a = 0; a < d; a++) {
      stf(out + ((a * outLd + i) << 3), ldf(train + ((a * trainLd + j) << 3)) + h * normal(rng));
    }
  }
}

/**
 * The mean over dimensions of the unbiased sample variance of `n` points:
 * (1 / d) sum_a sum_i (x_ai - mean_a)^2 / (n - 1), i.e. tr(S) / d for the
 * sample covariance S. Two passes per coordinate (mean, then centred squares).
 */
export function kdeVariance(x: i32, ld: i32, n: i32, d: i32): f64 {
  const inv = 1.0 / f64(n);
  let acc: f64 = 0.0;
  for (let a = 0; a < d; a++) {
    const col = x + ((a * ld) << 3);
    const m = sum(col, n) * inv;
    acc += crossDev(col, col, n, m, m);
  }
  return acc / (f64(d) * f64(n - 1));
}

/**
 * The bandwidth factor of a rule of thumb for n points in d dimensions,
 * as scipy.stats.gaussian_kde defines them (scotts_factor, silverman_factor,
 * citing Scott 1992, Multivariate Density Estimation, and Silverman 1986,
 * Density Estimation for Statistics and Data Analysis):
 *   rule 0, Scott:     n^(-1 / (d + 4))
 *   rule 1, Silverman: (n (d + 2) / 4)^(-1 / (d + 4))
 *                      (in 1-D (4/3)^(1/5) n^(-1/5) = 1.0592 n^(-1/5), the "1.06 sd n^(-1/5)" rule)
 * Powers are exp(y log x) with the deterministic exp and log.
 */
export function kdeBandwidthFactor(n: f64, d: i32, rule: i32): f64 {
  const base = rule == 0 ? n : n * f64(d + 2) / 4.0;
  return exp(-log(base) / f64(d + 4));
}

/**
 * The rule-of-thumb bandwidth of `n` points: factor(n, d, rule) times the
 * pooled standard deviation sqrt(kdeVariance), so the kernel stays isotropic
 * (N(0, h^2 I)). In 1-D it is exactly scipy's gaussian_kde kernel standard
 * deviation.
 */
export function kdeBandwidth(x: i32, ld: i32, n: i32, d: i32, rule: i32): f64 {
  return kdeBandwidthFactor(f64(n), d, rule) * Math.sqrt(kdeVariance(x, ld, n, d));
}

/**
 * Log-densities of the KDE of `n` training points (bandwidth h) at `m` query
 * points, into `out` (m doubles), and returns the mean negative
 * log-likelihood -(1/m) sum_j out_j. For query y:
 *   log p(y) = log (1/n) sum_i N(y; x_i, h^2 I)
 *            = M + log sum_i exp(e_i - M) - log n - (d/2) log(2 pi) - d log h,
 * with e_i = -|y - x_i|^2 / (2 h^2) and M = max_i e_i (log-sum-exp: the
 * largest term is exp(0) = 1, so far-away queries stay finite). `work` is
 * scratch for n doubles. h <= 0 (or h^2 below the smallest double) gives
 * -Infinity: the density is singular.
 */
export function kdeLogDensity(train: i32, trainLd: i32, n: i32, d: i32, h: f64, query: i32, queryLd: i32, m: i32, work: i32, out: i32): f64 {
  const c = 0.5 / (h * h);
  const logNorm = log(f64(n)) + 0.5 * f64(d) * LOG_TWO_PI + f64(d) * log(h);
  const singular = !(h > 0.0) || !(c < Infinity); // h = 0, NaN, or h^2 underflows
  for (let j = 0; j < m; j++) {
    if (singular) {
      stf(out + (j << 3), -Infinity);
      continue;
    }
    squaredDistances(train, trainLd, n, d, query + (j << 3), queryLd, work);
    // e_i = -c |y - x_i|^2 and its maximum
    let mx: f64 = -Infinity;
    for (let i = 0; i < n; i++) {
      const e = -(c * ldf(work + (i << 3)));
      stf(work + (i << 3), e);
      if (e > mx) mx = e;
    }
    if (mx == -Infinity) {
      stf(out + (j << 3), -Infinity); // every distance overflowed: the density underflows honestly
      continue;
    }
    for (let i = 0; i < n; i++) stf(work + (i << 3), exp(ldf(work + (i << 3)) - mx));
    stf(out + (j << 3), mx + log(sum(work, n)) - logNorm);
  }
  return -(sum(out, m) / f64(m));
}

/**
 * work_i = sum over a = 0..d-1 of (x_ai - y_a)^2, added in that order. The
 * SIMD build does two training points per step with the same operations per
 * lane (no reduction across points), so both builds give the same bits.
 */
function squaredDistances(train: i32, trainLd: i32, n: i32, d: i32, y: i32, yLd: i32, work: i32): void {
  for (let i = 0; i < n; i++) stf(work + (i << 3), 0.0);
  for (let a = 0; a < d; a++) {
    const ya = ldf(y + ((a * yLd) << 3));
    const col = train + ((a * trainLd) << 3);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const vy = f64x2.splat(ya);
      for (; i + 2 <= n; i += 2) {
        const diff = f64x2.sub(v128.load(<usize>(col + (i << 3))), vy);
        const q = <usize>(work + (i << 3));
        v128.store(q, f64x2.add(v128.load(q), f64x2.mul(diff, diff)));
      }
    }
    for (; i < n; i++) {
      const diff = ldf(col + (i << 3)) - ya;
      stf(work + (i << 3), ldf(work + (i << 3)) + diff * diff);
    }
  }
}
