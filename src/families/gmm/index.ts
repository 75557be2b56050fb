// The GMM family (Shumailov et al. 2024, the GMM notebook; Alemohammad et al.
// 2024 for the 25-mode grid): fit a Gaussian mixture by EM, sample, repeat.
import { defineFamily } from '../family.js';
import { fmt, theoryCell, simCell, simSeCell } from '../../report/table.js';
import { GMM_OPTIONS, gmmHeaderOptions, resolveGmmConfig } from './options.js';
import { gmmLayout } from './layout.js';
import { GmmModel, gmmMetrics, mixtureStats } from './model.js';
import { UsageError } from '../../util/errors.js';
import type { GmmConfig } from './types.js';
import { gmmTheory, gmmTheoryNotes } from './theory.js';

export const gmmFamily = defineFamily({
  name: 'gmm',
  summary: 'Gaussian mixtures fitted by EM, the paper\'s GMM notebook (Shumailov et al. 2024, SI Figs 6 and 8)',
  options: GMM_OPTIONS,
  resolve: resolveGmmConfig,
  headerOptions: gmmHeaderOptions,
  normalised: ['mixture'],
  checkFacts,
  samplesAt: (c, n) => (c.policy === 'accumulate' ? c.samples * (n + 1) : c.samples),
  drawnAt: (c) => c.samples,
  layout: gmmLayout,
  model: (arena, config, buffers, generator) => new GmmModel(arena, config, buffers, generator),
  metrics: gmmMetrics,

  theory(header) {
    const facts = header.facts as { trueVar: number; trueStds: number[] };
    return {
      rows: gmmTheory({ config: header.config, trueVar: facts.trueVar, trueStds: facts.trueStds }, header.recorded),
      bounds: {},
      notes: gmmTheoryNotes(header.config),
    };
  },

  eventText(kind) {
    return kind === 'not-converged'
      ? 'EM reached --max-iter without converging in some generation (see the converged metric and nonConverged)'
      : 'a fitted covariance was not positive definite and got a small ridge (reg-covar 0 and a component on fewer than d + 1 distinct points)';
  },

  describe(c) {
    const data = c.data === 'custom' ? `custom (K0=${c.mixture.weights.length}, d=${c.dim})` : c.data;
    return (
      `gmm data=${data} K=${c.components} covariance=${c.covariance} M=${c.samples} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      (c.bias !== 1 ? ` bias=${c.bias}` : '') +
      (c.temperature !== 1 ? ` temperature=${c.temperature}` : '') +
      ` tol=${c.tol} max-iter=${c.maxIter} reg-covar=${c.regCovar} n-init=${c.nInit} kmeans-iter=${c.kmeansIter} holdout=${c.holdout} seed=${JSON.stringify(c.seed)}`
    );
  },

  columns: () => [
    { title: 'L2^2 mean ± se', cell: simSeCell('l2sq') },
    { title: 'std median', cell: simCell('stdMean', 'median') },
    { title: 'std min median', cell: simCell('stdMin', 'median') },
    { title: 'min w mean', cell: simCell('minWeight', 'mean') },
    { title: 'modes mean', cell: simCell('modesCovered', 'mean') },
    { title: 'holdout LL mean', cell: simCell('holdoutLogLik', 'mean') },
    { title: 'tail share ± se', cell: simSeCell('tailShare') },
    { title: 'EM iters mean', cell: simCell('emIterations', 'mean') },
    { title: 'conv', cell: simCell('converged', 'mean') },
    { title: 'mix var mean ± se', cell: simSeCell('mixVar') },
    { title: 'theory', cell: theoryCell('mixVar', 'theoryMean') },
    { title: '|mbar-m0|^2 ± se', cell: simSeCell('mixMeanSqError') },
    { title: 'theory', cell: theoryCell('mixMeanSqError', 'theoryMean') },
  ],

  extraLines: (s) => [
    `std = weight-averaged component std sqrt(tr C_k / d); modes = true modes with a fitted mean within ${fmt(s.config.coverRadius)} and weight > ${s.config.coverWeight} (of ${s.config.mixture.weights.length})`,
  ],
});

/** A header's facts that the theory reads (src/families/header.ts): the true mixture's variance and stds, as the run computes them from config.mixture. */
function checkFacts(facts: Record<string, unknown>, c: GmmConfig): void {
  const { weights, means, covs } = c.mixture;
  const K = weights.length;
  const p = new Float64Array(K * (1 + c.dim + c.dim * c.dim));
  p.set(weights);
  means.forEach((m, i) => p.set(m, K + i * c.dim));
  covs.forEach((v, i) => p.set(v, K + K * c.dim + i * c.dim * c.dim));
  const s = mixtureStats(p, K, c.dim);
  if (facts.trueVar !== s.mixVar) throw new UsageError(`facts.trueVar: ${JSON.stringify(facts.trueVar) ?? 'missing'}; expected ${s.mixVar}, the variance of config.mixture`);
  if (JSON.stringify(facts.trueStds) !== JSON.stringify(s.stds)) throw new UsageError(`facts.trueStds: ${JSON.stringify(facts.trueStds)?.slice(0, 60) ?? 'missing'}; expected ${JSON.stringify(s.stds).slice(0, 60)}, the component stds of config.mixture`);
}
