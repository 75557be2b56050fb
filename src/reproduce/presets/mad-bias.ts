// Alemohammad et al. 2024 ("Self-Consuming Generative Models Go MAD", ICLR):
// sampling bias lambda < 1 (quality over diversity) makes the fully
// synthetic loop lose variance faster; fresh real data each generation keeps
// it stable. Gaussian, d = 1, M = 100, samples drawn from N(mu, lambda Sigma).
import type { CheckResult, Preset } from '../types.js';
import { inRange, meanMatchesTheory, metric, positive, seOfDifference } from '../checks.js';

const K = 4;
const LAMBDA = 0.9;
const FRESH = 0.5;
const THEORY = 'exact closed form with lambda (gaussian theory.ts)';
const sizes = (quick: boolean) => (quick ? { generations: 30, replicates: 100 } : { generations: 100, replicates: 1000 });

export const madBias: Preset = {
  name: 'mad-bias',
  paper: 'Alemohammad et al. 2024, "Self-Consuming Generative Models Go MAD" (ICLR 2024, arXiv 2307.01850)',
  checks: `Gaussian, M = 100, sampling bias lambda = ${LAMBDA}: variance shrinks by lambda (M-1)/M per generation (exact), faster than unbiased; fresh real data (half) keeps it near g/(1 - (1-g) lambda)`,
  seed: 'mad-bias',
  measured: { full: '3.0 s', quick: '2.2 s' },
  runs(quick) {
    const base = { samples: 100, estimator: 'mle', every: 10, ...sizes(quick) };
    return [
      { id: 'unbiased', family: 'gaussian', options: { ...base, bias: 1 } },
      { id: 'biased', family: 'gaussian', options: { ...base, bias: LAMBDA } },
      { id: 'biased-fresh', family: 'gaussian', options: { ...base, bias: LAMBDA, policy: 'fresh', 'real-fraction': FRESH } },
    ];
  },
  evaluate(results, quick) {
    const G = sizes(quick).generations;
    const out: CheckResult[] = [];
    for (const id of ['unbiased', 'biased']) {
      const r = results[id];
      if (!r) continue;
      out.push(meanMatchesTheory(id, r.summary, 'traceRatio', 10, K, THEORY));
      out.push(meanMatchesTheory(id, r.summary, 'logDetRatio', G, K, THEORY));
    }
    if (results.unbiased && results.biased) {
      const a = metric(results.unbiased.summary, 'logDetRatio', G);
      const b = metric(results.biased.summary, 'logDetRatio', G);
      out.push(positive(`log variance at n = ${G}: unbiased minus biased`, a.mean !== null && b.mean !== null ? a.mean - b.mean : null, seOfDifference(a.se, b.se), K, 'Alemohammad et al.: biased sampling collapses faster'));
    }
    const f = results['biased-fresh'];
    if (f) {
      // first order: T = g + (1 - g) lambda T, so T* = g / (1 - (1 - g) lambda) (derived here; the pooled
      // fit's between-part term and denominators move it by O(1/M))
      const star = FRESH / (1 - (1 - FRESH) * LAMBDA);
      const t = metric(f.summary, 'traceRatio', G);
      out.push(inRange(`biased-fresh: E traceRatio at n = ${G}`, t.mean, star - 0.05, star + 0.05, `fresh-data loop stable (Alemohammad et al.); first order T* = g / (1 - (1 - g) lambda) = ${star.toFixed(3)}, +-0.05 for O(1/M) terms`));
    }
    return out;
  },
};
