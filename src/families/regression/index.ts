// The linear-regression family (Gerstgrasser et al. 2024; Dohmatob et al.
// 2024): OLS refitted on its own predictions plus fresh label noise.
import { defineFamily } from '../family.js';
import { fmt, theoryCell, simSeCell } from '../../report/table.js';
import { REGRESSION_OPTIONS, resolveRegressionConfig } from './options.js';
import { regressionLayout } from './layout.js';
import { RegressionModel, regressionMetrics } from './model.js';
import { regressionBounds, regressionTheory, regressionTheoryNotes, type RegressionTheoryInput } from './theory.js';
import type { RegressionConfig } from './types.js';

function theoryInput(c: RegressionConfig): RegressionTheoryInput {
  return { dim: c.dim, points: c.points, noise: c.noise, policy: c.policy, realFraction: c.realFraction };
}

export const regressionFamily = defineFamily({
  name: 'regression',
  summary: 'OLS refitted on its own labels, fixed Gaussian design (Gerstgrasser et al. 2024; Dohmatob et al. 2024)',
  options: REGRESSION_OPTIONS,
  resolve: resolveRegressionConfig,
  samplesAt: (c) => c.points,
  layout: regressionLayout,
  model: (arena, config, buffers, generator) => new RegressionModel(arena, config, buffers, generator),
  metrics: regressionMetrics,

  theory(header) {
    const inp = theoryInput(header.config);
    return {
      rows: regressionTheory(inp, header.recorded),
      bounds: regressionBounds(inp),
      notes: regressionTheoryNotes(inp),
    };
  },

  eventText(kind) {
    return kind === 'rank-deficient'
      ? 'a training design was rank-deficient (repeated rows in a subsample); the fit set the unseen directions of w to 0'
      : kind;
  },

  describe(c) {
    return (
      `regression d=${c.dim} T=${c.points} sigma2=${c.noise} w*=${c.wStar} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      ` test-points=${c.testPoints} seed=${JSON.stringify(c.seed)}`
    );
  },

  columns() {
    return [
      { title: 'E|w-w*|^2 ± se', cell: simSeCell('weightErrorSq') },
      { title: 'theory', cell: theoryCell('weightErrorSq', 'theoryMean') },
      { title: 'test error ± se', cell: simSeCell('testError') },
      { title: 'theory', cell: theoryCell('testError', 'theoryMean') },
      { title: 'E|w-w_prev|^2 ± se', cell: simSeCell('stepSq') },
      { title: 'theory', cell: theoryCell('stepSq', 'theoryMean') },
    ];
  },

  extraLines: (s) => Object.entries(s.bounds).map(([k, v]) => `bound: E ${k} <= ${fmt(v)} for every generation (c pi^2/6)`),
});
