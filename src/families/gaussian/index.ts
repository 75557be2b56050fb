// The Gaussian family (Shumailov et al. 2024, SI 3.1): fit mean and
// covariance, resample, repeat.
import { defineFamily } from '../family.js';
import { samplesAt } from '../../chain/schedule.js';
import { fmt, theoryCell, simCell, simSeCell } from '../../report/table.js';
import { GAUSSIAN_OPTIONS, checkGaussianFacts, gaussianHeaderOptions, resolveGaussianConfig } from './options.js';
import { gaussianLayout } from './layout.js';
import { GaussianModel, gaussianMetrics } from './model.js';
import { gaussianBounds, gaussianTheory, gaussianTheoryNotes, type GaussianTheoryInput } from './theory.js';
import type { GaussianConfig } from './types.js';

function theoryInput(config: GaussianConfig, facts: Record<string, unknown>): GaussianTheoryInput {
  return {
    dim: config.dim,
    mu0: config.mu0,
    sigma0Eigenvalues: facts.sigma0Eigenvalues as number[],
    estimator: config.estimator,
    policy: config.policy,
    bias: config.bias,
    realFraction: config.realFraction,
    realWeight: config.realWeight,
    samplesAt: (n) => samplesAt(config.schedule, config.samples, n),
    tailThreshold: typeof facts.tailThreshold === 'number' ? facts.tailThreshold : undefined,
  };
}

export const gaussianFamily = defineFamily({
  name: 'gaussian',
  summary: 'the Gaussian recursion in d dimensions (Shumailov et al. 2024, SI 3.1)',
  options: GAUSSIAN_OPTIONS,
  resolve: resolveGaussianConfig,
  headerOptions: gaussianHeaderOptions,
  checkFacts: checkGaussianFacts,
  samplesAt: (c, n) => samplesAt(c.schedule, c.samples, n),
  // for sweep shards (src/sweep/cost.ts): d^2 per point (drawn through the
  // Cholesky factor, scattered) and d^3 per generation (factors, tail mass),
  // beyond the d per point of memory; weights fitted to bench/shard-cost.ts
  extraWork: (c, n) => 2 * c.dim * c.dim * (samplesAt(c.schedule, c.samples, n) + 8 * c.dim),
  layout: gaussianLayout,
  model: (arena, config, buffers, generator) => new GaussianModel(arena, config, buffers, generator),
  metrics: gaussianMetrics,

  theory(header: { config: GaussianConfig; facts: Record<string, unknown>; recorded: number[] }) {
    const inp = theoryInput(header.config, header.facts);
    return {
      rows: gaussianTheory(inp, header.recorded),
      bounds: gaussianBounds(inp, header.config.schedule),
      notes: gaussianTheoryNotes(inp),
    };
  },

  eventText(kind) {
    return kind === 'zero-variance'
      ? 'the fitted variance became exactly 0 (the chain is absorbed: every later sample equals the mean)'
      : 'the fitted covariance became singular (log-determinant -Infinity, reported as null)';
  },

  describe(c) {
    return (
      `gaussian d=${c.dim} M=${c.samples} (${c.schedule}) G=${c.generations} R=${c.replicates} estimator=${c.estimator} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      (c.realWeight !== null ? ` real-weight=${c.realWeight}` : '') +
      (c.bias !== 1 ? ` bias=${c.bias}` : '') +
      ` seed=${JSON.stringify(c.seed)}`
    );
  },

  columns(c) {
    const oneD = c.dim === 1;
    return [
      { title: 'E|mu-mu0|^2 ± se', cell: simSeCell('meanSqError') },
      { title: 'theory', cell: theoryCell('meanSqError', 'theoryMean') },
      ...(oneD
        ? [
            { title: 'sigma mean', cell: simCell('sigma', 'mean') },
            { title: 'theory', cell: theoryCell('sigma', 'theoryMean') },
            { title: 'sigma median', cell: simCell('sigma', 'median') },
            { title: 'theory', cell: theoryCell('sigma', 'theoryMedian') },
          ]
        : [
            { title: 'tr ratio mean', cell: simCell('traceRatio', 'mean') },
            { title: 'theory', cell: theoryCell('traceRatio', 'theoryMean') },
            { title: 'logdet median', cell: simCell('logDetRatio', 'median') },
            { title: 'theory', cell: theoryCell('logDetRatio', 'theoryMedian') },
          ]),
      // 1-D accumulate: the variance ratio, whose exact expectation theory.ts has
      ...(oneD && c.policy === 'accumulate'
        ? [
            { title: 'var ratio mean', cell: simCell('traceRatio', 'mean') },
            { title: 'theory', cell: theoryCell('traceRatio', 'theoryMean') },
          ]
        : []),
      { title: 'W2^2 mean ± se', cell: simSeCell('w2sq') },
      { title: 'theory', cell: theoryCell('w2sq', 'theoryMean') },
      ...(oneD ? [{ title: 'W2^2 empirical', cell: simCell('w2sqEmpirical', 'mean') }] : []),
      { title: 'tail mass ± se', cell: simSeCell('tailMass') },
      ...(oneD && c.policy === 'replace' ? [{ title: 'theory', cell: theoryCell('tailMass', 'theoryMean') }] : []),
      { title: oneD ? 'x q01 mean' : 'D2 q01 mean', cell: simCell('sampleQ01', 'mean') },
      { title: oneD ? 'x q99 mean' : 'D2 q99 mean', cell: simCell('sampleQ99', 'mean') },
    ];
  },

  extraLines: (s) => Object.entries(s.bounds).map(([k, v]) => `bound: ${k} <= ${fmt(v)} for every generation`),
});
