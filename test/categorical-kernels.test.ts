// The categorical kernels on their own: the alias table represents p exactly,
// its draws follow p (chi-square), dead states are never drawn, subsampling is
// without replacement, the metrics have their known values, and the three
// backends agree bit for bit.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { chiSquareTest } from '../src/theory/chi-square.js';
import { tailStates } from '../src/families/categorical/initial.js';

const A = await arenas();

/** The distribution an alias table draws from: column j (prob 1/K) keeps j with prob[j], else gives alias[j]. */
function impliedDistribution(prob: Float64Array, alias: Int32Array): number[] {
  const K = prob.length;
  const q = new Array(K).fill(0);
  for (let j = 0; j < K; j++) {
    q[j] += prob[j] / K;
    q[alias[j]] += (1 - prob[j]) / K;
  }
  return q;
}

/** Significance of the chi-square tests: a correct sampler fails one with probability 0.001. */
const ALPHA = 0.001;

describe.each(BACKEND_NAMES)('categorical kernels on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const KMAX = 1000;
  const rng = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(64);
  const counts = arena.allocI32(KMAX);
  const drawn = arena.allocI32(KMAX);
  const w = arena.allocF64(KMAX);
  const prob = arena.allocF64(KMAX);
  const alias = arena.allocI32(KMAX);
  const work = arena.allocF64(KMAX);
  const stack = arena.allocI32(KMAX);
  const labels = arena.allocI32(4096);
  const out = arena.allocF64(8);

  it('aliasFromCounts represents count_i / N exactly (to rounding) and counts the live states, zeros included', () => {
    seedGenerator(arena, rng, chars, 'alias-exact');
    const cases: number[][] = [
      [1, 1],
      [0, 5],
      [7, 0, 0, 3],
      [1, 2, 3, 4, 5, 6],
      [0, 0, 0, 0, 1],
      [1 << 30, 1, 0, (1 << 30) - 7], // pooled counts near 2^31: c K stays exact
      Array.from({ length: 997 }, (_, i) => (i * 7919) % 13), // many zeros, K odd and large
    ];
    for (const c of cases) {
      const K = c.length;
      arena.i32(counts, K).set(c);
      const live = k.aliasFromCounts(counts, K, prob, alias, work, stack);
      expect(live).toBe(c.filter((x) => x > 0).length);
      const N = c.reduce((s, x) => s + x, 0);
      const q = impliedDistribution(arena.f64(prob, K), arena.i32(alias, K));
      // each q_i sums at most K terms of relative error 2^-52: a bound of K * 1e-15 is generous
      c.forEach((x, i) => expect(Math.abs(q[i] - x / N)).toBeLessThan(K * 1e-15 + 1e-15));
      // a dead state is no column's alias and never kept by its own column
      c.forEach((x, i) => {
        if (x === 0) {
          expect(arena.f64(prob, K)[i]).toBe(0);
          expect(Array.from(arena.i32(alias, K)).includes(i)).toBe(false);
        }
      });
    }
  });

  it('aliasFromWeights represents real weights (Zipf p_0) to rounding', () => {
    for (const [K, a, b] of [
      [6, 1, 2.7],
      [1000, 1, 2.7],
      [50, 2, 5],
    ]) {
      k.zipfProbabilities(K, a, b, w);
      const p = Array.from(arena.f64(w, K));
      // p_i proportional to (i + b)^-a for i = 1..K, normalised
      const z = p.map((_, i) => Math.pow(i + 1 + b, -a));
      const zs = z.reduce((s, x) => s + x, 0);
      p.forEach((x, i) => expect(x).toBeCloseTo(z[i] / zs, 14));
      k.aliasFromWeights(w, K, prob, alias, work, stack);
      const q = impliedDistribution(arena.f64(prob, K), arena.i32(alias, K));
      p.forEach((x, i) => expect(Math.abs(q[i] - x)).toBeLessThan(K * 1e-15 + 1e-15));
    }
  });

  it('aliasAddCounts draws follow p: chi-square at significance 0.001, and a dead state is never drawn', () => {
    seedGenerator(arena, rng, chars, 'alias-draws');
    const c = [5, 0, 1, 7, 0, 3, 12, 2, 0, 30];
    const K = c.length;
    const N = c.reduce((s, x) => s + x, 0);
    arena.i32(counts, K).set(c);
    k.aliasFromCounts(counts, K, prob, alias, work, stack);
    const draws = 200_000;
    arena.i32(drawn, K).fill(0);
    k.aliasAddCounts(rng, prob, alias, K, draws, drawn);
    const got = Array.from(arena.i32(drawn, K));
    expect(got.reduce((s, x) => s + x, 0)).toBe(draws);
    c.forEach((x, i) => x === 0 && expect(got[i]).toBe(0));
    const live = c.map((_, i) => i).filter((i) => c[i] > 0);
    const test = chiSquareTest(live.map((i) => got[i]), live.map((i) => (draws * c[i]) / N))!;
    expect(test.df).toBe(live.length - 1);
    expect(test.pValue, `X^2 = ${test.statistic} on ${test.df} df`).toBeGreaterThan(ALPHA);
    // the same counts against a slightly wrong p (one unit moved between two states) are rejected: the test has power
    const wrong = c.slice();
    wrong[9] -= 1;
    wrong[6] += 1;
    const bad = chiSquareTest(live.map((i) => got[i]), live.map((i) => (draws * wrong[i]) / N))!;
    expect(bad.pValue).toBeLessThan(ALPHA);
  });

  it('aliasDrawLabels draws the same states as aliasAddCounts from the same stream, and addLabelCounts counts them', () => {
    const K = 7;
    arena.i32(counts, K).set([3, 1, 4, 1, 5, 9, 2]);
    k.aliasFromCounts(counts, K, prob, alias, work, stack);
    seedGenerator(arena, rng, chars, 'same-stream');
    arena.i32(drawn, K).fill(0);
    k.aliasAddCounts(rng, prob, alias, K, 3000, drawn);
    const viaCounts = Array.from(arena.i32(drawn, K));
    seedGenerator(arena, rng, chars, 'same-stream');
    k.aliasDrawLabels(rng, prob, alias, K, 3000, labels);
    arena.i32(drawn, K).fill(0);
    k.addLabelCounts(labels, 3000, drawn);
    expect(Array.from(arena.i32(drawn, K))).toEqual(viaCounts);
  });

  it('subsampleLabelsAddCounts draws without replacement, each label equally often, and keeps the pool a permutation', () => {
    seedGenerator(arena, rng, chars, 'subsample-labels');
    const n = 10;
    arena.i32(labels, n).set(Array.from({ length: n }, (_, i) => i));
    const inclusion = new Array(n).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      arena.i32(drawn, n).fill(0);
      k.subsampleLabelsAddCounts(rng, labels, n, 4, drawn);
      const got = Array.from(arena.i32(drawn, n));
      expect(Math.max(...got)).toBe(1);
      expect(got.reduce((s, x) => s + x, 0)).toBe(4);
      got.forEach((x, i) => (inclusion[i] += x));
    }
    expect(Array.from(arena.i32(labels, n)).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // each inclusion count ~ binomial(trials, 0.4): 5 sd leaves a false alarm below 1e-5 per label
    const sd = Math.sqrt(trials * 0.4 * 0.6);
    for (const c of inclusion) expect(Math.abs(c - trials * 0.4)).toBeLessThan(5 * sd);
  });

  it('categoricalReplaceStep is aliasFromCounts + clear + aliasAddCounts, and returns the survivors', () => {
    const K = 5;
    const start = [10, 0, 3, 6, 1];
    arena.i32(counts, K).set(start);
    seedGenerator(arena, rng, chars, 'step');
    const live = k.categoricalReplaceStep(rng, counts, K, 20, prob, alias, work, stack);
    const viaStep = Array.from(arena.i32(counts, K));
    arena.i32(counts, K).set(start);
    seedGenerator(arena, rng, chars, 'step');
    k.aliasFromCounts(counts, K, prob, alias, work, stack);
    arena.i32(drawn, K).fill(0);
    k.aliasAddCounts(rng, prob, alias, K, 20, drawn);
    expect(viaStep).toEqual(Array.from(arena.i32(drawn, K)));
    expect(live).toBe(viaStep.filter((x) => x > 0).length);
    expect(viaStep[1]).toBe(0); // a lost state stays lost
    expect(k.liveStates(counts, K)).toBe(live);
  });

  it('categoricalMetrics: entropy, survivors, heterozygosity, TV, KL and tail mass by hand', () => {
    const p0 = [0.4, 0.3, 0.2, 0.1];
    const K = 4;
    const p0Ptr = arena.allocF64(K);
    const logP0 = arena.allocF64(K);
    const tail = arena.allocI32(K);
    arena.f64(p0Ptr, K).set(p0);
    k.logFill(p0Ptr, logP0, K);
    arena.i32(tail, 2).set([2, 3]);
    const metrics = (c: number[]) => {
      arena.i32(counts, K).set(c);
      k.categoricalMetrics(counts, 0, c.reduce((s, x) => s + x, 0), p0Ptr, logP0, K, tail, 2, out);
      return Array.from(arena.f64(out, 7));
    };
    const full = metrics([4, 3, 2, 1]); // the model equals p_0
    expect(full[0]).toBeCloseTo(-p0.reduce((s, p) => s + p * Math.log(p), 0), 14);
    expect(full[1]).toBe(4);
    expect(full[2]).toBeCloseTo(1 - 0.3, 15); // 1 - (0.16 + 0.09 + 0.04 + 0.01)
    expect(full[3]).toBe(0);
    expect(Math.abs(full[4])).toBeLessThan(1e-15);
    expect(full[5]).toBeCloseTo(0.3, 15);
    expect(full[6]).toBe(3);
    const part = metrics([1, 1, 0, 0]); // p = (1/2, 1/2, 0, 0)
    expect(part[0]).toBeCloseTo(Math.log(2), 15);
    expect(part[1]).toBe(2);
    expect(part[2]).toBe(0.5);
    expect(part[3]).toBeCloseTo(0.5 * (0.1 + 0.2 + 0.2 + 0.1), 15);
    expect(part[4]).toBe(Infinity); // p_0 puts mass where p has none
    expect(part[5]).toBe(0);
    expect(part[6]).toBe(1);
    const absorbed = metrics([0, 0, 9, 0]);
    expect(absorbed.slice(0, 4)).toEqual([0, 1, 0, 0.8]);
    expect(absorbed[5]).toBe(1);
    expect(absorbed[6]).toBe(2);
    // p_0 itself through the f64 path
    k.categoricalMetrics(p0Ptr, 1, 1, p0Ptr, logP0, K, tail, 2, out);
    const self = Array.from(arena.f64(out, 7));
    expect(self[0]).toBeCloseTo(full[0], 15);
    expect(self[2]).toBeCloseTo(full[2], 15);
    expect(self[5]).toBeCloseTo(full[5], 15);
    expect([self[1], self[3], self[4], self[6]]).toEqual([4, 0, 0, 3]); // TV and KL exactly 0: log p0 - log p0
  });
});

describe('the tail rule', () => {
  it('takes the ceil(q K) smallest p_0, ties broken towards the higher index', () => {
    const uniform = Array(10).fill(0.1);
    expect(tailStates(uniform, 0.1)).toEqual([9]);
    expect(tailStates(uniform, 0.25)).toEqual([7, 8, 9]);
    expect(tailStates(Array(30).fill(1 / 30), 0.1)).toEqual([27, 28, 29]); // ceil(0.1 * 30) is 3, not 4
    expect(tailStates([0.1, 0.5, 0.1, 0.3], 0.5)).toEqual([0, 2]);
    expect(tailStates([0.1, 0.5, 0.1, 0.3], 0.25)).toEqual([2]);
    expect(tailStates([0.5, 0.3, 0.2], 0.01)).toEqual([2]); // at least one state
  });
});

describe('backends agree bit for bit on the categorical kernels', () => {
  it('alias tables, draws, subsamples, replace steps and metrics give identical bits on js, wasm and wasm-simd', () => {
    const results = BACKEND_NAMES.map((name) => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const K = 37;
      const rng = arena.alloc(k.rngStateBytes());
      const chars = arena.allocI32(16);
      const counts = arena.allocI32(K), prob = arena.allocF64(K), alias = arena.allocI32(K), work = arena.allocF64(K), stack = arena.allocI32(K);
      const p0 = arena.allocF64(K), logP0 = arena.allocF64(K), tail = arena.allocI32(4), out = arena.allocF64(7), labels = arena.allocI32(2000);
      arena.i32(tail, 4).set([33, 34, 35, 36]);
      k.zipfProbabilities(K, 1.3, 2.7, p0);
      k.logFill(p0, logP0, K);
      seedGenerator(arena, rng, chars, 'categorical-parity');
      k.aliasFromWeights(p0, K, prob, alias, work, stack);
      const acc: number[] = [...arena.f64(p0, K), ...arena.f64(prob, K), ...arena.i32(alias, K)];
      arena.i32(counts, K).fill(0);
      k.aliasAddCounts(rng, prob, alias, K, 150, counts);
      for (let n = 0; n < 60; n++) {
        acc.push(k.categoricalReplaceStep(rng, counts, K, 150, prob, alias, work, stack));
        acc.push(...arena.f64(prob, K), ...arena.i32(alias, K), ...arena.i32(counts, K));
        k.categoricalMetrics(counts, 0, 150, p0, logP0, K, tail, 4, out);
        acc.push(...arena.f64(out, 7));
        k.aliasDrawLabels(rng, prob, alias, K, 2000, labels);
        k.subsampleLabelsAddCounts(rng, labels, 2000, 100, counts);
        acc.push(...arena.i32(labels, 2000));
      }
      return new Float64Array(acc);
    });
    expect(sameBits(results[0], results[1])).toBe(true);
    expect(sameBits(results[0], results[2])).toBe(true);
  });
});
