// Kazdan et al. 2024 ("Collapse or Thrive?", arXiv 2410.16713), their
// Gaussian and KDE grids, run as sweeps/kazdan-gaussian and sweeps/kazdan-kde:
// the closed forms per cell where the family has them, and the stated trend,
// replace degrades while accumulate does not, with accumulate-subsample in
// between. One small cell is too noisy for a trend, so the differences are
// averaged over the other swept options (src/reproduce/sweep-checks.ts).
import type { CheckResult, SweepPreset } from '../types.js';
import { cellsMatchTheory, pooledDifference } from '../sweep-checks.js';

const K = 4;
/** One-sided trend checks: at 3 se a difference this size arises by chance about once in a thousand. */
const K_TREND = 3;
const TREND = 'Kazdan et al.: replacing collapses, accumulating does not, subsampling the pool lies between';

export const sweepKazdanGaussian: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-kazdan-gaussian',
  paper: 'Kazdan et al. 2024, "Collapse or Thrive?" (arXiv 2410.16713), the multivariate Gaussian grid',
  checks: 'grid sweeps/kazdan-gaussian: E traceRatio per replace/accumulate cell against the closed form; traceRatio accumulate and accumulate-subsample above replace, meanSqError replace above accumulate (averaged over d and n)',
  grid: 'kazdan-gaussian',
  measured: { full: 'not measured', quick: '1.9 s' },
  evaluate(s) {
    const out: CheckResult[] = cellsMatchTheory(s, 'traceRatio', K, 'exact E trace ratio (gaussian theory.ts)');
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
