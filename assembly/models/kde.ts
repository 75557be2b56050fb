// The KDE family: a Gaussian kernel density estimate stores its training
// points; sampling picks one uniformly and adds N(0, h^2 I) noise; the
// held-out log-likelihood is a log-sum-exp over every training point.
//
// Data are column-major as everywhere: coordinate a of point i is the f64 at
// x + 8 * (a * ld + i). Every function here is one whole loop (a whole
// generation's sample, a whole n x m log-likelihood matrix).
import { ldf, stf, fr, demote } from "./../platform";
import { sum, crossDev } from "./../reduce";
import { normal } from "./../distributions/ziggurat";
import { rngBelow } from "./../rng/xor4096";
import { exp, log } from "./../detmath";
import { expKernelF32, expKernelF32Lanes } from "./../exp-kernel-f32";

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
 * Sums below this, 2^-64, take the second, max-shifted pass (only a query
 * farther than 9.4 h from every training point can have one). Above it, the
 * terms expKernelF32 flushes to +0 (each below e^-87, about 1.6e-38) change
 * the sum by less than n 2^-61.5 of itself (n < 2^28 points fit in memory).
 */
const DIRECT_SUM_MIN: f64 = 5.421010862427522e-20;

/**
 * Log-densities of the KDE of `n` training points (bandwidth h) at `m` query
 * points, into `out` (m doubles), and returns the mean negative
 * log-likelihood -(1/m) sum_j out_j. For query y:
 *   log p(y) = log (1/n) sum_i N(y; x_i, h^2 I)
 *            = log sum_i exp(e_i) - log n - (d/2) log(2 pi) - d log h,
 * with e_i = -|y - x_i|^2 / (2 h^2) <= 0, so no term overflows: one pass,
 * sum_i exp(e_i) (expSum: in float32, four lanes of partial sums added to
 * double totals every KDE_BLOCK points; the SIMD build four points per f32x4).
 * The terms' exp is expKernelF32 (exp-kernel-f32.ts: float arguments <= 0
 * only, within 1 ulp; expKernelF32Lanes in the SIMD build, the scalar's bits)
 * of e_i computed in double and rounded to a float, the logs detmath's. Only
 * a query so far from every training point that this sum is below
 * DIRECT_SUM_MIN takes a second pass, log-sum-exp: M + log sum_i exp(e_i - M)
 * with M = max_i e_i (the largest term is exp(0) = 1, so far-away queries
 * stay finite). The max pass this used to make for every query was a fifth
 * of the time.
 * Precision: a term's relative error is at most |e_i - M| 2^-24 (its
 * exponent rounded to a float) plus 2^-23 (the exp), a float partial sum of
 * 4 terms adds 3 2^-24, the double totals n 2^-53; so log p(y) is within
 * about 2^-24 (5 + the terms' mean |e_i - M|, weighted by the terms) of the
 * exact value, absolutely (test/kde-kernels.test.ts checks that bound
 * against a double computation, far-away queries included).
 * Where the time goes: the exp's arithmetic. In float32 a pair costs about
 * half what the double sums did on wasm-simd (four lanes, a polynomial of
 * degree 6), 3-7% more on wasm and about 3x as much on js (a Math.fround per float
 * operation; docs/kde.md). A pair costs the same at n = 10^3 and at n = 10^5 training
 * points (the 1.6 MB of a large pool streams from L2/L3 in a small part of
 * the time). The second pass is rare: none under accumulate on moons at
 * h = 0.1, 6% of the queries of a replace chain there. Blocking two queries
 * per load of a training point (each query's own accumulators, the same
 * bits) was measured with the double sums: slower on wasm-simd (V8 spills
 * the extra accumulators), no faster on wasm. The scalar loop reads the
 * query once for d = 1 and 2 (loads and index arithmetic were a fifth of it).
 * h <= 0 (or h^2 below the smallest double) gives -Infinity: the density is
 * singular.
 */
export function kdeLogDensity(train: i32, trainLd: i32, n: i32, d: i32, h: f64, query: i32, queryLd: i32, m: i32, out: i32): f64 {
  const c = 0.5 / (h * h);
  const logNorm = log(f64(n)) + 0.5 * f64(d) * LOG_TWO_PI + f64(d) * log(h);
  const singular = !(h > 0.0) || !(c < Infinity); // h = 0, NaN, or h^2 underflows
  if (singular) {
    for (let j = 0; j < m; j++) stf(out + (j << 3), -Infinity);
    return -(sum(out, m) / f64(m));
  }
  for (let j = 0; j < m; j++) {
    const y = query + (j << 3);
    const s = expSum(train, trainLd, n, d, c, y, queryLd, 0.0);
    if (s >= DIRECT_SUM_MIN) {
      stf(out + (j << 3), log(s) - logNorm);
      continue;
    }
    const mx = maxExponent(train, trainLd, 0, n, d, c, y, queryLd);
    // every distance overflowed: the density underflows honestly (-Infinity)
    if (mx == -Infinity) stf(out + (j << 3), -Infinity);
    else stf(out + (j << 3), mx + log(expSum(train, trainLd, n, d, c, y, queryLd, mx)) - logNorm);
  }
  return -(sum(out, m) / f64(m));
}

/**
 * The second pass's shift: max over training points i0 <= i < i1 of e_i = -(c |y - x_i|^2), the
 * squared distance summed over a = 0..d-1 from 0 in that order; -Infinity if
 * none is larger (NaN distances are skipped, as `e > max` is false for them).
 * The maximum of the same values is the same double in any order: e_i <= -0
 * is never +0, so no signed zero can tie with another.
 */
function maxExponent(train: i32, trainLd: i32, i0: i32, i1: i32, d: i32, c: f64, y: i32, yLd: i32): f64 {
  let mx: f64 = -Infinity;
  let i = i0;
  if (ASC_FEATURE_SIMD) {
    const vc = f64x2.splat(c);
    let vm = f64x2.splat(-Infinity);
    for (; i + 2 <= i1; i += 2) {
      let q = f64x2.splat(0.0);
      for (let a = 0; a < d; a++) {
        const diff = f64x2.sub(v128.load(<usize>(train + ((a * trainLd + i) << 3))), f64x2.splat(ldf(y + ((a * yLd) << 3))));
        q = f64x2.add(q, f64x2.mul(diff, diff));
      }
      const e = f64x2.neg(f64x2.mul(vc, q));
      vm = v128.bitselect(e, vm, f64x2.gt(e, vm));
    }
    const m0 = f64x2.extract_lane(vm, 0);
    const m1 = f64x2.extract_lane(vm, 1);
    mx = m1 > m0 ? m1 : m0;
  }
  for (; i < i1; i++) {
    const e = -(c * squaredDistance(train, trainLd, i, d, y, yLd));
    if (e > mx) mx = e;
  }
  return mx;
}

/**
 * sum_i exp(e_i - mx) over all n training points, in float32 with float64
 * totals: each term is expKernelF32 of the exponent rounded to a float
 * (computed in double: the squared distance, the scale and the shift); point
 * i goes to lane i % 4, whose float partial sum is added to its double total
 * s_(i % 4) after every KDE_BLOCK points (and the last point of each lane, the
 * n % 4 after the last multiple of 4, one block each); then (s0 + s2) + (s1 + s3).
 * The SIMD build takes four points per f32x4 (the exponents in two f64x2),
 * the lanes being those four partial sums: the same bits.
 */
function expSum(train: i32, trainLd: i32, n: i32, d: i32, c: f64, y: i32, yLd: i32, mx: f64): f64 {
  let s0: f64 = 0.0;
  let s1: f64 = 0.0;
  let s2: f64 = 0.0;
  let s3: f64 = 0.0;
  // e_i = (-c) q_i: the bits of -(c q_i) (rounding is symmetric in sign), one operation fewer
  const nc = -c;
  const n4 = n & ~3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vnc = f64x2.splat(nc);
    const vmx = f64x2.splat(mx);
    let acc01 = f64x2.splat(0.0);
    let acc23 = f64x2.splat(0.0);
    // the first pass (mx = 0) skips "- mx": e - 0 is e (-0 stays -0; and a
    // second pass never has mx = +-0, whose sum e^0 = 1 is never small)
    const shifted = mx != 0.0;
    const y0 = f64x2.splat(ldf(y));
    while (i < n4) {
      const end = i + KDE_BLOCK < n4 ? i + KDE_BLOCK : n4;
      let part = f32x4.splat(0.0);
      for (; i < end; i += 4) {
        // dimension 0 starts the squared distances: 0 + u^2 is u^2 (u^2 >= +0)
        const u0 = f64x2.sub(v128.load(<usize>(train + (i << 3))), y0);
        const v0 = f64x2.sub(v128.load(<usize>(train + (i << 3)), 16), y0);
        let q01 = f64x2.mul(u0, u0);
        let q23 = f64x2.mul(v0, v0);
        for (let a = 1; a < d; a++) {
          const col = train + ((a * trainLd + i) << 3);
          const ya = f64x2.splat(ldf(y + ((a * yLd) << 3)));
          const u = f64x2.sub(v128.load(<usize>col), ya);
          const v = f64x2.sub(v128.load(<usize>col, 16), ya);
          q01 = f64x2.add(q01, f64x2.mul(u, u));
          q23 = f64x2.add(q23, f64x2.mul(v, v));
        }
        let e01 = f64x2.mul(vnc, q01);
        let e23 = f64x2.mul(vnc, q23);
        if (shifted) {
          e01 = f64x2.sub(e01, vmx);
          e23 = f64x2.sub(e23, vmx);
        }
        // the four exponents as floats, points i..i+3 in lanes 0..3
        const e = i64x2.shuffle(f32x4.demote_f64x2_zero(e01), f32x4.demote_f64x2_zero(e23), 0, 2);
        part = f32x4.add(part, expKernelF32Lanes(e));
      }
      acc01 = f64x2.add(acc01, f64x2.promote_low_f32x4(part));
      acc23 = f64x2.add(acc23, f64x2.promote_low_f32x4(i64x2.shuffle(part, part, 1, 1)));
    }
    s0 = f64x2.extract_lane(acc01, 0);
    s1 = f64x2.extract_lane(acc01, 1);
    s2 = f64x2.extract_lane(acc23, 0);
    s3 = f64x2.extract_lane(acc23, 1);
  } else {
    // the query's first two coordinates and the second column's start read
    // once, not per point (loads and index arithmetic were a fifth of the time)
    const ya = ldf(y);
    const yb = d == 2 ? ldf(y + (yLd << 3)) : 0.0;
    const col = train + (trainLd << 3);
    while (i < n4) {
      const end = i + KDE_BLOCK < n4 ? i + KDE_BLOCK : n4;
      let p0: f32 = 0.0;
      let p1: f32 = 0.0;
      let p2: f32 = 0.0;
      let p3: f32 = 0.0;
      for (; i < end; i += 4) {
        p0 = fr(p0 + expKernelF32(demote(nc * distance(train, trainLd, col, d, y, yLd, ya, yb, i) - mx)));
        p1 = fr(p1 + expKernelF32(demote(nc * distance(train, trainLd, col, d, y, yLd, ya, yb, i + 1) - mx)));
        p2 = fr(p2 + expKernelF32(demote(nc * distance(train, trainLd, col, d, y, yLd, ya, yb, i + 2) - mx)));
        p3 = fr(p3 + expKernelF32(demote(nc * distance(train, trainLd, col, d, y, yLd, ya, yb, i + 3) - mx)));
      }
      s0 += f64(p0);
      s1 += f64(p1);
      s2 += f64(p2);
      s3 += f64(p3);
    }
  }
  // the last n % 4 points, each a block of its own (0 + t is t)
  if (i < n) s0 += f64(expKernelF32(demote(nc * squaredDistance(train, trainLd, i, d, y, yLd) - mx)));
  if (i + 1 < n) s1 += f64(expKernelF32(demote(nc * squaredDistance(train, trainLd, i + 1, d, y, yLd) - mx)));
  if (i + 2 < n) s2 += f64(expKernelF32(demote(nc * squaredDistance(train, trainLd, i + 2, d, y, yLd) - mx)));
  return (s0 + s2) + (s1 + s3);
}

/**
 * Points per float partial sum in expSum (KDE_BLOCK / 4 per lane): a float sum
 * of b positive terms is within (b - 1) 2^-24 of the exact sum, relatively;
 * 4 terms keep that below 1.8e-7 (the totals are double). Longer blocks
 * were no faster on wasm-simd (32, 64 measured), one term per block (no
 * float sums) 1.2x slower.
 */
const KDE_BLOCK: i32 = 16;

/**
 * squaredDistance of point i for the scalar expSum, given the query's first
 * two coordinates ya, yb (yb read only for d = 2) and the second column `col`.
 */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
function distance(train: i32, trainLd: i32, col: i32, d: i32, y: i32, yLd: i32, ya: f64, yb: f64, i: i32): f64 {
  if (d == 2) return squaredDistance2(ldf(train + (i << 3)) - ya, ldf(col + (i << 3)) - yb);
  if (d == 1) {
    const u = ldf(train + (i << 3)) - ya;
    return 0.0 + u * u;
  }
  return squaredDistance(train, trainLd, i, d, y, yLd);
}

/** |x_i - y|^2 = sum over a = 0..d-1 of (x_ai - y_a)^2, added to 0 in that order. */
function squaredDistance(train: i32, trainLd: i32, i: i32, d: i32, y: i32, yLd: i32): f64 {
  let q: f64 = 0.0;
  for (let a = 0; a < d; a++) {
    const diff = ldf(train + ((a * trainLd + i) << 3)) - ldf(y + ((a * yLd) << 3));
    q += diff * diff;
  }
  return q;
}

/** squaredDistance for d = 2 from the two differences: (0 + u^2) + v^2, its order. */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
function squaredDistance2(u: f64, v: f64): f64 {
  return (0.0 + u * u) + v * v;
}
