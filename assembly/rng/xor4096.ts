// xor4096: Richard Brent's xorgens 4096-bit xorshift generator combined with
// a Weyl sequence, ported bit for bit from seedrandom 3.0.5 lib/xor4096.js
// (David Bau, MIT licence). seedrandom itself is the test oracle.
//
// State layout at byte offset `s` (RNG_STATE_BYTES in all):
//   i32 X[128] at s + 0        circular xorshift state
//   i32 i      at s + 512      current index into X
//   i32 w      at s + 516      Weyl counter
//   i32 c, e   at s + 520, 524 scratch of bulk kernels: read cursor and end of the block
//   i32 B[256] at s + 528      scratch of bulk kernels: a block of outputs (rngFillBlock)
// Bulk kernels (distributions/ziggurat.ts) take the outputs a block at a time
// and never make more than they use, so their bits equal drawing one by one.
import { ldi, sti, stf } from "./../platform";

const RNG_STATE_BYTES: i32 = 528 + 1024;
/** Byte offsets within a state: the index, the Weyl counter, the block's cursor and end, the block. */
export const RNG_INDEX: i32 = 512;
export const RNG_WEYL: i32 = 516;
export const RNG_CURSOR: i32 = 520;
export const RNG_END: i32 = 524;
export const RNG_BLOCK: i32 = 528;
/** Outputs a block holds at most. */
export const RNG_BLOCK_MAX: i32 = 256;

/** Bytes of one generator state (see the layout above). */
export function rngStateBytes(): i32 { return RNG_STATE_BYTES; }
/** The Weyl sequence's increment. */
export const WEYL: i32 = 0x61c88647;

/** Stores index and counter, empties the block; every seeding path ends here. */
function finishSeed(s: i32, i: i32, w: i32): void {
  sti(s + RNG_INDEX, i);
  sti(s + RNG_WEYL, w);
  sti(s + RNG_CURSOR, 0);
  sti(s + RNG_END, 0);
  for (let k = 0; k < RNG_BLOCK_MAX; k++) sti(s + RNG_BLOCK + (k << 2), 0);
}

/** Mixes the key into X: seedrandom's init() up to its 512 warm-up steps. */
function mixKey(s: i32, v: i32, chars: i32, len: i32): void {
  // `len` counts the key's UTF-16 units plus the '\0' seedrandom appends;
  // len == 0 means a numeric (int32) seed, held in v.
  let limit = 128;
  if (len > limit) limit = len;
  for (let k = 0; k < 128; k++) sti(s + (k << 2), 0);
  let w = 0;
  let zeros = 0;
  for (let j = -32; j < limit; j++) {
    if (len > 0) {
      const at = (j + 32) % len;
      // the appended '\0' sits past the stored characters
      if (at < len - 1) v ^= ldi(chars + (at << 2));
    }
    if (j == 0) w = v;
    v ^= v << 10;
    v ^= v >>> 15;
    v ^= v << 4;
    v ^= v >>> 13;
    if (j >= 0) {
      w = (w + WEYL) | 0;
      const p = s + ((j & 127) << 2);
      const t = ldi(p) ^ ((v + w) | 0);
      sti(p, t);
      zeros = t == 0 ? zeros + 1 : 0;
    }
  }
  // seedrandom's guard against an all-zero key; it cannot trigger with the
  // Weyl term mixed in, but the port keeps the oracle's exact behaviour.
  if (zeros >= 128) sti(s + (((len > 0 ? len : 0) & 127) << 2), -1);
  // 512 warm-up steps; the Weyl counter stays frozen meanwhile.
  let i = 127;
  for (let k = 512; k > 0; k--) {
    let a = ldi(s + (((i + 34) & 127) << 2));
    i = (i + 1) & 127;
    let t = ldi(s + (i << 2));
    a ^= a << 13;
    t ^= t << 17;
    a ^= a >>> 15;
    t ^= t >>> 12;
    sti(s + (i << 2), a ^ t);
  }
  finishSeed(s, i, w);
}

/** Seeds like seedrandom.xor4096(seed) for an int32 `seed` (seed === (seed | 0)). */
export function rngSeedInt(s: i32, seed: i32): void {
  mixKey(s, seed, 0, 0);
}

/**
 * Seeds like seedrandom.xor4096(key) for a string key whose `len` UTF-16 code
 * units are stored as i32 at `chars`. Any other number seeds as String(number).
 */
export function rngSeedChars(s: i32, chars: i32, len: i32): void {
  mixKey(s, 0, chars, len + 1);
}

/** The next signed 32-bit output: seedrandom's prng.int32(). */
export function rngNextInt32(s: i32): i32 {
  const w = (ldi(s + RNG_WEYL) + WEYL) | 0;
  sti(s + RNG_WEYL, w);
  const i = (ldi(s + RNG_INDEX) + 1) & 127;
  sti(s + RNG_INDEX, i);
  return withWeyl(xorshiftAt(s, i), w);
}

/**
 * The xorshift half of one step, with `i` the index after the step: X[i]
 * becomes a function of X[i] and X[i + 33] (mod 128), and is returned. A step
 * is `i = (i + 1) & 127; w = (w + WEYL) | 0; out = withWeyl(xorshiftAt(s, i), w)`.
 */
export function xorshiftAt(s: i32, i: i32): i32 {
  let v = ldi(s + (((i + 33) & 127) << 2));
  const p = s + (i << 2);
  let t = ldi(p);
  v ^= v << 13;
  t ^= t << 17;
  v ^= v >>> 15;
  t ^= t >>> 12;
  v = v ^ t;
  sti(p, v);
  return v;
}

/** The output: the xorshift value plus the scrambled Weyl counter `w`. */
export function withWeyl(v: i32, w: i32): i32 {
  return (v + (w ^ (w >>> 16))) | 0;
}

/**
 * Writes the next `m` outputs (m <= RNG_BLOCK_MAX) to the block at
 * s + RNG_BLOCK: the same values and state as m calls of rngNextInt32.
 * Step j reads X[j] and X[j + 33] (mod 128), last written 128 and 95 steps
 * before, so four consecutive steps are independent: the SIMD build does
 * them in one i32x4 wherever neither run of four wraps around the ring.
 */
export function rngFillBlock(s: i32, m: i32): void {
  let i = ldi(s + RNG_INDEX);
  let w = ldi(s + RNG_WEYL);
  const out = s + RNG_BLOCK;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    // the counter's next four values in one vector, which steps by 4 WEYL
    // (wrapping mod 2^32, as the scalar sums)
    let wv = i32x4.add(i32x4.splat(w), i32x4(WEYL, WEYL * 2, WEYL * 3, WEYL * 4));
    const step = i32x4.splat(WEYL * 4);
    for (; k + 4 <= m; ) {
      const j = (i + 1) & 127;
      const p = (j + 33) & 127;
      if (j <= 120 && p <= 120 && k + 8 <= m) {
        // eight steps: two runs of four, independent of each other
        const v = xorshift4(s, j, p);
        const v2 = xorshift4(s, j + 4, p + 4);
        v128.store(<usize>(out + (k << 2)), withWeyl4(v, wv));
        wv = i32x4.add(wv, step);
        v128.store(<usize>(out + (k << 2)), withWeyl4(v2, wv), 16);
        wv = i32x4.add(wv, step);
        i = j + 7;
        k += 8;
      } else if (j <= 124 && p <= 124) {
        v128.store(<usize>(out + (k << 2)), withWeyl4(xorshift4(s, j, p), wv));
        wv = i32x4.add(wv, step);
        i = j + 3;
        k += 4;
      } else {
        i = j;
        sti(out + (k << 2), withWeyl(xorshiftAt(s, i), i32x4.extract_lane(wv, 0)));
        wv = i32x4.add(wv, i32x4.splat(WEYL));
        k++;
      }
    }
    w = (i32x4.extract_lane(wv, 0) - WEYL) | 0;
  }
  for (; k < m; k++) {
    i = (i + 1) & 127;
    w = (w + WEYL) | 0;
    sti(out + (k << 2), withWeyl(xorshiftAt(s, i), w));
  }
  sti(s + RNG_INDEX, i);
  sti(s + RNG_WEYL, w);
}

/** Four steps of xorshiftAt at j..j+3 (reading X at p..p+3, p = j + 33 mod 128, neither run wrapping), in one i32x4. */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
function xorshift4(s: i32, j: i32, p: i32): v128 {
  let v = v128.load(<usize>(s + (p << 2)));
  let t = v128.load(<usize>(s + (j << 2)));
  v = v128.xor(v, i32x4.shl(v, 13));
  t = v128.xor(t, i32x4.shl(t, 17));
  v = v128.xor(v, i32x4.shr_u(v, 15));
  t = v128.xor(t, i32x4.shr_u(t, 12));
  v = v128.xor(v, t);
  v128.store(<usize>(s + (j << 2)), v);
  return v;
}

/** withWeyl in each lane. */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
function withWeyl4(v: v128, w: v128): v128 {
  return i32x4.add(v, v128.xor(w, i32x4.shr_u(w, 16)));
}

/** A uniform double in [0, 1) with 32 random bits: seedrandom's prng(). */
export function rngUniform32(s: i32): f64 {
  return f64(u32(rngNextInt32(s))) / 4294967296.0;
}

/** A uniform double in (0, 1) with 53 random bits: seedrandom's prng.double(). */
export function rngDouble(s: i32): f64 {
  // two rngNextInt32 steps with the index and the counter held in locals:
  // stored once, not reloaded between the steps (the same outputs)
  let i = ldi(s + RNG_INDEX);
  let w = ldi(s + RNG_WEYL);
  let r: f64 = 0.0;
  do {
    i = (i + 1) & 127;
    w = (w + WEYL) | 0;
    const top = f64(u32(withWeyl(xorshiftAt(s, i), w)) >>> 11);
    i = (i + 1) & 127;
    w = (w + WEYL) | 0;
    const bot = f64(u32(withWeyl(xorshiftAt(s, i), w))) / 4294967296.0;
    r = (top + bot) / 2097152.0;
  } while (r == 0.0);
  sti(s + RNG_INDEX, i);
  sti(s + RNG_WEYL, w);
  return r;
}

/** A uniform integer in [0, n) for 0 < n <= 2^31, unbiased (rejection on 32 bits). */
export function rngBelow(s: i32, n: i32): i32 {
  // Reject the top partial block: accept x < 2^32 - (2^32 mod n), then reduce.
  // Unsigned integer remainders, exact in both engines (JS numbers hold u32
  // exactly), where an f64 `%` would be a slow software fmod in WASM.
  // 2^32 mod n = (2^32 - n) mod n = u32(-n) % n.
  const un = u32(n);
  const top: u32 = u32(4294967295) - u32(0 - n) % un; // the largest accepted value
  let x: u32 = 0;
  do {
    x = u32(rngNextInt32(s));
  } while (x > top);
  return i32(x % un);
}

/** Bulk forms for tests and benchmarks: one call fills `n` slots at `out`. */
export function rngFillInt32(s: i32, out: i32, n: i32): void {
  for (let k = 0; k < n; k++) sti(out + (k << 2), rngNextInt32(s));
}

export function rngFillUniform32(s: i32, out: i32, n: i32): void {
  for (let k = 0; k < n; k++) stf(out + (k << 3), rngUniform32(s));
}

export function rngFillDouble(s: i32, out: i32, n: i32): void {
  for (let k = 0; k < n; k++) stf(out + (k << 3), rngDouble(s));
}
