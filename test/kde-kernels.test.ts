// The KDE kernels on their own: the log-likelihood against a direct host
// computation and far from the data, the bandwidth rules against their
// formulas, sampling and the data sets against their moments, and the three
// backends bit for bit.
//
// Tolerances. The log-densities' kernel sums are float32 (kde.ts expSum),
// so they are compared with a double computation on the host within the
// bound derived in logDensityBound (about 2^-24 (5 + the terms' weighted
// mean |exponent|), absolutely): a wrong constant (log n, log 2 pi, a factor
// 2 in the exponent) would miss by 1e-2 or more. Other deterministic
// comparisons with the host use a relative 1e-12: detmath's exp/log and the
// host Math are each within 1 ulp, and a sum of n < 100 positive terms adds
// at most n eps ~ 2e-14 relative. Statistical comparisons are 4
// standard errors, the se estimated from independent batches: se = sd / sqrt(B).
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { GMM1D, GMM2D, mixtureTable, trueVariance, type DataSpec } from '../src/families/kde/datasets.js';
import { bandwidthFactor } from '../src/families/kde/theory.js';

const A = await arenas();
const K = 4;

/** Host log-density of the KDE, straight from the definition (no shift): fine for nearby queries. */
function hostLogDensity(train: number[][], h: number, y: number[]): number {
  const d = y.length;
  let s = 0;
  for (const x of train) {
    let q = 0;
    for (let a = 0; a < d; a++) q += (y[a] - x[a]) ** 2;
    s += Math.exp(-q / (2 * h * h)) / Math.pow(2 * Math.PI * h * h, d / 2);
  }
  return Math.log(s / train.length);
}

/** The first pass's smallest kept sum in kdeLogDensity (kde.ts DIRECT_SUM_MIN). */
const DIRECT_SUM_MIN = 2 ** -64;

/**
 * The log-density of the KDE at y in double (plain Math, max-shifted: finite
 * far away too), and the bound on kdeLogDensity's error there. The kernel sums
 * exp(e_i - M) (M = 0 in its first pass, max_i e_i in its second) in float32:
 * each exponent rounded to a float (relative error 2^-24, so the term's is
 * |e_i - M| 2^-24), its exp within 1 ulp (2^-23 of the term), float partial
 * sums of 4 terms (3 2^-24 of the sum), double totals (n 2^-53). The sum's
 * relative error, hence log p's absolute error, is at most
 *   2^-24 (5 + wbar) + n 2^-53,  wbar = sum_i t_i |e_i - M| / sum_i t_i,
 * (to first order; the terms flushed below e^-87 add less than n 2^-61),
 * plus a few double roundings of log p and M (2^-50 (1 + |M| + |log p|)).
 * Near the threshold between the passes either may run: the larger bound.
 */
function logDensityBound(train: number[][], h: number, y: number[]): { ref: number; bound: number } {
  const d = y.length;
  const n = train.length;
  const e = train.map((x) => -x.reduce((q, xa, a) => q + (y[a] - xa) ** 2, 0) / (2 * h * h));
  const m = Math.max(...e);
  const t = e.map((v) => Math.exp(v - m));
  const s = t.reduce((a, b) => a + b, 0);
  const ref = m + Math.log(s) - Math.log(n) - (d / 2) * Math.log(2 * Math.PI * h * h);
  const wbar = (shift: number) => t.reduce((a, ti, i) => a + ti * Math.abs(e[i] - shift), 0) / s;
  const direct = s * Math.exp(m); // the first pass's sum
  const first = direct >= DIRECT_SUM_MIN / 2 ? wbar(0) : 0;
  const second = direct < DIRECT_SUM_MIN * 2 ? wbar(m) : 0;
  const bound = 2 ** -24 * (5 + Math.max(first, second)) + n * 2 ** -53 + 2 ** -50 * (1 + Math.abs(m) + Math.abs(ref));
  return { ref, bound };
}

function hostVariance(points: number[][]): number {
  const d = points[0].length;
  const n = points.length;
  let total = 0;
  for (let a = 0; a < d; a++) {
    const m = points.reduce((s, p) => s + p[a], 0) / n;
    total += points.reduce((s, p) => s + (p[a] - m) ** 2, 0) / (n - 1);
  }
  return total / d;
}

/** Mean and standard error over batches. */
function meanSe(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, se: sd / Math.sqrt(xs.length) };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe.each(BACKEND_NAMES)('kde kernels on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const rng = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const x = arena.allocF64(3 * 20_000);
  const y = arena.allocF64(3 * 20_000);
  const out = arena.allocF64(20_000);
  const table = arena.allocF64(64);

  /** Points as rows, from column-major memory. */
  const rows = (ptr: number, ld: number, n: number, d: number) =>
    Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, a) => arena.f64(ptr, ld * d)[a * ld + i]));

  it.each([1, 2, 3])('kdeLogDensity equals the direct sum in d = %i within its float32 bound, and returns the mean NLL', (d) => {
    seedGenerator(arena, rng, chars, `lik-${d}`);
    const n = 37;
    const m = 11;
    const h = 0.7;
    k.fillNormal(rng, x, d * n, 0, 1);
    k.fillNormal(rng, y, d * m, 0.3, 1.2);
    const nll = k.kdeLogDensity(x, n, n, d, h, y, m, m, out);
    const train = rows(x, n, n, d);
    const queries = rows(y, m, m, d);
    const got = Array.from(arena.f64(out, m));
    const want = queries.map((q) => hostLogDensity(train, h, q));
    const bounds = queries.map((q) => logDensityBound(train, h, q).bound);
    got.forEach((g, j) => expect(Math.abs(g - want[j]), `query ${j}: ${g} vs ${want[j]}`).toBeLessThan(bounds[j]));
    // the kernel's mean, the host's sum of the kernel's values: exact but for the order of a double sum
    expect(rel(nll, -got.reduce((a, b) => a + b, 0) / m)).toBeLessThan(1e-12);
  });

  it('kdeLogDensity agrees with a double computation within its float32 bound, near and far (first and second pass)', () => {
    // n = 203 (blocks of 16 and a tail of 3), d = 1..3, bandwidths that send
    // terms below the float flush (-87); queries near the data, at the
    // threshold between the passes (about 9.4 h from the nearest point) and
    // 20 h to 10^4 h away (second pass only; the direct sum underflows)
    let worst = 0;
    let secondPass = 0;
    for (const [d, h] of [[1, 0.05], [2, 0.3], [3, 1.1], [2, 2e-3]]) {
      seedGenerator(arena, rng, chars, `bound-${d}-${h}`);
      const n = 203;
      const m = 40;
      k.fillNormal(rng, x, d * n, 0, 1);
      k.fillNormal(rng, y, d * m, 0, 1.5);
      const yv = arena.f64(y, d * m);
      // queries 0..9 along coordinate 0, from 2 to 10^4 bandwidths beyond the largest training point
      const xmax = Math.max(...arena.f64(x, n));
      [2, 8, 9, 9.4, 9.5, 10, 20, 100, 1000, 10_000].forEach((r, j) => {
        yv[j] = xmax + r * h;
        for (let a = 1; a < d; a++) yv[a * m + j] = 0;
      });
      k.kdeLogDensity(x, n, n, d, h, y, m, m, out);
      const train = rows(x, n, n, d);
      const got = arena.f64(out, m);
      rows(y, m, m, d).forEach((q, j) => {
        const { ref, bound } = logDensityBound(train, h, q);
        expect(Number.isFinite(got[j]), `d = ${d}, h = ${h}, query ${j}: ${got[j]}`).toBe(true);
        const err = Math.abs(got[j] - ref);
        expect(err, `d = ${d}, h = ${h}, query ${j}: ${got[j]} vs ${ref}`).toBeLessThanOrEqual(bound);
        worst = Math.max(worst, err / bound);
        const direct = train.reduce((s, xi) => s + Math.exp(-xi.reduce((t, xa, a) => t + (q[a] - xa) ** 2, 0) / (2 * h * h)), 0);
        if (direct < DIRECT_SUM_MIN / 2) secondPass++;
      });
    }
    console.log(`kdeLogDensity: error at most ${worst.toFixed(3)} of its bound; ${secondPass} queries took the second pass`);
    expect(secondPass).toBeGreaterThan(10);
  });

  it('kdeLogDensity stays finite far from every training point (log-sum-exp)', () => {
    // training points 0 and 1, h = 0.1: at y = 1000 the direct sum underflows to 0,
    // but log p(y) = e_1 + log(1 + exp(e_0 - e_1)) - log 2 - log(2 pi h^2)/2 with
    // e_i = -(y - x_i)^2 / (2 h^2), and exp(e_0 - e_1) = exp(-99950) = 0.
    arena.f64(x, 2).set([0, 1]);
    arena.f64(y, 2).set([1000, -1000]);
    const h = 0.1;
    k.kdeLogDensity(x, 2, 2, 1, h, y, 2, 2, out);
    const [far, farLeft] = arena.f64(out, 2);
    expect(hostLogDensity([[0], [1]], h, [1000])).toBe(-Infinity); // what the naive sum gives
    const c = -Math.log(2) - 0.5 * Math.log(2 * Math.PI * h * h);
    expect(rel(far, -(999 ** 2) / (2 * h * h) + c)).toBeLessThan(1e-12);
    expect(rel(farLeft, -(1000 ** 2) / (2 * h * h) + c)).toBeLessThan(1e-12);
    // two equidistant points: log(2 exp(e)) - log 2 = e exactly up to rounding
    arena.f64(x, 4).set([-500, 500, 0, 0]); // d = 2, ld = 2: points (-500, 0) and (500, 0)
    arena.f64(y, 2).set([0, 300]); // query (0, 300)
    k.kdeLogDensity(x, 2, 2, 2, 1, y, 1, 1, out);
    expect(rel(arena.f64(out, 1)[0], -(500 ** 2 + 300 ** 2) / 2 - Math.log(2 * Math.PI))).toBeLessThan(1e-12);
  });

  it('kdeLogDensity gives the bits of the plain per-query loop, with the log-sum-exp pass where the direct sum is tiny', () => {
    // The kernel sums exp(e_i) directly (e_i <= 0: nothing overflows) and
    // takes a second, max-shifted pass only for a query whose sum is below
    // 2^-64. The plain loop, on the host with the kernels' own expKernelF32
    // (the sums' exp, of each exponent rounded to a float) and log, and
    // expSum's order (point i into lane i % 4, a lane's float sum of 4 terms
    // added to its double total, the last n % 4 points one each, then
    // (s0 + s2) + (s1 + s3)), is what it computes: the same bits. n = 2503
    // ends off a multiple of 4 and of 16; h = 0.05 sends many terms below
    // expKernelF32's flush threshold (-87); query 0, put far away, takes the
    // second pass.
    const LOG_TWO_PI = 1.8378770664093453;
    const f = Math.fround;
    const args = arena.allocF32(2503);
    const terms = arena.allocF32(2503);
    let secondPass = 0;
    const plain = (n: number, d: number, h: number, m: number): number[] => {
      const xv = arena.f64(x, d * n).slice();
      const yv = arena.f64(y, d * m).slice();
      const c = 0.5 / (h * h);
      const logNorm = k.log(n) + 0.5 * d * LOG_TWO_PI + d * k.log(h);
      const expSum = (e: number[], shift: number) => {
        arena.f32(args, n).set(e.map((v) => v - shift)); // a Float32Array rounds as Math.fround
        k.expKernelF32Fill(args, terms, n, 0);
        const t = arena.f32(terms, n);
        const s = [0, 0, 0, 0];
        const n4 = n & ~3;
        for (let b = 0; b < n4; b += 16) {
          const p = [0, 0, 0, 0];
          for (let i = b; i < Math.min(b + 16, n4); i++) p[i % 4] = f(p[i % 4] + t[i]);
          p.forEach((v, l) => (s[l] += v));
        }
        for (let i = n4; i < n; i++) s[i % 4] += t[i];
        return (s[0] + s[2]) + (s[1] + s[3]);
      };
      return Array.from({ length: m }, (_, j) => {
        const e = Array.from({ length: n }, (_, i) => {
          let q = 0;
          for (let a = 0; a < d; a++) {
            const diff = xv[a * n + i] - yv[a * m + j];
            q += diff * diff;
          }
          return -(c * q);
        });
        const direct = expSum(e, 0);
        if (direct >= DIRECT_SUM_MIN) return k.log(direct) - logNorm;
        secondPass++;
        const mx = e.reduce((t, v) => (v > t ? v : t), -Infinity);
        if (mx === -Infinity) return -Infinity;
        return mx + k.log(expSum(e, mx)) - logNorm;
      });
    };
    for (const [d, h] of [[1, 0.05], [2, 0.4], [3, 1.3]]) {
      seedGenerator(arena, rng, chars, `tiles-${d}`);
      const n = 2503;
      const m = 19;
      k.fillNormal(rng, x, d * n, 0, 2);
      k.fillNormal(rng, y, d * m, 0.5, 3);
      arena.f64(y, 1)[0] = 60; // query 0 far from every training point: its direct sum underflows
      k.kdeLogDensity(x, n, n, d, h, y, m, m, out);
      expect(Number.isFinite(arena.f64(out, 1)[0])).toBe(true);
      expect(sameBits(arena.f64(out, m).slice(), Float64Array.from(plain(n, d, h, m))), `d = ${d}`).toBe(true);
    }
    expect(secondPass).toBeGreaterThan(0); // the second pass was tested too
  });

  it('kdeLogDensity is -Infinity, never NaN, for a singular bandwidth', () => {
    arena.f64(x, 3).set([0, 1, 2]);
    arena.f64(y, 1).set([1]);
    for (const h of [0, -1, 1e-200, NaN]) {
      const nll = k.kdeLogDensity(x, 3, 3, 1, h, y, 1, 1, out);
      expect(arena.f64(out, 1)[0], `h = ${h}`).toBe(-Infinity);
      expect(nll).toBe(Infinity);
    }
  });

  it.each([1, 2, 3])('kdeBandwidth follows Scott and Silverman (scipy.stats.gaussian_kde factors) in d = %i', (d) => {
    seedGenerator(arena, rng, chars, `bw-${d}`);
    for (const n of [2, 17, 500]) {
      k.fillNormal(rng, x, d * n, 1, 2.5);
      const pts = rows(x, n, n, d);
      const v = hostVariance(pts);
      expect(rel(k.kdeVariance(x, n, n, d), v)).toBeLessThan(1e-12);
      // Scott: n^(-1/(d+4)) sd;  Silverman: (n (d+2)/4)^(-1/(d+4)) sd
      const scott = Math.pow(n, -1 / (d + 4)) * Math.sqrt(v);
      const silverman = Math.pow((n * (d + 2)) / 4, -1 / (d + 4)) * Math.sqrt(v);
      expect(Math.abs(k.kdeBandwidth(x, n, n, d, 0) / scott - 1)).toBeLessThan(1e-12);
      expect(Math.abs(k.kdeBandwidth(x, n, n, d, 1) / silverman - 1)).toBeLessThan(1e-12);
      expect(Math.abs(k.kdeBandwidthFactor(n, d, 1) / bandwidthFactor(n, d, 'silverman') - 1)).toBeLessThan(1e-12);
      expect(Math.abs(k.kdeBandwidthFactor(n, d, 0) / bandwidthFactor(n, d, 'scott') - 1)).toBeLessThan(1e-12);
    }
    // Silverman's 1-D normal reference rule is the familiar 1.06 sd n^(-1/5): (4/3)^(1/5) = 1.0592
    expect(k.kdeBandwidthFactor(1, 1, 1)).toBeCloseTo(1.0592, 4);
  });

  it('kdeSample with h = 0 returns training points, each equally often', () => {
    const n = 7;
    const m = 14_000;
    arena.f64(x, 2 * n).set([...Array.from({ length: n }, (_, i) => i), ...Array.from({ length: n }, (_, i) => 10 * i)]);
    seedGenerator(arena, rng, chars, 'pick');
    k.kdeSample(rng, x, n, n, 2, 0, y, m, m);
    const counts = new Array(n).fill(0);
    const o = arena.f64(y, 2 * m);
    for (let i = 0; i < m; i++) {
      expect(o[m + i]).toBe(10 * o[i]); // both coordinates come from the same point
      counts[o[i]]++;
    }
    // each count ~ binomial(m, 1/n): 5 sd covers all n counts with room
    const sd = Math.sqrt((m * (1 / n) * (1 - 1 / n)));
    for (const c of counts) expect(Math.abs(c - m / n)).toBeLessThan(5 * sd);
  });

  it('kdeSample has the KDE variance ((n-1)/n) s^2 + h^2 and the training mean', () => {
    // five fixed 2-D points; 200 batches of 1000 draws, one kernel call each
    const n = 5;
    const pts = [[0, 0], [1, 3], [-2, 1], [4, -1], [0.5, 0.5]];
    arena.f64(x, 2 * n).set([...pts.map((p) => p[0]), ...pts.map((p) => p[1])]);
    const h = 0.8;
    const want = ((n - 1) / n) * hostVariance(pts) + h * h;
    const wantMean = pts.reduce((s, p) => s + p[0], 0) / n;
    seedGenerator(arena, rng, chars, 'kde-var');
    const vars: number[] = [];
    const means: number[] = [];
    const batch = 1000;
    for (let b = 0; b < 200; b++) {
      k.kdeSample(rng, x, n, n, 2, h, y, batch, batch);
      vars.push(k.kdeVariance(y, batch, batch, 2));
      means.push(k.sum(y, batch) / batch);
    }
    const v = meanSe(vars);
    expect(Math.abs(v.mean - want) / v.se, `variance ${v.mean} vs ${want}`).toBeLessThan(K);
    const mu = meanSe(means);
    expect(Math.abs(mu.mean - wantMean) / mu.se).toBeLessThan(K);
  });

  it.each([
    ['gmm1d', GMM1D, 1],
    ['gmm2d', GMM2D, 2],
  ] as const)('mixtureSample (%s) has the mixture mean and variance', (data, mix, d) => {
    const t = mixtureTable(mix, d);
    arena.f64(table, t.length).set(t);
    seedGenerator(arena, rng, chars, `mix-${data}`);
    const vars: number[] = [];
    const means: number[][] = Array.from({ length: d }, () => []);
    const batch = 1000;
    for (let b = 0; b < 100; b++) {
      k.mixtureSample(rng, table, mix.length, d, y, batch, batch);
      vars.push(k.kdeVariance(y, batch, batch, d));
      for (let a = 0; a < d; a++) means[a].push(k.sum(y + 8 * a * batch, batch) / batch);
    }
    const spec: DataSpec = { data, dim: d, sigma0: null, noise: null, factor: null };
    const v = meanSe(vars);
    expect(Math.abs(v.mean - trueVariance(spec)) / v.se).toBeLessThan(K);
    for (let a = 0; a < d; a++) {
      const mu = meanSe(means[a]);
      const want = mix.reduce((s, c) => s + c.weight * c.mean[a], 0);
      expect(Math.abs(mu.mean - want) / mu.se, `mean of coordinate ${a}`).toBeLessThan(K);
    }
  });

  it('ringsSample without noise lies on the two circles, half on each, at uniform angles', () => {
    const m = 8000;
    seedGenerator(arena, rng, chars, 'rings');
    k.ringsSample(rng, 0.3, 0, y, m, m);
    const o = arena.f64(y, 2 * m);
    let outer = 0;
    let sumCos = 0;
    let sumSin2 = 0;
    for (let i = 0; i < m; i++) {
      const r = Math.hypot(o[i], o[m + i]);
      const onOuter = Math.abs(r - 1) < 1e-15;
      expect(onOuter || Math.abs(r - 0.3) < 1e-15, `radius ${r}`).toBe(true);
      if (onOuter) outer++;
      sumCos += o[i] / r;
      sumSin2 += (o[m + i] / r) ** 2;
    }
    // outer ~ binomial(m, 1/2); E cos = 0 with sd 1/sqrt(2); E sin^2 = 1/2 with sd sqrt(1/8)
    expect(Math.abs(outer - m / 2)).toBeLessThan(K * Math.sqrt(m / 4));
    expect(Math.abs(sumCos / m)).toBeLessThan(K * Math.sqrt(0.5 / m));
    expect(Math.abs(sumSin2 / m - 0.5)).toBeLessThan(K * Math.sqrt(0.125 / m));
  });

  it('moonsSample without noise lies on the two half circles; with noise it has the documented variance', () => {
    const m = 4000;
    seedGenerator(arena, rng, chars, 'moons');
    k.moonsSample(rng, 0, y, m, m);
    const o = arena.f64(y, 2 * m);
    for (let i = 0; i < m; i++) {
      const [px, py] = [o[i], o[m + i]];
      const upper = Math.abs(Math.hypot(px, py) - 1) < 1e-15 && py >= 0;
      const lower = Math.abs(Math.hypot(1 - px, 0.5 - py) - 1) < 1e-15 && py <= 0.5;
      expect(upper || lower, `point (${px}, ${py})`).toBe(true);
    }
    const vars: number[] = [];
    const batch = 1000;
    for (let b = 0; b < 100; b++) {
      k.moonsSample(rng, 0.2, y, batch, batch);
      vars.push(k.kdeVariance(y, batch, batch, 2));
    }
    const v = meanSe(vars);
    const want = trueVariance({ data: 'moons', dim: 2, sigma0: null, noise: 0.2, factor: null });
    expect(Math.abs(v.mean - want) / v.se, `${v.mean} vs ${want}`).toBeLessThan(K);
  });
});

describe('backends agree bit for bit on the kde kernels', () => {
  it('sampling, data sets, variance, bandwidths and log-densities for n = 1..41 (every SIMD tail)', () => {
    const results = BACKEND_NAMES.map((name) => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const rng = arena.alloc(k.rngStateBytes());
      const chars = arena.allocI32(16);
      const train = arena.allocF64(3 * 41), draws = arena.allocF64(3 * 50), out = arena.allocF64(50);
      const table = arena.allocF64(32);
      const t = mixtureTable(GMM2D, 2);
      arena.f64(table, t.length).set(t);
      const acc: number[] = [];
      seedGenerator(arena, rng, chars, 'kde-parity');
      for (let n = 1; n <= 41; n++) {
        const d = 1 + (n % 3);
        k.fillNormal(rng, train, d * n, 0.5, 2);
        k.kdeSample(rng, train, n, n, d, 0.37, draws, 50, 50);
        acc.push(...arena.f64(draws, d * 50));
        acc.push(k.kdeLogDensity(train, n, n, d, 0.37, draws, 50, 50, out), ...arena.f64(out, 50));
        if (n >= 2) acc.push(k.kdeVariance(train, n, n, d), k.kdeBandwidth(train, n, n, d, 0), k.kdeBandwidth(train, n, n, d, 1));
        k.mixtureSample(rng, table, 4, 2, draws, 50, n);
        acc.push(...arena.f64(draws, 100));
        k.ringsSample(rng, 0.5, 0.1, draws, 50, n);
        acc.push(...arena.f64(draws, 100));
        k.moonsSample(rng, 0.1, draws, 50, n);
        acc.push(...arena.f64(draws, 100));
      }
      return new Float64Array(acc);
    });
    expect(sameBits(results[0], results[1]), 'wasm = js').toBe(true);
    expect(sameBits(results[0], results[2]), 'wasm-simd = js').toBe(true);
  });

  it('log-densities around the float sums\' block edges, near and far (both passes), d = 1..4', () => {
    const results = BACKEND_NAMES.map((name) => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const rng = arena.alloc(k.rngStateBytes());
      const chars = arena.allocI32(16);
      const train = arena.allocF64(4 * 1003), query = arena.allocF64(4 * 24), out = arena.allocF64(24);
      const acc: number[] = [];
      seedGenerator(arena, rng, chars, 'kde-blocks');
      for (const n of [15, 16, 17, 31, 32, 33, 63, 64, 65, 1003]) {
        for (const [d, h] of [[1, 0.02], [2, 0.3], [3, 0.9], [4, 0.05]]) {
          k.fillNormal(rng, train, d * n, 0, 1);
          k.fillNormal(rng, query, d * 24, 0, 4); // many far away at the small bandwidths
          arena.f64(query, 2).set([1e3, -1e5]); // and two very far
          acc.push(k.kdeLogDensity(train, n, n, d, h, query, 24, 24, out), ...arena.f64(out, 24));
        }
      }
      return new Float64Array(acc);
    });
    expect(results[0].every(Number.isFinite), 'finite everywhere').toBe(true);
    expect(sameBits(results[0], results[1]), 'wasm = js').toBe(true);
    expect(sameBits(results[0], results[2]), 'wasm-simd = js').toBe(true);
  });
});
