// The ziggurat normal sampler (assembly/distributions/ziggurat.ts): its
// tables, the same bits on every backend and in bulk as one by one, and the
// distribution of its draws (moments, Kolmogorov-Smirnov over 10^7 draws,
// the tail beyond the last layer).
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { normalCdf, normalTail } from '../src/theory/special.js';

const A = await arenas();
const R = 3.6541528853610088;
const V = 0.00492867323399;
const TWO52 = 2 ** 52;

/** The tables (K, W, F) as one backend computed them. */
function tables(name: (typeof BACKEND_NAMES)[number]): Float64Array {
  const arena = A[name];
  const t = arena.allocF64(768);
  arena.backend.kernels.zigguratTables(t);
  return arena.f64(t, 768).slice();
}

/** Kolmogorov-Smirnov distance between the sorted sample `xs` and the CDF `cdf`. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

// P(sqrt(n) D > 1.95) ~ 0.001 (Kolmogorov's limit law)
const KS_CRITICAL = 1.95;

describe('normalTail and normalCdf (the reference for the tests below)', () => {
  it('match 30-digit values (mpmath) to 1e-13 relative', () => {
    const upper: [number, number][] = [
      [-5, 0.9999997133484281], [-1, 0.8413447460685429], [0, 0.5], [0.3, 0.3820885778110474],
      [1, 0.15865525393145705], [2, 0.02275013194817921], [2.9999, 0.0013503412829549248],
      [3, 0.0013498980316300946], [3.0001, 0.0013494549132607172], [R, 0.00012901624382695044],
      [5, 2.866515718791939e-7], [8, 6.220960574271784e-16], [10, 7.619853024160525e-24],
    ];
    for (const [x, q] of upper) expect(Math.abs(normalTail(x) / q - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalCdf(-8) / 6.220960574271784e-16 - 1)).toBeLessThan(1e-13);
  });
});

describe('ziggurat tables', () => {
  const t = tables('js');
  const K = t.subarray(0, 256);
  const W = t.subarray(256, 512);
  const F = t.subarray(512, 768);
  const x = (i: number) => W[i] * TWO52;

  it('are monotone: 0 < x_1 < ... < x_255 = r, 1 = f(x_0) > f(x_1) > ... > f(r)', () => {
    expect(x(255)).toBe(R);
    expect(F[0]).toBe(1);
    for (let i = 2; i < 256; i++) expect(x(i)).toBeGreaterThan(x(i - 1));
    for (let i = 1; i < 256; i++) expect(F[i]).toBeLessThan(F[i - 1]);
    expect(x(1)).toBeGreaterThan(0.2);
    for (let i = 1; i < 256; i++) expect(Math.abs(F[i] - Math.exp(-0.5 * x(i) ** 2))).toBeLessThan(2e-16);
    // acceptance bounds: 2^52 x_{i-1} / x_i in (0, 2^52), none for the top layer
    expect(K[1]).toBe(0);
    for (let i = 2; i < 256; i++) expect(Math.abs(K[i] / TWO52 - x(i - 1) / x(i))).toBeLessThan(1e-15);
  });

  it('give every layer the area v', () => {
    // layers 2..255 by construction, to rounding; the top layer (x_1 wide) to
    // the 12 digits v is given with; the base: the rectangle r f(r) plus the tail
    for (let i = 2; i < 256; i++) expect(Math.abs((x(i) * (F[i - 1] - F[i])) / V - 1)).toBeLessThan(1e-12);
    expect(Math.abs((x(1) * (1 - F[1])) / V - 1)).toBeLessThan(1e-8);
    const q = W[0] * TWO52; // the base rectangle's width, tail folded in
    expect(Math.abs((q * F[255]) / V - 1)).toBeLessThan(1e-15);
    expect(Math.abs(K[0] / TWO52 - R / q)).toBeLessThan(1e-15);
    const tail = Math.sqrt(2 * Math.PI) * normalTail(R);
    expect(Math.abs((R * F[255] + tail) / V - 1)).toBeLessThan(1e-10);
  });

  it('hold the same bits on every backend', () => {
    for (const name of BACKEND_NAMES) expect(sameBits(tables(name), t)).toBe(true);
  });
});

describe.each(BACKEND_NAMES)('ziggurat draws on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const rng = arena.alloc(k.rngStateBytes());
  const rng2 = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const N = 20_000;
  const out = arena.allocF64(N);
  const ref = arena.allocF64(N);
  const ints = arena.allocI32(600);

  /** X, index and Weyl counter: the generator's state proper (the block after them is scratch). */
  const core = (s: number) => arena.i32(s, 130).slice();

  it('rngFillBlock gives the outputs of rngNextInt32, from every ring position', () => {
    for (const m of [1, 3, 4, 5, 7, 8, 9, 12, 16, 95, 128, 256]) {
      for (let skip = 0; skip < 130; skip += m > 16 ? 7 : 1) {
        seedGenerator(arena, rng, chars, `block:${m}:${skip}`);
        seedGenerator(arena, rng2, chars, `block:${m}:${skip}`);
        k.rngFillInt32(rng, ints, skip);
        k.rngFillInt32(rng2, ints, skip);
        k.rngFillBlock(rng, m);
        k.rngFillInt32(rng2, ints, m);
        expect(Array.from(arena.i32(rng + 528, m))).toEqual(Array.from(arena.i32(ints, m)));
        expect(core(rng)).toEqual(core(rng2));
      }
    }
  });

  it('fillNormal equals one draw after another, in any split, and leaves the generator where they do', () => {
    // ~1.4% of draws take the wedge or the tail, which read past the pair:
    // the sizes put such draws at every place within and across blocks
    const sizes = [0, 1, 2, 3, 5, 7, 64, 127, 128, 129, 255, 256, 257, 1000, 4099, 13_001];
    seedGenerator(arena, rng, chars, 'split');
    seedGenerator(arena, rng2, chars, 'split');
    let at = 0;
    for (const n of sizes) {
      k.fillNormal(rng, out + 8 * at, n, 0, 1);
      at += n;
    }
    k.fillNormalOneByOne(rng2, ref, at);
    expect(sameBits(arena.f64(out, at), arena.f64(ref, at))).toBe(true);
    expect(core(rng)).toEqual(core(rng2));
    // and normal(s) continues the same stream after a bulk fill
    k.fillNormal(rng, out, 1, 0, 1);
    k.fillNormalOneByOne(rng2, ref, 1);
    expect(arena.f64(out, 1)[0]).toBe(arena.f64(ref, 1)[0]);
  });

  it('fillNormal(mu, sigma) is mu + sigma z; gaussianSample draws point by point into the columns', () => {
    seedGenerator(arena, rng, chars, 'affine');
    k.fillNormal(rng, out, 999, 0.5, 2);
    seedGenerator(arena, rng, chars, 'affine');
    k.fillNormalOneByOne(rng, ref, 999);
    const z = arena.f64(ref, 999);
    const y = arena.f64(out, 999);
    for (let i = 0; i < 999; i++) expect(y[i]).toBe(0.5 + 2 * z[i]);
    // d = 3, identity factor: coordinate a of point i is normal number 3 i + a
    const d = 3;
    const n = 1001;
    const ld = 1003;
    const mean = arena.allocF64(d);
    const l = arena.allocF64(d * d);
    arena.f64(l, d * d).set([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    seedGenerator(arena, rng, chars, 'columns');
    k.gaussianSample(rng, mean, l, d, 1, 0, out, ld, n);
    seedGenerator(arena, rng2, chars, 'columns');
    k.fillNormalOneByOne(rng2, ref, d * n);
    const xs = arena.f64(out, d * ld);
    const zs = arena.f64(ref, d * n);
    let same = true;
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) same &&= xs[a * ld + i] === zs[d * i + a] + 0;
    expect(same).toBe(true);
    expect(core(rng)).toEqual(core(rng2));
  });

  it('gives the same bits as the js backend', () => {
    const js = A.js;
    const rj = js.alloc(js.backend.kernels.rngStateBytes());
    const oj = js.allocF64(N);
    seedGenerator(js, rj, js.allocI32(64), 'cross');
    js.backend.kernels.fillNormal(rj, oj, N, 0, 1);
    seedGenerator(arena, rng, chars, 'cross');
    k.fillNormal(rng, out, N, 0, 1);
    expect(sameBits(arena.f64(out, N), js.f64(oj, N))).toBe(true);
  });
});

describe('ziggurat distribution (wasm, fixed seeds)', () => {
  const arena = A.wasm;
  const k = arena.backend.kernels;
  const rng = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const CHUNK = 1_000_000;
  const out = arena.allocF64(CHUNK);

  it('10^7 draws: mean, variance, skewness, kurtosis within 5 standard errors; KS against the normal CDF', () => {
    const n = 10_000_000;
    const all = new Float64Array(n);
    seedGenerator(arena, rng, chars, 'moments');
    for (let at = 0; at < n; at += CHUNK) {
      k.fillNormal(rng, out, CHUNK, 0, 1);
      all.set(arena.f64(out, CHUNK), at);
    }
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const x = all[i];
      const x2 = x * x;
      s1 += x;
      s2 += x2;
      s3 += x2 * x;
      s4 += x2 * x2;
    }
    const m = s1 / n;
    const m2 = s2 / n - m * m;
    const m3 = s3 / n - 3 * m * (s2 / n) + 2 * m ** 3;
    const m4 = s4 / n - 4 * m * (s3 / n) + 6 * m * m * (s2 / n) - 3 * m ** 4;
    // standard errors under N(0, 1): 1, sqrt 2, sqrt 6, sqrt 24 over sqrt n
    const se = 1 / Math.sqrt(n);
    expect(Math.abs(m)).toBeLessThan(5 * se);
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.SQRT2 * se);
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(5 * Math.sqrt(6) * se);
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(5 * Math.sqrt(24) * se);
    all.sort();
    expect(Math.sqrt(n) * ksDistance(all, normalCdf)).toBeLessThan(KS_CRITICAL);
  }, 60_000);

  it('the tail beyond r: its share is 2 Q(r), half on each side, and |x| - r follows the conditional law (KS)', () => {
    const n = 40_000_000;
    const tail: number[] = [];
    let positive = 0;
    seedGenerator(arena, rng, chars, 'tail');
    for (let at = 0; at < n; at += CHUNK) {
      k.fillNormal(rng, out, CHUNK, 0, 1);
      const v = arena.f64(out, CHUNK);
      for (let i = 0; i < CHUNK; i++) {
        const x = v[i];
        if (x > R || x < -R) {
          tail.push(Math.abs(x));
          if (x > 0) positive++;
        }
      }
    }
    const p = 2 * normalTail(R);
    const expected = n * p;
    expect(Math.abs(tail.length - expected)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    expect(Math.abs(positive - tail.length / 2)).toBeLessThan(2.5 * Math.sqrt(tail.length));
    const qr = normalTail(R);
    const sorted = Float64Array.from(tail).sort();
    expect(Math.sqrt(sorted.length) * ksDistance(sorted, (x) => 1 - normalTail(x) / qr)).toBeLessThan(KS_CRITICAL);
  }, 60_000);
});
