// Kazdan et al. 2024 ("Collapse or Thrive?", arXiv 2410.16713), the KDE
// experiments: a Gaussian KDE refitted on its own samples under replace,
// accumulate and accumulate-subsample (moons, n = 100, a fixed bandwidth).
// The variance follows exact linear recursions (src/families/kde/theory.ts);
// the held-out NLL has no closed form, so the paper's ordering is checked:
// replace degrades, accumulate stays near the real data, subsampling the
// pool lies in between.
import type { CheckResult, Preset } from '../types.js';
import { meanMatchesTheory, metric, positive, seOfDifference } from '../checks.js';

const K = 4;
const POLICIES = ['replace', 'accumulate', 'accumulate-subsample'] as const;
const sizes = (quick: boolean) => (quick ? { generations: 30, replicates: 10 } : { generations: 100, replicates: 50 });

export const kazdanKde: Preset = {
  name: 'kazdan-kde',
  paper: 'Kazdan et al. 2024, "Collapse or Thrive?" (arXiv 2410.16713), KDE experiments',
  checks: 'KDE on moons, h = 0.1, n = 100: variance against the exact recursions per policy; held-out NLL replace > accumulate-subsample > accumulate',
  seed: 'kazdan-kde',
  measured: { full: '2.5 s', quick: '1.3 s' },
  runs(quick) {
    return POLICIES.map((policy) => ({ id: policy, family: 'kde', options: { data: 'moons', bandwidth: '0.1', samples: 100, holdout: 200, policy, every: 10, ...sizes(quick) } }));
  },
  evaluate(results, quick) {
    const G = sizes(quick).generations;
    const out: CheckResult[] = [];
    for (const policy of POLICIES) {
      const r = results[policy];
      if (r) out.push(meanMatchesTheory(policy, r.summary, 'variance', G, K, 'exact linear recursion (kde theory.ts)'));
    }
    const nll = (p: string) => (results[p] ? metric(results[p].summary, 'nll', G) : undefined);
    const above = (hi: string, lo: string, why: string) => {
      const a = nll(hi);
      const b = nll(lo);
      if (!a || !b) return;
      out.push(positive(`NLL at n = ${G}: ${hi} minus ${lo}`, a.mean !== null && b.mean !== null ? a.mean - b.mean : null, seOfDifference(a.se, b.se), K, why));
    };
    above('replace', 'accumulate', 'Kazdan et al.: accumulating avoids the collapse of replacing');
    above('accumulate-subsample', 'accumulate', 'Kazdan et al.: subsampling the pool degrades, slowly');
    above('replace', 'accumulate-subsample', 'Kazdan et al.: ... but far less than replacing');
    return out;
  },
};
