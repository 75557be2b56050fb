// Closed forms for the categorical chain, drawn beside the simulation.
// Notation: p_0 the original distribution, S_0 = sum p_0i^2, M samples per
// training set, p_n model n (fitted to generation n-1's training set; model 1
// to the real data), H_n = 1 - sum p_ni^2 its heterozygosity (Gini-Simpson).
// Under `replace` the chain is the haploid neutral Wright-Fisher model with
// population M (Fisher 1930; Wright 1931).
import type { PolicyName } from '../../chain/policies.js';
import type { TheoryValue } from '../../theory/types.js';
import type { CategoricalMetric } from './types.js';
import { exp, log, log1p, oneMinusExpNegIterate, sin } from '../../theory/det.js';

export interface CategoricalTheoryInput {
  p0: number[];
  samples: number;
  policy: PolicyName;
  realFraction: number;
  /** Tail mass of p_0 (facts.tailMass0: the kernel's value). */
  tailMass0: number;
}

export type CategoricalTheoryRow = Partial<Record<CategoricalMetric, TheoryValue>>;

const none: TheoryValue = { mean: null, median: null };

/**
 * E H_n for n = 0..last, exact for every policy. Each step is the expectation
 * of sum_i c_i^2 / M^2 for the counts c of the next training set, using
 * E c_i^2 = Var c_i + (E c_i)^2 and the fact that E p_n = p_0 under every
 * policy (each is unbiased). Derived here, step by step:
 *
 * - model 1 (all policies: the real data, multinomial(M, p_0)):
 *     S_1 = 1/M + (1 - 1/M) S_0 =: F.
 * - replace, B ~ Mult(M, p_n): E sum B_i^2 = M (1 - S_n) + M^2 S_n, so
 *     H_{n+1} = (1 - 1/M) H_n: H_n = (1 - 1/M)^n H_0 (the Wright-Fisher law).
 * - accumulate, pool of N = n M counts plus B ~ Mult(M, p_n): the cross term
 *     is 2 M N S_n, so S_{n+1} (N + M)^2 = (N + M)^2 S_n + M (1 - S_n), i.e.
 *     H_{n+1} = H_n (1 - 1/((n+1)^2 M)), which tends to
 *     H_0 prod_j (1 - 1/(j^2 M)) = H_0 sin(pi/sqrt M) / (pi/sqrt M) (Euler's product).
 * - fresh, k = round(g M) new draws A ~ Mult(k, p_0) plus m = M - k from p_n,
 *     independent, with E sum p_0i p_ni = S_0:
 *     M^2 S_{n+1} = k (1 - S_0) + k^2 S_0 + 2 k m S_0 + m (1 - S_n) + m^2 S_n.
 * - mix, k labels without replacement from the real sample (frequencies f,
 *     E sum f^2 = F), hypergeometric: Var A_i = k f_i (1 - f_i) (M - k)/(M - 1);
 *     and E sum f_i p_ni = F for every n >= 1 (it is F at n = 1 and each step
 *     averages F with itself):
 *     M^2 S_{n+1} = k (M - k)/(M - 1) (1 - F) + k^2 F + 2 k m F + m (1 - S_n) + m^2 S_n.
 * - accumulate-subsample, pool P of L labels (Q = sum P_i^2), M of them drawn
 *     without replacement: E sum T_i^2 = M (L - M)/(L - 1) (1 - Q/L^2) + M^2 Q/L^2;
 *     adding B ~ Mult(M, p_n) to the pool gives E Q' = Q + 2 M Q/L + M + (M^2 - M) S_n
 *     (E sum P_i p_ni = Q / L, since p_n is a subsample of P). All of it is
 *     linear, so the expectations follow the same recursion.
 */
export function heterozygosityMeans(inp: CategoricalTheoryInput, last: number): number[] {
  const M = inp.samples;
  const S0 = inp.p0.reduce((s, p) => s + p * p, 0);
  const F = 1 / M + (1 - 1 / M) * S0;
  const k = inp.policy === 'mix' || inp.policy === 'fresh' ? Math.round(inp.realFraction * M) : 0;
  const m = M - k;
  const out = [1 - S0];
  let S = F;
  let Q = M * M * F; // accumulate-subsample: E sum P_i^2 of the pool
  let L = M; // its size
  for (let n = 1; n <= last; n++) {
    out.push(1 - S);
    switch (inp.policy) {
      case 'replace':
        S = 1 / M + (1 - 1 / M) * S;
        break;
      case 'accumulate': {
        const N = n * M;
        S = S + (M * (1 - S)) / ((N + M) * (N + M));
        break;
      }
      case 'fresh':
        S = (k * (1 - S0) + k * k * S0 + 2 * k * m * S0 + m * (1 - S) + m * m * S) / (M * M);
        break;
      case 'mix': {
        const real = k === 0 ? 0 : (k * (M - k) * (1 - F)) / (M - 1) + k * k * F;
        S = (real + 2 * k * m * F + m * (1 - S) + m * m * S) / (M * M);
        break;
      }
      case 'accumulate-subsample': {
        Q = Q + (2 * M * Q) / L + M + (M * M - M) * S;
        L += M;
        S = ((L - M) / (M * (L - 1))) * (1 - Q / (L * L)) + Q / (L * L);
        break;
      }
    }
  }
  return out;
}

/** g_k of Suresh et al.: g_1 = 1, g_{k+1} = 1 - e^{-g_k}; g_k lies in [1/k, 3/k]. */
export function sureshG(k: number): number {
  let g = 1;
  for (let j = 1; j < k; j++) g = 1 - exp(-g);
  return g;
}

/**
 * Bounds on the expected number of surviving states after k generations of
 * `replace` (Suresh, Thangaraj & Khandavally, arXiv 2412.17646, Corollary 1):
 *   sum_i (1 - e^{-M p_0i g_k}) <= E[survivors_k]
 *     <= sum_i (1 - e^{-M p_0i g_k} max(1 - 3 M p_0i^2 - 3 k p_0i, 0)).
 * Equal probabilities are summed once, times their multiplicity.
 */
export function survivorBounds(p0: number[], M: number, k: number, g = sureshG(k), counts = multiplicities(p0)): { lower: number; upper: number } {
  if (k === 0) return { lower: p0.length, upper: p0.length };
  let lower = 0;
  let upper = 0;
  for (const [p, times] of counts) {
    const e = exp(-M * p * g);
    lower += times * (1 - e);
    upper += times * (1 - e * Math.max(1 - 3 * M * p * p - 3 * k * p, 0));
  }
  return { lower, upper };
}

function multiplicities(p0: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of p0) m.set(p, (m.get(p) ?? 0) + 1);
  return m;
}

/**
 * Mean number of generations until one state is left, from p_0, for the
 * neutral Wright-Fisher chain with population M: E T = -2M sum_i (1 - p_i) ln(1 - p_i)
 * (Littler, Theor. Pop. Biol. 8, 1975). A diffusion approximation: it is the
 * limit for large M with time measured in units of M generations, not the
 * exact mean of the discrete chain (the tests measure the difference).
 */
export function littlerAbsorptionTime(p0: number[], M: number): number {
  let s = 0;
  const term = perValue((p) => (1 - p) * log1p(-p));
  for (const p of p0) if (p < 1) s += term(p);
  return -2 * M * s;
}

/**
 * f memoised on its argument: p_0 repeats its values (uniform: one value K
 * times), and the summary's theory took most of a short run's time in log
 * calls. The sums still add term by term in state order: the same bits.
 */
function perValue(f: (p: number) => number): (p: number) => number {
  const seen = new Map<number, number>();
  return (p) => {
    let v = seen.get(p);
    if (v === undefined) seen.set(p, (v = f(p)));
    return v;
  };
}

/** Limits that hold for every generation of this setting. */
export function categoricalBounds(inp: CategoricalTheoryInput): Record<string, number> {
  if (inp.policy !== 'accumulate') return {};
  // E H_n decreases to H_0 sin(pi x)/(pi x), x = 1/sqrt(M) (see heterozygosityMeans)
  const H0 = 1 - inp.p0.reduce((s, p) => s + p * p, 0);
  const x = Math.PI / Math.sqrt(inp.samples);
  return { heterozygosityFloor: (H0 * sin(x)) / x };
}

/** Work above which the survivor bounds (distinct p_0 values x recorded generations) are skipped. */
const BOUNDS_BUDGET = 5e7;

/** Theory for each recorded generation (ascending). */
export function categoricalTheory(inp: CategoricalTheoryInput, generations: number[]): CategoricalTheoryRow[] {
  const last = generations.length ? generations[generations.length - 1] : 0;
  const het = heterozygosityMeans(inp, last);
  const replace = inp.policy === 'replace';
  const counts = multiplicities(inp.p0);
  const boundsOk = counts.size * generations.length <= BOUNDS_BUDGET;
  const plogp = perValue((p) => p * log(p));
  const entropy0 = -inp.p0.reduce((s, p) => s + (p > 0 ? plogp(p) : 0), 0);
  // g_n for each recorded n (ascending), by the recurrence once, continued
  // from one recorded generation to the next in one kernel call each
  // (sureshG per recorded generation cost the sum of the generations in exp
  // calls; a host loop of exp calls cost ~10 ms at 20,000 generations)
  let g = 1; // g_gAt
  let gAt = 1;
  const gAtN = (n: number): number => {
    if (n > gAt) {
      g = oneMinusExpNegIterate(g, n - gAt);
      gAt = n;
    }
    return g;
  };
  return generations.map((n) => {
    const row: CategoricalTheoryRow = {
      heterozygosity: { mean: het[n], median: null },
      tailMass: { mean: inp.tailMass0, median: null }, // E p_n = p_0 under every policy
    };
    if (n === 0) {
      const K = inp.p0.length;
      row.survivors = { mean: K, median: K, lower: K, upper: K };
      row.entropy = { mean: entropy0, median: entropy0 };
      row.totalVariation = { mean: 0, median: 0 };
      row.kl = { mean: 0, median: 0 };
      row.klInfinite = { mean: 0, median: 0 };
    } else if (replace && boundsOk) {
      row.survivors = { ...none, ...survivorBounds(inp.p0, inp.samples, n, gAtN(n), counts) };
    }
    return row;
  });
}

/** Theory of the per-replicate values (replace). */
export function categoricalFinalsTheory(inp: CategoricalTheoryInput): CategoricalTheoryRow & Record<string, TheoryValue> {
  if (inp.policy !== 'replace') return {};
  return {
    absorptionGeneration: { mean: littlerAbsorptionTime(inp.p0, inp.samples), median: null },
    // P(absorbed in i) = p_0i, so E[state] = sum_i i p_0i
    absorbingState: { mean: inp.p0.reduce((s, p, i) => s + i * p, 0), median: null },
  };
}

/** Which closed forms apply, in words, for the report. */
export function categoricalTheoryNotes(inp: CategoricalTheoryInput, generations: number[]): string[] {
  const notes = [
    'heterozygosity 1 - sum p^2: exact mean for every policy (replace: (1 - 1/M)^n H_0, the Wright-Fisher law).',
    'tailMass: exact mean (E p_n = p_0 under every policy).',
  ];
  if (inp.policy === 'replace') {
    if (multiplicities(inp.p0).size * generations.length <= BOUNDS_BUDGET) {
      notes.push('survivors: bounds on the mean (Suresh, Thangaraj & Khandavally 2024, Corollary 1), columns lower and upper.');
    } else {
      notes.push('survivors: the Suresh et al. bounds are skipped for this many distinct p_0 values x recorded generations; use --every.');
    }
    notes.push(
      'absorptionGeneration: Littler (1975) diffusion approximation -2M sum (1 - p_i) ln(1 - p_i), over the replicates absorbed within --generations only.',
      'absorbingState: P(absorbed in i) = p_0(i) (exact; Shumailov et al. 2024); its histogram and a chi-square test are below.',
    );
  } else {
    notes.push(`policy ${inp.policy}: no theory for survivors or absorption (a lost state can come back, or never leaves the pool).`);
  }
  return notes;
}
