// The KDE family (Kazdan et al. 2024, "Collapse or Thrive?", sec. on kernel
// density estimation): fit a Gaussian KDE, sample from it, refit, repeat.
import { defineFamily } from '../family.js';
import { fmt, theoryCell, simCell, simSeCell } from '../../report/table.js';
import { KDE_OPTIONS, kdeHeaderOptions, resolveKdeConfig } from './options.js';
import { kdeLayout } from './layout.js';
import { KdeModel, kdeMetrics } from './model.js';
import { kdeBounds, kdeTheory, kdeTheoryNotes } from './theory.js';
import type { KdeConfig } from './types.js';

function bandwidthText(c: KdeConfig): string {
  return c.bandwidthMode === 'fixed' ? `h=${c.bandwidth}` : `bandwidth=${c.bandwidth} (${c.bandwidthMode})`;
}

function dataText(c: KdeConfig): string {
  if (c.data === 'gaussian') return `gaussian d=${c.dim} sigma0=${c.sigma0}`;
  if (c.data === 'rings') return `rings factor=${c.factor} noise=${c.noise}`;
  if (c.data === 'moons') return `moons noise=${c.noise}`;
  return c.data;
}

export const kdeFamily = defineFamily({
  name: 'kde',
  summary: 'Gaussian kernel density estimation refitted on its own samples (Kazdan et al. 2024)',
  options: KDE_OPTIONS,
  resolve: resolveKdeConfig,
  headerOptions: kdeHeaderOptions,
  samplesAt: (c) => c.samples,
  // scoring: every held-out point against every kernel (the pool under accumulate), a few bytes' worth each
  extraWork: (c, n) => 4 * c.holdout * c.dim * (c.policy === 'accumulate' ? (n + 1) * c.samples : c.samples),
  layout: kdeLayout,
  model: (arena, config, buffers, generator) => new KdeModel(arena, config, buffers, generator),
  metrics: kdeMetrics,

  theory(header) {
    const c = header.config;
    return { rows: kdeTheory(c, header.recorded), bounds: kdeBounds(c), notes: kdeTheoryNotes(c) };
  },

  eventText(kind) {
    if (kind === 'overflow') return 'the variance overflowed (a recomputed bandwidth multiplies it by about 1 - 1/n + c^2 per generation); the rest of the chain is reported as null';
    if (kind === 'density-underflow') {
      return 'a held-out point\'s log-density left the doubles (its squared distance to the training points over 2 h^2 overflows: the bandwidth is tiny against their spread), so the NLL of such a generation is +Infinity, reported as null';
    }
    if (kind === 'collapsed') return 'the recomputed bandwidth became 0: every training point is the same (the log-likelihood is -Infinity, reported as null)';
    return kind;
  },

  describe(c) {
    return (
      `kde data=${dataText(c)} n=${c.samples} ${bandwidthText(c)} holdout=${c.holdout} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      ` seed=${JSON.stringify(c.seed)}`
    );
  },

  columns(c) {
    return [
      { title: 'NLL mean ± se', cell: simSeCell('nll') },
      { title: 'NLL median', cell: simCell('nll', 'median') },
      { title: 'tail share ± se', cell: simSeCell('tailShare') },
      { title: 'Var mean ± se', cell: simSeCell('variance') },
      { title: 'theory', cell: theoryCell('variance', 'theoryMean') },
      { title: 'h mean', cell: simCell('bandwidth', 'mean') },
      ...(c.dim === 1 ? [{ title: 'W2^2 to real ± se', cell: simSeCell('w2sq') }] : []),
    ];
  },

  extraLines: (s) =>
    s.bounds.nll !== undefined
      ? [`bound: E nll >= ${fmt(s.bounds.nll)}, the entropy of the true distribution (Gibbs' inequality), at every generation`]
      : [],
});
