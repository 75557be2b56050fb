// A uniform point of the unit disc (origin excluded), by rejection from the
// square (the first step of Marsaglia's polar method), for the data sets that
// need a uniform angle without sin or cos.
import { rngDouble } from "./../rng/xor4096";

/** Coordinates of the last point drawn by uniformInDisc. */
export let discU: f64 = 0.0;
export let discV: f64 = 0.0;

/** Draws (discU, discV) uniform in the unit disc minus the origin; returns discU^2 + discV^2. */
export function uniformInDisc(rng: i32): f64 {
  let q: f64 = 0.0;
  do {
    discU = 2.0 * rngDouble(rng) - 1.0;
    discV = 2.0 * rngDouble(rng) - 1.0;
    q = discU * discU + discV * discV;
  } while (q >= 1.0 || q == 0.0);
  return q;
}
