// The language-model family (Shumailov et al. 2024, the paper's headline
// experiment at n-gram scale): an interpolated Kneser-Ney n-gram model of a
// real corpus, refitted on the text it writes.
import { defineFamily } from '../family.js';
import { simCell, simSeCell } from '../../report/table.js';
import { LM_OPTIONS, resolveLmConfig, resolveLmHeader } from './options.js';
import { lmLayout } from './layout.js';
import { LmModel, lmMetrics } from './model.js';
import type { LmConfig } from './types.js';

export const lmFamily = defineFamily({
  name: 'lm',
  summary: 'an n-gram language model (interpolated Kneser-Ney) of the Brown corpus refitted on the text it writes (the paper\'s LLM experiment at n-gram scale)',
  options: LM_OPTIONS,
  resolve: resolveLmConfig,
  resolveHeader: resolveLmHeader,
  samplesAt: (c, n) => (c.policy === 'accumulate' ? c.trainBlocks * (n + 1) : c.trainBlocks),
  drawnAt: (c) => c.trainBlocks,
  layout: lmLayout,
  model: (arena, config, buffers, generator) => new LmModel(arena, config, buffers, generator),
  metrics: lmMetrics,
  hashChunk: (c: LmConfig) => Math.min(1 << 16, Math.max(1 << 12, (c.trainBlocks * c.block) / 2)),

  theory() {
    return {
      rows: [],
      bounds: {},
      notes: ['no closed form: model 0 is fitted to the real text (there is no true model), and model 1, fitted to the same real blocks, equals it; text written by a model first enters model 2'],
    };
  },

  eventText(kind) {
    return kind === 'discount-fallback'
      ? 'some order had count-of-counts the Kneser-Ney discounts cannot use (n1 = 0, or for mkn an n_r = 0 or a D_j outside [0, j]); it fell back to Y = 0.5 or one discount (docs/lm.md)'
      : kind;
  },

  describe(c) {
    return (
      `lm corpus=${c.corpus} documents=${c.documents} case=${c.case} min-count=${c.minCount} V=${c.vocabulary} order=${c.order} smoothing=${c.smoothing} ` +
      `block=${c.block} prompt=${c.prompt} blocks=${c.trainBlocks} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' ? ` real-fraction=${c.realFraction}` : '') +
      (c.temperature !== 1 ? ` temperature=${c.temperature}` : '') +
      (c.topK ? ` top-k=${c.topK}` : '') +
      (c.topP < 1 ? ` top-p=${c.topP}` : '') +
      ` seed=${JSON.stringify(c.seed)}`
    );
  },

  columns: () => [
    { title: 'test ppl ± se', cell: simSeCell('testPerplexity') },
    { title: 'seq ppl p10', cell: simCell('seqPplP10', 'mean') },
    { title: 'p50', cell: simCell('seqPplP50', 'mean') },
    { title: 'p90', cell: simCell('seqPplP90', 'mean') },
    { title: 'p99', cell: simCell('seqPplP99', 'mean') },
    { title: 'types', cell: simCell('types', 'mean') },
    { title: 'type/token', cell: simCell('typeTokenRatio', 'mean') },
    { title: 'rare share ± se', cell: simSeCell('rareShare') },
    { title: 'distinct-2', cell: simCell('distinct2', 'mean') },
    { title: 'rep-4', cell: simCell('repeat4', 'mean') },
    { title: 'n-grams', cell: simCell('ngrams', 'mean') },
  ],

  extraLines: (s) => [
    `test ppl: model n on the real test text; seq ppl: perplexity of each block of generation n's text under model 0 (positions ${s.config.prompt}..${s.config.block - 1}), quantiles over blocks (means over replicates); rare: the rarest ids, together at most 10% of the real training tokens; distinct-2: distinct bigrams / bigrams of the written text; rep-4: share of 4-grams seen earlier in their block (distinct-1/3 in the JSON)`,
  ],
});
