// Gerstgrasser et al. 2024 ("Is Model Collapse Inevitable?", arXiv 2404.01413),
// the linear model: OLS refitted on labels its previous fit wrote, d = 10,
// T = 100, sigma^2 = 1, 20 generations. Replace grows linearly,
// n sigma^2 d / (T - d - 1); accumulate stays below pi^2/6 times the first error.
import type { CheckResult, Preset } from '../types.js';
import { atMost, meanMatchesTheory, metric, nearRelative, positive, seOfDifference } from '../checks.js';

const K = 4;
const G = 20;
const THEORY = 'exact closed form (regression theory.ts)';
/** The papers file's predicted column (section 3.5), 3 decimals. */
const PUBLISHED: Record<'replace' | 'accumulate', Record<number, number>> = {
  replace: { 1: 0.112, 10: 1.124, 20: 2.247 },
  accumulate: { 1: 0.112, 10: 0.174, 20: 0.179 },
};

export const gerstgrasserAccumulate: Preset = {
  name: 'gerstgrasser-accumulate',
  paper: 'Gerstgrasser et al. 2024, "Is Model Collapse Inevitable?" (arXiv 2404.01413), linear model; Dohmatob et al. 2024',
  checks: 'linear regression d = 10, T = 100: replace error n c, accumulate c sum 1/i^2 below c pi^2/6; replace above accumulate',
  seed: 'gerstgrasser-accumulate',
  measured: { full: '2.4 s', quick: '1.0 s' },
  runs(quick) {
    const base = { dim: 10, points: 100, noise: 1, generations: G, replicates: quick ? 300 : 2000 };
    return [
      { id: 'replace', family: 'regression', options: { ...base, policy: 'replace' } },
      { id: 'accumulate', family: 'regression', options: { ...base, policy: 'accumulate' } },
    ];
  },
  evaluate(results) {
    const out: CheckResult[] = [];
    for (const policy of ['replace', 'accumulate'] as const) {
      const r = results[policy];
      if (!r) continue;
      for (const n of [1, 10, 20]) {
        out.push(meanMatchesTheory(policy, r.summary, 'weightErrorSq', n, K, THEORY));
        out.push(nearRelative(`${policy}: closed form at n = ${n} vs the paper's prediction`, metric(r.summary, 'weightErrorSq', n).theoryMean, PUBLISHED[policy][n], 0.005, 'papers file 3.5 (3 decimals)'));
      }
    }
    const acc = results.accumulate;
    const rep = results.replace;
    if (acc) {
      const m = metric(acc.summary, 'weightErrorSq', G);
      const bound = acc.summary.bounds.weightErrorSq;
      out.push(atMost(`accumulate: E weightErrorSq at n = ${G} below c pi^2/6`, m.mean, bound ?? NaN, m.se, K, 'Gerstgrasser et al.: sum 1/i^2 < pi^2/6'));
    }
    if (acc && rep) {
      const a = metric(acc.summary, 'weightErrorSq', G);
      const b = metric(rep.summary, 'weightErrorSq', G);
      out.push(positive(`replace minus accumulate at n = ${G}`, a.mean !== null && b.mean !== null ? b.mean - a.mean : null, seOfDifference(a.se, b.se), K, 'replace grows without bound, accumulate does not'));
    }
    return out;
  },
};
