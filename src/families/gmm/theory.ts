// What can be said in closed form about the GMM recursion. EM has no closed
// form: the fitted components (their stds, weights, the L2 distance, modes
// covered) are simulated only. Two things are exact nonetheless:
//
// - At generation 0 every metric is a property of the true mixture (the L2
//   distance of a mixture to itself is 0; one Gaussian's expected held-out
//   log-likelihood is minus its entropy).
// - Every M-step matches the fitted mixture's first two moments to the
//   training set's: with w_k = n_k / sum n_k, m_k = sum_i r_ik x_i / n_k and
//   C_k = sum_i r_ik (x_i - m_k)(x_i - m_k)^T / n_k + reg I, and sum_k r_ik = 1,
//     sum_k w_k m_k = xbar,
//     sum_k w_k (C_k + (m_k - mbar)(m_k - mbar)^T) = S + reg I
//   (S the MLE sample covariance; for diag and spherical the same holds for
//   the trace). So whatever K, the covariance type and the EM path, the
//   mixture's mean and per-dimension variance V = tr Sigma_mix / d follow the
//   Gaussian MLE recursion (derived here): under replace with unbiased
//   sampling (bias 1, temperature 1) the next data are M i.i.d. draws with
//   mean mbar_n and variance V_n per dimension, so
//     E V_{n+1} = ((M - 1) / M) E V_n + reg,      V_0 = tr Sigma_true / d,
//     E ||mbar_n - mbar_0||^2 = (d / M) sum_{i<n} E V_i.
//   Exact up to the 10 eps scikit-learn adds to n_k (relative 1e-14) and to
//   covariance repairs (events, only with reg-covar 0).
import type { TheoryValue, TheoryRow } from '../../theory/types.js';
import type { GmmConfig } from './types.js';
import { choleskyPivots } from '../../config/matrix.js';
import { log } from '../../theory/det.js';

export interface GmmTheoryInput {
  config: GmmConfig;
  /** tr Sigma_true / d of the true mixture (chain facts). */
  trueVar: number;
  /** sqrt(tr C_k / d) of each true component. */
  trueStds: number[];
}

const exact = (v: number): TheoryValue => ({ mean: v, median: null });

/** True when the moment recursion above applies. */
export function gmmMomentTheoryApplies(c: GmmConfig): boolean {
  return c.policy === 'replace' && c.bias === 1 && c.temperature === 1;
}

export function gmmTheory(inp: GmmTheoryInput, generations: number[]): TheoryRow[] {
  const c = inp.config;
  const d = c.dim;
  const m = c.samples;
  const a = (m - 1) / m;
  const moments = gmmMomentTheoryApplies(c);
  const rows: TheoryRow[] = [];
  let V = inp.trueVar; // E V_n
  let err = 0; // E ||mbar_n - mbar_0||^2
  let next = 0;
  const last = generations.length ? generations[generations.length - 1] : 0;
  for (let n = 0; n <= last; n++) {
    if (generations[next] === n) {
      rows.push(n === 0 ? generationZero(inp) : moments ? { mixVar: exact(V), mixMeanSqError: exact(err) } : {});
      next++;
    }
    err += (d * V) / m;
    V = a * V + c.regCovar;
  }
  return rows;
}

/** Generation 0 is the true mixture itself. */
function generationZero(inp: GmmTheoryInput): TheoryRow {
  const c = inp.config;
  const w = c.mixture.weights;
  const row: TheoryRow = {
    l2sq: { mean: 0, median: 0 },
    mixVar: exact(inp.trueVar),
    mixMeanSqError: { mean: 0, median: 0 },
    stdMean: exact(w.reduce((s, wk, k) => s + wk * inp.trueStds[k], 0)),
    stdMin: exact(Math.min(...inp.trueStds)),
    stdMax: exact(Math.max(...inp.trueStds)),
    minWeight: exact(Math.min(...w)),
    modesCovered: exact(w.filter((wk) => wk > c.coverWeight).length),
  };
  if (w.length === 1) {
    // E log N(X; m, C) for X ~ N(m, C) = -(d/2)(1 + ln 2 pi) - (1/2) ln det C
    row.holdoutLogLik = exact(-(c.dim / 2) * (1 + log(2 * Math.PI)) - 0.5 * logDet(c.mixture.covs[0], c.dim));
  }
  return row;
}

/** ln det C of a positive definite C: the sum of the log Cholesky pivots. */
function logDet(cov: number[], d: number): number {
  return choleskyPivots(cov, d).reduce((s, p) => s + log(p), 0);
}

export function gmmTheoryNotes(c: GmmConfig): string[] {
  const notes = ['EM has no closed form: component stds, weights, L2 distance and modes covered are simulated only; at generation 0 every value is the true mixture\'s (L2^2 = 0 exactly)'];
  if (gmmMomentTheoryApplies(c)) {
    notes.push('exact for any K: every M-step matches the mixture\'s mean and covariance to the training set\'s (plus reg-covar), so mixVar and mixMeanSqError follow the Gaussian MLE recursion E V_n+1 = (M-1)/M E V_n + reg, E|mbar_n - mbar_0|^2 = (d/M) sum_i<n E V_i');
  } else {
    notes.push('no moment theory for this setting (it needs --policy replace, --bias 1, --temperature 1)');
  }
  return notes;
}
