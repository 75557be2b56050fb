// The categorical family (Shumailov et al. 2024, sec. 3.1, the discrete
// case): K states refitted by counting, i.e. neutral Wright-Fisher drift.
import { defineFamily } from '../family.js';
import type { ReplicateRecord, RunHeader } from '../../results/types.js';
import { chiSquareTest } from '../../theory/chi-square.js';
import { fmt, theoryCell, simCell, simSeCell } from '../../report/table.js';
import { CATEGORICAL_OPTIONS, categoricalHeaderOptions, checkCategoricalFacts, resolveCategoricalConfig } from './options.js';
import { categoricalLayout } from './layout.js';
import { CategoricalModel, categoricalMetrics } from './model.js';
import { initialProbabilities } from './initial.js';
import { categoricalBounds, categoricalFinalsTheory, categoricalTheory, categoricalTheoryNotes, type CategoricalTheoryInput } from './theory.js';
import type { CategoricalConfig } from './types.js';

function theoryInput(config: CategoricalConfig, facts: Record<string, unknown>): CategoricalTheoryInput {
  const p0 = initialProbabilities(config);
  // the kernel's tail mass of p_0 where the header has it (a JSONL file always does)
  const tailMass0 = typeof facts.tailMass0 === 'number' ? facts.tailMass0 : NaN;
  return { p0, samples: config.samples, policy: config.policy, realFraction: config.realFraction, tailMass0 };
}

/** Where the replicates were absorbed, beside p_0 (theory: P(i) = p_0(i)), with Pearson's test. */
export interface AbsorptionExtras {
  replicates: number;
  /** Replicates absorbed within --generations; the others are left out of the histogram. */
  absorbed: number;
  /** One entry per state (for K > 100: only the states some replicate was absorbed in). */
  states: { state: number; p0: number; observed: number; expected: number }[];
  /** Pearson's X^2 of the histogram against absorbed p_0, bins with expected < 5 pooled; null with fewer than 2 bins. */
  chiSquare: { statistic: number; df: number; pValue: number; pooledStates: number } | null;
}

/** Counts absorbing states as replicates arrive; result() compares them with p_0. */
export function absorptionExtras(config: CategoricalConfig): { add(r: ReplicateRecord): void; result(): AbsorptionExtras } {
  const p0 = initialProbabilities(config);
  const observed = new Array<number>(p0.length).fill(0);
  let absorbed = 0;
  let replicates = 0;
  return {
    add(r) {
      replicates++;
      const s = r.finals?.absorbingState;
      if (typeof s === 'number') {
        observed[s]++;
        absorbed++;
      }
    },
    result() {
      const test = absorbed > 0 ? chiSquareTest(observed, p0.map((p) => absorbed * p)) : null;
      // every state up to 100 of them, else those some replicate was absorbed in (no object for the others)
      const states: AbsorptionExtras['states'] = [];
      for (let i = 0; i < p0.length; i++) {
        if (p0.length <= 100 || observed[i] > 0) states.push({ state: i, p0: p0[i], observed: observed[i], expected: absorbed * p0[i] });
      }
      return {
        replicates,
        absorbed,
        states,
        chiSquare: test && {
          statistic: test.statistic,
          df: test.df,
          pValue: test.pValue,
          pooledStates: test.bins.filter((b) => b.categories.length > 1).reduce((s, b) => s + b.categories.length, 0),
        },
      };
    },
  };
}

function absorptionLines(a: AbsorptionExtras, c: CategoricalConfig): string[] {
  const out = [`absorbing state: ${a.absorbed} of ${a.replicates} replicates absorbed within ${c.generations} generations; theory P(state i) = p_0(i)`];
  if (a.absorbed === 0) return out;
  const shown = [...a.states].sort((x, y) => y.expected - x.expected || x.state - y.state).slice(0, 10).sort((x, y) => x.state - y.state);
  out.push(`  state ${shown.map((s) => String(s.state).padStart(7)).join('')}`);
  out.push(`  seen  ${shown.map((s) => String(s.observed).padStart(7)).join('')}`);
  out.push(`  p_0 R ${shown.map((s) => fmt(s.expected).padStart(7)).join('')}`);
  if (shown.length < c.states) out.push(`  (the ${shown.length} states with the largest p_0 of ${c.states})`);
  const t = a.chiSquare;
  if (t) {
    out.push(`  chi-square ${fmt(t.statistic)} on ${t.df} df, p = ${fmt(t.pValue)}${t.pooledStates ? ` (${t.pooledStates} states with expected count < 5 pooled)` : ''}`);
  }
  return out;
}

function describeInit(c: CategoricalConfig): string {
  if (c.init === 'zipf') return `zipf(a=${c.zipfA},b=${c.zipfB})`;
  if (c.init === 'given') {
    const head = c.probs!.slice(0, 6).map((p) => fmt(p)).join(',');
    return `given(${head}${c.probs!.length > 6 ? ',...' : ''})`;
  }
  return 'uniform';
}

export const categoricalFamily = defineFamily({
  name: 'categorical',
  summary: 'K states refitted by counting: neutral Wright-Fisher drift (Shumailov et al. 2024, the discrete case)',
  options: CATEGORICAL_OPTIONS,
  resolve: resolveCategoricalConfig,
  headerOptions: categoricalHeaderOptions,
  normalised: ['probs'],
  checkFacts: checkCategoricalFacts,
  samplesAt: (c) => c.samples,
  layout: categoricalLayout,
  model: (arena, config, buffers, generator) => new CategoricalModel(arena, config, buffers, generator),
  metrics: categoricalMetrics,
  hashChunk: (c) => Math.min(1 << 15, Math.max(256, (c.states + 1) * 64)),

  theory(header) {
    const inp = theoryInput(header.config, header.facts);
    return {
      rows: categoricalTheory(inp, header.recorded),
      finals: categoricalFinalsTheory(inp),
      bounds: categoricalBounds(inp),
      notes: categoricalTheoryNotes(inp, header.recorded),
    };
  },

  eventText(kind) {
    return kind === 'not-absorbed'
      ? 'more than one state was left at the --generations cap (absorptionGeneration null; its mean covers only the absorbed replicates, so it is biased low)'
      : kind;
  },

  extras(header: RunHeader & { config: CategoricalConfig }) {
    const a = header.config.policy === 'replace' ? absorptionExtras(header.config) : null;
    return { add: (r) => a?.add(r), result: () => (a ? { absorption: a.result() } : {}) };
  },

  describe(c) {
    return (
      `categorical K=${c.states} p0=${describeInit(c)} M=${c.samples} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      (c.untilAbsorbed ? ' until-absorbed' : '') +
      ` tail-quantile=${c.tailQuantile} seed=${JSON.stringify(c.seed)}`
    );
  },

  columns() {
    return [
      { title: 'entropy ± se', cell: simSeCell('entropy') },
      { title: '1-sum p^2 ± se', cell: simSeCell('heterozygosity') },
      { title: 'theory', cell: theoryCell('heterozygosity', 'theoryMean') },
      { title: 'survivors ± se', cell: simSeCell('survivors') },
      { title: 'lower', cell: (g) => fmt(g.metrics.survivors?.theoryLower) },
      { title: 'upper', cell: (g) => fmt(g.metrics.survivors?.theoryUpper) },
      { title: 'TV mean', cell: simCell('totalVariation', 'mean') },
      { title: 'P(KL=inf)', cell: simCell('klInfinite', 'mean') },
      { title: 'KL median*', cell: simCell('kl', 'median') },
      { title: 'tail mass ± se', cell: simSeCell('tailMass') },
      { title: 'theory', cell: theoryCell('tailMass', 'theoryMean') },
    ];
  },

  extraLines(s) {
    const out: string[] = ['* KL(p_0 || p_n) over the replicates where it is finite (no state of p_0 lost).'];
    if (s.bounds.heterozygosityFloor !== undefined) {
      out.push(`bound: E heterozygosity >= ${fmt(s.bounds.heterozygosityFloor)} for every generation (its limit H_0 sin(pi/sqrt M)/(pi/sqrt M))`);
    }
    const a = s.extras.absorption as AbsorptionExtras | undefined;
    if (a) out.push(...absorptionLines(a, s.config));
    return out;
  },
});
