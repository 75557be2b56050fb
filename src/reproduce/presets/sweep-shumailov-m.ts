// The paper's M sweep (Shumailov et al. 2024, Nature 631, the 1-D Gaussian
// refitted on M of its own samples per generation), run as the grid
// sweeps/shumailov-gaussian-m: sigma_n shrinks, faster for smaller M, and
// E sigma_n follows the closed form in every cell.
import type { CheckResult, SweepPreset } from '../types.js';
import { cellMetric, cellsMatchTheory, cellsWhere, sweptValues } from '../sweep-checks.js';
import { positive, seOfDifference } from '../checks.js';

const K = 4;
/** One-sided trend checks: at 3 se a difference this size arises by chance about once in a thousand. */
const K_TREND = 3;

export const sweepShumailovM: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-shumailov-m',
  paper: 'Shumailov et al. 2024, "AI models collapse when trained on recursively generated data" (Nature 631), the M sweep of the 1-D Gaussian',
  checks: 'grid sweeps/shumailov-gaussian-m: E sigma_n per cell against the closed form; sigma_n at the last generation smaller for smaller M, per estimator',
  grid: 'shumailov-gaussian-m',
  measured: { full: 'not measured', quick: '3 s' },
  evaluate(s) {
    const out: CheckResult[] = cellsMatchTheory(s, 'sigma', K, 'exact E sigma_n (gaussian theory.ts)');
    const sizes = (sweptValues(s, 'samples') as number[]).slice().sort((a, b) => a - b);
    for (const estimator of sweptValues(s, 'estimator')) {
      for (let i = 1; i < sizes.length; i++) {
        const small = cellMetric(cellsWhere(s, { estimator, samples: sizes[i - 1] })[0], 'sigma');
        const large = cellMetric(cellsWhere(s, { estimator, samples: sizes[i] })[0], 'sigma');
        const d = small.mean !== null && large.mean !== null ? large.mean - small.mean : null;
        out.push(positive(`${estimator}: sigma at M = ${sizes[i]} minus at M = ${sizes[i - 1]}`, d, seOfDifference(small.se, large.se), K_TREND, 'Shumailov et al.: the variance collapses faster for smaller M'));
      }
    }
    return out;
  },
};
