// Closed forms for the linear-regression recursion, drawn beside the
// simulation (Gerstgrasser et al. 2024, "Is Model Collapse Inevitable?",
// arXiv 2404.01413, the linear-model analysis; Dohmatob et al. 2024, "Model
// Collapse Demystified: The Case of Regression", arXiv 2402.07712, for replace).
//
// Notation: A = (X^T X)^{-1} X^T, so OLS on labels y gives w = A y, and
// e_n = w_n - w*. With labels X w + eps, A (X w + eps) = w + A eps: each refit
// adds A eps, whose E||A eps||^2 = sigma^2 E tr (X^T X)^{-1} = sigma^2 d / (T - d - 1)
// over the design, since X^T X ~ Wishart_d(T, I) and the mean of the inverse
// Wishart matrix is E (X^T X)^{-1} = I / (T - d - 1), finite for T > d + 1.
// Call that c.
import type { PolicyName } from '../../chain/policies.js';
import type { TheoryRow, TheoryValue } from '../../theory/types.js';
import type { RegressionMetric } from './types.js';
import { pow } from '../../theory/det.js';

export interface RegressionTheoryInput {
  dim: number;
  points: number;
  noise: number;
  policy: PolicyName;
  realFraction: number;
}

const none: TheoryValue = { mean: null, median: null };
const mean = (m: number): TheoryValue => ({ mean: m, median: null });

/** c = sigma^2 d / (T - d - 1): E||w_1 - w*||^2 of OLS on the real labels. */
export function olsError(inp: RegressionTheoryInput): number {
  return (inp.noise * inp.dim) / (inp.points - inp.dim - 1);
}

/** sum_{i=1}^n 1 / i^2 (below pi^2 / 6). */
export function inverseSquareSum(n: number): number {
  let s = 0;
  for (let i = n; i >= 1; i--) s += 1 / (i * i); // smallest terms first
  return s;
}

/** Theory for each generation in `generations` (ascending). */
export function regressionTheory(inp: RegressionTheoryInput, generations: number[]): TheoryRow[] {
  const c = olsError(inp);
  // fresh: round(g T) rows get new real labels, the others X w_n + eps, so
  // e_{n+1} = B e_n + A eps_n with B = (X^T X)^{-1} X_S^T X_S (X_S the
  // synthetic rows). E B = q I exactly, q = (T - k) / T (the rows are
  // exchangeable); taking B = q I (derived here, first order in d/T) gives
  // E||e_n||^2 ~ c sum_{j<n} q^{2j} and E||e_n - e_{n-1}||^2 ~ c + (1 - q)^2 E||e_{n-1}||^2.
  const q = (inp.points - Math.round(inp.realFraction * inp.points)) / inp.points;
  const freshError = (n: number) => (q === 1 ? n * c : (c * (1 - pow(q, 2 * n))) / (1 - q * q));

  return generations.map((n) => {
    const row: Partial<Record<RegressionMetric, TheoryValue>> = {};
    let err: number | null = null;
    let step: number | null = null;
    if (n === 0) {
      err = 0; // model 0 is w* itself
      step = 0;
    } else {
      switch (inp.policy) {
        case 'replace':
          // e_n = e_{n-1} + A eps_{n-1}, independent terms: exact (Dohmatob et al. 2024; Gerstgrasser et al. 2024, linear-model analysis)
          err = n * c;
          step = c;
          break;
        case 'accumulate':
          // e_n = e_{n-1} + A eps_{n-1} / n (OLS on the mean of n label vectors): exact (Gerstgrasser et al. 2024, linear-model analysis)
          err = c * inverseSquareSum(n);
          step = c / (n * n);
          break;
        case 'fresh':
          err = freshError(n);
          step = c + (1 - q) * (1 - q) * freshError(n - 1);
          break;
      }
    }
    // for x ~ N(0, I) independent of w_n, E (x^T e_n)^2 = E||e_n||^2
    row.weightErrorSq = err === null ? none : mean(err);
    row.testError = err === null ? none : mean(err);
    row.stepSq = step === null ? none : mean(step);
    return row;
  });
}

/** Limits that hold for every generation of this setting. */
export function regressionBounds(inp: RegressionTheoryInput): Record<string, number> {
  if (inp.policy !== 'accumulate') return {};
  // sum 1/i^2 < pi^2 / 6 (Gerstgrasser et al. 2024, linear-model analysis)
  const b = (olsError(inp) * Math.PI * Math.PI) / 6;
  return { weightErrorSq: b, testError: b };
}

/** Which closed forms apply, in words, for the report. */
export function regressionTheoryNotes(inp: RegressionTheoryInput): string[] {
  const c = `c = sigma^2 d / (T - d - 1) = ${olsError(inp).toPrecision(4)}`;
  switch (inp.policy) {
    case 'replace':
      return [`weightErrorSq, testError: exact expectation n c over design and noise, ${c}; stepSq: exact, c every generation.`];
    case 'accumulate':
      return [`weightErrorSq, testError: exact expectation c sum_{i<=n} 1/i^2, ${c}, below c pi^2/6 for every n; stepSq: exact, c / n^2.`];
    case 'fresh':
      return [`weightErrorSq, testError, stepSq: first order in d/T (the synthetic rows' share of X^T X taken as (1 - g) I), ${c}; limit c / (1 - (1 - g)^2). The spread of that share makes the simulation higher by roughly d/T relative.`];
    default:
      return [`policy ${inp.policy}: no closed form; only the simulation is shown (${c} is the error of model 1).`];
  }
}
