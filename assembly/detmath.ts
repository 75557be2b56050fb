// Deterministic exp and log: the same bits in every backend (js, wasm,
// wasm-simd) and every engine, unlike Math.exp / Math.log, whose accuracy and
// rounding are left to the engine. Ports of fdlibm's e_exp.c and e_log.c in
// the portable subset: only +, -, *, / and comparisons on doubles (IEEE-754
// correctly rounded in JS and WASM alike), bit access through platform.ts,
// no fused multiply-add. Both are accurate to < 1 ulp.
//
// The algorithms and the coefficients come from:
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// NaN results are always the canonical quiet NaN (the `NaN` constant), never
// a NaN computed from the input, so that their bits match across engines too.
import { ldf, stf, hiWord, loWord, fromWords } from "./platform";

// ln 2 split so that k * LN2_HI is exact for |k| < 2^11.
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42 0xfee00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef 0x35793c76

// exp: see fdlibm e_exp.c
const EXP_O_THRESHOLD: f64 = 7.09782712893383973096e+02;  // 0x40862e42 0xfefa39ef
const EXP_U_THRESHOLD: f64 = -7.45133219101941108420e+02; // 0xc0874910 0xd52d3051
const INV_LN2: f64 = 1.44269504088896338700e+00;          // 0x3ff71547 0x652b82fe
const P1: f64 = 1.66666666666666019037e-01;  // 0x3fc55555 0x5555553e
const P2: f64 = -2.77777777770155933842e-03; // 0xbf66c16c 0x16bebd93
const P3: f64 = 6.61375632143793436117e-05;  // 0x3f11566a 0xaf25de2c
const P4: f64 = -1.65339022054652515390e-06; // 0xbebbbd41 0xc5d26bf1
const P5: f64 = 4.13813679705723846039e-08;  // 0x3e663769 0x72bea4d0

// log: see fdlibm e_log.c
const TWO54: f64 = 1.80143985094819840000e+16; // 0x43500000 0x00000000
const LG1: f64 = 6.666666666666735130e-01; // 0x3fe55555 0x55555593
const LG2: f64 = 3.999999999940941908e-01; // 0x3fd99999 0x9997fa04
const LG3: f64 = 2.857142874366239149e-01; // 0x3fd24924 0x94229359
const LG4: f64 = 2.222219843214978396e-01; // 0x3fcc71c5 0x1d8e78af
const LG5: f64 = 1.818357216161805012e-01; // 0x3fc74664 0x96cb03de
const LG6: f64 = 1.531383769920937332e-01; // 0x3fc39a09 0xd078c69f
const LG7: f64 = 1.479819860511658591e-01; // 0x3fc2f112 0xdf3e5244

/**
 * e^x, within 1 ulp for every double. exp(NaN) = NaN, exp(+Inf) = +Inf,
 * exp(-Inf) = +0; +Inf above 709.782712893384, +0 below -745.1332191019411.
 */
export function exp(x: f64): f64 {
  // see: fdlibm e_exp.c (Sun Microsystems, 1993)
  //
  // 1. Reduce: x = k ln2 + r, |r| <= 0.5 ln2, with r held as hi - lo
  //    (ln2 = LN2_HI + LN2_LO, k LN2_HI exact).
  // 2. exp(r) = 1 + r + r c / (2 - c), c = r - r^2 (P1 + ... + P5 r^8), a
  //    Remez fit of R(r^2) = r (e^r + 1) / (e^r - 1) ~ 2 + r^2/6 - ... with
  //    error < 2^-59; written with hi and lo to keep r's low bits.
  // 3. exp(x) = 2^k exp(r): k goes straight into the exponent field.
  let hx = hiWord(x);
  const xsb = (hx >>> 31) & 1; // sign of x
  hx = hx & 0x7fffffff;        // high word of |x|

  // non-finite arguments, overflow and underflow
  if (hx >= 0x40862e42) {                       // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | loWord(x)) != 0) return NaN;
      return xsb == 0 ? x : 0.0;                // exp(+-Inf) = {+Inf, +0}
    }
    if (x > EXP_O_THRESHOLD) return Infinity;
    if (x < EXP_U_THRESHOLD) return 0.0;
  }

  // argument reduction
  let hi: f64 = 0.0;
  let lo: f64 = 0.0;
  let k = 0;
  if (hx > 0x3fd62e42) {                        // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) {                      // and |x| < 1.5 ln2: k = +-1
      if (xsb == 0) { hi = x - LN2_HI; lo = LN2_LO; k = 1; }
      else { hi = x + LN2_HI; lo = -LN2_LO; k = -1; }
    } else {
      k = i32(INV_LN2 * x + (xsb == 0 ? 0.5 : -0.5)); // round to nearest
      const t: f64 = f64(k);
      hi = x - t * LN2_HI;                      // t * LN2_HI is exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {                 // |x| < 2^-28
    return 1.0 + x;
  }

  // x is now in the primary range
  const t: f64 = x * x;
  const c: f64 = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y: f64 = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  // y is in [0.70, 1.42]: add k to its exponent. Beyond 2^-1021 the result
  // would be subnormal, so scale by 2^(k+1000) first and then by 2^-1000,
  // letting the last multiplication do the one rounding to the subnormal.
  if (k >= -1021) return fromWords((hiWord(y) + (k << 20)) | 0, loWord(y));
  const z: f64 = fromWords((hiWord(y) + ((k + 1000) << 20)) | 0, loWord(y));
  return z * fromWords(0x01700000, 0);          // 2^-1000
}

/**
 * x_{j+1} = 1 - exp(-x_j) applied `steps` times from x (Suresh et al.'s
 * g_{k+1} = 1 - e^{-g_k}, the categorical theory's survivor bounds): one
 * call for a recurrence a host loop would spend thousands of calls on.
 */
export function oneMinusExpNegIterate(x: f64, steps: i32): f64 {
  for (let j = 0; j < steps; j++) x = 1.0 - exp(-x);
  return x;
}

/**
 * The natural logarithm, within 1 ulp for every double. log(NaN) = NaN,
 * log(+Inf) = +Inf, log(+-0) = -Inf, log(x < 0) = NaN, log(1) = +0.
 */
export function log(x: f64): f64 {
  // see: fdlibm e_log.c (Sun Microsystems, 1993)
  //
  // 1. Reduce: x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2).
  // 2. log(1 + f) = f - f^2/2 + s (f^2/2 + R(z)), s = f / (2 + f), z = s^2,
  //    where R(z) = LG1 s^2 + ... + LG7 s^14 is a Remez fit of
  //    (log(1+f) - 2s) / s (error < 2^-58.45).
  // 3. log(x) = k LN2_HI + (f - (hfsq - (s (hfsq + R) + k LN2_LO))).
  let hx = hiWord(x);
  const lx = loWord(x);
  let k = 0;
  if (hx < 0x00100000) {                        // x < 2^-1022: zero, negative, subnormal
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity; // log(+-0)
    if (hx < 0) return NaN;                     // log(x < 0), log(-Inf), negative NaN
    k = -54;
    x = x * TWO54;                              // subnormal: scale up (exact)
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x == x ? x : NaN; // +Inf, or NaN
  k = (k + (hx >> 20) - 1023) | 0;
  hx = hx & 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;          // 0x100000 when the mantissa is >= sqrt(2)
  x = fromWords(hx | (i ^ 0x3ff00000), loWord(x)); // normalise to x or x/2
  k = (k + (i >> 20)) | 0;
  const f: f64 = x - 1.0;
  const dk: f64 = f64(k);

  if ((0x000fffff & (2 + hx)) < 3) {            // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const r: f64 = f * f * (0.5 - THIRD * f);
    if (k == 0) return f - r;
    return dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }

  const s: f64 = f / (2.0 + f);
  const z: f64 = s * s;
  const w: f64 = z * z;
  const t1: f64 = w * (LG2 + w * (LG4 + w * LG6));
  const t2: f64 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r: f64 = t2 + t1;
  // true when the mantissa bits of x lie in [1.38, 1.42], i.e. |f| is near
  // its largest: there f^2/2 is kept apart for accuracy.
  const big = ((hx - 0x6147a) | (0x6b851 - hx)) > 0;
  if (big) {
    const hfsq: f64 = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

// The SIMD build's exp of two lanes (expLanes), bit for bit the scalar exp of
// each lane: the same reduction and polynomial with the same operations in
// the same order, lane by lane (no fused multiply-add in WASM SIMD).
//
// Why one formula serves the scalar's three paths for |x| < 707:
// - |x| > 1.5 ln2: k = trunc(x / ln2 +- 1/2), as the scalar computes it
//   (f64x2.trunc of the same sum is f64(k)).
// - 0.5 ln2 < |x| < 1.5 ln2 (the scalar's k = +-1 branch): the general
//   formula gives the same k = +-1, and hi = x - 1 * LN2_HI, lo = 1 * LN2_LO
//   are the scalar's x - LN2_HI, LN2_LO exactly.
// - 2^-28 <= |x| <= 0.5 ln2 (k = 0): t = +0 gives hi = x, lo = +0, and then
//   1 - ((0 - (x c) / (2 - c)) - x) is the scalar's 1 - ((x c) / (c - 2) - x):
//   c - 2 = -(2 - c) exactly, so the quotients differ only in sign (and a zero
//   quotient's sign vanishes in "- x", x != 0).
// - |x| < 2^-28: 1 + x, as the scalar.
// 2^k goes into the exponent field as the scalar's high-word add does; k is at
// least -1020 here, so no result is subnormal. Below the underflow threshold
// the result is +0; the other lanes (x >= 707: overflow; -745.13 < x <= -707:
// subnormal results; NaN) take the scalar exp.
const EXP_VECTOR_LIMIT: f64 = 707.0;
const TWO_M28: f64 = 3.725290298461914e-9;      // 2^-28: hx < 0x3e300000
const HALF_LN2_ABOVE: f64 = 0.3465735912322998; // 0x3fd62e43 0x00000000: hx > 0x3fd62e42
const SHIFTER: f64 = 6755399441055744.0;         // 1.5 * 2^52

/** exp of both f64 lanes of `x`, each lane's bits those of the scalar exp. SIMD build only. */
export function expLanes(x: v128): v128 {
  // the vector constants, read from a static table: V8 builds a v128.const anew
  // at every use (several instructions) but loads one in one
  const cf = <usize>memory.data<f64>([-0.0, -0.0, 0.5, 0.5, INV_LN2, INV_LN2, HALF_LN2_ABOVE, HALF_LN2_ABOVE, LN2_HI, LN2_HI, LN2_LO, LN2_LO, P5, P5, P4, P4, P3, P3, P2, P2, P1, P1, 2.0, 2.0, 1.0, 1.0, SHIFTER, SHIFTER, TWO_M28, TWO_M28, EXP_U_THRESHOLD, EXP_U_THRESHOLD, EXP_VECTOR_LIMIT, EXP_VECTOR_LIMIT], 16);
  const ax = f64x2.abs(x);
  const sign = v128.and(x, v128.load(cf, 0));
  const half = v128.or(v128.load(cf, 16), sign);   // +-0.5 with the sign of x
  let t = f64x2.trunc(f64x2.add(f64x2.mul(v128.load(cf, 32), x), half));
  t = v128.and(t, f64x2.ge(ax, v128.load(cf, 48))); // k = 0 below 0.5 ln2
  const hi = f64x2.sub(x, f64x2.mul(t, v128.load(cf, 64)));
  const lo = f64x2.mul(t, v128.load(cf, 80));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let p = f64x2.mul(rr, v128.load(cf, 96));
  p = f64x2.mul(rr, f64x2.add(v128.load(cf, 112), p));
  p = f64x2.mul(rr, f64x2.add(v128.load(cf, 128), p));
  p = f64x2.mul(rr, f64x2.add(v128.load(cf, 144), p));
  p = f64x2.mul(rr, f64x2.add(v128.load(cf, 160), p));
  const c = f64x2.sub(r, p);
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(v128.load(cf, 176), c));
  const y = f64x2.sub(v128.load(cf, 192), f64x2.sub(f64x2.sub(lo, q), hi));
  // k as a 64-bit integer: t + 1.5 * 2^52 is exact and holds k in its low bits
  const k = i64x2.sub(f64x2.add(t, v128.load(cf, 208)), v128.load(cf, 208));
  let e = i64x2.add(y, i64x2.shl(k, 52));
  e = v128.bitselect(f64x2.add(v128.load(cf, 192), x), e, f64x2.lt(ax, v128.load(cf, 224)));
  const under = f64x2.lt(x, v128.load(cf, 240)); // far out on the left (-Inf too): +0, as the scalar
  e = v128.andnot(e, under);
  const fast = i64x2.bitmask(v128.or(f64x2.lt(ax, v128.load(cf, 256)), under)); // NaN lanes: 0
  if (fast != 3) {
    if ((fast & 1) == 0) e = f64x2.replace_lane(e, 0, exp(f64x2.extract_lane(x, 0)));
    if ((fast & 2) == 0) e = f64x2.replace_lane(e, 1, exp(f64x2.extract_lane(x, 1)));
  }
  return e;
}

/**
 * out[k] = exp(src[k]) for the first m doubles, two lanes per step, m even:
 * expLanes's operations written into one loop, so its constants stay in
 * registers and no call per pair spills the caller's (a hot loop's exp in
 * two passes: its arguments into a row, then this). The lanes the scalar exp
 * must do are redone from `src` after the loop, so `out` must not overlap
 * `src`. SIMD build only.
 */
export function expRowLanes(src: i32, out: i32, m: i32): void {
  expRowCore(src, out, m, false);
}

/**
 * expRowLanes for arguments that are all <= 0 (or NaN), as the E-step's
 * v_k - top are: the same bits with three operations fewer per pair. For
 * x <= 0 the sign of x is set (x = +0 too: its k is masked to 0 either
 * way), so the rounding half is -0.5, and |x| >= c, |x| < c read x <= -c,
 * x > -c without |x|. A positive lane would get a wrong k. SIMD build only.
 */
export function expRowLanesNonPositive(src: i32, out: i32, m: i32): void {
  expRowCore(src, out, m, true);
}

// @ts-ignore: asc's decorator (one copy per caller, `nonPositive` constant; tsc drops it)
@inline
function expRowCore(src: i32, out: i32, m: i32, nonPositive: bool): void {
  // expLanes's table, then SHIFTER + 1023 (exact: an integer below 2^53),
  // loaded rather than added in the loop
  const cf = <usize>memory.data<f64>([-0.0, -0.0, 0.5, 0.5, INV_LN2, INV_LN2, HALF_LN2_ABOVE, HALF_LN2_ABOVE, LN2_HI, LN2_HI, LN2_LO, LN2_LO, P5, P5, P4, P4, P3, P3, P2, P2, P1, P1, 2.0, 2.0, 1.0, 1.0, SHIFTER, SHIFTER, TWO_M28, TWO_M28, EXP_U_THRESHOLD, EXP_U_THRESHOLD, EXP_VECTOR_LIMIT, EXP_VECTOR_LIMIT, SHIFTER + 1023.0, SHIFTER + 1023.0], 16);
  const signBit = v128.load(cf, 0);
  const halfC = v128.load(cf, 16);
  const invLn2 = v128.load(cf, 32);
  const halfLn2 = v128.load(cf, 48);
  const ln2Hi = v128.load(cf, 64);
  const ln2Lo = v128.load(cf, 80);
  const p5 = v128.load(cf, 96);
  const p4 = v128.load(cf, 112);
  const p3 = v128.load(cf, 128);
  const p2 = v128.load(cf, 144);
  const p1 = v128.load(cf, 160);
  const two = v128.load(cf, 176);
  const one = v128.load(cf, 192);
  const twoM28 = v128.load(cf, 224);
  const uThreshold = v128.load(cf, 240);
  const limit = v128.load(cf, 256);
  const shifter1023 = v128.load(cf, 272);
  const minusHalf = v128.or(halfC, signBit);
  const minusHalfLn2 = v128.or(halfLn2, signBit);
  const minusTwoM28 = v128.or(twoM28, signBit);
  const minusLimit = v128.or(limit, signBit);
  // lanes the polynomial does not serve (far right, NaN) are left for
  // expRowFixLanes after the loop: no call inside it, around which every
  // constant was spilled (a call may clobber every vector register)
  let fastAll = 3;
  for (let i = 0; i + 2 <= m; i += 2) {
    const x = v128.load(<usize>(src + (i << 3)));
    let t = x;
    let tiny = x;
    let inRange = x;
    if (nonPositive) {
      t = f64x2.trunc(f64x2.add(f64x2.mul(invLn2, x), minusHalf));
      t = v128.and(t, f64x2.le(x, minusHalfLn2));
      tiny = f64x2.gt(x, minusTwoM28);
      inRange = f64x2.gt(x, minusLimit);
    } else {
      const ax = f64x2.abs(x);
      const half = v128.or(halfC, v128.and(x, signBit));
      t = f64x2.trunc(f64x2.add(f64x2.mul(invLn2, x), half));
      t = v128.and(t, f64x2.ge(ax, halfLn2));
      tiny = f64x2.lt(ax, twoM28);
      inRange = f64x2.lt(ax, limit);
    }
    const hi = f64x2.sub(x, f64x2.mul(t, ln2Hi));
    const lo = f64x2.mul(t, ln2Lo);
    const r = f64x2.sub(hi, lo);
    const rr = f64x2.mul(r, r);
    let p = f64x2.mul(rr, p5);
    p = f64x2.mul(rr, f64x2.add(p4, p));
    p = f64x2.mul(rr, f64x2.add(p3, p));
    p = f64x2.mul(rr, f64x2.add(p2, p));
    p = f64x2.mul(rr, f64x2.add(p1, p));
    const c = f64x2.sub(r, p);
    const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(two, c));
    const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, q), hi));
    // y 2^k: t + 1.5 * 2^52 + 1023 holds k + 1023 in its low bits, shifted into
    // the exponent field that is 2^k (-1020 <= k <= 1020 on the fast lanes);
    // y 2^k is then normal and exact, the bits of expLanes's exponent add
    let e = f64x2.mul(y, i64x2.shl(f64x2.add(t, shifter1023), 52));
    e = v128.bitselect(f64x2.add(one, x), e, tiny);
    const under = f64x2.lt(x, uThreshold);
    e = v128.andnot(e, under);
    fastAll &= i64x2.bitmask(v128.or(inRange, under));
    v128.store(<usize>(out + (i << 3)), e);
  }
  if (fastAll != 3) expRowFixLanes(src, out, m, nonPositive);
}

/**
 * The lanes expRowCore's loop left to the scalar exp: where the argument is
 * neither in range (|x| < EXP_VECTOR_LIMIT; x > -EXP_VECTOR_LIMIT for
 * nonPositive) nor below EXP_U_THRESHOLD, NaN too, the loop's comparisons
 * made per lane; out[k] = exp(src[k]) there, as expLanes replaces them.
 */
function expRowFixLanes(src: i32, out: i32, m: i32, nonPositive: bool): void {
  for (let k = 0; k < (m & ~1); k++) {
    const x = ldf(src + (k << 3));
    const inRange = nonPositive ? x > -EXP_VECTOR_LIMIT : Math.abs(x) < EXP_VECTOR_LIMIT;
    if (!(inRange || x < EXP_U_THRESHOLD)) stf(out + (k << 3), exp(x));
  }
}

/** out[k] = exp(in[k]) for n doubles: one call for a whole test vector (the SIMD build: two at a time, expLanes). */
export function expFill(src: i32, out: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) v128.store(<usize>(out + (k << 3)), expLanes(v128.load(<usize>(src + (k << 3)))));
  }
  for (; k < n; k++) stf(out + (k << 3), exp(ldf(src + (k << 3))));
}

/** expFill through expRowLanes in the SIMD build: for tests. */
export function expRowFill(src: i32, out: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    k = n & ~1;
    expRowLanes(src, out, k);
  }
  for (; k < n; k++) stf(out + (k << 3), exp(ldf(src + (k << 3))));
}

/** expFill through expRowLanesNonPositive in the SIMD build (inputs <= 0 or NaN): for tests. */
export function expRowFillNonPositive(src: i32, out: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    k = n & ~1;
    expRowLanesNonPositive(src, out, k);
  }
  for (; k < n; k++) stf(out + (k << 3), exp(ldf(src + (k << 3))));
}

// The SIMD build's log of two lanes (logLanes), bit for bit the scalar log of
// each lane, for positive normal finite x outside the |f| < 2^-20 branch: the
// same integer steps on the high word (in 64-bit lanes; the values are small,
// so no lane wraps where the scalar's 32 bits would not) and the same
// polynomial. k = 0 needs no formula of its own: with dk = 0, the scalar's
// general result dk LN2_HI - ((A - dk LN2_LO) - f) is 0 - (A - f) = f - A, its
// k = 0 result (A - f is never 0 here, where f is not tiny: A ~ f^2 / 2).
// The "big", the other polynomial form and the |f| < 2^-20 form are all
// computed and one chosen per lane. The last needs no case of its own either:
// f = 0 gives r = 0 and dk LN2_HI - ((0 - dk LN2_LO) - 0), the scalar's
// dk LN2_HI + dk LN2_LO (+0 for k = 0); k = 0, f != 0 gives 0 - (r - f), the
// scalar's f - r (r ~ f^2 / 2 never equals f). Other lanes (zero, negative,
// subnormal, Inf, NaN) take the scalar log.
const MIN_NORMAL: f64 = 2.2250738585072014e-308;
const THIRD: f64 = 0.33333333333333333; // the |f| < 2^-20 branch's constant

/** log of both f64 lanes of `x`, each lane's bits those of the scalar log. SIMD build only. */
export function logLanes(x: v128): v128 {
  // the vector constants, read from a static table: V8 builds a v128.const anew
  // at every use (several instructions) but loads one in one
  const cf = <usize>memory.data<f64>([1.0, 1.0, 2.0, 2.0, LG2, LG2, LG4, LG4, LG6, LG6, LG1, LG1, LG3, LG3, LG5, LG5, LG7, LG7, LN2_HI, LN2_HI, LN2_LO, LN2_LO, 0.5, 0.5, MIN_NORMAL, MIN_NORMAL, Infinity, Infinity, THIRD, THIRD], 16);
  const ci = <usize>memory.data<i32>([1023, 0, 1023, 0, 0x000fffff, 0, 0x000fffff, 0, 0x95f64, 0, 0x95f64, 0, 0x100000, 0, 0x100000, 0, 0x3ff00000, 0, 0x3ff00000, 0, 0xffffffff, 0, 0xffffffff, 0, 0x6147a, 0, 0x6147a, 0, 0x6b851, 0, 0x6b851, 0, 0, 0, 0, 0, 2, 0, 2, 0, 3, 0, 3, 0], 16); // 64-bit lanes as (low, high) words
  // unsigned shifts (native in SSE, unlike 64-bit arithmetic ones): x > 0 on the vector path
  let hx = i64x2.shr_u(x, 32);
  let k = i64x2.sub(i64x2.shr_u(hx, 20), v128.load(ci, 0));
  hx = v128.and(hx, v128.load(ci, 16));
  const i = v128.and(i64x2.add(hx, v128.load(ci, 32)), v128.load(ci, 48));
  const high = v128.or(hx, v128.xor(i, v128.load(ci, 64)));
  const xn = v128.or(i64x2.shl(high, 32), v128.and(x, v128.load(ci, 80)));
  k = i64x2.add(k, i64x2.shr_u(i, 20));
  const f = f64x2.sub(xn, v128.load(cf, 0));
  const dk = f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 0, 2, 0, 2));
  const s = f64x2.div(f, f64x2.add(v128.load(cf, 16), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(v128.load(cf, 32), f64x2.mul(w, f64x2.add(v128.load(cf, 48), f64x2.mul(w, v128.load(cf, 64))))));
  const t2 = f64x2.mul(z, f64x2.add(v128.load(cf, 80), f64x2.mul(w, f64x2.add(v128.load(cf, 96), f64x2.mul(w, f64x2.add(v128.load(cf, 112), f64x2.mul(w, v128.load(cf, 128))))))));
  const r = f64x2.add(t2, t1);
  const khi = f64x2.mul(dk, v128.load(cf, 144));
  const klo = f64x2.mul(dk, v128.load(cf, 160));
  // big: f^2 / 2 kept apart
  const hfsq = f64x2.mul(f64x2.mul(v128.load(cf, 176), f), f);
  const big = f64x2.sub(khi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), klo)), f));
  const other = f64x2.sub(khi, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, r)), klo), f));
  const isBig = i64x2.gt_s(v128.or(i64x2.sub(hx, v128.load(ci, 96)), i64x2.sub(v128.load(ci, 112), hx)), v128.load(ci, 128));
  let y = v128.bitselect(big, other, isBig);
  // tiny: |f| < 2^-20 (x near a power of two; log-sum-exp gives 1 + e, e small)
  const r0 = f64x2.mul(f64x2.mul(f, f), f64x2.sub(v128.load(cf, 176), f64x2.mul(v128.load(cf, 224), f)));
  const tiny = f64x2.sub(khi, f64x2.sub(f64x2.sub(r0, klo), f));
  const nearPow2 = i64x2.lt_s(v128.and(i64x2.add(hx, v128.load(ci, 144)), v128.load(ci, 16)), v128.load(ci, 160));
  y = v128.bitselect(tiny, y, nearPow2);
  const normal = v128.and(f64x2.ge(x, v128.load(cf, 192)), f64x2.lt(x, v128.load(cf, 208)));
  const fast = i64x2.bitmask(normal);
  if (fast != 3) {
    if ((fast & 1) == 0) y = f64x2.replace_lane(y, 0, log(f64x2.extract_lane(x, 0)));
    if ((fast & 2) == 0) y = f64x2.replace_lane(y, 1, log(f64x2.extract_lane(x, 1)));
  }
  return y;
}

/** out[k] = log(in[k]) for n doubles (the SIMD build: two at a time, logLanes). */
export function logFill(src: i32, out: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) v128.store(<usize>(out + (k << 3)), logLanes(v128.load(<usize>(src + (k << 3)))));
  }
  for (; k < n; k++) stf(out + (k << 3), log(ldf(src + (k << 3))));
}
