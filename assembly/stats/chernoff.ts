// Chernoff's bounds on the tails of a generalized chi-square
// Q = sum_j l_j (z_j + b_j / sqrt l_j)^2 (only the l_j > 0 enter): with the
// cumulant generating function K(s) = sum_j -log(1 - 2 s l_j) / 2 + s b_j^2 / (1 - 2 s l_j),
// P(Q >= y) <= exp(K(s) - s y) for 0 < s < 1 / (2 max l) and
// P(Q <= y) <= exp(K(-s) + s y) for s > 0. Each exponent is convex in s;
// golden-section search finds its least value (any s gives a valid bound,
// so the search needs no tolerance of its own).
// The l_j are read at l + j * lstride (bytes: a matrix diagonal or a vector), b_j at c + 8 j.
import { ldf } from "./../platform";
import { exp, log } from "./../detmath";

const GOLDEN: f64 = 0.6180339887498949; // (sqrt 5 - 1) / 2

function largestEigenvalue(l: i32, lstride: i32, d: i32): f64 {
  let lmax: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const v = ldf(l + j * lstride);
    if (v > lmax) lmax = v;
  }
  return lmax;
}

/** Golden-section steps for chernoffUpper and chernoffLower: s to 7e-5 of its range (the exponent is flat at its least value: ample for a bound). */
const QUICK_STEPS: i32 = 20;

/** A bound on P(Q >= y) (1 when none below 1 is found). */
export function chernoffUpper(l: i32, lstride: i32, c: i32, d: i32, y: f64): f64 {
  return goldenMin(l, lstride, c, d, y, 1.0 / (2.0 * largestEigenvalue(l, lstride, d)), 1, QUICK_STEPS);
}

/** A bound on P(Q <= y) (1 when none below 1 is found). */
export function chernoffLower(l: i32, lstride: i32, c: i32, d: i32, y: f64): f64 {
  return goldenMin(l, lstride, c, d, y, 1.0 / (2.0 * largestEigenvalue(l, lstride, d)), -1, QUICK_STEPS);
}

/**
 * The upper-tail bound at x when x is above E Q and it is below 1/2, else 1
 * minus the lower-tail bound (the mass is then at least that); 1/2 when
 * neither says anything.
 */
export function chernoffTails(l: i32, lstride: i32, c: i32, d: i32, x: f64): f64 {
  let lmax: f64 = 0.0;
  let mean: f64 = 0.0;
  for (let j = 0; j < d; j++) {
    const v = ldf(l + j * lstride);
    if (!(v > 0.0)) continue;
    if (v > lmax) lmax = v;
    const bj = ldf(c + (j << 3));
    mean += v + bj * bj;
  }
  if (x > mean) {
    // the upper tail: s = u / (2 lmax), u in (0, 1)
    const up = goldenMin(l, lstride, c, d, x, 1.0 / (2.0 * lmax), 1, 80);
    return up < 0.5 ? up : 0.5;
  }
  // the lower tail: s = u / (1 - u) / (2 lmax)... any s > 0; searched on u in (0, 1)
  const low = goldenMin(l, lstride, c, d, x, 1.0 / (2.0 * lmax), -1, 80);
  return low < 0.5 ? 1.0 - low : 0.5;
}

/** min over u in (0, 1) of exp(K(sign s) - sign s x), s = scale u (sign 1) or scale u / (1 - u) (sign -1), by `steps` golden-section steps. */
function goldenMin(l: i32, lstride: i32, c: i32, d: i32, x: f64, scale: f64, sign: i32, steps: i32): f64 {
  let lo: f64 = 0.0;
  let hi: f64 = 1.0;
  let u1 = hi - GOLDEN * (hi - lo);
  let u2 = lo + GOLDEN * (hi - lo);
  let f1 = chernoffExponent(l, lstride, c, d, x, scale, sign, u1);
  let f2 = chernoffExponent(l, lstride, c, d, x, scale, sign, u2);
  for (let i = 0; i < steps; i++) {
    if (f1 < f2) {
      hi = u2;
      u2 = u1;
      f2 = f1;
      u1 = hi - GOLDEN * (hi - lo);
      f1 = chernoffExponent(l, lstride, c, d, x, scale, sign, u1);
    } else {
      lo = u1;
      u1 = u2;
      f1 = f2;
      u2 = lo + GOLDEN * (hi - lo);
      f2 = chernoffExponent(l, lstride, c, d, x, scale, sign, u2);
    }
  }
  const f = f1 < f2 ? f1 : f2;
  return f < 0.0 ? exp(f) : 1.0;
}

function chernoffExponent(l: i32, lstride: i32, c: i32, d: i32, x: f64, scale: f64, sign: i32, u: f64): f64 {
  const s = sign > 0 ? scale * u : -(scale * u / (1.0 - u));
  let k: f64 = -s * x;
  for (let j = 0; j < d; j++) {
    const v = ldf(l + j * lstride);
    if (!(v > 0.0)) continue;
    const bj = ldf(c + (j << 3));
    const w = 1.0 - 2.0 * s * v;
    if (!(w > 0.0)) return Infinity;
    k += -0.5 * log(w) + s * bj * bj / w;
  }
  return k;
}
