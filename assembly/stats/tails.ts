// Tail metrics of a Gaussian against the original one: the chi-square upper
// tail and its quantile, the mass of N(mu, Sigma) outside the original's
// central ellipsoid (a generalized chi-square), and squared Mahalanobis
// distances of points. Only + - * / sqrt and detmath's exp, log and erfc, so
// every backend gives the same bits.
import { ldf, stf } from "./../platform";
import { exp, log } from "./../detmath";
import { erfc } from "./../erfc";
import { jacobiRotating } from "./../linalg/jacobi";
import { chernoffTails } from "./chernoff";
import { generalizedChiSquareUpperImhof } from "./imhof";

const PI: f64 = 3.141592653589793;

/**
 * P(chi2_nu > x) for an integer nu >= 1, summed upward from nu = 1 or 2:
 * S_1 = erfc(sqrt(x/2)), S_2 = e^(-x/2), S_(nu+2) = S_nu + g_nu with
 * g_nu = (x/2)^(nu/2) e^(-x/2) / Gamma(nu/2 + 1) (Abramowitz & Stegun
 * 26.4.4, 26.4.5), g carried as its log so no term underflows early.
 * Every step adds a positive term: no cancellation.
 */
export function chiSquareUpper(nu: i32, x: f64): f64 {
  if (!(x > 0.0)) return 1.0;
  const s = chiSquareRecursion(nu, x);
  return s < 1.0 ? s : 1.0;
}

/** log of the recursion's next term (for nu + 2), left by chiSquareRecursion for callers that go on. */
let chiNextLogTerm: f64 = 0.0;

/** S_nu(x) for x > 0, unclamped: S_1 or S_2 in closed form, then S_{v+2} = S_v + e^{logG_v}. */
function chiSquareRecursion(nu: i32, x: f64): f64 {
  let s: f64;
  let logG: f64;
  let v: i32;
  if ((nu & 1) == 1) {
    s = erfc(Math.sqrt(0.5 * x));
    logG = -0.5 * x + 0.5 * log(2.0 * x / PI);
    v = 1;
  } else {
    s = exp(-0.5 * x);
    logG = -0.5 * x + log(0.5 * x);
    v = 2;
  }
  const logHalfX = log(0.5 * x);
  for (; v < nu; v += 2) {
    s += exp(logG);
    logG += logHalfX - log(0.5 * f64(v) + 1.0);
  }
  chiNextLogTerm = logG;
  return s;
}

/**
 * The x with P(chi2_nu > x) = p (0 < p < 1), by bisection to the last bit:
 * the interval is halved until its midpoint equals an end. With d = 1 it is
 * z^2 for the normal's two-sided quantile: P(|Z| > z) = p.
 */
export function chiSquareUpperQuantile(nu: i32, p: f64): f64 {
  let lo: f64 = 0.0;
  let hi: f64 = f64(nu) + 10.0;
  while (chiSquareUpper(nu, hi) > p) {
    lo = hi;
    hi = 2.0 * hi;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (chiSquareUpper(nu, mid) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Ruben's series: no more terms than this (its scratch is 2 x this many doubles). */
const TAIL_MAX_TERMS: i32 = 1024;
/** Doubles of the `series` scratch gaussianTailMass needs (a kernel constant for the layout). */
export function tailSeriesDoubles(): i32 {
  return 2 * TAIL_MAX_TERMS;
}

/** Eigenvalues of B at most this times the largest are a singular fit's rounding: 0. */
const SINGULAR_RELATIVE: f64 = 1e-12;

/** Ruben's bracket wider than this after TAIL_MAX_TERMS terms: the inversion (imhof.ts) is tried too. */
const RUBEN_ENOUGH: f64 = 1e-10;

/** Stop once the mass is bracketed to this (absolute). */
const TAIL_TOLERANCE: f64 = 1e-14;

/**
 * The mass of N(mean, cov) outside the original's ellipsoid
 * {x : (x - mean0)^T Sigma0^-1 (x - mean0) <= t}, Sigma0 = L0 L0^T.
 * Writes out[0] the mass, out[1] a bound on its error, out[2] the terms used.
 *
 * d = 1: N(mu, s^2) outside mu0 +- sqrt(t) s0, two erfc's.
 * d > 1: with y = L0^-1 (x - mean0) ~ N(c, B), c = L0^-1 (mean - mean0),
 * B = L0^-1 Sigma L0^-T = U diag(l) U^T, the quadratic form is
 * Q = |y|^2 = sum_j l_j (z_j + b_j / sqrt(l_j))^2, b = U^T c: a sum of scaled
 * noncentral chi-squares (non-centralities delta_j = b_j^2 / l_j), whose
 * upper tail is Ruben's mixture (H. Ruben, Ann. Math. Statist. 33 (1962)
 * 542-570): for beta <= min l_j, P(Q > t) = sum_k a_k P(chi2_(d+2k) > t/beta)
 * with a_k >= 0, sum a_k = 1. The a_k are the Taylor coefficients of the
 * generating function (derived from the moment generating functions, with
 * c_j = 1 - beta / l_j)
 *   G(z) = prod_j (1 - c_j)^1/2 (1 - c_j z)^-1/2 exp(-delta_j/2 (1 - z) / (1 - c_j z)),
 * so log G = log a_0 + sum_m g_m z^m with
 *   log a_0 = sum_j (log(1 - c_j) - delta_j) / 2,
 *   g_m = sum_j c_j^m / (2m) + (delta_j / 2) (1 - c_j) c_j^(m-1),
 * and G' = G (log G)' gives k a_k = sum_(m=1..k) m g_m a_(k-m): positive terms
 * only, so the recursion is stable. beta = min l_j. After K terms the rest of
 * the sum lies in [(1 - A) S_K, 1 - A] (A = sum of the a_k used, S_K the next
 * chi-square tail, S rising in k): the reported mass is the middle of that
 * bracket, out[1] its half-width. It stops at a half-width of 1e-14 or after
 * TAIL_MAX_TERMS terms (1024). It converges like c_max^k, so when the
 * eigenvalues of B spread by more than about 50x (a long d-D run), so that
 * even 1e-9 is out of reach in 1024 terms, the series is not tried: the
 * characteristic function is inverted instead (imhof.ts, out[2] its terms),
 * as it is when the series ends wider than 1e-10 (the narrower bracket of
 * the two is kept). Before both,
 * Chernoff's bounds (chernoff.ts) settle the far cases of a collapsed
 * fit, where the mass is within 2e-14 of 0 or 1 and the series would need
 * thousands of terms: the result is then the middle of [0, bound] or
 * [1 - bound, 1], with 0 terms. Eigenvalues <= 0 (a
 * singular fit; with those up to 1e-12 of the largest, Jacobi's rounding of
 * a zero) make their coordinate a constant b_j^2 taken off t.
 * `work` holds 2 d^2 + d doubles, `series` 2 TAIL_MAX_TERMS.
 */
export function gaussianTailMass(mean: i32, cov: i32, mean0: i32, l0: i32, d: i32, t: f64, work: i32, series: i32, out: i32): void {
  if (d == 1) {
    const s0 = ldf(l0);
    const dm = ldf(mean) - ldf(mean0);
    const r = Math.sqrt(t) * s0;
    const v = ldf(cov);
    let mass: f64;
    if (v > 0.0) {
      const w = Math.sqrt(2.0 * v);
      mass = 0.5 * erfc((r - dm) / w) + 0.5 * erfc((r + dm) / w);
    } else {
      mass = Math.abs(dm) > r ? 1.0 : 0.0;
    }
    stf(out, mass);
    stf(out + 8, 0.0);
    stf(out + 16, 0.0);
    return;
  }
  const b = work; // B, d x d
  const tmp = work + ((d * d) << 3); // L0^-1 Sigma
  const c = tmp + ((d * d) << 3); // c, then U^T c
  // c = L0^-1 (mean - mean0)
  for (let a = 0; a < d; a++) stf(c + (a << 3), ldf(mean + (a << 3)) - ldf(mean0 + (a << 3)));
  lowerSolveInPlace(l0, d, c, 1);
  // tmp = L0^-1 Sigma (each column), then B = L0^-1 tmp^T (B is symmetric)
  for (let q = 0; q < d * d; q++) stf(tmp + (q << 3), ldf(cov + (q << 3)));
  lowerSolveColumns(l0, d, tmp);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) stf(b + ((i * d + j) << 3), ldf(tmp + ((j * d + i) << 3)));
  }
  lowerSolveColumns(l0, d, b);
  jacobiRotating(b, d, c);

  // split the eigenvalues: positive ones enter the series, the rest are
  // constants. A singular fit's zero eigenvalues come out of Jacobi as
  // rounding, +-1e-16 of the largest: below SINGULAR_RELATIVE of it they are
  // set to 0 (else they would make beta tiny and the series endless).
  let lmax: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const l = ldf(b + ((j * d + j) << 3));
    if (l > lmax) lmax = l;
  }
  for (let j = 0; j < d; j++) {
    const q = b + ((j * d + j) << 3);
    if (ldf(q) <= SINGULAR_RELATIVE * lmax) stf(q, 0.0);
  }
  let x = t;
  let beta: f64 = Infinity;
  let dp = 0;
  for (let j = 0; j < d; j++) {
    const l = ldf(b + ((j * d + j) << 3));
    if (l > 0.0) {
      dp++;
      if (l < beta) beta = l;
    } else {
      const bj = ldf(c + (j << 3));
      x -= bj * bj;
    }
  }
  if (dp == 0 || !(x > 0.0)) {
    // a point mass (all directions singular), or the constant part alone is outside
    stf(out, dp == 0 ? (x < 0.0 ? 1.0 : 0.0) : 1.0);
    stf(out + 8, 0.0);
    stf(out + 16, 0.0);
    return;
  }
  // far out or far in (a collapsed fit), Chernoff's bounds settle it without the series
  const cher = chernoffTails(b, (d + 1) << 3, c, d, x);
  if (cher <= 2.0 * TAIL_TOLERANCE || cher >= 1.0 - 2.0 * TAIL_TOLERANCE) {
    const far = cher <= 0.5; // the upper tail is tiny: the mass is in [0, cher]
    stf(out, far ? 0.5 * cher : 1.0 - 0.5 * (1.0 - cher));
    stf(out + 8, far ? 0.5 * cher : 0.5 * (1.0 - cher));
    stf(out + 16, 0.0);
    return;
  }
  // the weights a_k fall off no faster than c_max^k: when even 1e-9 would
  // take more than TAIL_MAX_TERMS terms (eigenvalues of B spread by more than
  // about 50x), the series is not tried: no value (half-width 1/2)
  const cmax = 1.0 - beta / lmax;
  if (cmax > 0.0 && log(1e-9) / log(cmax) > f64(TAIL_MAX_TERMS)) {
    generalizedChiSquareUpperImhof(b, (d + 1) << 3, c, d, x, out);
    return;
  }
  const xq = x;
  x = x / beta;

  // log a_0 and g_m (stored as m g_m) from the c_j^m, m = 1.. as needed
  let logA0: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const l = ldf(b + ((j * d + j) << 3));
    if (!(l > 0.0)) continue;
    const bj = ldf(c + (j << 3));
    logA0 += 0.5 * (log(beta / l) - bj * bj / l);
  }
  // a_0 may underflow when the mean is far out (delta large): the a_k are
  // kept scaled by e^shift (at most e^700, so their sum cannot overflow)
  let shift: f64 = 0.0;
  if (logA0 < -600.0) shift = -logA0 < 700.0 ? -logA0 : 700.0;
  const a = series;
  const h = series + (TAIL_MAX_TERMS << 3);
  stf(a, exp(logA0 + shift));

  // chi-square tails S_nu(x), nu = dp, dp + 2, ...: the recursion of chiSquareUpper, continued below
  let s = chiSquareRecursion(dp, x);
  let logG = chiNextLogTerm;
  let v = dp;
  const logHalfX = log(0.5 * x);

  let sumA: f64 = 0.0;
  let sumAS: f64 = 0.0;
  let lowRest: f64 = 0.0;
  let highRest: f64 = 1.0;
  let k = 0;
  const unscale = exp(-shift);
  const pw = tmp; // c_j^(k-1), free scratch now
  for (let j = 0; j < d; j++) stf(pw + (j << 3), 1.0);
  for (; k < TAIL_MAX_TERMS; k++) {
    if (k > 0) {
      // m g_m for m = k, then a_k = (1/k) sum_(m=1..k) m g_m a_(k-m)
      let gm: f64 = 0.0;
      const fm = f64(k);
      for (let j = 0; j < d; j++) {
        const l = ldf(b + ((j * d + j) << 3));
        if (!(l > 0.0)) continue;
        const cj = 1.0 - beta / l;
        const bj = ldf(c + (j << 3));
        const p = ldf(pw + (j << 3));
        gm += 0.5 * cj * p + fm * 0.5 * (bj * bj / l) * (1.0 - cj) * p;
        stf(pw + (j << 3), p * cj);
      }
      stf(h + (k << 3), gm);
      let acc: f64 = 0.0;
      for (let m = 1; m <= k; m++) acc += ldf(h + (m << 3)) * ldf(a + ((k - m) << 3));
      stf(a + (k << 3), acc / fm);
    }
    const ak = ldf(a + (k << 3));
    sumA += ak;
    sumAS += ak * s;
    // the next tail S_(nu+2)
    s += exp(logG);
    if (s > 1.0) s = 1.0;
    logG += logHalfX - log(0.5 * f64(v) + 1.0);
    v += 2;
    let rest = 1.0 - sumA * unscale;
    if (rest < 0.0) rest = 0.0;
    lowRest = rest * s;
    highRest = rest;
    if (0.5 * (highRest - lowRest) <= TAIL_TOLERANCE) {
      k++;
      break;
    }
  }
  const lo = sumAS * unscale + lowRest;
  const hi = sumAS * unscale + highRest;
  if (0.5 * (hi - lo) > RUBEN_ENOUGH) {
    // the series ran out of terms: the inversion instead, if it does better
    generalizedChiSquareUpperImhof(b, (d + 1) << 3, c, d, xq, out);
    if (ldf(out + 8) < 0.5 * (hi - lo)) return;
  }
  stf(out, 0.5 * (lo + hi));
  stf(out + 8, 0.5 * (hi - lo));
  stf(out + 16, f64(k));
}

/** Solves L y = r in place for the vector at `v` (stride in doubles). */
function lowerSolveInPlace(l: i32, d: i32, v: i32, stride: i32): void {
  for (let a = 0; a < d; a++) {
    let s = ldf(v + ((a * stride) << 3));
    for (let q = 0; q < a; q++) s -= ldf(l + ((a * d + q) << 3)) * ldf(v + ((q * stride) << 3));
    const p = ldf(l + ((a * d + a) << 3));
    stf(v + ((a * stride) << 3), s / p);
  }
}

/** Replaces the row-major d x d matrix m by L^-1 m (every column solved). */
function lowerSolveColumns(l: i32, d: i32, m: i32): void {
  for (let j = 0; j < d; j++) lowerSolveInPlace(l, d, m + (j << 3), d);
}

/**
 * out[i] = (x_i - mean0)^T Sigma0^-1 (x_i - mean0) = |L0^-1 (x_i - mean0)|^2
 * for the n column-major points x (leading dimension ld); `z` is d doubles of scratch.
 */
export function mahalanobisSq(x: i32, ld: i32, n: i32, d: i32, mean0: i32, l0: i32, z: i32, out: i32): void {
  for (let i = 0; i < n; i++) {
    let q: f64 = 0.0;
    for (let a = 0; a < d; a++) {
      let s = ldf(x + ((a * ld + i) << 3)) - ldf(mean0 + (a << 3));
      for (let b = 0; b < a; b++) s -= ldf(l0 + ((a * d + b) << 3)) * ldf(z + (b << 3));
      const w = s / ldf(l0 + ((a * d + a) << 3));
      stf(z + (a << 3), w);
      q += w * w;
    }
    stf(out + (i << 3), q);
  }
}
