// The categorical chain against its theory. Fixed seeds. Unless said
// otherwise a tolerance is K = 4 standard errors of the simulated mean,
// se = sd / sqrt(R) with sd estimated from the replicates: a correct
// simulation fails one such check with probability about 6e-5.
import { describe, expect, it } from 'vitest';
import { resolveCategoricalConfig } from '../src/families/categorical/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RunSummary, MetricSummary } from '../src/results/types.js';
import type { RawOptions } from '../src/config/validate.js';
import type { AbsorptionExtras } from '../src/families/categorical/index.js';
import { chiSquareSurvival, chiSquareTest } from '../src/theory/chi-square.js';
import { heterozygosityMeans, littlerAbsorptionTime, sureshG, survivorBounds, categoricalBounds, categoricalTheory } from '../src/families/categorical/theory.js';
import { detOneMinusExpNegIterate } from '../src/kernels/detmath.js';
import { loadBackend } from '../src/kernels/backend.js';
import { lgamma } from '../src/theory/special.js';
import { initialProbabilities } from '../src/families/categorical/initial.js';

const K = 4;

async function simulate(opts: RawOptions): Promise<RunSummary> {
  const { config } = resolveCategoricalConfig({ backend: 'wasm', ...opts });
  return (await runAndCollect(config)).summary;
}

function at(s: RunSummary, n: number, metric: string): MetricSummary {
  return s.generations.find((g) => g.n === n)!.metrics[metric]!;
}

function expectMeanMatches(m: MetricSummary, what: string) {
  expect(m.theoryMean, `${what} has a theory`).not.toBeNull();
  const z = (m.mean! - m.theoryMean!) / m.se!;
  expect(Math.abs(z), `${what}: sim ${m.mean} vs theory ${m.theoryMean} (se ${m.se})`).toBeLessThan(K);
}

describe('closed forms on their own', () => {
  it('replace: E H_n = (1 - 1/M)^n H_0; accumulate tends to H_0 sin(pi/sqrt M)/(pi/sqrt M)', () => {
    const p0 = [0.4, 0.3, 0.2, 0.1];
    const h = heterozygosityMeans({ p0, samples: 20, policy: 'replace', realFraction: 0, tailMass0: 0.1 }, 50);
    h.forEach((x, n) => expect(x).toBeCloseTo(0.7 * (1 - 1 / 20) ** n, 14));
    const inp = { p0, samples: 20, policy: 'accumulate' as const, realFraction: 0, tailMass0: 0.1 };
    const acc = heterozygosityMeans(inp, 20000);
    // the product's tail beyond n is about H_0 / (n M): 0.7 / (2e4 * 20) < 2e-6
    expect(Math.abs(acc[20000] - categoricalBounds(inp).heterozygosityFloor)).toBeLessThan(2e-6);
    expect(acc[20000]).toBeGreaterThan(categoricalBounds(inp).heterozygosityFloor);
  });

  it('fresh and mix with real fraction 0 are replace', () => {
    const p0 = [0.5, 0.25, 0.25];
    const base = { p0, samples: 30, tailMass0: 0.25 };
    const rep = heterozygosityMeans({ ...base, policy: 'replace', realFraction: 0 }, 30);
    for (const policy of ['fresh', 'mix'] as const) {
      heterozygosityMeans({ ...base, policy, realFraction: 0 }, 30).forEach((x, n) => expect(x).toBeCloseTo(rep[n], 14));
    }
  });

  it('Littler: 2M (K-1) ln(K/(K-1)) for a uniform start; g_k within [1/k, 3/k]', () => {
    expect(littlerAbsorptionTime(Array(6).fill(1 / 6), 1000)).toBeCloseTo(2000 * 5 * Math.log(6 / 5), 9);
    expect(littlerAbsorptionTime([0.5, 0.5], 100)).toBeCloseTo(200 * Math.LN2, 9); // 138.6, the research notes' value
    for (const k of [1, 2, 5, 50, 500]) {
      expect(sureshG(k)).toBeGreaterThanOrEqual(1 / k);
      expect(sureshG(k)).toBeLessThanOrEqual(3 / k);
    }
    const b = survivorBounds(Array(200).fill(1 / 200), 100, 3);
    expect(b.lower).toBeLessThan(b.upper);
  });

  it("the survivor bounds' g_n from one kernel call per recorded generation: the bits of sureshG's host loop, on js and wasm", async () => {
    const js = (await import('#kernels/detmath' as string)) as { oneMinusExpNegIterate: (x: number, n: number) => number };
    const wasm = (await loadBackend('wasm')).kernels;
    for (const k of [1, 2, 3, 17, 500, 4097]) {
      expect(js.oneMinusExpNegIterate(1, k - 1)).toBe(sureshG(k));
      expect(wasm.oneMinusExpNegIterate(1, k - 1)).toBe(sureshG(k));
      expect(detOneMinusExpNegIterate(1, k - 1)).toBe(sureshG(k));
    }
    // continued from one recorded generation to the next, as categoricalTheory does
    const p0 = Array(6).fill(1 / 6);
    const rows = categoricalTheory({ p0, samples: 1000, policy: 'replace', realFraction: 0, tailMass0: 0 }, [0, 1, 5, 6, 900, 2500]);
    [1, 5, 6, 900, 2500].forEach((n, i) => expect(rows[i + 1].survivors).toEqual({ mean: null, median: null, ...survivorBounds(p0, 1000, n, sureshG(n)) }));
  });

  it('chi-square survival: exact for 2 df, the textbook 5% points for 1 and 5 df', () => {
    for (const x of [0.1, 1, 5, 20]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 14);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(11.0705, 5)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

describe('heterozygosity under every policy (exact means), p_0 = (0.4, 0.3, 0.2, 0.1), M = 20', () => {
  // R = 12000 gives se ~ 0.0009, enough to see the subtle terms: e.g. under
  // mix, drawing the real share with replacement instead of without would
  // move E H_40 from 0.6088 to 0.6040, about 5 se.
  const base = { probs: '0.4,0.3,0.2,0.1', samples: 20, generations: 40, replicates: 12000, every: 10 };
  const runs: [string, RawOptions][] = [
    ['replace', { policy: 'replace' }],
    ['accumulate', { policy: 'accumulate' }],
    ['accumulate-subsample', { policy: 'accumulate-subsample' }],
    ['mix', { policy: 'mix', 'real-fraction': 0.3 }],
    ['fresh', { policy: 'fresh', 'real-fraction': 0.3 }],
  ];
  it.each(runs)('%s: E(1 - sum p_n^2) at n = 10, 20, 40 and E tail mass = tail mass of p_0', async (policy, extra) => {
    const s = await simulate({ ...base, ...extra, seed: `het-${policy}` });
    for (const n of [10, 20, 40]) {
      expectMeanMatches(at(s, n, 'heterozygosity'), `${policy} heterozygosity n=${n}`);
      expectMeanMatches(at(s, n, 'tailMass'), `${policy} tailMass n=${n}`);
    }
    // the policies really differ: accumulate keeps H far above replace's (1 - 1/M)^40 H_0 = 0.09
    if (policy === 'accumulate') expect(at(s, 40, 'heterozygosity').mean!).toBeGreaterThan(0.6);
  });
});

/**
 * Exact mean number of generations until one state is left, for the
 * Wright-Fisher chain with K states and population M started from p_0: the
 * first generation is a multinomial sample of p_0, and from a composition c
 * the expected remaining time t solves (I - Q) t = 1 over the compositions
 * with two or more states alive (Q: multinomial transitions). Dense Gaussian
 * elimination; fine for K = 2 and for K = 3 with M up to about 40.
 */
function exactAbsorptionTime(p0: number[], M: number): number {
  const Kp = p0.length;
  const logFact = Array.from({ length: M + 1 }, (_, i) => lgamma(i + 1));
  const comps: number[][] = [];
  const build = (prefix: number[], left: number, parts: number) => {
    if (parts === 1) return void comps.push([...prefix, left]);
    for (let a = 0; a <= left; a++) build([...prefix, a], left - a, parts - 1);
  };
  build([], M, Kp);
  const transient = comps.filter((c) => c.filter((x) => x > 0).length > 1);
  const logPmf = (c: number[], q: number[]) => {
    let s = logFact[M];
    for (let i = 0; i < Kp; i++) {
      if (c[i] === 0) continue;
      if (q[i] === 0) return -Infinity;
      s += c[i] * Math.log(q[i]) - logFact[c[i]];
    }
    return s;
  };
  const n = transient.length;
  const a = transient.map((c, i) => {
    const q = c.map((x) => x / M);
    const row = transient.map((d) => -Math.exp(logPmf(d, q)));
    row[i] += 1;
    return row;
  });
  const t = new Array(n).fill(1);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
    [a[col], a[piv]] = [a[piv], a[col]];
    [t[col], t[piv]] = [t[piv], t[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r][c] -= f * a[col][c];
      t[r] -= f * t[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = t[r];
    for (let c = r + 1; c < n; c++) s -= a[r][c] * t[c];
    t[r] = s / a[r][r];
  }
  return 1 + transient.reduce((s, c, i) => s + Math.exp(logPmf(c, p0)) * t[i], 0);
}

describe('absorption under replace (--until-absorbed)', () => {
  // Littler's E T is a diffusion limit. Its error for the discrete chain is
  // measured here exactly, not assumed: the exact Markov-chain mean differs
  // from it by about -1.3 to -2.3 generations for K = 2, 3 and M = 10..200
  // (e.g. K = 2, p = 1/2: M = 50 exact 67.52 vs 69.31; M = 100 136.60 vs 138.63).
  // So the check is |sim - Littler| < 4 se + |exact - Littler|, and, more
  // sharply, |sim - exact| < 4 se.
  const cases: [string, string, number][] = [
    ['K = 2, p_0 = (1/2, 1/2), M = 50', '0.5,0.5', 50],
    ['K = 3, p_0 = (0.5, 0.3, 0.2), M = 30', '0.5,0.3,0.2', 30],
  ];
  describe.each(cases)('%s', async (_, probs, M) => {
    const R = 3000;
    const s = await simulate({ probs, samples: M, generations: 20 * M, 'until-absorbed': true, replicates: R, every: 10 * M, seed: `absorb-${probs}` });
    const p0 = probs.split(',').map(Number);
    const exact = exactAbsorptionTime(p0, M);

    it('every replicate is absorbed within the cap of 20 M generations', () => {
      expect(s.finals.absorptionGeneration.count).toBe(R);
      expect(s.warnings).toEqual([]);
    });

    it('mean absorption time: within 4 se of the exact chain, and of Littler up to its measured error', () => {
      const m = s.finals.absorptionGeneration;
      expect(m.theoryMean).toBeCloseTo(littlerAbsorptionTime(p0, M), 9);
      const littlerError = Math.abs(exact - m.theoryMean!);
      expect(littlerError / exact).toBeLessThan(0.05); // the approximation is good to a few percent here
      expect(Math.abs(m.mean! - exact), `sim ${m.mean} ± ${m.se} vs exact ${exact}`).toBeLessThan(K * m.se!);
      expect(Math.abs(m.mean! - m.theoryMean!), `sim ${m.mean} ± ${m.se} vs Littler ${m.theoryMean}`).toBeLessThan(K * m.se! + littlerError);
    });

    it('absorbing state ~ p_0: chi-square goodness of fit at significance 0.001 (and p_0 moved by 0.1 would be rejected)', () => {
      const a = s.extras.absorption as AbsorptionExtras;
      expect(a.absorbed).toBe(R);
      expect(a.chiSquare!.df).toBe(p0.length - 1);
      expect(a.chiSquare!.pValue, `X^2 = ${a.chiSquare!.statistic}`).toBeGreaterThan(0.001);
      // power: 0.1 of probability moved from the last state to the first gives X^2 of order R 0.1^2 / p, far past the 0.001 point
      const moved = p0.map((p, i) => p + (i === 0 ? 0.1 : i === p0.length - 1 ? -0.1 : 0));
      expect(chiSquareTest(a.states.map((x) => x.observed), moved.map((p) => R * p))!.pValue).toBeLessThan(0.001);
      // and the mean absorbing index, sum i p_0i, exactly
      expectMeanMatches(s.finals.absorbingState, 'absorbingState');
    });

    it('after absorption: one survivor, H = 0, entropy 0, KL infinite, TV = 1 - p_0(state)', () => {
      const last = s.generations[s.generations.length - 1].metrics;
      expect(last.survivors.mean).toBe(1);
      expect(last.heterozygosity.mean).toBe(0);
      expect(last.entropy.mean).toBe(0);
      expect(last.klInfinite.mean).toBe(1);
      expect(last.kl.count).toBe(0);
      const a = s.extras.absorption as AbsorptionExtras;
      const tv = a.states.reduce((acc, x) => acc + x.observed * (1 - x.p0), 0) / R;
      expect(last.totalVariation.mean).toBeCloseTo(tv, 12);
    });
  });
});

describe('surviving states between the Suresh-Thangaraj-Khandavally bounds (replace)', () => {
  // Their Zipf setting: p_i ~ 1/(i + 2.7), K = M = 1000, 10 generations.
  // Allowing for the noise: mean + 4 se >= lower and mean - 4 se <= upper.
  const cases: [string, RawOptions][] = [
    ['Zipf(1, 2.7), K = M = 1000', { init: 'zipf', states: 1000, samples: 1000 }],
    ['uniform K = 200, M = 100', { states: 200, samples: 100 }],
  ];
  it.each(cases)('%s, generations 1..10', async (_, opts) => {
    const s = await simulate({ ...opts, generations: 10, replicates: 400, seed: 'suresh' });
    // generation 1 is one multinomial sample of p_0: E survivors_1 = sum_i 1 - (1 - p_0i)^M exactly
    const { config } = resolveCategoricalConfig(opts);
    const exact1 = initialProbabilities(config).reduce((acc, p) => acc + 1 - (1 - p) ** config.samples, 0);
    const one = at(s, 1, 'survivors');
    expect(Math.abs(one.mean! - exact1), `n=1: ${one.mean} ± ${one.se} vs exact ${exact1}`).toBeLessThan(K * one.se!);
    expect(exact1).toBeGreaterThanOrEqual(one.theoryLower!);
    expect(exact1).toBeLessThanOrEqual(one.theoryUpper!);
    for (let n = 1; n <= 10; n++) {
      const m = at(s, n, 'survivors');
      expect(m.theoryLower).not.toBeNull();
      expect(m.mean! + K * m.se!, `n=${n}: ${m.mean} vs lower ${m.theoryLower}`).toBeGreaterThanOrEqual(m.theoryLower!);
      expect(m.mean! - K * m.se!, `n=${n}: ${m.mean} vs upper ${m.theoryUpper}`).toBeLessThanOrEqual(m.theoryUpper!);
      expect(m.theoryUpper!).toBeLessThan(opts.states as number); // the upper bound says something here
    }
  });
});

describe('KL is infinite exactly when a state of p_0 is lost', () => {
  it('per replicate and generation: klInfinite = [survivors < K], kl null iff infinite, TV and entropy in range', async () => {
    const { config } = resolveCategoricalConfig({ states: 5, samples: 15, generations: 60, replicates: 50, seed: 'kl' });
    const { replicates } = await runAndCollect(config);
    for (const r of replicates) {
      r.metrics.survivors.forEach((sv, i) => {
        expect(r.metrics.klInfinite[i]).toBe(sv! < 5 ? 1 : 0);
        expect(r.metrics.kl[i] === null).toBe(sv! < 5);
        expect(r.metrics.totalVariation[i]!).toBeGreaterThanOrEqual(0);
        expect(r.metrics.totalVariation[i]!).toBeLessThanOrEqual(1);
        expect(r.metrics.entropy[i]!).toBeLessThanOrEqual(Math.log(5) + 1e-15);
      });
    }
  });
});
