// Shumailov et al. 2024 (Nature 631), SI 3.1: the 1-D Gaussian refitted on
// its own samples, mu = 0, sigma = 1, M in {100, 500, 1000, 10000}; the
// notebook refits with np.std (MLE), Theorem 3.1 with the unbiased variance.
// Checked against the exact closed forms (src/families/gaussian/theory.ts) and
// the SI's worked example (M = 100: Var X^10 = 1.1, E W2^2 at 11 = 0.165).
import type { CheckResult, Preset, PresetRun, RunResult } from '../types.js';
import { inRange, meanMatchesTheory, medianMatchesTheory, metric, near, nearRelative } from '../checks.js';

const SAMPLES = [100, 500, 1000, 10000];
const ESTIMATORS = ['mle', 'unbiased'] as const;
/** About 50 checks: at 3 se one would fail by chance about 1 time in 8; at 4 se, 1 in 300. */
const K = 4;
const THEORY = 'exact closed form (gaussian theory.ts)';

function sizes(M: number, quick: boolean): { generations: number; replicates: number } {
  if (quick) return M >= 10000 ? { generations: 20, replicates: 30 } : { generations: 50, replicates: 40 };
  return { generations: 1000, replicates: M >= 10000 ? 20 : M >= 1000 ? 50 : 100 };
}

const id = (M: number, e: string) => `M${M}-${e}`;

export const shumailovGaussian: Preset = {
  name: 'shumailov-gaussian',
  paper: 'Shumailov et al. 2024, Nature 631:755, SI 3.1 (Figs. 3-5) and Theorem 3.1',
  checks: '1-D Gaussian, M = 100..10000, MLE and unbiased: E (mu_n - mu_0)^2, E sigma_n, E W2^2, log sigma_n^2 (mean and median) against the closed forms; the SI worked example; sigma_n -> 0',
  seed: 'shumailov-gaussian',
  measured: { full: '14 s', quick: '4.8 s' },
  runs(quick) {
    const runs: PresetRun[] = [];
    for (const M of SAMPLES) {
      for (const estimator of ESTIMATORS) {
        runs.push({ id: id(M, estimator), family: 'gaussian', options: { samples: M, estimator, every: 10, ...sizes(M, quick) } });
      }
    }
    // the SI's worked example needs generations 10 and 11
    runs.push({ id: 'worked-example', family: 'gaussian', options: { samples: 100, estimator: 'unbiased', generations: 11, replicates: quick ? 1000 : 4000 } });
    return runs;
  },
  evaluate(results, quick) {
    const out: CheckResult[] = [];
    for (const M of SAMPLES) {
      for (const estimator of ESTIMATORS) {
        const r: RunResult | undefined = results[id(M, estimator)];
        if (!r) continue;
        const s = r.summary;
        const G = sizes(M, quick).generations;
        const label = `M=${M} ${estimator}`;
        out.push(
          meanMatchesTheory(label, s, 'sigma', 10, K, THEORY),
          meanMatchesTheory(label, s, 'w2sq', 10, K, THEORY),
          meanMatchesTheory(label, s, 'meanSqError', G, K, THEORY + (estimator === 'mle' ? '; MLE: bounded by tr Sigma_0' : '; unbiased: n / M')),
          meanMatchesTheory(label, s, 'logDetRatio', G, K, 'exact mean of log sigma_n^2 (sum of E log chi^2 / M)'),
          medianMatchesTheory(label, s, 'logDetRatio', G, K, 'Cornish-Fisher median of log sigma_n^2'),
        );
        if (!quick && M === 100) {
          // Theorem 3.1: sigma_n -> 0 a.s.; the median crosses 0.1 near n = 454 (unbiased), 228 (MLE)
          out.push(inRange(`${label}: median sigma at n = ${G}`, metric(s, 'sigma', G).median, 0, 0.1, 'Theorem 3.1 (sigma_n -> 0); median reaches 0.1 near n = 454 / 228 (papers file 2.3)'));
        }
      }
    }
    const w = results['worked-example'];
    if (w) {
      const v = metric(w.summary, 'marginalVariance', 10);
      out.push(near('M=100 unbiased: E Var X^10 (the SI example)', v.mean, v.se, 1.1, K, 'SI 3.1.1: sigma^2 (1 + n/M) = 1.1'));
      const w2 = metric(w.summary, 'w2sq', 11);
      out.push(
        near('M=100 unbiased: E W2^2 at n = 11', w2.mean, w2.se, w2.theoryMean ?? NaN, K, THEORY),
        nearRelative('closed form E W2^2 at n = 11 vs the SI', w2.theoryMean, 0.165, 0.01, 'SI 3.1.1: (3/2) sigma^2 sum 1/M_i = 0.165, first order (1%: its rounding and O(1/M^2))'),
      );
    }
    return out;
  },
};
