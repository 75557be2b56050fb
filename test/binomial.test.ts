// Binomial and multinomial draws against their distributions: exact
// probabilities by chi-square on both algorithms (inversion below n p = 10,
// BTRS from there, with its Stirling error terms against 40-digit values), mean and variance at large n within 5 standard errors, the
// edge cases, the multinomial's sum, marginals and covariance, and the three
// backends bit for bit.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { chiSquareTest } from '../src/theory/chi-square.js';
import { lgamma } from '../src/theory/special.js';
import { Decimal } from 'decimal.js';
import { detLog } from '../src/kernels/detmath.js';

const A = await arenas();
const wasm = A.wasm;
const k = wasm.backend.kernels;
const rng = wasm.alloc(k.rngStateBytes());
const chars = wasm.allocI32(64);

/** Significance of each chi-square test: a correct sampler fails one with probability 0.001. */
const ALPHA = 0.001;

const pmf = (n: number, p: number, x: number) => Math.exp(lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1) + x * Math.log(p) + (n - x) * Math.log1p(-p));

describe('binomialDraw', () => {
  it.each([
    [10, 0.3, 'inversion'],
    [20, 0.8, 'inversion of 1 - p'],
    [33, 0.3, 'inversion, just below n p = 10'],
    [20, 0.5, 'BTRS at n p = 10, where its box accepts least'],
    [60_000, 0.0003, 'BTRS, n p = 18 at large n'],
    [100, 0.5, 'BTRS'],
    [400, 0.35, 'BTRS, far tails by the Stirling bound'],
    [1000, 0.97, 'BTRS of 1 - p'],
  ])('n = %i, p = %f (%s): its histogram fits the exact probabilities (chi-square)', (n, p) => {
    seedGenerator(wasm, rng, chars, `binomial-${n}-${p}`);
    const N = 200_000;
    const observed = new Array(n + 1).fill(0);
    for (let i = 0; i < N; i++) observed[k.binomialDraw(rng, n, p)]++;
    const expected = observed.map((_, x) => N * pmf(n, p, x));
    const test = chiSquareTest(observed, expected)!;
    expect(test.pValue).toBeGreaterThan(ALPHA);
  });

  it('n = 10^6, p = 0.3: mean and variance within 5 standard errors', () => {
    seedGenerator(wasm, rng, chars, 'binomial-large');
    const n = 1_000_000;
    const p = 0.3;
    const N = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      const x = k.binomialDraw(rng, n, p);
      s += x;
      s2 += x * x;
    }
    const mean = s / N;
    const variance = (s2 - N * mean * mean) / (N - 1);
    const v = n * p * (1 - p);
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(v / N));
    // the variance of a sample variance of a near-normal variable: 2 v^2 / (N - 1)
    expect(Math.abs(variance - v)).toBeLessThan(5 * v * Math.sqrt(2 / (N - 1)));
  });

  it('edge cases: n = 0, p = 0, p = 1', () => {
    seedGenerator(wasm, rng, chars, 'edges');
    for (let i = 0; i < 100; i++) {
      expect(k.binomialDraw(rng, 0, 0.4)).toBe(0);
      expect(k.binomialDraw(rng, 50, 0)).toBe(0);
      expect(k.binomialDraw(rng, 50, 1)).toBe(50);
      expect(k.binomialDraw(rng, 1_000_000, 1)).toBe(1_000_000);
    }
  });
});

/**
 * Hormann's BTRS as the kernel drew it before its product pre-test: the box,
 * then the Stirling test with its three logs for every other point, on the
 * kernel's uniforms, log and Stirling error terms (n p >= 10, p <= 1/2).
 */
function btrsStirlingOnly(n: number, p: number, u01: () => number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const r = p / q;
  const m = Math.floor((n + 1) * p);
  const se = (x: number) => k.stirlingError(x);
  const hm = (m + 0.5) * detLog((m + 1) / (r * (n - m + 1))) + se(m) + se(n - m);
  for (;;) {
    const u = u01() - 0.5;
    let v = u01();
    const us = 0.5 - Math.abs(u);
    const kf = Math.floor(((2 * a) / us + b) * u + c);
    if (kf < 0 || kf > n) continue;
    if (us >= 0.07 && v <= vr) return kf;
    v = detLog((v * alpha) / (a / (us * us) + b));
    const bound = hm + (n + 1) * detLog((n - m + 1) / (n - kf + 1)) + (kf + 0.5) * detLog((r * (n - kf + 1)) / (kf + 1)) - se(kf) - se(n - kf);
    if (v <= bound) return kf;
  }
}

describe('BTRS with its product pre-test draws what the Stirling test alone draws', () => {
  it.each([
    [20, 0.5],
    [33, 0.31],
    [10_000, 0.001],
    [1000, 0.0123],
    [257, 0.49],
    [10_000, 0.0031],
    [2_000_000, 0.00003],
    [2_147_000_000, 2e-8],
    [4000, 0.25],
    // products of up to 48 ratios: far tails of a narrow law, and a wide one
    [200, 0.5],
    [1_000_000, 0.4],
  ])('n = %i, p = %f: the same draws, and the same uniforms spent', (n, p) => {
    const a = wasm.alloc(k.rngStateBytes());
    const b = wasm.alloc(k.rngStateBytes());
    seedGenerator(wasm, a, chars, `btrs-${n}-${p}`);
    seedGenerator(wasm, b, chars, `btrs-${n}-${p}`);
    const N = 40_000;
    for (let i = 0; i < N; i++) {
      const x = k.binomialDraw(a, n, p);
      const y = btrsStirlingOnly(n, p, () => k.rngDouble(b));
      if (x !== y) expect(`draw ${i}: ${x}`).toBe(`draw ${i}: ${y}`);
    }
    expect(k.rngDouble(a)).toBe(k.rngDouble(b));
  });
});

describe("BTRS's Stirling error terms", () => {
  // log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2], to 40 digits
  const D = Decimal.clone({ precision: 40 });
  const exact = (k: number) => {
    let logFactorial = new D(0);
    for (let i = 2; i <= k; i++) logFactorial = logFactorial.plus(D.ln(i));
    const k1 = new D(k + 1);
    return logFactorial.minus(new D(k + 0.5).times(D.ln(k1)).minus(k1).plus(D.ln(D.acos(-1).times(2)).div(2)));
  };

  it('k < 10: the table holds the correctly rounded values', () => {
    for (let j = 0; j < 10; j++) expect(k.stirlingError(j)).toBe(exact(j).toNumber());
  });

  it('k >= 10: the series is within its first omitted term, 1 / (1680 (k + 1)^7)', () => {
    for (const j of [10, 11, 15, 30, 100, 1000]) {
      const e = exact(j);
      const bound = 1 / (1680 * (j + 1) ** 7) + 2 ** -52 * e.toNumber();
      expect(Math.abs(k.stirlingError(j) - e.toNumber())).toBeLessThanOrEqual(bound);
    }
  });
});

describe('multinomialAddCounts', () => {
  const K = 5;
  const weights = wasm.allocF64(K);
  const counts = wasm.allocI32(K);

  it('adds exactly m draws; a state of weight 0 gets none; marginals and a covariance within 5 standard errors', () => {
    // weights proportional to p = (0.1, 0, 0.3, 0.45, 0.15), as counts of 20 would give them
    const w = [2, 0, 6, 9, 3];
    const total = 20;
    wasm.f64(weights, K).set(w);
    seedGenerator(wasm, rng, chars, 'multinomial');
    const m = 50;
    const N = 20_000;
    const sum = new Array(K).fill(0);
    let cross = 0; // sum of n_0 n_2, for Cov(n_0, n_2) = -m p_0 p_2
    const view = wasm.i32(counts, K);
    for (let i = 0; i < N; i++) {
      view.fill(0);
      k.multinomialAddCounts(rng, weights, total, K, m, counts);
      expect(view.reduce((a, b) => a + b, 0)).toBe(m);
      expect(view[1]).toBe(0);
      for (let j = 0; j < K; j++) sum[j] += view[j];
      cross += view[0] * view[2];
    }
    for (let j = 0; j < K; j++) {
      const p = w[j] / total;
      expect(Math.abs(sum[j] / N - m * p)).toBeLessThanOrEqual(5 * Math.sqrt((m * p * (1 - p)) / N));
    }
    const p0 = w[0] / total;
    const p2 = w[2] / total;
    const cov = cross / N - (sum[0] / N) * (sum[2] / N);
    // se of a sample covariance ~ sqrt((Var n_0 Var n_2 + Cov^2) / N)
    const v0 = m * p0 * (1 - p0);
    const v2 = m * p2 * (1 - p2);
    const c = -m * p0 * p2;
    expect(Math.abs(cov - c)).toBeLessThan(5 * Math.sqrt((v0 * v2 + c * c) / N));
  });

  it('adds to the counts already there', () => {
    wasm.f64(weights, K).set([1, 1, 1, 1, 1]);
    wasm.i32(counts, K).set([7, 0, 0, 0, 3]);
    seedGenerator(wasm, rng, chars, 'adds');
    k.multinomialAddCounts(rng, weights, 5, K, 100, counts);
    expect(wasm.i32(counts, K).reduce((a, b) => a + b, 0)).toBe(110);
  });
});

describe('liveCounts, liveCountsIn and multinomialAddLive: the multinomial over the live states only', () => {
  it('lists the live states after a header (their number, 0), draws what multinomialAddCounts draws from the same counts, and liveCountsIn lists what liveCounts lists', () => {
    const K = 12;
    const counts = wasm.allocI32(K);
    const live = wasm.allocI32(2 * K + 2);
    const list = wasm.allocI32(2 * K + 2);
    const full = wasm.allocI32(2 * K + 2);
    const weights = wasm.allocF64(K);
    const state = wasm.allocI32(k.rngStateBytes() / 4);
    const model = [0, 5, 0, 0, 12, 1, 0, 30, 0, 0, 2, 0]; // state 11 dead: the last live state takes the rest
    const total = model.reduce((a, b) => a + b, 0);
    const view = wasm.i32(counts, K);
    view.set(model);
    const n = k.liveCounts(counts, K, live);
    expect(n).toBe(5);
    expect([...wasm.i32(live, 2 * n + 2)]).toEqual([5, 0, 1, 5, 4, 12, 5, 1, 7, 30, 10, 2]);
    wasm.f64(weights, K).set(model);
    seedGenerator(wasm, rng, chars, 'live');
    for (let i = 0; i < 200; i++) {
      const m = 1 + i * 37;
      wasm.i32(state, k.rngStateBytes() / 4).set(wasm.i32(rng, k.rngStateBytes() / 4));
      view.fill(0);
      k.multinomialAddCounts(state, weights, total, K, m, counts);
      const viaAll = [...view];
      view.fill(0);
      k.multinomialAddLive(rng, live + 8, n, total, m, counts);
      expect([...view]).toEqual(viaAll);
      // and the generator moved the same way
      expect([...wasm.i32(rng, k.rngStateBytes() / 4)]).toEqual([...wasm.i32(state, k.rngStateBytes() / 4)]);
      // the draw's live states, listed from the model's list and from all K counts
      wasm.i32(list, 2 * K + 2).set(wasm.i32(live, 2 * K + 2));
      const kept = k.liveCountsIn(counts, list);
      expect(kept).toBe(k.liveCounts(counts, K, full));
      expect([...wasm.i32(list, 2 * kept + 2)]).toEqual([...wasm.i32(full, 2 * kept + 2)]);
    }
  });
});

describe('the three backends draw the same numbers', () => {
  it('binomials at every algorithm and multinomials, bit for bit', () => {
    const draws = BACKEND_NAMES.map((name) => {
      const a = A[name];
      const kk = a.backend.kernels;
      const r = a.alloc(kk.rngStateBytes());
      const ch = a.allocI32(64);
      const w = a.allocF64(40);
      const c = a.allocI32(40);
      seedGenerator(a, r, ch, 'parity');
      const out: number[] = [];
      for (const [n, p] of [[10, 0.3], [1000, 0.5], [100000, 0.01], [7, 0.9], [5000, 0.999], [3000000, 0.42]]) {
        for (let i = 0; i < 200; i++) out.push(kk.binomialDraw(r, n, p));
      }
      const weights = Array.from({ length: 40 }, (_, j) => (j * 7) % 11);
      a.f64(w, 40).set(weights);
      for (let i = 0; i < 50; i++) {
        a.i32(c, 40).fill(0);
        kk.multinomialAddCounts(r, w, weights.reduce((x, y) => x + y, 0), 40, 10_000, c);
        out.push(...a.i32(c, 40));
      }
      return out;
    });
    expect(draws[1]).toEqual(draws[0]);
    expect(draws[2]).toEqual(draws[0]);
  });
});
