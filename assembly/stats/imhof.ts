// The upper tail of a generalized chi-square Q = sum_j l_j (z_j + b_j / sqrt l_j)^2
// (l_j > 0; noncentralities delta_j^2 = b_j^2 / l_j) by inverting its
// characteristic function (Imhof, Biometrika 48 (1961) 419-426; Davies,
// Biometrika 60 (1973) 415-417 and Applied Statistics 29 (1980) 323-333),
// with every error bound derived below for this parametrisation. For the
// cases Ruben's series cannot do: eigenvalues spread by more than about 50x.
// Only + - * / sqrt floor, detmath's exp and log, trig's sin, cos and atan:
// the same bits on every backend.
//
// The characteristic function, per term, with a_j = 2 l_j t:
//   E e^{i t l (z + delta)^2} = (1 - i a)^(-1/2) exp(i t b^2 / (1 - i a)),
// so phi(t) e^{-i t x} = |phi(t)| e^{i theta(t)} with
//   theta(t) = sum_j [atan(a_j) / 2 + b_j^2 t / (1 + a_j^2)] - x t,
//   log |phi(t)| = -sum_j [log(1 + a_j^2) / 4 + b_j^2 t a_j / (1 + a_j^2)]
// (Imhof's theta(u), rho(u) at u = 2 t).
//
// The sum (Davies 1973): with t_k = (k + 1/2) D and D = 2 pi / W,
//   S = 1/2 + (1/pi) sum_(k>=0) sin(theta(t_k)) |phi(t_k)| / (k + 1/2).
// Writing sin(theta) |phi| = E sin(t_k (Q - x)) and using the square wave
// sum_(k>=0) sin((2k+1) s) / (2k+1) = (pi/4) sign(sin s) at s = D (Q - x) / 2:
// S = 1/2 + E sign(sin(pi (Q - x) / W)) / 2, which is P(Q > x) exactly when
// |Q - x| < W, so
//   |S - P(Q > x)| <= P(Q >= x + W) + P(Q <= x - W)   (the aliasing error),
// each bounded by Chernoff (chernoff.ts); W is the least width (to 1/8,
// by doubling and bisection) that puts both below ALIAS_TOLERANCE / 2 (the
// lower one is 0 once x - W <= 0, as Q > 0).
//
// Truncation after K terms, two bounds; the smaller is used.
// (1) Plain: |phi(t)| / t falls with t, so
//   sum_(k>=K) |phi(t_k)| / (pi (k + 1/2)) <= A(T) = (1/pi) int_(T)^inf |phi(t)| / t dt,  T = (K - 1/2) D.
// For t >= T, (1 + a_j^2)^(-1/4) <= (2 l_j t)^(-1/2) for the m terms with
// 2 l_j T >= 1, <= (1 + a_j(T)^2)^(-1/4) for the others, and the noncentral
// factor exp(-sum b^2 t a / (1 + a^2)) is at most its value at T, so
//   A(T) <= (2 / (pi m)) exp(-sum_j b_j^2 T a_j(T) / (1 + a_j(T)^2))
//     prod_(2 l_j T >= 1) (2 l_j T)^(-1/2) prod_(others) (1 + a_j(T)^2)^(-1/4).
// It falls only like T^(-m/2): too slowly for small d.
// (2) Oscillation: the terms are Im(e^(-i w/2) r^k v_k), r = e^(-i w),
// w = x D, v_k = f(t_k), f(t) = e^(i psi(t)) |phi(t)| D / t (psi = theta + x t).
// Summing by parts three times ((1 - r) sum_(k>=K) r^k v_k = r^K v_K + r sum r^k (v_(k+1) - v_k), thrice):
//   sum_(k>=K) r^k v_k = r^K v_K / (1 - r) + r^(K+1) Dv_K / (1 - r)^2 + r^(K+2) D2v_K / (1 - r)^3 + E,
//   |E| <= sum_(k>=K) |D3v_k| / |1 - r|^3 <= 3 D^2 int_(t_K)^inf |f'''| / |1 - r|^3
// (Dv, D2v, D3v the forward differences; D3v_k = int f''' times a quadratic
// B-spline of height <= D^2, and each t lies under three of them),
// so the last three terms give an estimate of the rest. With f = D e^F,
// F' = sum_j [i (l_j + b_j^2) / (1 - i a_j) - a_j b_j^2 / (1 - i a_j)^2] - 1/t,
// F'' = sum_j [-2 l_j (l_j + 2 b_j^2) / (1 - i a_j)^2 - 4 i l_j a_j b_j^2 / (1 - i a_j)^3] + 1/t^2,
// F''' = sum_j [-8 i l_j^2 (l_j + 3 b_j^2) / (1 - i a_j)^3 + 24 l_j^2 a_j b_j^2 / (1 - i a_j)^4] - 2/t^3
// (the derivatives of log phi), |f'''| = |f| |F''' + 3 F' F'' + F'^3| <= D (|phi| / t) M3(T) for t >= T with
//   M3 = S3 + 3 S1 S2 + S1^3, Sn = sup_(t>=T) |F^(n)|, each term bounded by its largest value on [T, inf)
//   (a / (1 + a^2) <= 1/2, a / (1 + a^2)^(3/2) <= 0.385, a / (1 + a^2)^2 <= 0.325 where they are not falling),
// and the rest of S is within 3 D^3 M3(T) A(T) / |1 - r|^3 of the estimate.
// Tighter: the sups over [T 2^i, T 2^(i+1)] times A(T 2^i), summed
// (oscillationIntegral). And directions still slow at T (2 l_j T < 1, a
// tiny eigenvalue with a large noncentrality) turn the phase at the rate
// l_j + b_j^2 until their a_j grows: that rate may go into r instead
// (r = e^(-i (x - c) D), F' less i c), which keeps their F' small; both r
// are tried and the smaller bound is used.
// W is raised to make x / W = n + 1/2 when that keeps W >= the aliasing
// width (then r = -1, |1 - r| = 2); else x / W < 1/2 and |1 - r| = 2 sin(pi x / W) >= 4 x / W.
// The sum stops when the smaller bound is below TRUNCATION_TOLERANCE, or at
// IMHOF_MAX_TERMS terms: then the bound at the cap is reported, and the
// caller sees a wide half-width.
//
// Rounding: each term's error is estimated as (d + 8) eps (2 + |theta| +
// |log |phi||) times its size (theta's rounding passes into sin, log |phi|'s
// into exp), plus eps |S| per addition; the estimate enters the half-width.
// Reported: out[0] the middle of [S - h, S + h] clipped to [0, 1], out[1]
// its half-width, h = aliasing + truncation + rounding bounds; out[2] the terms.
import { ldf, stf } from "./../platform";
import { exp, log } from "./../detmath";
import { sin, cos, atan } from "./../trig";
import { chernoffUpper, chernoffLower } from "./chernoff";

const PI: f64 = 3.141592653589793;
const TWO_PI_HI: f64 = 6.283185307179586;
const TWO_PI_LO: f64 = 2.4492935982947064e-16;
const EPS: f64 = 2.220446049250313e-16;

/** The sum stops here whatever the truncation bound says (its bound is then reported). */
export const IMHOF_MAX_TERMS: i32 = 6000;
/** The two aliasing tails together. */
const ALIAS_TOLERANCE: f64 = 1e-10;
/** The rest of the sum after the last term. */
const TRUNCATION_TOLERANCE: f64 = 8e-10;
/**
 * The truncation bounds (each costs dozens of logs) are evaluated after
 * term 15, then whenever the terms have grown by a quarter (at least 16
 * more): a few checks in all, and at most 25% more terms than needed.
 */
const FIRST_CHECK: i32 = 15;

/**
 * P(Q > x) for the l_j at l + j * lstride (bytes; those <= 0 are skipped:
 * the caller has taken their constant b_j^2 off x) and b_j at c + 8 j.
 */
export function generalizedChiSquareUpperImhof(l: i32, lstride: i32, c: i32, d: i32, x: f64, out: i32): void {
  let mean: f64 = 0.0;
  let variance: f64 = 0.0;
  let dp = 0;
  for (let j = 0; j < d; j++) {
    const lj = ldf(l + j * lstride);
    if (!(lj > 0.0)) continue;
    dp++;
    const bb = ldf(c + (j << 3)) * ldf(c + (j << 3));
    mean += lj + bb;
    variance += 2.0 * lj * lj + 4.0 * lj * bb;
  }
  if (dp == 0 || !(x > 0.0)) {
    stf(out, dp == 0 && !(x < 0.0) ? 0.0 : 1.0);
    stf(out + 8, 0.0);
    stf(out + 16, 0.0);
    return;
  }
  const sd = Math.sqrt(variance);

  // the half-period W: Q within x +- W but for ALIAS_TOLERANCE. Each side
  // doubles its width from one sd until Chernoff's bound is met, then three
  // bisections bring it within 1/8 of the least width that meets it (the
  // terms grow with W)
  const sideTol = 0.5 * ALIAS_TOLERANCE;
  let wHi = (mean > x ? mean - x : 0.0) + sd;
  let pHi = chernoffUpper(l, lstride, c, d, x + wHi);
  let okHi = wHi;
  for (let i = 0; i < 200 && pHi > sideTol; i++) {
    okHi = 2.0 * wHi;
    const p = chernoffUpper(l, lstride, c, d, x + okHi);
    if (p <= sideTol) {
      pHi = p;
      break;
    }
    wHi = okHi;
  }
  if (okHi > wHi) {
    // wHi fails, okHi meets the bound: bisect
    for (let i = 0; i < 3; i++) {
      const mid = 0.5 * (wHi + okHi);
      const p = chernoffUpper(l, lstride, c, d, x + mid);
      if (p <= sideTol) {
        okHi = mid;
        pHi = p;
      } else wHi = mid;
    }
    wHi = okHi;
  }
  let wLo = (x > mean ? x - mean : 0.0) + sd;
  let pLo: f64 = 0.0;
  if (wLo >= x) wLo = x;
  else {
    pLo = chernoffLower(l, lstride, c, d, x - wLo);
    let okLo = wLo;
    for (let i = 0; i < 200 && pLo > sideTol; i++) {
      okLo = 2.0 * wLo;
      if (okLo >= x) {
        okLo = x;
        break;
      }
      const p = chernoffLower(l, lstride, c, d, x - okLo);
      if (p <= sideTol) break;
      wLo = okLo;
    }
    if (okLo > wLo) {
      let pOk = okLo >= x ? 0.0 : chernoffLower(l, lstride, c, d, x - okLo);
      for (let i = 0; i < 3; i++) {
        const mid = 0.5 * (wLo + okLo);
        const p = chernoffLower(l, lstride, c, d, x - mid);
        if (p <= sideTol) {
          okLo = mid;
          pOk = p;
        } else wLo = mid;
      }
      wLo = okLo;
      pLo = pOk;
    }
  }
  let w = wHi > wLo ? wHi : wLo;
  const alias = pHi + pLo; // both fall as W grows: the bounds at wHi, wLo hold at any larger W
  // r = e^(-i x D): -1 when x / W can be made n + 1/2, else cos, -sin of 2 pi x / W < pi
  let rRe: f64 = -1.0;
  let rIm: f64 = 0.0;
  let turns: f64 = 0.0;
  if (w <= 2.0 * x) {
    turns = Math.floor(x / w - 0.5);
    w = x / (turns + 0.5);
  } else {
    const om = 2.0 * PI * x / w;
    rRe = cos(om);
    rIm = -sin(om);
  }
  const step = 2.0 * PI / w;
  let sum: f64 = 0.0;
  let rounding: f64 = 0.0;
  let truncation: f64 = 0.5;
  let estimate: f64 = 0.0; // the rest of the sum, estimated from the last three terms (bound 2), or 0
  let tailScale: f64 = 0.0; // 1 / |1 - r|^3 of that estimate
  let k = 0;
  let nextCheck = FIRST_CHECK;
  const rel = f64(dp + 8) * EPS;
  // the last three terms: theta (reduced), |phi| / (k + 1/2)
  let thetaFirst: f64 = 0.0;
  let modFirst: f64 = 0.0;
  let thetaPrev: f64 = 0.0;
  let modPrev: f64 = 0.0;
  let thetaLast: f64 = 0.0;
  let modLast: f64 = 0.0;
  for (; k < IMHOF_MAX_TERMS; k++) {
    const h = f64(k) + 0.5;
    const t = h * step;
    let psi: f64 = 0.0; // theta + x t
    let noncentral: f64 = 0.0; // -log |phi| less the log(1 + a^2) / 4 terms
    let prodQ: f64 = 1.0;
    let logQ: f64 = 0.0;
    for (let j = 0; j < d; j++) {
      const lj = ldf(l + j * lstride);
      if (!(lj > 0.0)) continue;
      const bj = ldf(c + (j << 3));
      const a = 2.0 * lj * t;
      const q = 1.0 + a * a;
      const nb = bj * bj * t / q;
      psi += 0.5 * atan(a) + nb;
      noncentral += nb * a;
      prodQ *= q;
      if (prodQ > 1e200) {
        logQ += log(prodQ);
        prodQ = 1.0;
      }
    }
    const decay = noncentral + 0.25 * logQ; // |phi| = e^-decay prodQ^(-1/4)
    thetaFirst = thetaPrev;
    modFirst = modPrev;
    thetaPrev = thetaLast;
    modPrev = modLast;
    thetaLast = 0.0;
    modLast = 0.0;
    if (decay < 745.0) {
      let theta = psi - x * t;
      const size = Math.abs(theta);
      if (size > 1e6) {
        // sin takes |theta| < 1.6e6: take whole turns off first
        const n = Math.floor(theta / TWO_PI_HI + 0.5);
        theta = (theta - n * TWO_PI_HI) - n * TWO_PI_LO;
      }
      const mod = exp(-decay) / Math.sqrt(Math.sqrt(prodQ)) / h;
      sum += sin(theta) * mod;
      rounding += mod * rel * (2.0 + size + decay) + EPS * Math.abs(sum);
      thetaLast = theta;
      modLast = mod;
    }
    if (k == nextCheck || k == IMHOF_MAX_TERMS - 1) {
      nextCheck = k + (k >> 2) > k + 16 ? k + (k >> 2) : k + 16;
      // bound 1 on the rest from term k + 1 (T = t_k); bound 2 from term k - 2 (T = t_(k-2)),
      // with r as set above, and with the phase rate of the slow terms taken into r
      truncation = restBound(l, lstride, c, d, t);
      estimate = 0.0;
      const tf = t - 2.0 * step;
      const w0Re = modFirst * cos(thetaFirst);
      const w0Im = modFirst * sin(thetaFirst);
      const w1Re = modPrev * cos(thetaPrev);
      const w1Im = modPrev * sin(thetaPrev);
      const w2Re = modLast * cos(thetaLast);
      const w2Im = modLast * sin(thetaLast);
      for (let shift = 0; shift < 2; shift++) {
        let qRe = rRe;
        let qIm = rIm;
        if (shift == 1) {
          const cs = slowPhaseRate(l, lstride, c, d, tf);
          if (!(cs > 0.0)) break;
          let om = (x - cs) * step;
          const n = Math.floor(om / TWO_PI_HI + 0.5);
          om = (om - n * TWO_PI_HI) - n * TWO_PI_LO;
          qRe = cos(om);
          qIm = -sin(om);
        }
        const oSq = (1.0 - qRe) * (1.0 - qRe) + qIm * qIm;
        if (!(oSq > 1e-6)) continue;
        const oCube = oSq * Math.sqrt(oSq);
        const bound = 3.0 * step * step * step * oscillationIntegral(l, lstride, c, d, tf, shift == 1) / oCube;
        if (bound < truncation) {
          truncation = bound;
          estimate = eulerTail(qRe, qIm, w0Re, w0Im, w1Re, w1Im, w2Re, w2Im);
          tailScale = 1.0 / oCube;
        }
      }
      if (truncation <= TRUNCATION_TOLERANCE) {
        k++;
        break;
      }
    }
  }
  // the estimate's own rounding, with r = -1 standing for e^(-i x D) (off by about (turns + 1) eps)
  if (estimate != 0.0) rounding += (Math.abs(estimate) + 4.0 * (modFirst + modPrev + modLast) * tailScale) * f64(16) * (turns + 2.0) * EPS;
  sum += estimate;
  const s = 0.5 + sum / PI;
  const half = alias + truncation + rounding / PI;
  let lo = s - half;
  let hi = s + half;
  if (lo < 0.0) lo = 0.0;
  if (hi > 1.0) hi = 1.0;
  if (hi < lo) {
    // the bracket lies outside [0, 1] (only by rounding): the nearer end
    const e = s > 1.0 ? 1.0 : 0.0;
    lo = e;
    hi = e;
  }
  stf(out, 0.5 * (lo + hi));
  stf(out + 8, 0.5 * (hi - lo));
  stf(out + 16, f64(k));
}

/**
 * A(T): a bound on (1/pi) int_T^inf |phi(t)| / t dt (see the top), 0.5 when
 * no 2 l_j T >= 1 yet (no bound; the mass is within 1/2 of 1/2 anyway).
 */
function restBound(l: i32, lstride: i32, c: i32, d: i32, t: f64): f64 {
  let m = 0;
  let lb: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const lj = ldf(l + j * lstride);
    if (!(lj > 0.0)) continue;
    const bj = ldf(c + (j << 3));
    const a = 2.0 * lj * t;
    const q = 1.0 + a * a;
    lb -= bj * bj * t * a / q;
    if (a >= 1.0) {
      m++;
      lb -= 0.5 * log(a);
    } else lb -= 0.25 * log(q);
  }
  if (m == 0) return 0.5;
  lb += log(2.0 / (PI * f64(m)));
  return lb < 0.0 ? exp(lb) : 1.0;
}

/** Directions with 2 l_j T below this count as slow: their phase rate l_j + b_j^2 may go into r. */
const SLOW_BELOW: f64 = 1.0;

/** sum of l_j + b_j^2 (psi_j'(0)) over the slow directions at T. */
function slowPhaseRate(l: i32, lstride: i32, c: i32, d: i32, t: f64): f64 {
  let cs: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const lj = ldf(l + j * lstride);
    if (!(lj > 0.0) || 2.0 * lj * t >= SLOW_BELOW) continue;
    const bj = ldf(c + (j << 3));
    cs += lj + bj * bj;
  }
  return cs;
}

/** sup of a / (1 + a^2)^p over a in [a1, a2] (a2 may be infinite): it rises to a = 1 / sqrt(2p - 1), then falls. */
function peakSup(a1: f64, a2: f64, peak: f64, p2: i32): f64 {
  const a = a2 < peak ? a2 : a1 > peak ? a1 : peak;
  const q = 1.0 + a * a;
  if (p2 == 2) return a / q;
  if (p2 == 3) return a / (q * Math.sqrt(q));
  return a / (q * q);
}

/**
 * M3 on [t1, t2] (t2 may be infinite): S3 + 3 S1 S2 + S1^3 with Sn the sups
 * of |F^(n)| there (see the top); with `shifted`, F' less i (l_j + b_j^2) of
 * the directions slow at T, whose term is then -(l + b^2) a / (1 - i a) - a b^2 / (1 - i a)^2.
 */
function derivativeBound(l: i32, lstride: i32, c: i32, d: i32, t1: f64, t2: f64, T: f64, shifted: bool): f64 {
  let s1: f64 = 1.0 / t1;
  let s2: f64 = 1.0 / (t1 * t1);
  let s3: f64 = 2.0 / (t1 * t1 * t1);
  for (let j = 0; j < d; j++) {
    const lj = ldf(l + j * lstride);
    if (!(lj > 0.0)) continue;
    const bb = ldf(c + (j << 3)) * ldf(c + (j << 3));
    const a1 = 2.0 * lj * t1;
    const a2 = 2.0 * lj * t2;
    const q1 = 1.0 + a1 * a1;
    const sq1 = Math.sqrt(q1);
    if (shifted && 2.0 * lj * T < SLOW_BELOW) {
      // a / sqrt(1 + a^2) rises to 1
      const rise = a2 < 1e150 ? a2 / Math.sqrt(1.0 + a2 * a2) : 1.0;
      s1 += (lj + bb) * rise + bb * peakSup(a1, a2, 1.0, 2);
    } else s1 += (lj + bb) / sq1 + bb * peakSup(a1, a2, 1.0, 2);
    s2 += 2.0 * lj * (lj + 2.0 * bb) / q1 + 4.0 * lj * bb * peakSup(a1, a2, 0.7071067811865476, 3);
    s3 += 8.0 * lj * lj * (lj + 3.0 * bb) / (q1 * sq1) + 24.0 * lj * lj * bb * peakSup(a1, a2, 0.5773502691896258, 4);
  }
  // a few ulps of slack for the rounding of the bound itself
  return (s3 + 3.0 * s1 * s2 + s1 * s1 * s1) * (1.0 + 1e-12);
}

/**
 * A bound on (1/pi) int_T^inf |phi(t)| / t M3(t) dt: over [T 2^i, T 2^(i+1)]
 * M3's sup times A(T 2^i), for i = 0, 1, ..., closed by the sup on
 * [T 2^i, inf) times A(T 2^i); the least of these closings (tried while
 * each halves the last).
 */
function oscillationIntegral(l: i32, lstride: i32, c: i32, d: i32, T: f64, shifted: bool): f64 {
  let best: f64 = Infinity;
  let acc: f64 = 0.0;
  let t1 = T;
  for (let i = 0; i < 48; i++) {
    const a = restBound(l, lstride, c, d, t1);
    const closing = acc + derivativeBound(l, lstride, c, d, t1, Infinity, T, shifted) * a;
    // any closing is a bound: stop once they no longer fall (halving at least)
    if (!(closing < 0.5 * best)) {
      if (closing < best) best = closing;
      break;
    }
    best = closing;
    acc += derivativeBound(l, lstride, c, d, t1, 2.0 * t1, T, shifted) * a;
    t1 = 2.0 * t1;
  }
  return best;
}

/**
 * The rest of the sum from the first of the last three terms w0, w1, w2
 * (w = |phi| e^(i theta) / (k + 1/2)), less those three (already summed):
 * Im(w0 z + (w1 - r w0) z^2 + (w2 - 2 r w1 + r^2 w0) z^3) - Im(w0 + w1 + w2), z = 1 / (1 - r).
 */
function eulerTail(rRe: f64, rIm: f64, w0Re: f64, w0Im: f64, w1Re: f64, w1Im: f64, w2Re: f64, w2Im: f64): f64 {
  const oneRe = 1.0 - rRe;
  const oneIm = -rIm;
  const oneSq = oneRe * oneRe + oneIm * oneIm;
  const z1Re = oneRe / oneSq;
  const z1Im = -oneIm / oneSq;
  const z2Re = z1Re * z1Re - z1Im * z1Im;
  const z2Im = 2.0 * z1Re * z1Im;
  const z3Re = z2Re * z1Re - z2Im * z1Im;
  const z3Im = z2Re * z1Im + z2Im * z1Re;
  const rw0Re = rRe * w0Re - rIm * w0Im; // r w0
  const rw0Im = rRe * w0Im + rIm * w0Re;
  const rw1Re = rRe * w1Re - rIm * w1Im; // r w1
  const rw1Im = rRe * w1Im + rIm * w1Re;
  const rrw0Re = rRe * rw0Re - rIm * rw0Im; // r^2 w0
  const rrw0Im = rRe * rw0Im + rIm * rw0Re;
  const d1Re = w1Re - rw0Re;
  const d1Im = w1Im - rw0Im;
  const d2Re = w2Re - 2.0 * rw1Re + rrw0Re;
  const d2Im = w2Im - 2.0 * rw1Im + rrw0Im;
  return (w0Re * z1Im + w0Im * z1Re) + (d1Re * z2Im + d1Im * z2Re) + (d2Re * z3Im + d2Im * z3Re) - w0Im - w1Im - w2Im;
}

/** The same for l_j and b_j in two vectors (tests and benchmarks). */
export function generalizedChiSquareUpperImhofVec(l: i32, c: i32, d: i32, x: f64, out: i32): void {
  generalizedChiSquareUpperImhof(l, 8, c, d, x, out);
}
