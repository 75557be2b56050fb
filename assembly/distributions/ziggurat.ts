// Standard normals by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw.
// 5(8), 2000), in numpy's 256-layer form (random_standard_normal in
// numpy/random/src/distributions/distributions.c; r and v from its
// ziggurat_constants.h, after Doornik 2005). Our own code; the tables are
// computed here at start-up with detmath's exp and log and sqrt, so every
// backend holds the same bits.
//
// The density f(x) = exp(-x^2/2) on x >= 0 is covered by 256 layers of equal
// area v: layer 0 is the rectangle [0, r] x [0, f(r)] plus the tail beyond r,
// drawn as one rectangle of width q = v / f(r); layer i >= 1 spans heights
// f(x_i)..f(x_{i-1}) and widths 0..x_i, with x_255 = r > ... > x_1 > x_0 = 0.
//
// One draw takes two 32-bit outputs, a then b, as the 64-bit word a:b
// (a the high half, as numpy's next_uint64 from 32-bit generators):
//   bits 0-7    (b & 255)                      layer index
//   bit  8      (b >>> 8 & 1)                  sign
//   bits 9-60   (a & 0x1fffffff) : (b >>> 9)   52-bit magnitude m
//   bits 61-63  unused
// x = m x_i / 2^52 is accepted at once when m < 2^52 x_{i-1} / x_i (inside
// the part of layer i that lies under layer i-1: ~99% of draws). Otherwise
// layer 0 draws from the tail by Marsaglia's exponential method (1963), and
// layers >= 1 test the wedge with one 53-bit uniform and exp; a rejected
// wedge starts again with two new outputs.
import { ldi, sti, stf, ldt, stt } from "./../platform";
import { rngNextInt32, rngDouble, rngFillBlock, RNG_CURSOR, RNG_END, RNG_BLOCK, RNG_BLOCK_MAX } from "./../rng/xor4096";
import { exp, log } from "./../detmath";

const R: f64 = 3.6541528853610088;     // x_255: where the tail starts
const INV_R: f64 = 0.27366123732975828; // 1 / R
const V: f64 = 0.00492867323399;       // the area of each layer
const TWO52: f64 = 4503599627370496.0;  // 2^52

// Offsets of the three tables in the static tables of platform.ts.
const K: i32 = 0;   // K[i] = 2^52 x_{i-1} / x_i (K[0] = 2^52 r / q; K[1] = 0)
const W: i32 = 256; // W[i] = x_i / 2^52 (W[0] = q / 2^52)
const F: i32 = 512; // F[i] = f(x_i) (F[0] = f(0) = 1)

/**
 * Fills the tables, from the top layer's edge r down: x_i solves
 * x_{i+1} (f(x_i) - f(x_{i+1})) = v, i.e. x_i = sqrt(-2 log(v / x_{i+1} + f(x_{i+1}))).
 * Runs once when the module starts (below).
 */
function zigguratInit(): void {
  const fr = exp(-0.5 * R * R);
  const q = V / fr;
  stt(K, R / q * TWO52);
  stt(W, q / TWO52);
  stt(F, 1.0);
  stt(K + 1, 0.0);
  stt(W + 255, R / TWO52);
  stt(F + 255, fr);
  let x = R;
  let fx = fr;
  for (let i = 254; i >= 1; i--) {
    const xi = Math.sqrt(-2.0 * log(V / x + fx));
    stt(K + i + 1, xi / x * TWO52);
    stt(W + i, xi / TWO52);
    fx = exp(-0.5 * xi * xi);
    stt(F + i, fx);
    x = xi;
  }
}
zigguratInit();

/** Copies the tables (K, W, F: 3 x 256 doubles) to `out`: for tests. */
export function zigguratTables(out: i32): void {
  for (let k = 0; k < 768; k++) stf(out + (k << 3), ldt(k));
}

/** The draw of words a, b when it lies in its layer's rectangle part; NaN otherwise. */
function zigFast(a: i32, b: i32): f64 {
  const i = b & 255;
  const m = f64(a & 0x1fffffff) * 8388608.0 + f64(b >>> 9);
  if (m < ldt(K + i)) {
    const x = m * ldt(W + i);
    return (b & 256) != 0 ? -x : x;
  }
  return NaN;
}

/**
 * A uniform double in (0, 1) with 53 bits, by rngDouble's formula. Bulk
 * kernels (`bulk`) take its two outputs from the block (refilled when empty
 * with at most 2 `pairs` outputs: `pairs` is how many pairs of outputs the
 * kernel will surely still use, this one included), the others from the generator.
 */
function uniform(s: i32, bulk: bool, pairs: i32): f64 {
  if (!bulk) return rngDouble(s);
  let r: f64 = 0.0;
  do {
    let c = ldi(s + RNG_CURSOR);
    if (c == ldi(s + RNG_END)) c = refill(s, pairs);
    const p = s + RNG_BLOCK + (c << 2);
    sti(s + RNG_CURSOR, c + 2);
    r = uniformOf(ldi(p), ldi(p + 4));
  } while (r == 0.0);
  return r;
}

/** rngDouble's formula: the 53-bit double in [0, 1) from outputs a then b. */
function uniformOf(a: i32, b: i32): f64 {
  return (f64(u32(a) >>> 11) + f64(u32(b)) / 4294967296.0) / 2097152.0;
}

/** Makes the next min(RNG_BLOCK_MAX, 2 pairs) outputs the block; returns the cursor, 0. */
function refill(s: i32, pairs: i32): i32 {
  const m = pairs < RNG_BLOCK_MAX >>> 1 ? pairs << 1 : RNG_BLOCK_MAX;
  rngFillBlock(s, m);
  sti(s + RNG_CURSOR, 0);
  sti(s + RNG_END, m);
  return 0;
}

/**
 * The rest of the draw of words a, b (zigFast gave NaN), taking uniforms as
 * uniform(s, bulk, pairs) does: the tail, or the wedge test (NaN when it rejects).
 */
function zigSlow(s: i32, a: i32, b: i32, bulk: bool, pairs: i32): f64 {
  const i = b & 255;
  const neg = (b & 256) != 0;
  if (i == 0) {
    // the tail beyond r: x = -log(U1) / r is accepted when 2 (-log U2) > x^2
    let x: f64 = 0.0;
    let y: f64 = 0.0;
    do {
      x = -log(uniform(s, bulk, pairs)) * INV_R;
      y = -log(uniform(s, bulk, pairs));
    } while (y + y <= x * x);
    return neg ? -(R + x) : R + x;
  }
  let x = (f64(a & 0x1fffffff) * 8388608.0 + f64(b >>> 9)) * ldt(W + i);
  if (neg) x = -x;
  const f1 = ldt(F + i);
  if ((ldt(F + i - 1) - f1) * uniform(s, bulk, pairs) + f1 < exp(-0.5 * x * x)) return x;
  return NaN;
}

/** One N(0, 1) draw from generator state `s`. */
export function normal(s: i32): f64 {
  let z: f64 = NaN;
  while (z != z) {
    const a = rngNextInt32(s);
    const b = rngNextInt32(s);
    z = zigFast(a, b);
    if (z != z) z = zigSlow(s, a, b, false, 0);
  }
  return z;
}

/**
 * N(mu, sigma^2) draws for `n` points of dimension `d` into column-major
 * `out` (coordinate c of point p at out + 8 (c ld + p)), drawn point by
 * point, coordinate by coordinate: the bits of n d calls of normal().
 * The outputs come a block at a time (rngFillBlock), never more than the
 * draws left will surely use (two each), so the generator ends where n d
 * calls of normal() would leave it.
 */
export function fillNormalGrid(s: i32, out: i32, n: i32, d: i32, ld: i32, mu: f64, sigma: f64): void {
  normalGrid(s, out, n, d, ld, mu, sigma, false, 0);
}

/**
 * As fillNormalGrid with mu = 0, sigma = 1, but each point's d normals come
 * after one uniform (into u + 8 p): the bits of, per point, one rngDouble()
 * and then d calls of normal() (a mixture's component, then its normals).
 */
export function fillUniformNormalGrid(s: i32, u: i32, out: i32, n: i32, d: i32, ld: i32): void {
  normalGrid(s, out, n, d, ld, 0.0, 1.0, true, u);
}

function normalGrid(s: i32, out: i32, n: i32, d: i32, ld: i32, mu: f64, sigma: f64, withU: bool, u: i32): void {
  const block = s + RNG_BLOCK;
  let left = n * d; // draws still to make
  let pre = withU ? n : 0; // uniforms still to draw (one pair of outputs each)
  let c = 0; // read cursor and end of the block, in outputs
  let e = 0;
  let p = 0; // the point and coordinate of the next draw: it goes to out + 8 (p + col ld)
  let col = 0;
  while (left > 0) {
    if (ASC_FEATURE_SIMD && withU && d == 2 && col == 0 && pre == n - p && e - c >= 6) {
      // A mixture's 2-D points whole, one per step while the block holds six
      // outputs: its uniform (not 0) and both its draws in their rectangles;
      // else (or when a step rejects) the steps below take the point as
      // before. The same operations as the uniform's step and the two-draw
      // step below, one after the other. Its own loop, with the conditions
      // above loop-invariant and the constants held in registers.
      const low29 = i64x2.splat(0x1fffffff);
      const two52 = f64x2.splat(TWO52);
      const signBit = f64x2.splat(-0.0);
      const vmu = f64x2.splat(mu);
      const vsigma = f64x2.splat(sigma);
      while (pre > 0 && e - c >= 6) {
        const r = uniformOf(ldi(block + (c << 2)), ldi(block + (c << 2) + 4));
        const v = v128.load(<usize>(block + ((c + 2) << 2)));
        const mi = v128.or(i64x2.shr_u(v, 41), i64x2.shl(v128.and(v, low29), 23));
        const m = f64x2.sub(v128.or(mi, two52), two52);
        const i0 = i32x4.extract_lane(v, 1) & 255;
        const i1 = i32x4.extract_lane(v, 3) & 255;
        const k = f64x2.replace_lane(f64x2.splat(ldt(K + i0)), 1, ldt(K + i1));
        if (!(r != 0.0 && i64x2.all_true(f64x2.lt(m, k)))) break;
        const wi = f64x2.replace_lane(f64x2.splat(ldt(W + i0)), 1, ldt(W + i1));
        const x = v128.xor(f64x2.mul(m, wi), v128.and(i64x2.shl(v, 23), signBit));
        const y = f64x2.add(vmu, f64x2.mul(vsigma, x));
        stf(u + (p << 3), r);
        stf(out + (p << 3), f64x2.extract_lane(y, 0));
        stf(out + ((p + ld) << 3), f64x2.extract_lane(y, 1));
        c += 6;
        pre--;
        left -= 2;
        p++;
      }
      if (left == 0) continue;
    }
    if (withU && col == 0 && pre == n - p) {
      // the point's uniform first, from the block as rngDouble() would take
      // it: here when the block holds its two outputs and it is not 0 (which
      // uniform() would reject and draw again), else through uniform()
      if (e - c >= 2) {
        const r = uniformOf(ldi(block + (c << 2)), ldi(block + (c << 2) + 4));
        if (r != 0.0) {
          stf(u + (p << 3), r);
          c += 2;
          pre--;
          continue;
        }
      }
      sti(s + RNG_CURSOR, c);
      sti(s + RNG_END, e);
      stf(u + (p << 3), uniform(s, true, left + pre));
      c = ldi(s + RNG_CURSOR);
      e = ldi(s + RNG_END);
      pre--;
      continue;
    }
    if (c == e) {
      const pairs = left + pre;
      e = pairs < RNG_BLOCK_MAX >>> 1 ? pairs << 1 : RNG_BLOCK_MAX;
      rngFillBlock(s, e);
      c = 0;
    }
    if (ASC_FEATURE_SIMD) {
      // Two draws at once when both sit in their rectangles (~98.6%); else
      // the scalar code below takes the first of them alone. The i64x2 lanes
      // of the four outputs a0 b0 a1 b1 are the 64-bit words b:a, so the
      // magnitude is (lane >>> 41) | (lane & 0x1fffffff) << 23 (< 2^52: made
      // a double exactly by OR-ing in 2^52's exponent and subtracting 2^52),
      // the sign is bit 40, and -x is x with the sign bit flipped.
      if (e - c >= 4 && (!withU || d - col >= 2)) { // with uniforms: both draws of the same point
        const v = v128.load(<usize>(block + (c << 2)));
        const mi = v128.or(i64x2.shr_u(v, 41), i64x2.shl(v128.and(v, i64x2.splat(0x1fffffff)), 23));
        const m = f64x2.sub(v128.or(mi, f64x2.splat(TWO52)), f64x2.splat(TWO52));
        const i0 = i32x4.extract_lane(v, 1) & 255;
        const i1 = i32x4.extract_lane(v, 3) & 255;
        const k = f64x2.replace_lane(f64x2.splat(ldt(K + i0)), 1, ldt(K + i1));
        if (i64x2.all_true(f64x2.lt(m, k))) {
          const wi = f64x2.replace_lane(f64x2.splat(ldt(W + i0)), 1, ldt(W + i1));
          const x = v128.xor(f64x2.mul(m, wi), v128.and(i64x2.shl(v, 23), f64x2.splat(-0.0)));
          const y = f64x2.add(f64x2.splat(mu), f64x2.mul(f64x2.splat(sigma), x));
          c += 4;
          left -= 2;
          if (d == 1) {
            v128.store(<usize>(out + (p << 3)), y);
            p += 2;
            continue;
          }
          stf(out + ((p + col * ld) << 3), f64x2.extract_lane(y, 0));
          if (++col == d) { col = 0; p++; }
          stf(out + ((p + col * ld) << 3), f64x2.extract_lane(y, 1));
          if (++col == d) { col = 0; p++; }
          continue;
        }
      }
    }
    const a = ldi(block + (c << 2));
    const b = ldi(block + (c << 2) + 4);
    c += 2;
    let z = zigFast(a, b);
    if (z != z) {
      sti(s + RNG_CURSOR, c);
      sti(s + RNG_END, e);
      z = zigSlow(s, a, b, true, left + pre);
      c = ldi(s + RNG_CURSOR);
      e = ldi(s + RNG_END);
      if (z != z) continue; // the wedge rejected: draw this one again
    }
    stf(out + ((p + col * ld) << 3), mu + sigma * z);
    left--;
    if (++col == d) { col = 0; p++; }
  }
  sti(s + RNG_CURSOR, 0);
  sti(s + RNG_END, 0);
}

/**
 * fillNormal's draws in the SIMD build: normalGrid's steps for d = 1 without
 * uniforms, the pairs in a loop of their own (pairs1D; 1.45x the draws a
 * second, the same bits). Kept apart from normalGrid: a 1-D loop inside it
 * made its d >= 2 steps about 5% slower.
 */
function normal1D(s: i32, out: i32, n: i32, mu: f64, sigma: f64): void {
  const block = s + RNG_BLOCK;
  let left = n;
  let c = 0;
  let e = 0;
  let o = out;
  while (left > 0) {
    if (c == e) {
      e = left < RNG_BLOCK_MAX >>> 1 ? left << 1 : RNG_BLOCK_MAX;
      rngFillBlock(s, e);
      c = 0;
    }
    const taken = pairs1D(block + (c << 2), block + (e << 2), o, mu, sigma);
    if (taken > 0) {
      c += taken << 2;
      left -= taken << 1;
      o += taken << 4;
      continue;
    }
    // one draw alone: the pair left its rectangles, or only one is left in the block
    const a = ldi(block + (c << 2));
    const b = ldi(block + (c << 2) + 4);
    c += 2;
    let z = zigFast(a, b);
    if (z != z) {
      sti(s + RNG_CURSOR, c);
      sti(s + RNG_END, e);
      z = zigSlow(s, a, b, true, left);
      c = ldi(s + RNG_CURSOR);
      e = ldi(s + RNG_END);
      if (z != z) continue; // the wedge rejected: draw this one again
    }
    stf(o, mu + sigma * z);
    o += 8;
    left--;
  }
  sti(s + RNG_CURSOR, 0);
  sti(s + RNG_END, 0);
}

/**
 * normal1D's two-draw step in a loop of its own over the block's outputs
 * [from, to), writing from `out`, with the constants in registers and no
 * per-draw bookkeeping. Stops at the first pair that leaves its rectangles;
 * returns the pairs taken.
 */
function pairs1D(from: i32, to: i32, out: i32, mu: f64, sigma: f64): i32 {
  const low29 = i64x2.splat(0x1fffffff);
  const two52 = f64x2.splat(TWO52);
  const signBit = f64x2.splat(-0.0);
  const vmu = f64x2.splat(mu);
  const vsigma = f64x2.splat(sigma);
  let q = from;
  let o = out;
  const last = to - 12;
  while (q < last) {
    const v = v128.load(<usize>q);
    const mi = v128.or(i64x2.shr_u(v, 41), i64x2.shl(v128.and(v, low29), 23));
    const m = f64x2.sub(v128.or(mi, two52), two52);
    const i0 = ldi(q + 4) & 255; // (scalar loads: cheaper than lane extracts)
    const i1 = ldi(q + 12) & 255;
    const k = f64x2.replace_lane(f64x2.splat(ldt(K + i0)), 1, ldt(K + i1));
    if (!i64x2.all_true(f64x2.lt(m, k))) break;
    const wi = f64x2.replace_lane(f64x2.splat(ldt(W + i0)), 1, ldt(W + i1));
    const x = v128.xor(f64x2.mul(m, wi), v128.and(i64x2.shl(v, 23), signBit));
    v128.store(<usize>o, f64x2.add(vmu, f64x2.mul(vsigma, x)));
    q += 16;
    o += 16;
  }
  return (q - from) >> 4;
}

/** Fills `n` doubles at `out` with N(mu, sigma^2) draws (the bits of n calls of normal()). */
export function fillNormal(s: i32, out: i32, n: i32, mu: f64, sigma: f64): void {
  if (ASC_FEATURE_SIMD) normal1D(s, out, n, mu, sigma);
  else fillNormalGrid(s, out, n, 1, n, mu, sigma);
}

/** Fills `n` doubles at `out` by n calls of normal(): the reference for fillNormal in tests. */
export function fillNormalOneByOne(s: i32, out: i32, n: i32): void {
  for (let k = 0; k < n; k++) stf(out + (k << 3), normal(s));
}
