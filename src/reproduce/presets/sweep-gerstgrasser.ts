// Gerstgrasser et al. 2024 ("Is Model Collapse Inevitable?", arXiv 2404.01413),
// replace against accumulate over sample sizes T, run as the grid
// sweeps/gerstgrasser-regression: per T, replace's error grows with the
// generations (n c, c = sigma^2 d / (T - d - 1)) and accumulate's stays
// below c pi^2/6.
import type { CheckResult, SweepPreset } from '../types.js';
import { atMost, positive, seOfDifference } from '../checks.js';
import { cellMetric, cellsMatchTheory, cellsWhere, sweptValues } from '../sweep-checks.js';

const K = 4;
const METRIC = 'weightErrorSq';

export const sweepGerstgrasser: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-gerstgrasser',
  paper: 'Gerstgrasser et al. 2024, "Is Model Collapse Inevitable?" (arXiv 2404.01413), linear model over sample sizes',
  checks: 'grid sweeps/gerstgrasser-regression: per T, both policies against the closed form; replace above its first-generation error c and above accumulate; accumulate below c pi^2/6',
  grid: 'gerstgrasser-regression',
  measured: { full: '8.2 s', quick: '1.4 s' },
  evaluate(s, manifest) {
    const out: CheckResult[] = cellsMatchTheory(s, METRIC, K, 'exact closed form (regression theory.ts)');
    for (const points of sweptValues(s, 'points')) {
      const rep = cellsWhere(s, { policy: 'replace', points })[0];
      const acc = cellsWhere(s, { policy: 'accumulate', points })[0];
      const cfg = manifest.cells[(rep ?? acc)?.index ?? 0]?.config as unknown as { noise: number; dim: number; points: number };
      // the first generation's expected error, the same under both policies
      const c = (cfg.noise * cfg.dim) / (cfg.points - cfg.dim - 1);
      const r = cellMetric(rep, METRIC);
      const a = cellMetric(acc, METRIC);
      const n = rep?.generation ?? acc?.generation ?? 0;
      out.push(positive(`T = ${points}, replace: ${METRIC} at n = ${n} minus c = ${c.toPrecision(4)}`, r.mean === null ? null : r.mean - c, r.se, K, 'Gerstgrasser et al.: replacing, the error grows with the generations'));
      out.push(atMost(`T = ${points}, accumulate: ${METRIC} at n = ${n} below c pi^2/6`, a.mean, (c * Math.PI ** 2) / 6, a.se, K, 'Gerstgrasser et al.: accumulating, sum 1/i^2 < pi^2/6'));
      out.push(positive(`T = ${points}: replace minus accumulate at n = ${n}`, r.mean !== null && a.mean !== null ? r.mean - a.mean : null, seOfDifference(r.se, a.se), K, 'replace grows without bound, accumulate does not'));
    }
    return out;
  },
};
