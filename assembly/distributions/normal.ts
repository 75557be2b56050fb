// Standard normals by Marsaglia's polar method (Marsaglia & Bray, SIAM Review
// 6(3), 1964) on top of 53-bit uniforms. It needs only log and sqrt; log comes
// from detmath, so every backend draws the same bits. The second value of
// each accepted pair is cached in the generator state (see rng/xor4096.ts).
import { ldi, sti, ldf, stf } from "./../platform";
import { rngDouble } from "./../rng/xor4096";
import { log } from "./../detmath";

/** One N(0, 1) draw from generator state `s`. */
export function normal(s: i32): f64 {
  if (ldi(s + 528) != 0) {
    sti(s + 528, 0);
    return ldf(s + 520);
  }
  // The disc point of distributions/disc.ts, kept in locals here: this is the
  // hottest loop of every family, and module globals cost about 20% in WASM.
  let u: f64 = 0.0;
  let v: f64 = 0.0;
  let q: f64 = 0.0;
  do {
    u = 2.0 * rngDouble(s) - 1.0;
    v = 2.0 * rngDouble(s) - 1.0;
    q = u * u + v * v;
  } while (q >= 1.0 || q == 0.0);
  const f = Math.sqrt(-2.0 * log(q) / q);
  stf(s + 520, v * f);
  sti(s + 528, 1);
  return u * f;
}

/** Fills `n` doubles at `out` with N(mu, sigma^2) draws. */
export function fillNormal(s: i32, out: i32, n: i32, mu: f64, sigma: f64): void {
  for (let k = 0; k < n; k++) stf(out + (k << 3), mu + sigma * normal(s));
}
