// Binomial and multinomial draws, exact, in O(1) expected work per binomial
// whatever n: inversion for n min(p, 1 - p) < 10, else Hormann's BTRS
// (transformed rejection with squeeze), which is valid from n p = 10 and
// costs about two uniforms there and above; numpy's inversion up to n p = 30
// spends about n p steps per draw. A multinomial is a chain of conditional binomials (C. S. Davis,
// CSDA 16, 1993): a Wright-Fisher generation costs O(K), not O(M).
// Everything transcendental comes from detmath, so every backend draws the
// same numbers.
import { ldf, stf, ldi, sti } from "./../platform";
import { rngDouble } from "./../rng/xor4096";
import { log } from "./../detmath";

/** Inversion (sequential search from 0) for n p < 10, p <= 1/2. */
function binomialInversion(rng: i32, n: i32, p: f64): i32 {
  const q = 1.0 - p;
  // f(0) = q^n by repeated squaring: about 2 log2(n) products where
  // exp(n log q) costs two transcendental calls. Both are off by about n ulp
  // relative, inherited from the rounding of q = 1 - p itself.
  let qn = 1.0;
  let base = q;
  for (let e = n; e > 0; e >>>= 1) {
    if ((e & 1) != 0) qn *= base;
    base *= base;
  }
  const np = f64(n) * p;
  const odds = p / q;
  // past this many standard deviations the search restarts (its tail is < 1e-20)
  const limit = np + 10.0 * Math.sqrt(np * q + 1.0);
  const bound = limit < f64(n) ? Math.floor(limit) : f64(n);
  // x and n - x + 1 as doubles (integers, exact), and the restart outside the
  // search: a loop without a call or a conversion keeps px and u in registers,
  // about 2.5x faster a step than with them (the same draws)
  const n1 = f64(n) + 1.0;
  while (true) {
    let x = 0.0;
    let px = qn;
    let u = rngDouble(rng);
    while (u > px && x < bound) {
      x += 1.0;
      u -= px;
      // the ratio f(x) / f(x - 1) does not depend on px: its division stays
      // off the chain of dependent operations, so the loop runs at the
      // speed of a multiply, not of a divide
      px *= ((n1 - x) * odds) / x;
    }
    if (u <= px) return i32(x);
  }
  return 0;
}

// log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]: the error of
// Stirling's formula for k!, exact for k < 10 (test/binomial.test.ts derives
// these from log-gamma), its series 1/12 - 1/360 + 1/1260 in 1/(k + 1) above.
export function stirlingError(k: i32): f64 {
  switch (k) {
    case 0: return 0.08106146679532726;
    case 1: return 0.0413406959554093;
    case 2: return 0.02767792568499834;
    case 3: return 0.020790672103765093;
    case 4: return 0.016644691189821193;
    case 5: return 0.013876128823070748;
    case 6: return 0.01189670994589177;
    case 7: return 0.010411265261972096;
    case 8: return 0.009255462182712733;
    case 9: return 0.00833056343336287;
  }
  const k1 = f64(k + 1);
  const k1sq = k1 * k1;
  return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / k1sq) / k1sq) / k1;
}

/** Longest product of ratios f(i) / f(i - 1) that stands in for the logs of BTRS's exact test. */
const PRODUCT_MAX: i32 = 48;

/**
 * BTRS for n p >= 10, p <= 1/2 (W. Hormann, "The generation of binomial
 * random variates", J. Statist. Comput. Simul. 46, 1993): transformed
 * rejection from a hat shaped like the distribution, so a draw costs about
 * 1.15 pairs of uniforms whatever n p; most are accepted by a box inside the
 * hat, the rest by comparing log f(k) / f(m), from Stirling's formula with
 * its error terms, to the hat: near the mode f(k) / f(m) as a short product
 * first (as BTPE evaluates it, Kachitvichyanukul & Schmeiser, CACM 31, 1988),
 * which decides all but a sliver of those draws the same way without a log.
 */
function binomialBtrs(rng: i32, n: i32, p: f64): i32 {
  const nf = f64(n);
  const q = 1.0 - p;
  const spq = Math.sqrt(nf * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = nf * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const r = p / q;
  const m = i32(Math.floor((nf + 1.0) * p));
  const mf = f64(m);
  // log f(m) up to the terms that depend on k: computed at the first draw the
  // box does not accept (most draws never need it)
  let hm = 0.0;
  let hmReady = false;
  while (true) {
    const u = rngDouble(rng) - 0.5;
    let v = rngDouble(rng);
    const us = 0.5 - Math.abs(u);
    const kf = Math.floor((2.0 * a / us + b) * u + c);
    if (kf < 0.0 || kf > nf) continue;
    const k = i32(kf);
    // the box: accepted at once
    if (us >= 0.07 && v <= vr) return k;
    // Near the mode f(k) / f(m) is a product of |k - m| ratios
    // f(i) / f(i - 1) = r (n + 1 - i) / i, so no logs: decided by it outside
    // a band of relative width `band` around it, the log test below would
    // decide the same (the same bits): the product is within 1e-13 of
    // f(k) / f(m) (4 roundings per ratio, at most PRODUCT_MAX ratios), the
    // Stirling bound within 1.2e-10 (its series' truncation) plus its own
    // rounding, below 4e-15 (n + 1) (a log of a ratio near 1 times n + 1).
    // The point under the hat is t = v alpha / h, h = a / us^2 + b: the
    // comparisons multiply by h us^2 = a + b us^2 (> 0: a > 0 from n p = 10)
    // instead of dividing, and t itself is formed only for the log test.
    const km = k > m ? k - m : m - k;
    if (km <= PRODUCT_MAX) {
      const band = 1e-9 + 1e-14 * nf;
      const lo = m < k ? m : k;
      const hi = lo + km;
      // ratios four at a time, one division for four (the integers are exact in f64)
      let f = 1.0;
      let i = lo + 1;
      for (; i + 3 <= hi; i += 4) {
        const x = f64(i);
        const y = nf + 1.0 - x;
        f *= (r * y * (r * (y - 1.0)) * (r * (y - 2.0)) * (r * (y - 3.0))) / (x * (x + 1.0) * (x + 2.0) * (x + 3.0));
      }
      for (; i <= hi; i++) f *= (r * (nf + 1.0 - f64(i))) / f64(i);
      const s2 = us * us;
      const lhs = v * alpha * s2; // t (a + b us^2)
      const hs = a + b * s2;
      // k above the mode: t against f; below it: t f against 1
      const x = m < k ? lhs : lhs * f;
      const y = m < k ? hs * f : hs;
      if (x < y * (1.0 - band)) return k;
      if (x > y * (1.0 + band)) continue;
    }
    const t = v * alpha / (a / (us * us) + b);
    v = log(t);
    if (!hmReady) {
      hm = (mf + 0.5) * log((mf + 1.0) / (r * (nf - mf + 1.0))) + stirlingError(m) + stirlingError(n - m);
      hmReady = true;
    }
    const bound = hm + (nf + 1.0) * log((nf - mf + 1.0) / (nf - kf + 1.0)) + (kf + 0.5) * log(r * (nf - kf + 1.0) / (kf + 1.0)) - stirlingError(k) - stirlingError(n - k);
    if (v <= bound) return k;
  }
  return 0;
}

/** One Binomial(n, p) draw, 0 <= p <= 1. */
export function binomialDraw(rng: i32, n: i32, p: f64): i32 {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  if (p <= 0.5) return f64(n) * p < 10.0 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
  const q = 1.0 - p;
  return n - (f64(n) * q < 10.0 ? binomialInversion(rng, n, q) : binomialBtrs(rng, n, q));
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

/**
 * Adds one Multinomial(m, c / total) draw to the i32 `counts`, the weights
 * being the n positive integer counts of a sparse list at `live` (i32 pairs
 * (state, count), as liveCounts writes them after its header), summing to
 * `total`: the conditional binomials of multinomialAddCounts over the live
 * states only, so a generation costs O(live states). The last live state gets
 * p = 1 (its count is all the weight left, exactly: integers), so the draws
 * are those multinomialAddCounts makes from the same weights.
 */
export function multinomialAddLive(rng: i32, live: i32, n: i32, total: f64, m: i32, counts: i32): void {
  let left = m;
  let wLeft = total;
  for (let e = 0; e < n && left > 0; e++) {
    const j = ldi(live + (e << 3));
    const w = f64(ldi(live + (e << 3) + 4));
    const p = w < wLeft ? w / wLeft : 1.0;
    const x = binomialDraw(rng, left, p);
    sti(counts + (j << 2), (ldi(counts + (j << 2)) + x) | 0);
    left = (left - x) | 0;
    wLeft -= w;
  }
}
