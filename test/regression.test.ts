// The regression kernels on their own (against plain host arithmetic), the
// backends bit for bit, and bad options. Host references use an independent
// method (Gaussian elimination with partial pivoting on the normal equations,
// or stacked designs built explicitly), so a slip in the kernels shows.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { resolveRegressionConfig } from '../src/families/regression/options.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';

const A = await arenas();

/** Column-major T x d design as row arrays. */
function rowsOf(col: Float64Array, t: number, d: number): number[][] {
  return Array.from({ length: t }, (_, i) => Array.from({ length: d }, (_, a) => col[a * t + i]));
}

/** OLS by Gaussian elimination with partial pivoting on X^T X w = X^T y (host, independent of the kernels). */
function hostOls(rows: number[][], y: number[]): number[] {
  const d = rows[0].length;
  const m = Array.from({ length: d }, (_, a) => [
    ...Array.from({ length: d }, (_, b) => rows.reduce((s, r) => s + r[a] * r[b], 0)),
    rows.reduce((s, r, i) => s + r[a] * y[i], 0),
  ]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < d; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= d; k++) m[r][k] -= f * m[c][k];
    }
  }
  const w = new Array(d).fill(0);
  for (let c = d - 1; c >= 0; c--) {
    let s = m[c][d];
    for (let k = c + 1; k < d; k++) s -= m[c][k] * w[k];
    w[c] = s / m[c][c];
  }
  return w;
}

/** Relative agreement of two vectors in the max norm. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-10) {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `entry ${i}: ${got[i]} vs ${want[i]}`).toBeLessThan(rel * scale);
}

describe.each(BACKEND_NAMES)('regression kernels on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const rng = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const T = 37;
  const D = 4;
  const x = arena.allocF64(T * D);
  const y = arena.allocF64(T);
  const y2 = arena.allocF64(T);
  const w = arena.allocF64(D);
  const w2 = arena.allocF64(D);
  const gram = arena.allocF64(D * D);
  const l = arena.allocF64(D * D);
  const rhs = arena.allocF64(D);
  const rhsSum = arena.allocF64(D);
  const idx = arena.allocI32(4 * T);
  const wTrue = arena.allocF64(D);

  const setup = (key: string) => {
    seedGenerator(arena, rng, chars, key);
    k.fillNormal(rng, x, T * D, 0, 1);
    k.fillNormal(rng, y, T, 0, 3);
    arena.f64(wTrue, D).set([1, -2, 0.5, 3]);
  };

  it('olsFit matches a host solve of the normal equations, for d = 1..4', () => {
    setup('ols');
    for (let d = 1; d <= D; d++) {
      // the first d columns of the design, leading dimension T
      expect(k.olsFit(x, T, T, d, y, gram, l, rhs, w)).toBe(0);
      const want = hostOls(rowsOf(arena.f64(x, T * d), T, d), Array.from(arena.f64(y, T)));
      expectClose(arena.f64(w, d), want);
    }
  });

  it('OLS reproduces an exact linear target: noise-free labels give w = w* to round-off', () => {
    setup('exact');
    k.regressionLabels(rng, x, T, T, D, wTrue, 0, y);
    const rows = rowsOf(arena.f64(x, T * D), T, D);
    const labels = arena.f64(y, T);
    rows.forEach((r, i) => expect(labels[i]).toBe(((r[0] * 1 + r[1] * -2) + r[2] * 0.5) + r[3] * 3));
    k.olsFit(x, T, T, D, y, gram, l, rhs, w);
    expectClose(arena.f64(w, D), [1, -2, 0.5, 3], 1e-12);
  });

  it('regressionLabels adds sigma times the same normals fillNormal draws', () => {
    setup('labels');
    const state = new Uint8Array(arena.backend.buffer(), rng, k.rngStateBytes()).slice();
    k.regressionLabels(rng, x, T, T, D, wTrue, 0.7, y);
    new Uint8Array(arena.backend.buffer(), rng, state.length).set(state); // replay the same stream
    k.fillNormal(rng, y2, T, 0, 1);
    const rows = rowsOf(arena.f64(x, T * D), T, D);
    const z = arena.f64(y2, T);
    const labels = arena.f64(y, T);
    rows.forEach((r, i) => expect(labels[i]).toBe((((r[0] * 1 + r[1] * -2) + r[2] * 0.5) + r[3] * 3) + 0.7 * z[i]));
  });

  it('olsGram + olsSolve is olsFit bit for bit', () => {
    setup('split');
    k.olsFit(x, T, T, D, y, gram, l, rhs, w);
    const a = new Float64Array(arena.f64(w, D));
    arena.f64(l, D * D).fill(0);
    expect(k.olsGram(x, T, T, D, gram, l)).toBe(0);
    k.olsSolve(x, T, T, D, y, l, rhs, w2);
    expect(sameBits(a, arena.f64(w2, D))).toBe(true);
  });

  it('olsAccumulate equals OLS on the stacked design [X; X; X] with the three label vectors', () => {
    setup('stacked');
    const big = arena.allocF64(3 * T * D);
    const bigY = arena.allocF64(3 * T);
    const ys = [arena.allocF64(T), arena.allocF64(T), arena.allocF64(T)];
    arena.f64(rhsSum, D).fill(0);
    k.olsGram(x, T, T, D, gram, l);
    ys.forEach((yy, j) => {
      k.fillNormal(rng, yy, T, j, 1 + j);
      k.olsAccumulate(x, T, T, D, yy, l, rhsSum, j + 1, rhs, w);
    });
    // the stacked design, column-major with leading dimension 3T
    const xv = arena.f64(x, T * D);
    const bv = arena.f64(big, 3 * T * D);
    for (let a = 0; a < D; a++) for (let c = 0; c < 3; c++) bv.set(xv.subarray(a * T, (a + 1) * T), a * 3 * T + c * T);
    ys.forEach((yy, c) => arena.f64(bigY, 3 * T).set(arena.f64(yy, T), c * T));
    const w3 = arena.allocF64(D);
    k.olsFit(big, 3 * T, 3 * T, D, bigY, gram, l, rhs, w3);
    expectClose(arena.f64(w, D), arena.f64(w3, D), 1e-12);
    // and OLS on the mean label vector
    const mean = Array.from({ length: T }, (_, i) => ys.reduce((s, yy) => s + arena.f64(yy, T)[i], 0) / 3);
    expectClose(arena.f64(w, D), hostOls(rowsOf(xv, T, D), mean));
  });

  it('a rank-deficient design reports its zero pivots and gives finite weights', () => {
    // column 2 = 2 * column 1: rank 3 of 4
    setup('rank');
    const xv = arena.f64(x, T * D);
    for (let i = 0; i < T; i++) xv[2 * T + i] = 2 * xv[T + i];
    expect(k.olsFit(x, T, T, D, y, gram, l, rhs, w)).toBe(1);
    expect(Array.from(arena.f64(w, D)).every(Number.isFinite)).toBe(true);
    // the all-zero design: every pivot is zero, w = 0
    arena.f64(x, T * D).fill(0);
    expect(k.olsFit(x, T, T, D, y, gram, l, rhs, w)).toBe(D);
    expect(Array.from(arena.f64(w, D))).toEqual([0, 0, 0, 0]);
  });

  it('regressionMixLabels: exactly k rows carry their real labels, each row equally often', () => {
    setup('mix');
    const real = arena.allocF64(T);
    arena.f64(real, T).set(Array.from({ length: T }, (_, i) => 1000 + i)); // far from any synthetic label
    const counts = new Array(T).fill(0);
    const trials = 3000;
    const kReal = 9;
    for (let t = 0; t < trials; t++) {
      k.regressionMixLabels(rng, x, T, T, D, wTrue, 0.5, real, kReal, idx, y);
      const lab = arena.f64(y, T);
      let hits = 0;
      for (let i = 0; i < T; i++) if (lab[i] === 1000 + i) hits++, counts[i]++;
      expect(hits).toBe(kReal);
    }
    // each count ~ binomial(trials, k/T): sd = sqrt(trials p (1 - p)), tolerance 5 sd
    const p = kReal / T;
    const sd = Math.sqrt(trials * p * (1 - p));
    for (const c of counts) expect(Math.abs(c - trials * p)).toBeLessThan(5 * sd);
  });

  it('regressionGatherRows copies the named design rows', () => {
    setup('gather');
    const rows = arena.allocF64(5);
    const xs = arena.allocF64(5 * D);
    arena.f64(rows, 5).set([3, 0, 36, 3, 17]);
    k.regressionGatherRows(x, T, D, rows, 5, xs, 5);
    const xv = arena.f64(x, T * D);
    const got = arena.f64(xs, 5 * D);
    [3, 0, 36, 3, 17].forEach((r, t) => {
      for (let a = 0; a < D; a++) expect(got[a * 5 + t]).toBe(xv[a * T + r]);
    });
  });

  it('regressionMetrics: squared error, test error and step against host sums', () => {
    setup('metrics');
    const nt = 53;
    const xt = arena.allocF64(nt * D);
    const work = arena.allocF64(D + nt);
    const out = arena.allocF64(3);
    const prev = arena.allocF64(D);
    k.fillNormal(rng, xt, nt * D, 0, 1);
    k.fillNormal(rng, w, D, 0, 1);
    k.fillNormal(rng, prev, D, 0, 1);
    k.regressionMetrics(w, wTrue, prev, D, xt, nt, nt, work, out);
    const wv = Array.from(arena.f64(w, D));
    const ws = Array.from(arena.f64(wTrue, D));
    const pv = Array.from(arena.f64(prev, D));
    const e = wv.map((v, a) => v - ws[a]);
    const tv = rowsOf(arena.f64(xt, nt * D), nt, D);
    const test = tv.reduce((s, r) => s + (r.reduce((u, v, a) => u + v * wv[a], 0) - r.reduce((u, v, a) => u + v * ws[a], 0)) ** 2, 0) / nt;
    expectClose(arena.f64(out, 3), [e.reduce((s, v) => s + v * v, 0), test, wv.reduce((s, v, a) => s + (v - pv[a]) ** 2, 0)], 1e-12);
  });
});

describe('backends agree bit for bit on the regression kernels', () => {
  it('labels, fits, accumulate, mix, gather and metrics give identical bits on js, wasm and wasm-simd for T = 3..40', () => {
    const results = BACKEND_NAMES.map((name) => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const rng = arena.alloc(k.rngStateBytes());
      const chars = arena.allocI32(16);
      const d = 3;
      const x = arena.allocF64(40 * d), y = arena.allocF64(40), real = arena.allocF64(40), w = arena.allocF64(d), ws = arena.allocF64(d);
      const gram = arena.allocF64(d * d), l = arena.allocF64(d * d), rhs = arena.allocF64(d), sum = arena.allocF64(d);
      const idx = arena.allocI32(40), xs = arena.allocF64(40 * d), rows = arena.allocF64(40), work = arena.allocF64(d + 40), out = arena.allocF64(3);
      const acc: number[] = [];
      seedGenerator(arena, rng, chars, 'regression-parity');
      for (let t = 3; t <= 40; t++) {
        k.fillNormal(rng, x, t * d, 0, 1);
        k.fillNormal(rng, ws, d, 0, 1);
        k.regressionLabels(rng, x, t, t, d, ws, 0.3, real);
        acc.push(k.olsFit(x, t, t, d, real, gram, l, rhs, w), ...arena.f64(w, d), ...arena.f64(l, d * d));
        arena.f64(sum, d).fill(0);
        k.olsAccumulate(x, t, t, d, real, l, sum, 1, rhs, w);
        k.regressionMixLabels(rng, x, t, t, d, w, 0.3, real, t >> 1, idx, y);
        k.olsAccumulate(x, t, t, d, y, l, sum, 2, rhs, w);
        acc.push(...arena.f64(y, t), ...arena.f64(w, d));
        for (let i = 0; i < t; i++) arena.f64(rows, t)[i] = (i * 7) % t;
        k.regressionGatherRows(x, t, d, rows, t, xs, t);
        acc.push(k.olsFit(xs, t, t, d, y, gram, l, rhs, w), ...arena.f64(w, d));
        k.regressionMetrics(w, ws, real, d, x, t, t, work, out);
        acc.push(...arena.f64(out, 3));
      }
      return new Float64Array(acc);
    });
    expect(sameBits(results[0], results[1])).toBe(true);
    expect(sameBits(results[0], results[2])).toBe(true);
  });
});

describe('bad options: one message naming the option, the value and what is allowed', () => {
  const bad: [string, RawOptions, RegExp][] = [
    ['d = T - 1', { dim: 10, points: 11 }, /--dim\/--points: d = 10 with T = 11 points is not allowed; expected T > d \+ 1 \(at least 12 points\)/],
    ['d > T', { dim: 5, points: 3 }, /--dim\/--points: d = 5 with T = 3 .*T > d \+ 1/],
    ['zero noise', { noise: 0 }, /--noise: 0 is not allowed; expected a number in \(0, 1000000\]/],
    ['negative noise', { noise: '-1' }, /--noise: "-1" is not allowed/],
    ['noise not a number', { noise: 'lots' }, /--noise: "lots" is not allowed/],
    ['unknown w-star', { 'w-star': 'zeros' }, /--w-star: "zeros" is not allowed; expected one of random, ones/],
    ['zero test points', { 'test-points': 0 }, /--test-points: 0 is not allowed; expected an integer in \[1, 1000000\]/],
    ['fractional points', { points: 20.5 }, /--points: 20.5 is not allowed; expected an integer/],
    ['dim too large', { dim: 257, points: 1000 }, /--dim: 257 is not allowed; expected an integer in \[1, 256\]/],
    ['unknown policy', { policy: 'keep' }, /--policy: "keep" is not allowed; expected one of replace, accumulate, accumulate-subsample, mix, fresh/],
    ['real fraction without mix', { 'real-fraction': 0.2 }, /--real-fraction: applies only to --policy mix or fresh, not replace/],
    ['real fraction of one', { policy: 'fresh', 'real-fraction': 1 }, /--real-fraction: 1 is not allowed; expected a number in \[0, 1\)/],
    ['real fraction leaving no synthetic row', { policy: 'mix', points: 12, dim: 2, 'real-fraction': 0.99 }, /--real-fraction: 0.99 leaves no synthetic samples in a training set of 12/],
    ['samples is a Gaussian option', { samples: 100 }, /--samples: unknown option; allowed: --dim, --points/],
    ['too much memory', { policy: 'accumulate-subsample', points: 10_000_000, dim: 2, generations: 100 }, /--points\/--dim\/--test-points\/--generations: this run would need \d+ MiB of kernel memory, above the 2048 MiB limit/],
    ['too much memory for the design', { points: 10_000_000, dim: 40 }, /--points\/--dim\/--test-points: this run would need \d+ MiB/],
  ];
  it.each(bad)('%s', (_, opts, message) => {
    expect(() => resolveRegressionConfig(opts)).toThrow(UsageError);
    expect(() => resolveRegressionConfig(opts)).toThrow(message);
  });

  it('the smallest allowed design, T = d + 2, resolves', () => {
    expect(resolveRegressionConfig({ dim: 10, points: 12 }).config).toMatchObject({ dim: 10, points: 12, noise: 1, wStar: 'random', testPoints: 1000, policy: 'replace', realFraction: 0 });
    expect(resolveRegressionConfig({ policy: 'mix' }).config.realFraction).toBe(0.1);
    expect(resolveRegressionConfig({ policy: 'fresh' }).config.realFraction).toBe(0.5);
  });
});

describe('the command line', () => {
  const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('a bad option is one line on stderr and exit code 2', () => {
    const r = cli(['run', 'regression', '--dim', '20', '--points', '21', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--dim\/--points: .*T > d \+ 1/);
  });

  it('--help lists the family options; --json gives the theory beside the simulation', () => {
    const help = cli(['run', 'regression', '--help']);
    for (const opt of ['dim', 'points', 'noise', 'w-star', 'test-points', 'policy', 'real-fraction']) expect(help.out).toContain(`--${opt}`);
    const r = cli(['run', 'regression', '--policy', 'accumulate', '--replicates', '20', '--generations', '5', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.config).toMatchObject({ family: 'regression', dim: 10, points: 100, policy: 'accumulate' });
    expect(s.generations.map((g: { n: number }) => g.n)).toEqual([0, 1, 2, 3, 4, 5]);
    // c = 1 * 10 / 89; accumulate at n = 2: c (1 + 1/4)
    expect(s.generations[2].metrics.weightErrorSq.theoryMean).toBeCloseTo((10 / 89) * 1.25, 14);
    expect(s.bounds.weightErrorSq).toBeCloseTo(((10 / 89) * Math.PI ** 2) / 6, 14);
    const table = cli(['run', 'regression', '--policy', 'accumulate', '--replicates', '20', '--generations', '5', '--quiet']).out;
    expect(table).toMatch(/E\|w-w\*\|\^2 ± se\s+theory\s+test error ± se\s+theory/);
    expect(table).toMatch(/bound: E weightErrorSq <= 0\.1848/);
  });
});
