// Kazdan et al. 2024 ("Collapse or Thrive?", arXiv 2410.16713), their
// Gaussian and KDE grids, run as sweeps/kazdan-gaussian and sweeps/kazdan-kde:
// the closed forms per cell where the family has them, and the stated trend,
// replace degrades while accumulate does not, with accumulate-subsample in
// between. One small cell is too noisy for a trend, so the differences are
// averaged over the other swept options (src/reproduce/sweep-checks.ts).
import type { CheckResult, SweepPreset } from '../types.js';
import type { SweepManifest } from '../../sweep/manifest.js';
import type { SweepSummary } from '../../sweep/summary.js';
import { cellLabel, cellMetric, cellsMatchTheory, pooledDifference } from '../sweep-checks.js';
import { near } from '../checks.js';

const K = 4;
/** One-sided trend checks: at 3 se a difference this size arises by chance about once in a thousand. */
const K_TREND = 3;
const TREND = 'Kazdan et al.: replacing collapses, accumulating does not, subsampling the pool lies between';

/**
 * How far the mean of R replicates of traceRatio can be trusted under
 * `replace`. Each generation refits Sigma from M fresh points: M Sigma' is
 * Wishart with k = M - 1 degrees of freedom around Sigma, so tr Sigma' is a
 * sum of lambda_j chi2_k / M and E[(tr Sigma')^2 | Sigma] = (k/M)^2
 * ((tr Sigma)^2 + 2 tr(Sigma^2)/k) <= (k/M)^2 (tr Sigma)^2 (1 + 2/k), with
 * equality at d = 1 (the unbiased estimator only rescales k/M). Iterating,
 * traceRatio's relative variance at generation n is at most
 * v = (1 + 2/(M-1))^n - 1, and the mean of R replicates has a relative se of
 * at most sqrt(v / R). The bound is reached at d = 1, where traceRatio is a
 * product of n chi-square factors, nearly lognormal: the mean is carried by
 * replicates too rare to turn up in R, so the sample mean falls short and the
 * sample se, from the same R values, understates the true one. (Full grid,
 * M = 10, n = 100: v = 5e8; every d's mean came out 5 to 230 times below
 * (0.9)^100 with a sample se that put it 4 to 530 se away.)
 */
export function traceRatioRelativeSeBound(samples: number, generation: number, replicates: number): number {
  return Math.sqrt(Math.expm1(generation * Math.log1p(2 / (samples - 1))) / replicates);
}

/** The per-cell expectation is checked only where the mean of the replicates estimates it to within this relative se (bound above). */
export const MAX_RELATIVE_SE = 0.5;

/** E traceRatio against the closed form, per replace and accumulate cell; replace cells whose mean the replicates cannot estimate (bound above) left out. */
function traceRatioCells(s: SweepSummary, m: SweepManifest): CheckResult[] {
  return s.cells.flatMap((c) => {
    const metric = cellMetric(c, 'traceRatio');
    const config = m.cells[c.index].config as unknown as { policy: string; samples: number; replicates: number };
    if (metric.theoryMean === null) return [];
    if (config.policy === 'replace' && traceRatioRelativeSeBound(config.samples, c.generation, config.replicates) > MAX_RELATIVE_SE) return [];
    return [near(`${cellLabel(c)}: E traceRatio at n = ${c.generation}`, metric.mean, metric.se, metric.theoryMean, K, 'exact E trace ratio (gaussian theory.ts)')];
  });
}

export const sweepKazdanGaussian: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-kazdan-gaussian',
  paper: 'Kazdan et al. 2024, "Collapse or Thrive?" (arXiv 2410.16713), the multivariate Gaussian grid',
  checks: 'grid sweeps/kazdan-gaussian: E traceRatio per replace/accumulate cell against the closed form (replace cells where R replicates cannot estimate the mean, relative se bound sqrt(((1 + 2/(M-1))^n - 1)/R) > 0.5, left out); traceRatio accumulate and accumulate-subsample above replace, meanSqError replace above accumulate (averaged over d and n)',
  grid: 'kazdan-gaussian',
  measured: { full: '501 s (as sweep --workers 2 at nice 19 beside other work)', quick: '1.9 s' },
  evaluate(s, m) {
    const out: CheckResult[] = traceRatioCells(s, m);
    out.push(pooledDifference('traceRatio: accumulate minus replace, mean over d and n', s, 'traceRatio', 'policy', 'accumulate', 'replace', K_TREND, TREND));
    out.push(pooledDifference('traceRatio: accumulate-subsample minus replace, mean over d and n', s, 'traceRatio', 'policy', 'accumulate-subsample', 'replace', K_TREND, TREND));
    out.push(pooledDifference('meanSqError: replace minus accumulate, mean over d and n', s, 'meanSqError', 'policy', 'replace', 'accumulate', K_TREND, TREND));
    return out;
  },
};

export const sweepKazdanKde: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-kazdan-kde',
  paper: 'Kazdan et al. 2024, "Collapse or Thrive?" (arXiv 2410.16713), the KDE grid',
  checks: 'grid sweeps/kazdan-kde: variance per cell against the exact recursion; held-out NLL replace > accumulate-subsample > accumulate (averaged over the other swept options)',
  grid: 'kazdan-kde',
  measured: { full: 'not measured', quick: '1.9 s' },
  evaluate(s) {
    const out: CheckResult[] = cellsMatchTheory(s, 'variance', K, 'exact linear recursion (kde theory.ts)');
    out.push(pooledDifference('NLL: replace minus accumulate, mean over the other options', s, 'nll', 'policy', 'replace', 'accumulate', K_TREND, TREND));
    out.push(pooledDifference('NLL: replace minus accumulate-subsample, mean over the other options', s, 'nll', 'policy', 'replace', 'accumulate-subsample', K_TREND, TREND));
    out.push(pooledDifference('NLL: accumulate-subsample minus accumulate, mean over the other options', s, 'nll', 'policy', 'accumulate-subsample', 'accumulate', K_TREND, TREND));
    return out;
  },
};
