// Binomial and multinomial draws, exact, in O(1) expected work per binomial
// whatever n: inversion for small n min(p, 1 - p), else the BTPE algorithm
// (V. Kachitvichyanukul and B. W. Schmeiser, "Binomial random variate
// generation", CACM 31(2), 1988), with the same switch at n p = 30 that numpy
// uses. A multinomial is a chain of conditional binomials (C. S. Davis,
// CSDA 16, 1993): a Wright-Fisher generation costs O(K), not O(M).
// Everything transcendental comes from detmath, so every backend draws the
// same numbers.
import { ldf, stf, ldi, sti } from "./../platform";
import { rngDouble } from "./../rng/xor4096";
import { exp, log } from "./../detmath";

/** Inversion (sequential search from 0) for n p <= 30, p <= 1/2. */
function binomialInversion(rng: i32, n: i32, p: f64): i32 {
  const q = 1.0 - p;
  const qn = exp(f64(n) * log(q));
  const np = f64(n) * p;
  // past this many standard deviations the search restarts (its tail is < 1e-20)
  const limit = np + 10.0 * Math.sqrt(np * q + 1.0);
  const bound = limit < f64(n) ? i32(Math.floor(limit)) : n;
  let x = 0;
  let px = qn;
  let u = rngDouble(rng);
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = rngDouble(rng);
    } else {
      u -= px;
      px = (f64(n - x + 1) * p * px) / (f64(x) * q);
    }
  }
  return x;
}

/** The Stirling correction terms of BTPE's final test, for one argument. */
function stirlingTail(x: f64): f64 {
  const x2 = x * x;
  return (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / x2) / x2) / x2) / x2) / x / 166320.0;
}

/**
 * BTPE for n p > 30, p <= 1/2: a triangle, two parallelograms and two
 * exponential tails majorise the distribution; a candidate from them is
 * accepted by an explicit ratio when it is near the mode, else by a squeeze
 * and then a Stirling-corrected log bound.
 */
function binomialBtpe(rng: i32, n: i32, p: f64): i32 {
  const nf = f64(n);
  const r = p;
  const q = 1.0 - r;
  const fm = nf * r + r;
  const m = i32(Math.floor(fm));
  const mf = f64(m);
  const nrq = nf * r * q;
  const p1 = Math.floor(2.195 * Math.sqrt(nrq) - 4.6 * q) + 0.5;
  const xm = mf + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + mf);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1.0 + a / 2.0);
  const p2 = p1 * (1.0 + 2.0 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;
  while (true) {
    const u = rngDouble(rng) * p4;
    let v = rngDouble(rng);
    let y: i32;
    if (u <= p1) {
      // the triangle: accepted at once
      return i32(Math.floor(xm - p1 * v + u));
    }
    if (u <= p2) {
      // the parallelograms
      const x = xl + (u - p1) / c;
      v = v * c + 1.0 - Math.abs(mf - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = i32(Math.floor(x));
    } else if (u <= p3) {
      // the left tail
      if (v == 0.0) continue;
      const yl = Math.floor(xl + log(v) / laml);
      if (yl < 0.0) continue;
      y = i32(yl);
      v = v * (u - p2) * laml;
    } else {
      // the right tail
      if (v == 0.0) continue;
      const yr = Math.floor(xr - log(v) / lamr);
      if (yr > nf) continue;
      y = i32(yr);
      v = v * (u - p3) * lamr;
    }
    const k = y > m ? y - m : m - y;
    const kf = f64(k);
    if (k <= 20 || kf >= nrq / 2.0 - 1.0) {
      // near the mode: the ratio f(y) / f(m) by its recursion
      const s = r / q;
      const aa = s * (nf + 1.0);
      let F = 1.0;
      if (m < y) {
        for (let i = m + 1; i <= y; i++) F *= aa / f64(i) - s;
      } else if (m > y) {
        for (let i = y + 1; i <= m; i++) F /= aa / f64(i) - s;
      }
      if (v > F) continue;
      return y;
    }
    // far from the mode: a squeeze on log v, then the bound with Stirling's corrections
    const rho = (kf / nrq) * ((kf * (kf / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = -kf * kf / (2.0 * nrq);
    const A = log(v);
    if (A < t - rho) return y;
    if (A > t + rho) continue;
    const yf = f64(y);
    const x1 = yf + 1.0;
    const f1 = mf + 1.0;
    const z = nf + 1.0 - mf;
    const w = nf - yf + 1.0;
    const bound = xm * log(f1 / x1) + (nf - mf + 0.5) * log(z / w) + (yf - mf) * log((w * r) / (x1 * q)) + stirlingTail(f1) + stirlingTail(z) + stirlingTail(x1) + stirlingTail(w);
    if (A > bound) continue;
    return y;
  }
  return 0;
}

/** One Binomial(n, p) draw, 0 <= p <= 1. */
export function binomialDraw(rng: i32, n: i32, p: f64): i32 {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  if (p <= 0.5) return f64(n) * p <= 30.0 ? binomialInversion(rng, n, p) : binomialBtpe(rng, n, p);
  const q = 1.0 - p;
  return n - (f64(n) * q <= 30.0 ? binomialInversion(rng, n, q) : binomialBtpe(rng, n, q));
}

/**
 * Adds one Multinomial(m, w / sum w) draw to the k i32 counts at `counts`,
 * the weights being k f64 at `weights` (proportional to the probabilities,
 * summing to `total` > 0): state j gets Binomial(left, w_j / w_left) of the
 * draws left, in state order, and the last state the rest.
 */
export function multinomialAddCounts(rng: i32, weights: i32, total: f64, k: i32, m: i32, counts: i32): void {
  let left = m;
  let wLeft = total;
  for (let j = 0; j < k - 1 && left > 0; j++) {
    const w = ldf(weights + (j << 3));
    if (w > 0.0) {
      const p = w < wLeft ? w / wLeft : 1.0;
      const x = binomialDraw(rng, left, p);
      sti(counts + (j << 2), (ldi(counts + (j << 2)) + x) | 0);
      left = (left - x) | 0;
    }
    wLeft -= w;
  }
  if (left > 0) sti(counts + ((k - 1) << 2), (ldi(counts + ((k - 1) << 2)) + left) | 0);
}

/** `out` = the k i32 counts at `counts` as f64 weights (their total is the sum). */
export function countsToWeights(counts: i32, k: i32, out: i32): void {
  for (let j = 0; j < k; j++) stf(out + (j << 3), f64(ldi(counts + (j << 2))));
}
