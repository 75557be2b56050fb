// EM for the GMM family: the E-step, the M-step and the whole loop of
// iterations, kernel-side (scikit-learn's GaussianMixture formulas, see
// assembly/models/gmm.ts for the family and the mixture block).
//
// One EM iteration is the E-step (per point: K weighted log densities,
// log-sum-exp, responsibilities; in blocks of points, row by row, the SIMD
// build two points per step with the same operations lane by lane, exp and
// log through expLanes and logLanes) and the M-step (sums over points in
// reduce.ts's fixed order, whose SIMD twins give the same bits).
import { ldf, stf } from "./../../platform";
import { sum, crossDev } from "./../../reduce";
import { exp, log, expLanes, expRowLanesNonPositive, logLanes } from "./../../detmath";
import { choleskyPsd } from "./../../linalg/cholesky";
import { moments2, scatter2 } from "./mstep2";
import { LOG_2PI, NK_EPS, LOG_FLOOR, COV_FULL, COV_SPHERICAL, meansAt, covAt, cholAt, precAt, logcAt } from "./block";

/** Doubles of the E-step's `work`: K + 3 rows of a block of points (see mixtureLogLik). */
export function gmmWorkDoubles(K: i32, d: i32): i32 {
  return (K + 3) * E_BLOCK;
}

/**
 * Derives chol, prec and logc from the weights and covariances of block
 * `mix`. A covariance that is not positive definite (possible only with
 * reg_covar = 0, when a component sits on fewer than d + 1 distinct points)
 * gets `floor` added to its diagonal, then 16 times more, until it is; the
 * number of components so repaired is returned (0 normally). scikit-learn
 * stops with an error there; a chain must go on without a NaN.
 */
export function gmmPrepare(mix: i32, K: i32, d: i32, floor: f64): i32 {
  const dd = d * d;
  const cov = covAt(mix, K, d);
  const chol = cholAt(mix, K, d);
  const prec = precAt(mix, K, d);
  const logc = logcAt(mix, K, d);
  let repaired = 0;
  for (let k = 0; k < K; k++) {
    const c = cov + ((k * dd) << 3);
    const l = chol + ((k * dd) << 3);
    const p = prec + ((k * dd) << 3);
    let zeros = choleskyPsd(c, d, l);
    if (zeros > 0) {
      repaired++;
      let add = floor;
      for (let t = 0; t < 200 && zeros > 0; t++) {
        for (let a = 0; a < d; a++) stf(c + ((a * d + a) << 3), ldf(c + ((a * d + a) << 3)) + add);
        zeros = choleskyPsd(c, d, l);
        add *= 16.0;
      }
    }
    // prec = chol^-1, lower triangular, column by column (forward substitution)
    let logDet: f64 = 0.0; // sum_a log chol_aa = (1/2) log det cov
    for (let j = 0; j < d; j++) {
      const ljj = ldf(l + ((j * d + j) << 3));
      logDet += log(ljj);
      stf(p + ((j * d + j) << 3), 1.0 / ljj);
      for (let i = 0; i < j; i++) stf(p + ((i * d + j) << 3), 0.0);
    }
    for (let j = 0; j < d; j++) {
      for (let i = j + 1; i < d; i++) {
        let acc: f64 = 0.0;
        for (let m = j; m < i; m++) acc += ldf(l + ((i * d + m) << 3)) * ldf(p + ((m * d + j) << 3));
        stf(p + ((i * d + j) << 3), -acc / ldf(l + ((i * d + i) << 3)));
      }
    }
    stf(logc + (k << 3), log(ldf(mix + (k << 3))) - logDet - 0.5 * f64(d) * LOG_2PI);
  }
  return repaired;
}

/** What mixtureLogLik writes besides `lse`. */
const LSE_ONLY: i32 = 0;
const WITH_RESP: i32 = 1;

/** Points per block of the E-step: its rows, (K + 3) x 256 doubles, stay in L1. A multiple of 4. */
const E_BLOCK: i32 = 256;

/** Points per group of the lower bound's products (see rowLogProducts); E_BLOCK is a multiple of it. */
const LOG_GROUP: i32 = 64;

/**
 * By `mode`: LSE_ONLY, log p(x_i) for every point into `lse`; WITH_RESP, the
 * responsibilities, and `lse` keeps only the maxima (below). Returns the mean
 * log-likelihood. Per point: the K weighted log densities
 * logc_k - |prec_k (x - m_k)|^2 / 2, then log-sum-exp around their maximum.
 *
 * The points go in blocks of E_BLOCK, and within a block component by
 * component and coefficient by coefficient: each step is one pass over a row
 * of the block with its constants (a mean, a precision entry) held, so the
 * SIMD build does two points per step with no shuffling. Every point still
 * gets the scalar's operations in the scalar's order:
 *   y_a = 0 + p_a0 (x_0 - m_0) + ... + p_aa (x_a - m_a),  q = 0 + y_0^2 + ...,
 *   v_k = max(logc_k - 0.5 q, LOG_FLOOR), top = the first largest v_k,
 *   s = 0 + e_0 + ... + e_{K-1} with e_k = exp(v_k - top),
 *   log p = top + log s, r_k = e_k (1 / s).
 * d = 2 with K = 2 (the notebook's fit) goes through one fused pass per
 * block (eStepBlock22), the same operations without the rows.
 * Rows of `work` (gmmWorkDoubles): v (then e) for each k, y, q, s; the
 * maxima are kept in `lse` until log p replaces them.
 *
 * With WITH_RESP (EM) the mean is (sum_i top_i + sum_i log s_i) / n, with
 * sum_i log s_i taken as logs of products (rowLogProducts): one log per 32
 * points instead of one per point. Each s_i lies in [1, K], so a product of
 * 32 cannot overflow for any K allowed; its rounding (< 32 half-ulps
 * relative) moves the mean by about 1e-16 per point, far below any tol.
 */
function mixtureLogLik(x: i32, ld: i32, n: i32, d: i32, K: i32, mix: i32, mode: i32, resp: i32, lse: i32, work: i32): f64 {
  const dd = d * d;
  const means = meansAt(mix, K);
  const prec = precAt(mix, K, d);
  const logc = logcAt(mix, K, d);
  const rowY = work + ((K * E_BLOCK) << 3);
  const rowQ = rowY + (E_BLOCK << 3);
  const rowS = rowQ + (E_BLOCK << 3);
  const fused = d == 2 && K == 2 && mode != LSE_ONLY;
  let logSum: f64 = 0.0;
  for (let i0 = 0; i0 < n; i0 += E_BLOCK) {
    const m = n - i0 < E_BLOCK ? n - i0 : E_BLOCK;
    const top = lse + (i0 << 3);
    if (fused) {
      logSum = eStepBlock22(x + (i0 << 3), x + ((ld + i0) << 3), mix, top, rowS, resp + (i0 << 3), resp + ((n + i0) << 3), m, work, logSum);
      continue;
    }
    for (let k = 0; k < K; k++) {
      const mk = means + ((k * d) << 3);
      const pk = prec + ((k * dd) << 3);
      if (d == 2) {
        rowQuadForm2(rowQ, pk, mk, x + (i0 << 3), x + ((ld + i0) << 3), m);
        rowLogDensity(work + ((k * E_BLOCK) << 3), rowQ, ldf(logc + (k << 3)), top, k == 0, m);
        continue;
      }
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          rowAddScaledDiff(rowY, b == 0, ldf(pk + ((a * d + b) << 3)), x + ((b * ld + i0) << 3), ldf(mk + (b << 3)), m);
        }
        rowAddSquare(rowQ, a == 0, rowY, m);
      }
      rowLogDensity(work + ((k * E_BLOCK) << 3), rowQ, ldf(logc + (k << 3)), top, k == 0, m);
    }
    rowExpSum(work, K, top, rowS, m);
    if (mode == LSE_ONLY) {
      rowLogSumExp(top, rowS, m);
    } else {
      logSum = rowLogProducts(rowS, m, logSum);
      for (let k = 0; k < K; k++) rowScaleInto(resp + ((k * n + i0) << 3), work + ((k * E_BLOCK) << 3), rowS, m);
    }
  }
  return mode == LSE_ONLY ? sum(lse, n) / f64(n) : (sum(lse, n) + logSum) / f64(n);
}

/**
 * acc + sum of log s_i over a row of m points, in groups of LOG_GROUP
 * points from the row's start: per group the product of its even-offset
 * points' s and that of its odd-offset points' (each from 1, in point
 * order: the SIMD build's two lanes), then acc += log(even), acc += log(odd).
 */
function rowLogProducts(s: i32, m: i32, acc: f64): f64 {
  for (let g = 0; g < m; g += LOG_GROUP) {
    const end = m - g < LOG_GROUP ? m : g + LOG_GROUP;
    let i = g;
    if (ASC_FEATURE_SIMD) {
      let p = f64x2.splat(1.0);
      for (; i + 2 <= end; i += 2) p = f64x2.mul(p, v128.load(<usize>(s + (i << 3))));
      if (i < end) p = f64x2.replace_lane(p, 0, f64x2.extract_lane(p, 0) * ldf(s + (i << 3)));
      const l = logLanes(p);
      acc += f64x2.extract_lane(l, 0);
      acc += f64x2.extract_lane(l, 1);
    } else {
      let even: f64 = 1.0;
      let odd: f64 = 1.0;
      for (; i + 2 <= end; i += 2) {
        even *= ldf(s + (i << 3));
        odd *= ldf(s + ((i + 1) << 3));
      }
      if (i < end) even *= ldf(s + (i << 3));
      acc += log(even);
      acc += log(odd);
    }
  }
  return acc;
}

/**
 * The E-step of a block of m points for d = 2, K = 2, in one pass: per point
 * the operations of rowQuadForm2, rowLogDensity, rowExpSum (its K = 2 form)
 * and rowScaleInto, in their order, with the values in registers. Writes
 * top (the larger v_k) into `top`, r_0, r_1 into `r0`, `r1`, and s into
 * `rowS` (the SIMD build: only for the points its pairs leave, the odd last one).
 * The rows' additions of 0 are left out: 0 + t differs from t only when t is
 * -0, and each such t is squared (y_0, y_1), is a square (y_0^2) or is an
 * e_0 >= +0, where the sign of a zero is lost anyway: the same bits.
 * The SIMD build does two points per step, in three passes over the block
 * (so that exp runs in its own loop, expRowLanesNonPositive, with no call per pair):
 * ePairs22 (or ePairs22Diagonal when both precision factors are diagonal:
 * diag and spherical fits), expRowLanesNonPositive, ePairs22Finish (which
 * also takes rowLogProducts's products and logs). Returns logSum plus the
 * block's sum of log s_i, as rowLogProducts adds it.
 */
function eStepBlock22(x0: i32, x1: i32, mix: i32, top: i32, rowS: i32, r0: i32, r1: i32, m: i32, work: i32, logSum: f64): f64 {
  const means = meansAt(mix, 2);
  const prec = precAt(mix, 2, 2);
  const logc = logcAt(mix, 2, 2);
  const a00 = ldf(prec);
  const a10 = ldf(prec + 16);
  const a11 = ldf(prec + 24);
  const b00 = ldf(prec + 32);
  const b10 = ldf(prec + 48);
  const b11 = ldf(prec + 56);
  const am0 = ldf(means);
  const am1 = ldf(means + 8);
  const bm0 = ldf(means + 16);
  const bm1 = ldf(means + 24);
  const ac = ldf(logc);
  const bc = ldf(logc + 8);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // three passes over the pairs of points, through rows of `work`: the
    // maxima, the v_k - top that are 0 and the exp arguments; the exps; the sums and responsibilities
    const rowT0 = work;
    const rowArg = work + (E_BLOCK << 3);
    const rowE = work + ((2 * E_BLOCK) << 3);
    i = a10 == 0.0 && b10 == 0.0 ? ePairs22Diagonal(x0, x1, mix, top, rowT0, rowArg, m) : ePairs22(x0, x1, mix, top, rowT0, rowArg, m);
    expRowLanesNonPositive(rowArg, rowE, i); // every v_k - top is <= 0
    // rowArg is free now: it holds the product of a group the last (odd) point ends
    logSum = ePairs22Finish(rowT0, rowE, r0, r1, i, m, logSum, rowArg);
  }
  const even = i;
  for (; i < m; i++) {
    const p0 = ldf(x0 + (i << 3));
    const p1 = ldf(x1 + (i << 3));
    let d0 = p0 - am0;
    let d1 = p1 - am1;
    let y0 = a00 * d0;
    let y1 = a10 * d0 + a11 * d1;
    let v0 = ac - 0.5 * (y0 * y0 + y1 * y1);
    if (!(v0 > LOG_FLOOR)) v0 = LOG_FLOOR;
    d0 = p0 - bm0;
    d1 = p1 - bm1;
    y0 = b00 * d0;
    y1 = b10 * d0 + b11 * d1;
    let v1 = bc - 0.5 * (y0 * y0 + y1 * y1);
    if (!(v1 > LOG_FLOOR)) v1 = LOG_FLOOR;
    const t = v1 > v0 ? v1 : v0;
    const e0 = v0 == t ? 1.0 : exp(v0 - t);
    const e1 = v1 == t ? 1.0 : exp(v1 - t);
    const sv = e0 + e1;
    stf(top + (i << 3), t);
    stf(rowS + (i << 3), sv);
    stf(r0 + (i << 3), e0 * (1.0 / sv));
    stf(r1 + (i << 3), e1 * (1.0 / sv));
  }
  if (!ASC_FEATURE_SIMD) return rowLogProducts(rowS, m, logSum);
  if (even < m) {
    // the last point's group, as rowLogProducts ends it: its s into the even lane, then the logs
    let p = f64x2.splat(1.0);
    if (((m - 1) & ~(LOG_GROUP - 1)) < even) p = v128.load(<usize>(work + (E_BLOCK << 3)));
    p = f64x2.replace_lane(p, 0, f64x2.extract_lane(p, 0) * ldf(rowS + (even << 3)));
    const l = logLanes(p);
    logSum += f64x2.extract_lane(l, 0);
    logSum += f64x2.extract_lane(l, 1);
  }
  return logSum;
}

/**
 * eStepBlock22's first SIMD pass: its points two per step (lanes), from the
 * first while two are left, into `top` and the rows of v_0 - top and of
 * exp's arguments; returns the index it stopped at. The clamp and the
 * maximum are pmax: pmax(a, b) = a < b ? b : a is the scalar's
 * "v > floor ? v : floor" (NaN: floor) and "v1 > v0 ? v1 : v0" in one
 * instruction instead of a compare and a bitselect. exp's argument, the
 * v_k - top that is not 0, is t0 + t1: the top's own difference is +0
 * (v - v), the other is finite (every v_k lies in [LOG_FLOOR, logc_k]), and
 * x + (+0) = x; when both are 0 the sum is +0 or the scalar's -0 as +0,
 * whose exp is 1 all the same.
 */
function ePairs22(x0: i32, x1: i32, mix: i32, top: i32, rowT0: i32, rowArg: i32, m: i32): i32 {
  const means = meansAt(mix, 2);
  const prec = precAt(mix, 2, 2);
  const logc = logcAt(mix, 2, 2);
  const half = f64x2.splat(0.5);
  const floor = f64x2.splat(LOG_FLOOR);
  const va00 = f64x2.splat(ldf(prec));
  const va10 = f64x2.splat(ldf(prec + 16));
  const va11 = f64x2.splat(ldf(prec + 24));
  const vb00 = f64x2.splat(ldf(prec + 32));
  const vb10 = f64x2.splat(ldf(prec + 48));
  const vb11 = f64x2.splat(ldf(prec + 56));
  const vam0 = f64x2.splat(ldf(means));
  const vam1 = f64x2.splat(ldf(means + 8));
  const vbm0 = f64x2.splat(ldf(means + 16));
  const vbm1 = f64x2.splat(ldf(means + 24));
  const vac = f64x2.splat(ldf(logc));
  const vbc = f64x2.splat(ldf(logc + 8));
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const p0 = v128.load(<usize>(x0 + (i << 3)));
    const p1 = v128.load(<usize>(x1 + (i << 3)));
    // component 0
    let d0 = f64x2.sub(p0, vam0);
    let d1 = f64x2.sub(p1, vam1);
    let y0 = f64x2.mul(va00, d0);
    let y1 = f64x2.add(f64x2.mul(va10, d0), f64x2.mul(va11, d1));
    let q = f64x2.add(f64x2.mul(y0, y0), f64x2.mul(y1, y1));
    let v0 = f64x2.sub(vac, f64x2.mul(half, q));
    v0 = f64x2.pmax(floor, v0);
    // component 1
    d0 = f64x2.sub(p0, vbm0);
    d1 = f64x2.sub(p1, vbm1);
    y0 = f64x2.mul(vb00, d0);
    y1 = f64x2.add(f64x2.mul(vb10, d0), f64x2.mul(vb11, d1));
    q = f64x2.add(f64x2.mul(y0, y0), f64x2.mul(y1, y1));
    let v1 = f64x2.sub(vbc, f64x2.mul(half, q));
    v1 = f64x2.pmax(floor, v1);
    // the larger v_k (top), v_0 - top, and exp's argument: the v_k - top that is not 0 (both 0: 0), as t0 + t1 (see ePairs22)
    const t = f64x2.pmax(v0, v1);
    const t0 = f64x2.sub(v0, t);
    const t1 = f64x2.sub(v1, t);
    v128.store(<usize>(top + (i << 3)), t);
    v128.store(<usize>(rowT0 + (i << 3)), t0);
    v128.store(<usize>(rowArg + (i << 3)), f64x2.add(t0, t1));
  }
  return i;
}

/**
 * ePairs22 for precision factors with p_10 = 0 in both components (diag
 * and spherical fits; the caller checks): y_1 = p_11 (x_1 - m_1) without
 * the term p_10 (x_0 - m_0). That term is +-0 for finite x_0 and can only
 * change the sign of a zero y_1, which is squared next; for x_0 infinite or
 * NaN, y_0 is too and the log density is LOG_FLOOR either way: the same bits.
 */
function ePairs22Diagonal(x0: i32, x1: i32, mix: i32, top: i32, rowT0: i32, rowArg: i32, m: i32): i32 {
  const means = meansAt(mix, 2);
  const prec = precAt(mix, 2, 2);
  const logc = logcAt(mix, 2, 2);
  const half = f64x2.splat(0.5);
  const floor = f64x2.splat(LOG_FLOOR);
  const va00 = f64x2.splat(ldf(prec));
  const va11 = f64x2.splat(ldf(prec + 24));
  const vb00 = f64x2.splat(ldf(prec + 32));
  const vb11 = f64x2.splat(ldf(prec + 56));
  const vam0 = f64x2.splat(ldf(means));
  const vam1 = f64x2.splat(ldf(means + 8));
  const vbm0 = f64x2.splat(ldf(means + 16));
  const vbm1 = f64x2.splat(ldf(means + 24));
  const vac = f64x2.splat(ldf(logc));
  const vbc = f64x2.splat(ldf(logc + 8));
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const p0 = v128.load(<usize>(x0 + (i << 3)));
    const p1 = v128.load(<usize>(x1 + (i << 3)));
    let y0 = f64x2.mul(va00, f64x2.sub(p0, vam0));
    let y1 = f64x2.mul(va11, f64x2.sub(p1, vam1));
    let v0 = f64x2.sub(vac, f64x2.mul(half, f64x2.add(f64x2.mul(y0, y0), f64x2.mul(y1, y1))));
    v0 = f64x2.pmax(floor, v0);
    y0 = f64x2.mul(vb00, f64x2.sub(p0, vbm0));
    y1 = f64x2.mul(vb11, f64x2.sub(p1, vbm1));
    let v1 = f64x2.sub(vbc, f64x2.mul(half, f64x2.add(f64x2.mul(y0, y0), f64x2.mul(y1, y1))));
    v1 = f64x2.pmax(floor, v1);
    // the larger v_k (top), v_0 - top, and exp's argument: the v_k - top that is not 0 (both 0: 0), as t0 + t1 (see ePairs22)
    const t = f64x2.pmax(v0, v1);
    const t0 = f64x2.sub(v0, t);
    const t1 = f64x2.sub(v1, t);
    v128.store(<usize>(top + (i << 3)), t);
    v128.store(<usize>(rowT0 + (i << 3)), t0);
    v128.store(<usize>(rowArg + (i << 3)), f64x2.add(t0, t1));
  }
  return i;
}

/**
 * eStepBlock22's last SIMD pass over the first m points (m even) of a block
 * of mAll (m or m + 1): with e the exp of the argument, e_k = 1 where
 * v_k - top = 0 (component 0 first), else e; s = e_0 + e_1 and
 * r_k = e_k (1 / s). It also does rowLogProducts's work on the s: per group
 * of LOG_GROUP points the two lanes' products, acc += log of each; a group
 * that the block's odd last point ends is left as its product at `pending`
 * (eStepBlock22 ends it). Returns acc.
 * Fewer operations, the same bits: one of e_0, e_1 is 1 in every lane, so
 * s = 1 + e (addition commutes exactly), that component's r is 1 (1 / s) =
 * 1 / s (s in [1, 2]: finite), the other's e (1 / s); a select places them.
 * The s are not stored: only the scalar path reads its own point's s.
 */
function ePairs22Finish(rowT0: i32, rowE: i32, r0: i32, r1: i32, m: i32, mAll: i32, acc: f64, pending: i32): f64 {
  const zero = f64x2.splat(0.0);
  const one = f64x2.splat(1.0);
  for (let g = 0; g < m; g += LOG_GROUP) {
    const end = m - g < LOG_GROUP ? m : g + LOG_GROUP;
    let p = one;
    for (let i = g; i < end; i += 2) {
      const zero0 = f64x2.eq(v128.load(<usize>(rowT0 + (i << 3))), zero);
      const e = v128.load(<usize>(rowE + (i << 3)));
      const sv = f64x2.add(one, e);
      const inv = f64x2.div(one, sv);
      const re = f64x2.mul(e, inv);
      v128.store(<usize>(r0 + (i << 3)), v128.bitselect(inv, re, zero0));
      v128.store(<usize>(r1 + (i << 3)), v128.bitselect(re, inv, zero0));
      p = f64x2.mul(p, sv);
    }
    if (m - g < LOG_GROUP && mAll > m) {
      v128.store(<usize>pending, p);
    } else {
      const l = logLanes(p);
      acc += f64x2.extract_lane(l, 0);
      acc += f64x2.extract_lane(l, 1);
    }
  }
  return acc;
}

/** y_i = (first ? 0 : y_i) + p (x_i - mu) over a row of m points. */
function rowAddScaledDiff(y: i32, first: bool, p: f64, xs: i32, mu: f64, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vp = f64x2.splat(p);
    const vmu = f64x2.splat(mu);
    for (; i + 2 <= m; i += 2) {
      const q = <usize>(y + (i << 3));
      const base = first ? f64x2.splat(0.0) : v128.load(q);
      v128.store(q, f64x2.add(base, f64x2.mul(vp, f64x2.sub(v128.load(<usize>(xs + (i << 3))), vmu))));
    }
  }
  for (; i < m; i++) {
    const base: f64 = first ? 0.0 : ldf(y + (i << 3));
    stf(y + (i << 3), base + p * (ldf(xs + (i << 3)) - mu));
  }
}

/**
 * d = 2 in one pass, the same operations as the rows: y_0 = 0 + p_00 (x_0 - m_0),
 * y_1 = (0 + p_10 (x_0 - m_0)) + p_11 (x_1 - m_1), q = (0 + y_0^2) + y_1^2.
 */
function rowQuadForm2(q: i32, p: i32, mk: i32, x0: i32, x1: i32, m: i32): void {
  const p00 = ldf(p);
  const p10 = ldf(p + 16);
  const p11 = ldf(p + 24);
  const m0 = ldf(mk);
  const m1 = ldf(mk + 8);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0.0);
    const v00 = f64x2.splat(p00);
    const v10 = f64x2.splat(p10);
    const v11 = f64x2.splat(p11);
    const vm0 = f64x2.splat(m0);
    const vm1 = f64x2.splat(m1);
    for (; i + 2 <= m; i += 2) {
      const d0 = f64x2.sub(v128.load(<usize>(x0 + (i << 3))), vm0);
      const d1 = f64x2.sub(v128.load(<usize>(x1 + (i << 3))), vm1);
      const y0 = f64x2.add(zero, f64x2.mul(v00, d0));
      const y1 = f64x2.add(f64x2.add(zero, f64x2.mul(v10, d0)), f64x2.mul(v11, d1));
      v128.store(<usize>(q + (i << 3)), f64x2.add(f64x2.add(zero, f64x2.mul(y0, y0)), f64x2.mul(y1, y1)));
    }
  }
  for (; i < m; i++) {
    const d0 = ldf(x0 + (i << 3)) - m0;
    const d1 = ldf(x1 + (i << 3)) - m1;
    const y0 = 0.0 + p00 * d0;
    const y1 = (0.0 + p10 * d0) + p11 * d1;
    stf(q + (i << 3), (0.0 + y0 * y0) + y1 * y1);
  }
}

/** q_i = (first ? 0 : q_i) + y_i^2 over a row of m points. */
function rowAddSquare(q: i32, first: bool, y: i32, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= m; i += 2) {
      const p = <usize>(q + (i << 3));
      const yi = v128.load(<usize>(y + (i << 3)));
      v128.store(p, f64x2.add(first ? f64x2.splat(0.0) : v128.load(p), f64x2.mul(yi, yi)));
    }
  }
  for (; i < m; i++) {
    const yi = ldf(y + (i << 3));
    stf(q + (i << 3), (first ? 0.0 : ldf(q + (i << 3))) + yi * yi);
  }
}

/**
 * v_i = logc - 0.5 q_i, clamped at LOG_FLOOR (NaN too), and the running
 * maximum: top_i = v_i for the first component (the scalar's max starts at
 * LOG_FLOOR, which v_i never falls below), else v_i where v_i > top_i.
 */
function rowLogDensity(v: i32, q: i32, logc: f64, top: i32, first: bool, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f64x2.splat(logc);
    const half = f64x2.splat(0.5);
    const floor = f64x2.splat(LOG_FLOOR);
    for (; i + 2 <= m; i += 2) {
      let vi = f64x2.sub(vc, f64x2.mul(half, v128.load(<usize>(q + (i << 3)))));
      vi = f64x2.pmax(floor, vi); // floor < vi ? vi : floor (see ePairs22)
      v128.store(<usize>(v + (i << 3)), vi);
      const t = <usize>(top + (i << 3));
      v128.store(t, first ? vi : f64x2.pmax(v128.load(t), vi));
    }
  }
  for (; i < m; i++) {
    let vi = logc - 0.5 * ldf(q + (i << 3));
    if (!(vi > LOG_FLOOR)) vi = LOG_FLOOR;
    stf(v + (i << 3), vi);
    if (first || vi > ldf(top + (i << 3))) stf(top + (i << 3), vi);
  }
}

/**
 * e_k = exp(v_k - top) in place over the K rows at `rows` and s = 0 + e_0 +
 * ... + e_{K-1}. exp(0) = 1 exactly, so the largest term costs no exp; with
 * K = 2 one of the two arguments is 0 in every point, so the SIMD build needs
 * one expLanes for both components.
 */
function rowExpSum(rows: i32, K: i32, top: i32, s: i32, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (K == 2) {
      const r1 = rows + (E_BLOCK << 3);
      const one = f64x2.splat(1.0);
      for (; i + 2 <= m; i += 2) {
        const t = v128.load(<usize>(top + (i << 3)));
        const t0 = f64x2.sub(v128.load(<usize>(rows + (i << 3))), t);
        const t1 = f64x2.sub(v128.load(<usize>(r1 + (i << 3))), t);
        const zero0 = f64x2.eq(t0, f64x2.splat(0.0));
        const e = expLanes(v128.bitselect(t1, t0, zero0));
        const e0 = v128.bitselect(one, e, zero0);
        const e1 = v128.bitselect(e, one, zero0);
        v128.store(<usize>(rows + (i << 3)), e0);
        v128.store(<usize>(r1 + (i << 3)), e1);
        v128.store(<usize>(s + (i << 3)), f64x2.add(f64x2.add(f64x2.splat(0.0), e0), e1));
      }
    } else {
      for (; i + 2 <= m; i += 2) {
        const t = v128.load(<usize>(top + (i << 3)));
        let acc = f64x2.splat(0.0);
        for (let k = 0; k < K; k++) {
          const p = <usize>(rows + ((k * E_BLOCK + i) << 3));
          const e = expLanes(f64x2.sub(v128.load(p), t));
          v128.store(p, e);
          acc = f64x2.add(acc, e);
        }
        v128.store(<usize>(s + (i << 3)), acc);
      }
    }
  }
  for (; i < m; i++) {
    const t = ldf(top + (i << 3));
    let acc: f64 = 0.0;
    for (let k = 0; k < K; k++) {
      const p = rows + ((k * E_BLOCK + i) << 3);
      const v = ldf(p);
      const e = v == t ? 1.0 : exp(v - t); // exp(+0) = 1 exactly: skip the call
      stf(p, e);
      acc += e;
    }
    stf(s + (i << 3), acc);
  }
}

/** top_i = top_i + log s_i: the log-likelihoods, in place of the maxima. */
function rowLogSumExp(top: i32, s: i32, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= m; i += 2) {
      const t = <usize>(top + (i << 3));
      v128.store(t, f64x2.add(v128.load(t), logLanes(v128.load(<usize>(s + (i << 3))))));
    }
  }
  for (; i < m; i++) stf(top + (i << 3), ldf(top + (i << 3)) + log(ldf(s + (i << 3))));
}

/** out_i = e_i (1 / s_i): the responsibilities of one component. */
function rowScaleInto(out: i32, e: i32, s: i32, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const one = f64x2.splat(1.0);
    for (; i + 2 <= m; i += 2) {
      v128.store(<usize>(out + (i << 3)), f64x2.mul(v128.load(<usize>(e + (i << 3))), f64x2.div(one, v128.load(<usize>(s + (i << 3))))));
    }
  }
  for (; i < m; i++) stf(out + (i << 3), ldf(e + (i << 3)) * (1.0 / ldf(s + (i << 3))));
}

/**
 * The E-step over n points and K components: responsibilities into `resp`
 * (K rows of n), per-point log-likelihoods into `lse` (n), and the mean
 * log-likelihood returned (scikit-learn's lower bound). `work`:
 * gmmWorkDoubles(K, d) doubles.
 */
export function gmmEStep(x: i32, ld: i32, n: i32, d: i32, K: i32, mix: i32, resp: i32, lse: i32, work: i32): f64 {
  return mixtureLogLik(x, ld, n, d, K, mix, WITH_RESP, resp, lse, work);
}

/** Mean log-likelihood of n points under mixture `mix` (held-out scoring); `lse` n doubles, `work` gmmWorkDoubles(K, d). */
export function gmmScore(x: i32, ld: i32, n: i32, d: i32, K: i32, mix: i32, lse: i32, work: i32): f64 {
  return mixtureLogLik(x, ld, n, d, K, mix, LSE_ONLY, 0, lse, work);
}

/**
 * The M-step: weights, means and covariances (type 0 full, 1 diag,
 * 2 spherical; reg added to the diagonal) from the responsibilities, then
 * gmmPrepare. `scratch`: n doubles. Returns the number of repaired components.
 * Covariances are centred sums, sum_i r_ik (x_ia - m_ka)(x_ib - m_kb) / n_k,
 * also for diag and spherical (scikit-learn computes those as
 * E[x^2] - m^2, the same number up to rounding).
 */
export function gmmMStep(x: i32, ld: i32, n: i32, d: i32, K: i32, resp: i32, covType: i32, reg: f64, floor: f64, mix: i32, scratch: i32): i32 {
  const dd = d * d;
  const means = meansAt(mix, K);
  const cov = covAt(mix, K, d);
  let total: f64 = 0.0;
  for (let k = 0; k < K; k++) {
    const rk = resp + ((k * n) << 3);
    if (d == 2) {
      total += mStep2(x, x + (ld << 3), n, rk, covType, reg, mix, K, k);
      continue;
    }
    const nk = sum(rk, n) + NK_EPS;
    stf(mix + (k << 3), nk);
    total += nk;
    const inv = 1.0 / nk;
    const mk = means + ((k * d) << 3);
    // m_ka = sum_i r_ik x_ia / n_k: crossDev with zero centres is a dot product
    for (let a = 0; a < d; a++) stf(mk + (a << 3), crossDev(rk, x + ((a * ld) << 3), n, 0.0, 0.0) * inv);
    const ck = cov + ((k * dd) << 3);
    for (let q = 0; q < dd; q++) stf(ck + (q << 3), 0.0);
    for (let a = 0; a < d; a++) {
      const xa = x + ((a * ld) << 3);
      const ma = ldf(mk + (a << 3));
      // scratch_i = r_ik (x_ia - m_ka); then sum_i scratch_i (x_ib - m_kb)
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        const vm = f64x2.splat(ma);
        for (; i + 2 <= n; i += 2) {
          v128.store(<usize>(scratch + (i << 3)), f64x2.mul(v128.load(<usize>(rk + (i << 3))), f64x2.sub(v128.load(<usize>(xa + (i << 3))), vm)));
        }
      }
      for (; i < n; i++) stf(scratch + (i << 3), ldf(rk + (i << 3)) * (ldf(xa + (i << 3)) - ma));
      if (covType == COV_FULL) {
        for (let b = 0; b <= a; b++) {
          const c = crossDev(scratch, x + ((b * ld) << 3), n, 0.0, ldf(mk + (b << 3))) * inv;
          stf(ck + ((a * d + b) << 3), c);
          stf(ck + ((b * d + a) << 3), c);
        }
      } else {
        stf(ck + ((a * d + a) << 3), crossDev(scratch, xa, n, 0.0, ma) * inv);
      }
    }
    if (covType == COV_SPHERICAL) {
      let v: f64 = 0.0;
      for (let a = 0; a < d; a++) v += ldf(ck + ((a * d + a) << 3));
      v = v / f64(d);
      for (let a = 0; a < d; a++) stf(ck + ((a * d + a) << 3), v);
    }
    for (let a = 0; a < d; a++) stf(ck + ((a * d + a) << 3), ldf(ck + ((a * d + a) << 3)) + reg);
  }
  for (let k = 0; k < K; k++) stf(mix + (k << 3), ldf(mix + (k << 3)) / total);
  return gmmPrepare(mix, K, d, floor);
}

/**
 * gmmMStep's component k for d = 2: its weight (unnormalised n_k, returned),
 * mean and covariance with the same operations, from two passes over the
 * points (moments2, scatter2) instead of eight. The covariance block holds
 * each pass's three sums until they are used.
 */
function mStep2(x0: i32, x1: i32, n: i32, rk: i32, covType: i32, reg: f64, mix: i32, K: i32, k: i32): f64 {
  const mk = meansAt(mix, K) + ((k * 2) << 3);
  const ck = covAt(mix, K, 2) + ((k * 4) << 3);
  moments2(rk, x0, x1, n, ck);
  const nk = ldf(ck) + NK_EPS;
  stf(mix + (k << 3), nk);
  const inv = 1.0 / nk;
  const m0 = ldf(ck + 8) * inv;
  const m1 = ldf(ck + 16) * inv;
  stf(mk, m0);
  stf(mk + 8, m1);
  scatter2(rk, x0, x1, n, m0, m1, ck, covType == COV_FULL);
  const c00 = ldf(ck) * inv;
  const c10 = covType == COV_FULL ? ldf(ck + 8) * inv : 0.0;
  const c11 = ldf(ck + 16) * inv;
  if (covType == COV_SPHERICAL) {
    const v = ((0.0 + c00) + c11) / 2.0;
    stf(ck, v + reg);
    stf(ck + 24, v + reg);
  } else {
    stf(ck, c00 + reg);
    stf(ck + 24, c11 + reg);
  }
  stf(ck + 8, c10);
  stf(ck + 16, c10);
  return nk;
}

/**
 * EM iterations (E-step, M-step) on mixture `mix` until the mean
 * log-likelihood gains less than tol (|gain| < tol, scikit-learn's rule) or
 * maxIter iterations are done, at most `budget` of them in this call, so
 * that the host can let its event loop run between calls. `state`, four
 * doubles carried from call to call (the host starts them at -Infinity, 0,
 * 0, 0): the last lower bound (the mean log-likelihood before the last
 * M-step), the iterations done, the components repaired by gmmPrepare, and 1
 * once converged. Returns 1 when EM has stopped (converged or maxIter), else 0.
 * Buffers: resp K n, lse n, work gmmWorkDoubles(K, d), scratch n.
 */
export function gmmEmRun(x: i32, ld: i32, n: i32, d: i32, K: i32, covType: i32, reg: f64, floor: f64, tol: f64, maxIter: i32, budget: i32, mix: i32, resp: i32, lse: i32, work: i32, scratch: i32, state: i32): i32 {
  let lowerBound = ldf(state);
  let it = i32(ldf(state + 8));
  let repaired = ldf(state + 16);
  let converged = ldf(state + 24) != 0.0;
  let left = budget;
  while (!converged && it < maxIter && left > 0) {
    it++;
    left--;
    const previous = lowerBound;
    lowerBound = mixtureLogLik(x, ld, n, d, K, mix, WITH_RESP, resp, lse, work);
    repaired += f64(gmmMStep(x, ld, n, d, K, resp, covType, reg, floor, mix, scratch));
    if (Math.abs(lowerBound - previous) < tol) converged = true;
  }
  stf(state, lowerBound);
  stf(state + 8, f64(it));
  stf(state + 16, repaired);
  stf(state + 24, converged ? 1.0 : 0.0);
  return converged || it >= maxIter ? 1 : 0;
}
