// Closed-form expectations for the Gaussian recursion, drawn beside the
// simulation. Generation n's model is fitted to the data of generation n-1;
// generation 0's data are M_0 real points, later data are drawn from the
// model with covariance scaled by the bias lambda. Notation: M_i data size,
// k_i = M_i - 1, T_n = E tr Sigma_n / tr Sigma_0.
import type { TheoryValue } from '../../theory/types.js';
import type { PolicyName } from '../../chain/policies.js';
import { digamma, lgamma, tetragamma, trigamma } from '../../theory/special.js';
import type { EstimatorName, GaussianMetric } from './types.js';
import { exp, log } from '../../theory/det.js';
import { replaceTailMass } from './tail-theory.js';

export interface GaussianTheoryInput {
  dim: number;
  mu0: number[];
  sigma0Eigenvalues: number[];
  estimator: EstimatorName;
  policy: PolicyName;
  bias: number;
  /** Policy fresh: the real share g and the weight w of the real estimate (null = pooled fit). */
  realFraction: number;
  realWeight: number | null;
  /** M_n, the size of generation n's data. */
  samplesAt: (n: number) => number;
  /** z^2 of the tail band (facts.tailThreshold: chi2_(d, 0.99) from the kernels); absent in old result files. */
  tailThreshold?: number;
}

export type GaussianTheoryRow = Partial<Record<GaussianMetric, TheoryValue>>;

const none: TheoryValue = { mean: null, median: null };

/** Theory for each generation in `generations` (ascending). */
export function gaussianTheory(inp: GaussianTheoryInput, generations: number[]): GaussianTheoryRow[] {
  const d = inp.dim;
  const eig = inp.sigma0Eigenvalues;
  const tr0 = eig.reduce((a, b) => a + b, 0);
  const replace = inp.policy === 'replace';
  const mle = inp.estimator === 'mle';
  // First-order W2^2 gain of one generation from the covariance noise, for
  // eigenvalues s of Sigma_0 (derived here): a Wishart sample covariance
  // Sigma_0^1/2 W Sigma_0^1/2 has E W_ab^2 = (1 + [a = b]) / k, and
  // tr(S0 + S - 2 (S0^1/2 S S0^1/2)^1/2) ~ (1/2) sum_ab dS_ab^2 / (s_a + s_b),
  // so the expected gain is (1 / 2k) (sum_a s_a + sum_{a != b} s_a s_b / (s_a + s_b)).
  let pairTerm = 0;
  for (let a = 0; a < d; a++) {
    pairTerm += eig[a];
    for (let b = 0; b < d; b++) if (a !== b) pairTerm += (eig[a] * eig[b]) / (eig[a] + eig[b]);
  }

  let T = 1; // E tr Sigma_n / tr Sigma_0 = prod lambda_i c_i
  let S = 0; // E ||mu_n - mu_0||^2 / tr Sigma_0 = sum lambda_i T_i / M_i
  let A = 1; // E sigma_n / sigma_0 = prod sqrt(lambda_i) alpha_i (1-D)
  let logMean = 0; // E log det Sigma_n / det Sigma_0
  let k2 = 0; // its variance
  let k3 = 0; // its third cumulant
  let singular = false;
  let pool = 0; // accumulate: data so far
  let accumMsq = 0; // accumulate: E ||mu_n - mu_0||^2 / tr Sigma_0
  let accumT = 1; // accumulate: E tr Sigma_n / tr Sigma_0
  let w2First = 0;
  let w2Gain = 0; // x_n = sum of the first-order Bures gains / (2 tr Sigma_0): where the first order holds
  // fresh with --real-weight w (derived here, exact for the mean): e_{n+1} =
  // w xi + (1 - w)(e_n + eta), xi the real part's mean error (k points of
  // Sigma_0), eta the synthetic part's (s points of lambda Sigma_n), so
  // V_{n+1} = w^2 tr S0 / k + (1 - w)^2 (V_n + lambda T_n tr S0 / s) and
  // T_{n+1} = w c_k + (1 - w) lambda c_s T_n. Stationary, with k = s and
  // lambda = 1: V = (w^2 + (1-w)^2) / (1 - (1-w)^2) tr S0 / k, least at w = 1/phi.
  const blended = inp.policy === 'fresh' && inp.realWeight !== null;
  let bV = 0;
  let bT = 1;

  const rows: GaussianTheoryRow[] = [];
  let next = 0;
  const last = generations.length ? generations[generations.length - 1] : 0;
  const tail = tailMassTheory(inp, last);
  for (let n = 0; n <= last; n++) {
    if (generations[next] === n) {
      rows.push(row(n));
      next++;
    }
    // advance from model n to model n+1, fitted on generation n's data
    const M = inp.samplesAt(n);
    if (blended) {
      if (n === 0) {
        bV = tr0 / M;
        bT = mle ? (M - 1) / M : 1;
      } else {
        const w = inp.realWeight!;
        const kr = Math.round(inp.realFraction * M);
        const s = M - kr;
        const c = (m: number) => (mle ? (m - 1) / m : 1);
        bV = w * w * (tr0 / kr) + (1 - w) * (1 - w) * (bV + (inp.bias * bT * tr0) / s);
        bT = w * c(kr) + (1 - w) * inp.bias * c(s) * bT;
      }
    }
    const lambda = n === 0 ? 1 : inp.bias;
    const k = M - 1;
    const denom = mle ? M : k;
    S += (lambda * T) / M;
    T *= lambda * (k / denom);
    // log det of a Wishart_d(k, Sigma) matrix: E = sum_a psi((k - a + 1)/2) + d ln 2
    // + ln det Sigma (Anderson, An Introduction to Multivariate Statistical
    // Analysis, 3rd ed., sec. 7.5); dividing by `denom` and scaling by lambda shift it.
    for (let a = 1; a <= d; a++) {
      const arg = (k - a + 1) / 2;
      if (arg <= 0) {
        singular = true;
        continue;
      }
      logMean += digamma(arg);
      k2 += trigamma(arg);
      k3 += tetragamma(arg);
    }
    logMean += d * (Math.LN2 - log(denom) + log(lambda));
    // E sqrt(chi2_k) = sqrt(2) Gamma((k+1)/2) / Gamma(k/2)
    A *= Math.sqrt(lambda) * exp(lgamma((k + 1) / 2) - lgamma(k / 2)) * Math.sqrt(2 / denom);
    const poolBefore = pool;
    pool += M;
    ({ msq: accumMsq, t: accumT } = accumulateStep(accumMsq, accumT, poolBefore, M, lambda, mle));
    w2First += tr0 / M + pairTerm / (2 * k);
    w2Gain += pairTerm / (2 * k) / (2 * tr0);
  }
  return rows;

  function row(n: number): GaussianTheoryRow {
    // the tail mass is 0.01 at generation 0 by construction; later, 1-D replace only (tail-theory.ts)
    const r: GaussianTheoryRow = {
      w2sqEmpirical: none,
      tailMass: tail ? { mean: tail[n], median: n === 0 ? tail[0] : null } : n === 0 ? { mean: 0.01, median: 0.01 } : none,
    };
    const unbiasedPlain = !mle && inp.bias === 1;
    if (d === 1) r.mu = { mean: inp.mu0[0], median: inp.mu0[0] }; // the process is symmetric about mu_0
    if (blended) {
      r.meanSqError = { mean: n === 0 ? 0 : bV, median: null };
      r.traceRatio = { mean: n === 0 ? 1 : bT, median: null };
      return r;
    }
    if (!replace) {
      const accumulate = inp.policy === 'accumulate';
      r.meanSqError = { mean: accumulate ? tr0 * accumMsq : null, median: null };
      if (accumulate) r.traceRatio = { mean: accumT, median: null };
      return r;
    }
    // Cornish-Fisher: median ~ mean - kappa3 / (6 kappa2)
    const logMedian = n === 0 ? 0 : logMean - k3 / (6 * k2);
    r.meanSqError = { mean: tr0 * S, median: null };
    r.traceRatio = { mean: T, median: null };
    r.marginalVariance = { mean: (tr0 / d) * (T + S), median: null };
    r.logDetRatio = singular ? none : { mean: logMean, median: logMedian };
    if (d === 1) {
      const s0 = Math.sqrt(eig[0]);
      r.sigma = { mean: s0 * A, median: singular ? null : s0 * exp(logMedian / 2) };
      // exact in 1-D: E W2^2 = E (mu_n - mu_0)^2 + E sigma_n^2 - 2 sigma_0 E sigma_n + sigma_0^2
      r.w2sq = { mean: tr0 * S + eig[0] * (T - 2 * A + 1), median: null };
    } else {
      r.sigma = none;
      r.w2sq = { mean: unbiasedPlain && w2Gain <= W2_FIRST_ORDER_LIMIT ? w2First : null, median: null };
    }
    return r;
  }
}

/**
 * The d-D W2^2 theory is first order in 1/M; it is printed while
 * x_n = sum_(i<n) g_i / (2 tr Sigma_0) <= this, g_i = (sum_a s_a +
 * sum_(a != b) s_a s_b / (s_a + s_b)) / (2 k_i) being the first-order Bures
 * gain of generation i. Why x: in 1-D the Bures part is exactly
 * 2 s_0 (1 - prod_i A_i), A_i = E sqrt(chi2_k / k) = 1 - 1/(4k) + O(k^-2),
 * i.e. 2 s_0 (1 - e^-x) to second order, x = n / (4k) = the sum above; the
 * first order 2 s_0 x overshoots it by the factor x / (1 - e^-x) ~ 1 + x/2.
 * In d-D the eigenvalues of Sigma_n also spread, which lowers
 * tr (Sigma_0^1/2 Sigma_n Sigma_0^1/2)^1/2 further, so the overshoot is
 * larger than x/2 (measured, d = 4, M = 40, Sigma_0 = I, 1500 replicates:
 * +1.4% at x = 0.08, +5% at 0.16, +13.5% at 0.32, all of it in the Bures
 * part). At x <= 0.1 the covariance part's error is a few percent.
 */
export const W2_FIRST_ORDER_LIMIT = 0.1;

/**
 * One generation of `accumulate` (derived here; exact for the means, any
 * bias lambda): model n+1 is fitted to the pool of N = N' + m points, N'
 * before generation n's m new points (drawn from N(mu_n, lambda Sigma_n)),
 * and mu_n is the mean of the old pool. Pooled scatter (Chan et al.):
 * S = S' + S_new + delta delta^T N' m / N, delta = mean_new - mu_n, so with
 * E S' = (N' - ddof) Sigma_n, E S_new = lambda (m - 1) Sigma_n and
 * E delta delta^T = lambda Sigma_n / m:
 *   E S = (N' - ddof + lambda (m - 1 + N'/N)) Sigma_n,
 * and Sigma_{n+1} = S / (N - ddof). With lambda = 1 the factor is
 * 1 - m / (N (N - 1)) (unbiased) or 1 - m / N^2 (mle). Generation 0 (N' = 0)
 * is the plain fit of the real data: 1 or (m - 1)/m. The mean moves by the
 * new data's share of its error, mu_{n+1} - mu_n = (m / N)(mean_new - mu_n),
 * uncorrelated with the past, so E ||mu_{n+1} - mu_0||^2 grows by
 * lambda m tr E Sigma_n / N^2 (lambda = 1 at n = 0): with a constant M that is
 * (tr Sigma_0 / M) sum_(i<n) T_i / (i + 1)^2.
 * msq and t are E ||mu - mu_0||^2 / tr Sigma_0 and E tr Sigma / tr Sigma_0.
 */
export function accumulateStep(msq: number, t: number, poolBefore: number, m: number, lambda: number, mle: boolean): { msq: number; t: number } {
  const n = poolBefore + m;
  const lam = poolBefore === 0 ? 1 : lambda;
  const nextMsq = msq + (lam * m * t) / (n * n);
  if (poolBefore === 0) return { msq: nextMsq, t: mle ? (t * (m - 1)) / m : t };
  const ddof = mle ? 0 : 1;
  const factor = (poolBefore - ddof + lam * (m - 1 + poolBefore / n)) / (n - ddof);
  return { msq: nextMsq, t: t * factor };
}

/** Limits that hold for every generation of this setting. */
export function gaussianBounds(inp: GaussianTheoryInput, schedule: string): Record<string, number> {
  const tr0 = inp.sigma0Eigenvalues.reduce((a, b) => a + b, 0);
  if (inp.policy === 'accumulate' && inp.bias === 1 && schedule === 'constant') {
    // sum 1/i^2 <= pi^2 / 6
    return { meanSqError: ((tr0 / inp.samplesAt(0)) * Math.PI * Math.PI) / 6 };
  }
  return {};
}

/**
 * The expected tail mass per generation 0 .. last where tail-theory.ts applies
 * (1-D replace), else null. d-D: integrating the drift out leaves the
 * generalized chi-square of Sigma_0^-1/2 (Sigma_n + V_n) Sigma_0^-1/2, a
 * function of its d eigenvalues, so the recursion would run on a
 * d-dimensional grid. accumulate: the pooled variance factor holds the
 * squared step of the mean, so given the variance path the drift is not
 * normal (only its sign is free). mix, fresh: each fit mixes real points in.
 */
function tailMassTheory(inp: GaussianTheoryInput, last: number): number[] | null {
  if (inp.dim !== 1 || inp.policy !== 'replace' || typeof inp.tailThreshold !== 'number') return null;
  return replaceTailMass(inp.tailThreshold, inp.estimator === 'mle', inp.bias, inp.samplesAt, last);
}

const TAIL_NOTE_1D =
  'tailMass: exact expectation up to a numerical error below 1e-5 relative (the drift integrated out given the variance path, then a recursion over the chi-square factors on a grid; docs/gaussian-tail-theory.md); at generation 0 it is 2 Q(z_0.995) = 0.01; no median.';
const TAIL_NOTE_OTHER =
  'tailMass: no theory after generation 0 (1-D replace only: in d-D it needs the law of all d eigenvalues, under accumulate the drift is not normal given the variances; docs/gaussian-tail-theory.md); at generation 0 it is 0.01.';

/** Which closed forms apply, in words, for the report. */
export function gaussianTheoryNotes(inp: GaussianTheoryInput): string[] {
  if (inp.policy === 'replace') {
    const notes = [
      'meanSqError, traceRatio, marginalVariance: exact expectations.',
      'logDetRatio: exact mean (Wishart log-determinant); median by the Cornish-Fisher correction.',
    ];
    if (inp.dim === 1) notes.push('sigma: exact mean; median from the log-variance median. w2sq: exact.');
    else notes.push(`w2sq: first order in 1/M (unbiased, lambda = 1 only), shown while x_n = sum of the first-order covariance gains / (2 tr Sigma_0) <= ${W2_FIRST_ORDER_LIMIT} (the first order overshoots by about x/2 of the covariance part in 1-D, more in d-D; see theory.ts).`);
    notes.push(inp.dim === 1 ? TAIL_NOTE_1D : TAIL_NOTE_OTHER);
    return notes;
  }
  if (inp.policy === 'fresh' && inp.realWeight !== null) {
    return ['meanSqError, traceRatio: exact expectations of the blended estimate (He, Xu & Cheng 2025); the stationary error is least at w = 1/phi = 0.618 when the real and synthetic parts are equal.'];
  }
  if (inp.policy === 'accumulate') {
    return ['meanSqError, traceRatio: exact expectations (the pooled-scatter recursion; meanSqError bounded by (tr Sigma_0 / M) pi^2 / 6 for a constant M and lambda = 1).', TAIL_NOTE_OTHER];
  }
  return [`policy ${inp.policy}: no closed form; only the simulation is shown.`];
}
