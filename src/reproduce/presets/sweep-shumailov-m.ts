// The paper's M sweep (Shumailov et al. 2024, Nature 631, the 1-D Gaussian
// refitted on M of its own samples per generation), run as the grid
// sweeps/shumailov-gaussian-m: sigma_n shrinks, faster for smaller M (smallest
// against largest M; neighbours: no reversal), and E sigma_n follows the
// closed form in every cell.
import type { CheckResult, SweepPreset } from '../types.js';
import { cellMetric, cellsMatchTheory, cellsWhere, sweptValues } from '../sweep-checks.js';
import { atLeast, positive, seOfDifference } from '../checks.js';
import type { GridValue } from '../../sweep/grid.js';

const K = 4;
/** One-sided trend checks: at 3 se a difference this size arises by chance about once in a thousand. */
const K_TREND = 3;

export const sweepShumailovM: SweepPreset = {
  kind: 'sweep',
  name: 'sweep-shumailov-m',
  paper: 'Shumailov et al. 2024, "AI models collapse when trained on recursively generated data" (Nature 631), the M sweep of the 1-D Gaussian',
  checks: 'grid sweeps/shumailov-gaussian-m: E sigma_n per cell against the closed form; sigma_n at the last generation smaller at the smallest M than at the largest (3 se), no reversal between neighbouring M (4 se), per estimator',
  grid: 'shumailov-gaussian-m',
  measured: { full: '117 s', quick: '3 s' },
  evaluate(s) {
    const out: CheckResult[] = cellsMatchTheory(s, 'sigma', K, 'exact E sigma_n (gaussian theory.ts)');
    const sizes = (sweptValues(s, 'samples') as number[]).slice().sort((a, b) => a - b);
    const sigma = (estimator: GridValue, samples: number) => cellMetric(cellsWhere(s, { estimator, samples })[0], 'sigma');
    const difference = (estimator: GridValue, lo: number, hi: number) => {
      const a = sigma(estimator, lo);
      const b = sigma(estimator, hi);
      return { d: a.mean !== null && b.mean !== null ? b.mean - a.mean : null, se: seOfDifference(a.se, b.se) };
    };
    for (const estimator of sweptValues(s, 'estimator')) {
      const lo = sizes[0];
      const hi = sizes[sizes.length - 1];
      // the trend end to end; neighbouring M can be closer than the noise of one cell (M = 500 and 1000 at n = 1000), so between them only no reversal
      const end = difference(estimator, lo, hi);
      out.push(positive(`${estimator}: sigma at M = ${hi} minus at M = ${lo}`, end.d, end.se, K_TREND, 'Shumailov et al.: the variance collapses faster for smaller M'));
      if (sizes.length > 2) {
        for (let i = 1; i < sizes.length; i++) {
          const { d, se } = difference(estimator, sizes[i - 1], sizes[i]);
          out.push(atLeast(`${estimator}: sigma at M = ${sizes[i]} minus at M = ${sizes[i - 1]}, no reversal`, d, 0, se, K, 'E sigma_n increases with M (gaussian theory.ts)'));
        }
      }
    }
    return out;
  },
};
