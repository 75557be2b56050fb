// The numeric kernels on their own: known answers, SIMD = scalar bit for bit,
// degenerate inputs handled.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';

const A = await arenas();

describe.each(BACKEND_NAMES)('kernels on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const p = arena.allocF64(4096);
  const q = arena.allocF64(4096);
  const rng = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const idx = arena.allocI32(4096);

  it('sum and crossDev are exact on small integers, for every tail length', () => {
    for (let n = 0; n <= 11; n++) {
      const xs = Array.from({ length: n }, (_, i) => i + 1);
      arena.f64(p, n).set(xs);
      arena.f64(q, n).set(xs.map((x) => 2 * x));
      expect(k.sum(p, n)).toBe((n * (n + 1)) / 2);
      const m = n ? (n + 1) / 2 : 0;
      // sum (x - m)(2x - 2m) = 2 sum (x - m)^2 = 2 n (n^2 - 1) / 12
      expect(k.crossDev(p, q, n, m, 2 * m)).toBe(n === 0 ? 0 : (2 * n * (n * n - 1)) / 12);
    }
  });

  it('sum uses the documented order: (s0 + s2) + (s1 + s3) over lanes k mod 4', () => {
    const xs = [1e16, 1, -1e16, 1, 3, 5, 7];
    arena.f64(p, xs.length).set(xs);
    const s = [0, 0, 0, 0];
    xs.forEach((x, i) => (s[i % 4] += x));
    expect(k.sum(p, xs.length)).toBe(s[0] + s[2] + (s[1] + s[3]));
  });

  it('choleskyPsd factors a known matrix and zeroes singular directions', () => {
    const d = 3;
    const a = arena.allocF64(9);
    const l = arena.allocF64(9);
    arena.f64(a, 9).set([4, 2, 2, 2, 5, 3, 2, 3, 6]);
    expect(k.choleskyPsd(a, d, l)).toBe(0);
    expect(Array.from(arena.f64(l, 9))).toEqual([2, 0, 0, 1, 2, 0, 1, 1, 2]);
    // rank 1: [1 2; 2 4]
    arena.f64(a, 4).set([1, 2, 2, 4]);
    expect(k.choleskyPsd(a, 2, l)).toBe(1);
    expect(Array.from(arena.f64(l, 4))).toEqual([1, 0, 2, 0]);
    // the zero matrix: every pivot is zero, nothing is NaN
    arena.f64(a, 4).fill(0);
    expect(k.choleskyPsd(a, 2, l)).toBe(2);
    expect(Array.from(arena.f64(l, 4))).toEqual([0, 0, 0, 0]);
  });

  it('jacobiEigenvalues finds the eigenvalues of a symmetric matrix', () => {
    const a = arena.allocF64(9);
    // eigenvalues of [[2,1,0],[1,2,0],[0,0,5]] are 1, 3, 5
    arena.f64(a, 9).set([2, 1, 0, 1, 2, 0, 0, 0, 5]);
    k.jacobiEigenvalues(a, 3);
    const v = arena.f64(a, 9);
    const eig = [v[0], v[4], v[8]].sort((x, y) => x - y);
    eig.forEach((e, i) => expect(e).toBeCloseTo([1, 3, 5][i], 14));
    expect(Math.abs(v[1]) + Math.abs(v[2]) + Math.abs(v[5])).toBeLessThan(1e-15);
  });

  it('sortF64 sorts, and w2SqSorted equals the quantile integral done by brute force', () => {
    seedGenerator(arena, rng, chars, 'sort');
    k.fillNormal(rng, p, 301, 0, 1);
    k.fillNormal(rng, q, 200, 0.5, 2);
    const a = Array.from(arena.f64(p, 301)).sort((x, y) => x - y);
    const b = Array.from(arena.f64(q, 200)).sort((x, y) => x - y);
    k.sortF64(p, 301);
    k.sortF64(q, 200);
    expect(Array.from(arena.f64(p, 301))).toEqual(a);
    // brute force on the common grid of 301 * 200 cells of width 1/(301*200)
    let acc = 0;
    for (let t = 0; t < 301 * 200; t++) {
      const diff = a[Math.floor(t / 200)] - b[Math.floor(t / 301)];
      acc += diff * diff;
    }
    expect(k.w2SqSorted(p, 301, q, 200)).toBeCloseTo(acc / (301 * 200), 12);
    expect(k.w2SqSorted(p, 301, p, 301)).toBe(0);
  });

  it('sortF64Steps in ranges of any size leaves sortF64 bits (with ties, -0, +0 and NaN)', () => {
    seedGenerator(arena, rng, chars, 'sort-steps');
    for (const n of [0, 1, 2, 3, 7, 300, 301]) {
      k.fillNormal(rng, p, n, 0, 1);
      const v = arena.f64(p, n);
      for (let i = 0; i < n; i += 5) v[i] = [0, -0, NaN, 1, 1][(i / 5) % 5];
      const input = Float64Array.from(v);
      k.sortF64(p, n);
      const whole = new Uint8Array(Float64Array.from(arena.f64(p, n)).buffer);
      expect(k.sortF64StepCount(n)).toBe(n < 2 ? 0 : (n >> 1) + n - 1);
      for (const step of [1, 2, 7, 64]) {
        arena.f64(p, n).set(input);
        for (let s = 0; s < k.sortF64StepCount(n); s += step) k.sortF64Steps(p, n, s, Math.min(s + step, k.sortF64StepCount(n)));
        expect(new Uint8Array(Float64Array.from(arena.f64(p, n)).buffer)).toEqual(whole);
      }
    }
  });

  it('subsample draws without replacement, each point equally often', () => {
    const n = 10;
    arena.f64(p, n).set(Array.from({ length: n }, (_, i) => i));
    seedGenerator(arena, rng, chars, 'subsample');
    const counts = new Array(n).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      k.subsample(rng, p, n, n, 1, 4, q, 4, idx);
      const got = Array.from(arena.f64(q, 4));
      expect(new Set(got).size).toBe(4);
      for (const g of got) counts[g]++;
    }
    // each count ~ binomial(trials, 0.4): sd = sqrt(trials * 0.4 * 0.6)
    const sd = Math.sqrt(trials * 0.4 * 0.6);
    for (const c of counts) expect(Math.abs(c - trials * 0.4)).toBeLessThan(5 * sd);
  });

  it('gaussianStep is exactly sample + scatter + covariance + Cholesky', () => {
    const d = 2;
    const n = 257;
    const mean = arena.allocF64(d);
    const cov = arena.allocF64(d * d);
    const l = arena.allocF64(d * d);
    const scat = arena.allocF64(d * d);
    const z = arena.allocF64(d);
    const init = () => {
      arena.f64(mean, d).set([1, -1]);
      arena.f64(cov, 4).set([2, 0.5, 0.5, 1]);
      k.choleskyPsd(cov, d, l);
      seedGenerator(arena, rng, chars, 'step');
    };
    init();
    k.gaussianStep(rng, mean, cov, l, d, 0.9, 1, z, p, 300, n, scat);
    const viaStep = new Float64Array([...arena.f64(mean, d), ...arena.f64(cov, 4), ...arena.f64(l, 4)]);
    init();
    k.gaussianSample(rng, mean, l, d, 0.9, z, p, 300, n);
    k.gaussianScatter(p, 300, n, d, mean, scat);
    k.covarianceFromScatter(scat, d, n - 1, cov);
    k.choleskyPsd(cov, d, l);
    const viaParts = new Float64Array([...arena.f64(mean, d), ...arena.f64(cov, 4), ...arena.f64(l, 4)]);
    expect(sameBits(viaStep, viaParts)).toBe(true);
  });

  it('gaussianMerge pools statistics like a fit on the union', () => {
    const d = 2;
    seedGenerator(arena, rng, chars, 'merge');
    const x = arena.allocF64(2 * 500);
    k.fillNormal(rng, x, 1000, 0, 1);
    // column-major, ld = 500: points 0..299 and 300..499 as two parts
    const mA = arena.allocF64(d), sA = arena.allocF64(4), mB = arena.allocF64(d), sB = arena.allocF64(4), mU = arena.allocF64(d), sU = arena.allocF64(4), dl = arena.allocF64(d);
    k.gaussianScatter(x, 500, 300, d, mA, sA);
    k.gaussianScatter(x + 8 * 300, 500, 200, d, mB, sB);
    k.gaussianMerge(300, mA, sA, 200, mB, sB, d, dl);
    k.gaussianScatter(x, 500, 500, d, mU, sU);
    const got = [...arena.f64(mA, 2), ...arena.f64(sA, 4)];
    const want = [...arena.f64(mU, 2), ...arena.f64(sU, 4)];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 11));
  });
});

describe('backends agree bit for bit on the kernels', () => {
  it('fillNormal, fits and metrics give identical bits on js, wasm and wasm-simd for n = 1..67', () => {
    const results = BACKEND_NAMES.map((name) => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const rng = arena.alloc(k.rngStateBytes());
      const chars = arena.allocI32(16);
      const x = arena.allocF64(3 * 67), mean = arena.allocF64(3), cov = arena.allocF64(9), l = arena.allocF64(9), scat = arena.allocF64(9);
      const work = arena.allocF64(18), out = arena.allocF64(4), mean0 = arena.allocF64(3), cov0 = arena.allocF64(9), l0 = arena.allocF64(9);
      arena.f64(cov0, 9).set([1, 0.3, 0, 0.3, 2, 0.1, 0, 0.1, 0.5]);
      k.choleskyPsd(cov0, 3, l0);
      const acc: number[] = [];
      seedGenerator(arena, rng, chars, 'parity');
      for (let n = 1; n <= 67; n++) {
        k.fillNormal(rng, x, 3 * n, 0.25, 1.5);
        acc.push(k.sum(x, n), k.crossDev(x, x + 8 * n, n, 0.1, -0.2));
        k.gaussianScatter(x, n, n, 3, mean, scat);
        k.covarianceFromScatter(scat, 3, n, cov);
        k.choleskyPsd(cov, 3, l);
        k.gaussianMetrics(mean, cov, l, mean0, cov0, l0, 3, work, out);
        acc.push(...arena.f64(mean, 3), ...arena.f64(cov, 9), ...arena.f64(out, 4));
      }
      return new Float64Array(acc);
    });
    expect(sameBits(results[0], results[1])).toBe(true);
    expect(sameBits(results[0], results[2])).toBe(true);
  });
});

describe('kernel errors reach the user readable', () => {
  it('a WASM abort becomes a KernelError naming the message and the place', async () => {
    const { wasmImports, KernelError } = await import('../src/kernels/backend.js');
    // an AssemblyScript string: its byte length 4 bytes before the UTF-16 units
    const memory = new WebAssembly.Memory({ initial: 1 });
    const put = (ptr: number, text: string) => {
      new Uint32Array(memory.buffer, ptr - 4, 1)[0] = 2 * text.length;
      new Uint16Array(memory.buffer, ptr, text.length).set(Array.from(text, (c) => c.charCodeAt(0)));
    };
    put(64, 'index out of range');
    put(256, 'assembly/models/x.ts');
    const abort = (wasmImports(() => memory).env as { abort: (...a: number[]) => void }).abort;
    expect(() => abort(64, 256, 12, 7)).toThrow(KernelError);
    expect(() => abort(64, 256, 12, 7)).toThrow('kernel abort: index out of range at assembly/models/x.ts:12:7');
  });
});
