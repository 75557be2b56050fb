// A cheaper deterministic float e^x for the KDE's held-out kernel sums
// (models/kde.ts), whose exponents are never positive: expKernelF32(x) for a
// float x <= 0, and its SIMD twin expKernelF32Lanes, four floats per f32x4,
// each lane bit for bit the scalar. It replaced a double version (two lanes,
// degree 11; CHANGELOG): a pair of the sums costs about half.
//
// Float32 in the portable source follows the VAE's rule (platform.ts `fr`):
// WASM computes every op below in single precision; the js build computes it
// in double and rounds the result with Math.fround, which gives the float op's
// bits (double holds the exact result of a float op to more than 2 x 24 + 2
// bits). No fused multiply-add anywhere.
//
// 1. Reduce: k = round(x / ln 2) by the float shifter 1.5 * 2^23 (x / ln 2 +
//    S rounds to an integer in the last place; the sum's low bits hold k for
//    the exponent step), r = hi - lo with hi = x - k LN2F_HI (exact: LN2F_HI
//    has 17 significant bits and |k| <= 126, and x, k LN2F_HI are within a
//    factor 2 of each other) and lo = k LN2F_LO; |r| <= ln2/2 (1 + 2^-16).
// 2. e^r = 1 + r + r^2 Q(r), Q of degree 4 by Estrin's scheme, written
//    1 + (hi - (lo - r^2 Q)) so that r's rounding does not enter twice. Q is
//    a Chebyshev fit of (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2] (slightly
//    widened), mpmath.chebyfit at 40 digits, coefficients rounded to floats
//    (scripts/fit-exp-kernel.py, which also splits ln 2): relative error
//    below 2^-26.4.
// 3. e^x = 2^k e^r: k added to the float's exponent field (platform.ts
//    scaleByShiftedF32; exact, every result being a normal float, below).
//
// Accuracy: below 1 ulp of the float result. The budget in ulps of a result
// in [0.7, 1) (the worst binade): the final rounding of 1 + (...) 0.5, of
// hi - (...) 0.25, the polynomial 0.18, r's rounding (through r^2) 0.1, the
// roundings of r^2 Q and lo - r^2 Q 0.06; the measured maximum over every
// float in [-87, 0] (1.1e9 of them, scripts/sweep-exp-kernel-f32.mjs,
// against Math.exp in double) is 0.977 ulp, at x = -16.98 (r near -ln2/2);
// test/exp-kernel-f32.test.ts checks a sample against a 50-digit reference.
//
// Below EXPF_MIN = -87 the result is flushed to +0: e^-87 is about 1.6e-38,
// just above the smallest normal float 2^-126, and k >= -126 there with
// e^r >= 1.4, so every result the formula gives is normal (no subnormal
// path); below it the formula's bits are replaced by a select (masks in
// both builds, no branch). The sums stay correct: kde.ts keeps a query's first
// pass only when its sum is >= 2^-64, where n flushed terms (each below
// e^-87) change it by less than n 2^-61.5 of itself; its second pass shifts
// by the largest exponent, so one term is e^0 = 1.
// -Infinity gives +0, NaN the canonical NaN. x > 0 is not in the domain.
import { ldf32, stf32, fr, ldk32, scaleByShiftedF32, selectF32 } from "./platform";

const EXPF_MIN: f32 = -87.0;
const INV_LN2F: f32 = 1.4426950216293335; // the float nearest 1 / ln 2
const SHIFTER_F: f32 = 12582912.0;          // 1.5 * 2^23
// ln 2 = LN2F_HI + LN2F_LO + 5.5e-14: HI a multiple of 2^-17, so k HI is exact for |k| < 2^7
const LN2F_HI: f32 = 0.693145751953125;
const LN2F_LO: f32 = 1.428606765330187e-06;
const ONE: f32 = 1.0;
const ZERO: f32 = 0.0;
const NANF: f32 = NaN;
// Q(r) = D2 + D3 r + ... + D6 r^4 ~ (e^r - 1 - r) / r^2
const D2: f32 = 0.5;
const D3: f32 = 0.16666576266288757;
const D4: f32 = 0.041666556149721146;
const D5: f32 = 0.008363177068531513;
const D6: f32 = 0.001392618054524064;

// the scalar's constants as a static table in WASM (platform.ts ldk32: one
// load each); JS gets the literals
const EXPF_CONSTANTS: usize = ASC_TARGET == 0 ? 0 : memory.data<f32>([INV_LN2F, SHIFTER_F, LN2F_HI, LN2F_LO, D6, D5, D4, D3, D2], 16);

/** e^x for a float x <= 0, within 1 ulp; +0 below -87 (and for -Infinity), NaN for NaN. */
// @ts-ignore: asc's decorator (inline into the sums' loops; tsc drops it)
@inline
export function expKernelF32(x: f32): f32 {
  const cf = EXPF_CONSTANTS;
  const shifter = ldk32(cf, 1, SHIFTER_F);
  const kd = fr(fr(x * ldk32(cf, 0, INV_LN2F)) + shifter);
  const t = fr(kd - shifter); // k, an integer in [-126, 0] for x in [-87, 0]
  const hi = fr(x - fr(t * ldk32(cf, 2, LN2F_HI)));
  const lo = fr(t * ldk32(cf, 3, LN2F_LO));
  const r = fr(hi - lo);
  const rr = fr(r * r);
  const q = fr(fr(ldk32(cf, 8, D2) + fr(ldk32(cf, 7, D3) * r)) + fr(rr * fr(fr(ldk32(cf, 6, D4) + fr(ldk32(cf, 5, D5) * r)) + fr(rr * ldk32(cf, 4, D6)))));
  const y = fr(ONE + fr(hi - fr(lo - fr(rr * q))));
  // below -87 (and for -Infinity, NaN) a select of the bits, not a branch:
  // at small bandwidths the terms fall on either side of -87 unpredictably
  // (two thirds below on moons at h = 0.1, where a branch made the wasm
  // build's pairs 1.4x slower); the bits computed for them are discarded
  return selectF32(scaleByShiftedF32(y, kd, t), x == x ? ZERO : NANF, x >= EXPF_MIN);
}

/** expKernelF32 of the four f32 lanes of `x`, each lane's bits the scalar's. SIMD build only. */
// @ts-ignore: asc's decorator (inline into the sums' loops; tsc drops it)
@inline
export function expKernelF32Lanes(x: v128): v128 {
  // the vector constants from a static table (a v128.const is rebuilt at every use by V8)
  const cf = <usize>memory.data<f32>([
    INV_LN2F, INV_LN2F, INV_LN2F, INV_LN2F, SHIFTER_F, SHIFTER_F, SHIFTER_F, SHIFTER_F,
    LN2F_HI, LN2F_HI, LN2F_HI, LN2F_HI, LN2F_LO, LN2F_LO, LN2F_LO, LN2F_LO,
    D6, D6, D6, D6, D5, D5, D5, D5, D4, D4, D4, D4, D3, D3, D3, D3, D2, D2, D2, D2,
    ONE, ONE, ONE, ONE, EXPF_MIN, EXPF_MIN, EXPF_MIN, EXPF_MIN, NaN, NaN, NaN, NaN,
  ], 16);
  const kd = f32x4.add(f32x4.mul(x, v128.load(cf, 0)), v128.load(cf, 16));
  const t = f32x4.sub(kd, v128.load(cf, 16));
  const hi = f32x4.sub(x, f32x4.mul(t, v128.load(cf, 32)));
  const lo = f32x4.mul(t, v128.load(cf, 48));
  const r = f32x4.sub(hi, lo);
  const rr = f32x4.mul(r, r);
  const p01 = f32x4.add(v128.load(cf, 128), f32x4.mul(v128.load(cf, 112), r));
  const p23 = f32x4.add(v128.load(cf, 96), f32x4.mul(v128.load(cf, 80), r));
  const q = f32x4.add(p01, f32x4.mul(rr, f32x4.add(p23, f32x4.mul(rr, v128.load(cf, 64)))));
  const y = f32x4.add(v128.load(cf, 144), f32x4.sub(hi, f32x4.sub(lo, f32x4.mul(rr, q))));
  // k into the exponent field: the low 9 bits of kd's pattern are k (two's complement)
  let e = i32x4.add(y, i32x4.shl(kd, 23));
  // below the threshold (and -Infinity): +0; NaN: the canonical NaN
  e = v128.and(e, f32x4.ge(x, v128.load(cf, 160)));
  return v128.or(e, v128.and(f32x4.ne(x, x), v128.load(cf, 176)));
}

/**
 * out[k] = expKernelF32(in[k]) for n floats: one call for a whole test
 * vector; with `lanes` = 1 the SIMD build takes four at a time
 * (expKernelF32Lanes), else every build the scalar.
 */
export function expKernelF32Fill(src: i32, out: i32, n: i32, lanes: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD && lanes == 1) {
    for (; k + 4 <= n; k += 4) v128.store(<usize>(out + (k << 2)), expKernelF32Lanes(v128.load(<usize>(src + (k << 2)))));
  }
  for (; k < n; k++) stf32(out + (k << 2), expKernelF32(ldf32(src + (k << 2))));
}
