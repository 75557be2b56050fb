// A cheaper deterministic e^x for sums of Gaussian kernel terms (the KDE's
// held-out log-density, until its sums became float32: they now use the
// float twin, exp-kernel-f32.ts; this one stays exported and tested as the
// double version), whose exponents are never positive: expKernel(x)
// for x <= 0, and its SIMD twin expKernelLanes, bit for bit the scalar in
// each lane. detmath's exp (fdlibm, for every double) has a division and a
// branch per range of x; here, for x <= 0 only:
//
// 1. Reduce: k = round(x / ln 2) by the 1.5 * 2^52 shifter (x / ln 2 + S
//    rounds to an integer in the last place; (... + S) - S is k exactly, and
//    the sum's low bits hold k for the exponent step), then
//    r = hi - lo, hi = x - k LN2_HI (exact: k LN2_HI is exact for |k| < 2^11,
//    and x, k LN2_HI are within a factor 2), lo = k LN2_LO; |r| <= 0.3466.
// 2. e^r = 1 + r + r^2 Q(r), Q of degree 9 by Estrin's scheme (pairs
//    C_j + C_j+1 r, then r^2 and r^4: a short dependency chain, no division),
//    written as 1 + (hi - (lo - r^2 Q)) so that r's rounding does not enter
//    twice. Q is a Chebyshev fit of (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2]
//    (mpmath.chebyfit, 50 digits, coefficients rounded to doubles;
//    scripts/fit-exp-kernel.py): the polynomial's relative error is below
//    2^-55.7 over the interval.
// 3. e^x = 2^k e^r: k is added to the exponent field (the scalar multiplies
//    by the double 2^k, the same bits: the product is exact because every
//    result is a normal double, see below). The scalar takes 2^k from kd's
//    low bits in WASM (platform.ts pow2OfShifted: integer ops, where V8's
//    saturating float-to-int conversion is four instructions and a branch),
//    from t in JS; the same double.
//
// Accuracy: below 1 ulp. The error budget, in ulps of a result in [0.7, 1)
// (the worst binade): polynomial 0.14, rounding of hi - (...) 0.25, of
// lo - r^2 Q 0.03, of the final 1 + (...) 0.5, so at most about 0.93; the
// measured maximum over a dense sweep of [-708, 0] against a 50-digit
// reference is 0.92 ulp (test/exp-kernel.test.ts). detmath's exp: 0.86.
//
// Both functions are `@inline` (an asc decorator; tsc drops it): binaryen
// does not inline a function this size by itself, and the call in the
// sums' loop cost about 7% of the KDE kernel's time (measured A/B).
//
// Below EXP_KERNEL_MIN = -708 the result is flushed to +0: at -708 it is
// about 3.3e-308, just above the smallest normal 2^-1022, and k >= -1021
// there, so every result the formula gives is a normal double (no subnormal
// path, no branch). For the KDE's double sums this was harmless: a query's
// first pass was kept only when its sum was >= 1.2e-271, where n flushed
// terms below 3.3e-308 change it by less than n 2^-120 of itself; the
// log-sum-exp pass shifts by the largest exponent, so one term is e^0 = 1
// and the flushed ones are below n 3.3e-308 of the sum.
// -Infinity gives +0, NaN the canonical NaN. x > 0 is not in the domain
// (no caller passes one): the result is then unspecified, but still the same
// bits on every backend, as the same operations run.
import { ldf, stf, pow2OfShifted, ldk } from "./platform";

const EXP_KERNEL_MIN: f64 = -708.0;
const INV_LN2: f64 = 1.44269504088896338700e+00; // 0x3ff71547 0x652b82fe (fdlibm e_exp.c)
// ln 2 split so that k * LN2_HI is exact for |k| < 2^11 (fdlibm e_exp.c)
const LN2_HI: f64 = 6.93147180369123816490e-01;  // 0x3fe62e42 0xfee00000
const LN2_LO: f64 = 1.90821492927058770002e-10;  // 0x3dea39ef 0x35793c76
const SHIFTER: f64 = 6755399441055744.0;          // 1.5 * 2^52
// Q(r) = C2 + C3 r + ... + C11 r^9 ~ (e^r - 1 - r) / r^2 (the Taylor
// coefficients 1/j! nudged to spread the error over the interval)
const C2: f64 = 0.5000000000000001;
const C3: f64 = 0.16666666666666669;
const C4: f64 = 0.041666666666624164;
const C5: f64 = 0.008333333333330065;
const C6: f64 = 0.0013888888917196719;
const C7: f64 = 0.00019841269863040545;
const C8: f64 = 2.4801521322368692e-05;
const C9: f64 = 2.7557268480310024e-06;
const C10: f64 = 2.762007587998348e-07;
const C11: f64 = 2.510037583256132e-08;

// expKernel's constants as a static table in WASM, read by platform.ts's ldk
// (one load each: V8 builds a double literal from two instructions through a
// general register, on one port, which was a third of the scalar function's
// time); JS gets the literals (0 here: no table, as platform.ts's TABLE_BASE)
const EXP_CONSTANTS: usize = ASC_TARGET == 0 ? 0 : memory.data<f64>([INV_LN2, SHIFTER, LN2_HI, LN2_LO, C11, C10, C9, C8, C7, C6, C5, C4, C3, C2], 16);

/** e^x for x <= 0, within 1 ulp; +0 below -708 (and for -Infinity), NaN for NaN. */
// @ts-ignore: asc's decorator (inline into the sums' loops; tsc drops it)
@inline
export function expKernel(x: f64): f64 {
  if (!(x >= EXP_KERNEL_MIN)) return x == x ? 0.0 : NaN;
  const cf = EXP_CONSTANTS;
  const kd = x * ldk(cf, 0, INV_LN2) + ldk(cf, 1, SHIFTER);
  const t = kd - ldk(cf, 1, SHIFTER); // k, an integer in [-1021, 0] for x in [-708, 0]
  const hi = x - t * ldk(cf, 2, LN2_HI);
  const lo = t * ldk(cf, 3, LN2_LO);
  const r = hi - lo;
  const rr = r * r;
  const r4 = rr * rr;
  const q = ((ldk(cf, 13, C2) + ldk(cf, 12, C3) * r) + rr * (ldk(cf, 11, C4) + ldk(cf, 10, C5) * r)) + r4 * (((ldk(cf, 9, C6) + ldk(cf, 8, C7) * r) + rr * (ldk(cf, 7, C8) + ldk(cf, 6, C9) * r)) + r4 * (ldk(cf, 5, C10) + ldk(cf, 4, C11) * r));
  const y = 1.0 + (hi - (lo - rr * q));
  // y * 2^k: exact, the result being normal (y >= 0.7, k >= -1021)
  return y * pow2OfShifted(kd, t);
}

/** expKernel of both f64 lanes of `x`, each lane's bits the scalar's. SIMD build only. */
// @ts-ignore: asc's decorator (inline into the sums' loops; tsc drops it)
@inline
export function expKernelLanes(x: v128): v128 {
  // the vector constants, read from a static table: V8 builds a v128.const anew
  // at every use (several instructions) but loads one in one
  const cf = <usize>memory.data<f64>([INV_LN2, INV_LN2, SHIFTER, SHIFTER, LN2_HI, LN2_HI, LN2_LO, LN2_LO, C11, C11, C10, C10, C9, C9, C8, C8, C7, C7, C6, C6, C5, C5, C4, C4, C3, C3, C2, C2, 1.0, 1.0, EXP_KERNEL_MIN, EXP_KERNEL_MIN, NaN, NaN], 16);
  const kd = f64x2.add(f64x2.mul(x, v128.load(cf, 0)), v128.load(cf, 16));
  const t = f64x2.sub(kd, v128.load(cf, 16));
  const hi = f64x2.sub(x, f64x2.mul(t, v128.load(cf, 32)));
  const lo = f64x2.mul(t, v128.load(cf, 48));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  const r4 = f64x2.mul(rr, rr);
  const p01 = f64x2.add(v128.load(cf, 208), f64x2.mul(v128.load(cf, 192), r));
  const p23 = f64x2.add(v128.load(cf, 176), f64x2.mul(v128.load(cf, 160), r));
  const p45 = f64x2.add(v128.load(cf, 144), f64x2.mul(v128.load(cf, 128), r));
  const p67 = f64x2.add(v128.load(cf, 112), f64x2.mul(v128.load(cf, 96), r));
  const p89 = f64x2.add(v128.load(cf, 80), f64x2.mul(v128.load(cf, 64), r));
  const q = f64x2.add(f64x2.add(p01, f64x2.mul(rr, p23)), f64x2.mul(r4, f64x2.add(f64x2.add(p45, f64x2.mul(rr, p67)), f64x2.mul(r4, p89))));
  const y = f64x2.add(v128.load(cf, 224), f64x2.sub(hi, f64x2.sub(lo, f64x2.mul(rr, q))));
  // k into the exponent field: the low 12 bits of kd's pattern are k (two's complement)
  let e = i64x2.add(y, i64x2.shl(kd, 52));
  // below the threshold (and -Infinity): +0; NaN: the canonical NaN
  e = v128.and(e, f64x2.ge(x, v128.load(cf, 240)));
  return v128.or(e, v128.and(f64x2.ne(x, x), v128.load(cf, 256)));
}

/** out[k] = expKernel(in[k]) for n doubles: one call for a whole test vector (the SIMD build: two at a time). */
export function expKernelFill(src: i32, out: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 2 <= n; k += 2) v128.store(<usize>(out + (k << 3)), expKernelLanes(v128.load(<usize>(src + (k << 3)))));
  }
  for (; k < n; k++) stf(out + (k << 3), expKernel(ldf(src + (k << 3))));
}
