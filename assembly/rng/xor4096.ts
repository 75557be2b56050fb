// xor4096: Richard Brent's xorgens 4096-bit xorshift generator combined with
// a Weyl sequence, ported bit for bit from seedrandom 3.0.5 lib/xor4096.js
// (David Bau, MIT licence). seedrandom itself is the test oracle.
//
// State layout at byte offset `s` (RNG_STATE_BYTES in all):
//   i32 X[128] at s + 0        circular xorshift state
//   i32 i      at s + 512      current index into X
//   i32 w      at s + 516      Weyl counter
//   f64 spare  at s + 520      cached second normal of the polar method
//   i32 has    at s + 528      1 while `spare` is valid
import { ldi, sti, ldf, stf } from "./../platform";

const RNG_STATE_BYTES: i32 = 544;

/** Bytes of one generator state (see the layout above). */
export function rngStateBytes(): i32 { return RNG_STATE_BYTES; }
const WEYL: i32 = 0x61c88647;

/** Clears the cached normal; every seeding path ends here. */
function finishSeed(s: i32, i: i32, w: i32): void {
  sti(s + 512, i);
  sti(s + 516, w);
  stf(s + 520, 0.0);
  sti(s + 528, 0);
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
  const w = (ldi(s + 516) + WEYL) | 0;
  sti(s + 516, w);
  let i = ldi(s + 512);
  let v = ldi(s + (((i + 34) & 127) << 2));
  i = (i + 1) & 127;
  const p = s + (i << 2);
  let t = ldi(p);
  v ^= v << 13;
  t ^= t << 17;
  v ^= v >>> 15;
  t ^= t >>> 12;
  v = v ^ t;
  sti(p, v);
  sti(s + 512, i);
  return (v + (w ^ (w >>> 16))) | 0;
}

/** A uniform double in [0, 1) with 32 random bits: seedrandom's prng(). */
export function rngUniform32(s: i32): f64 {
  return f64(u32(rngNextInt32(s))) / 4294967296.0;
}

/** A uniform double in (0, 1) with 53 random bits: seedrandom's prng.double(). */
export function rngDouble(s: i32): f64 {
  let r: f64 = 0.0;
  do {
    const top = f64(u32(rngNextInt32(s)) >>> 11);
    const bot = f64(u32(rngNextInt32(s))) / 4294967296.0;
    r = (top + bot) / 2097152.0;
  } while (r == 0.0);
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
