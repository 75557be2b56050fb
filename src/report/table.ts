// RunSummary -> the text report: a table of selected generations, each
// simulated value beside its closed-form expectation. The family chooses the
// columns; the layout is shared.
import type { GenerationSummary, RunSummary } from '../results/types.js';
import { selectRows } from '../results/select.js';

/** A column of the text table. */
export interface TableColumn {
  title: string;
  cell(g: GenerationSummary): string;
}

/** What a family says in its text report. */
export interface ReportSpec<C> {
  /** The config line. */
  describe(config: C): string;
  columns(config: C): TableColumn[];
  /** Lines under the table (bounds, family sections). */
  extraLines?(summary: RunSummary & { config: C }): string[];
}

/** 4 significant digits; '-' where there is no value. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
}

/** The table's rows: up to a dozen generations on a log scale (shared with the summary's selection). */
export { selectRows };

type Cell = (g: GenerationSummary) => string;

/** A simulated statistic of one metric. */
export const simCell = (metric: string, stat: 'mean' | 'median'): Cell => (g) => fmt(g.metrics[metric]?.[stat]);

/** A mean with its standard error, e.g. 0.2741±0.021. */
export const simSeCell = (metric: string): Cell => (g) => {
  const x = g.metrics[metric];
  if (!x || x.mean === null) return '-';
  return x.se ? `${fmt(x.mean)}±${x.se.toPrecision(2)}` : fmt(x.mean);
};

/** The closed form beside it. */
export const theoryCell = (metric: string, stat: 'theoryMean' | 'theoryMedian'): Cell => (g) => fmt(g.metrics[metric]?.[stat]);

export function renderSummary<C>(s: RunSummary & { config: C }, family: ReportSpec<C>): string {
  const c = s.config;
  const cols = family.columns(c);
  const rows = selectRows(s.generations.map((g) => g.n)).map((i) => {
    const g = s.generations[i];
    return [String(g.n), String(g.samples), ...cols.map((col) => col.cell(g))];
  });
  const head = ['n', 'M_n', ...cols.map((col) => col.title)];
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((x, j) => x.padStart(widths[j])).join('  ');
  const e = s.environment;
  const out = [family.describe(c), `backend ${s.backend} on ${e.runtime} ${e.runtimeVersion} (${e.engine}), ${e.cpu}`, '', line(head), ...rows.map(line), ''];
  out.push('Simulated values are over the replicates (mean, median; ± one standard error); theory is the closed form.');
  for (const [name, m] of Object.entries(s.finals)) {
    out.push(`${name}: mean ${fmt(m.mean)}${m.se ? `±${m.se.toPrecision(2)}` : ''} (theory ${fmt(m.theoryMean)}), median ${fmt(m.median)}, over ${m.count} replicates`);
  }
  out.push(...(family.extraLines?.(s) ?? []));
  for (const note of s.theoryNotes) out.push(`theory: ${note}`);
  for (const w of s.warnings) out.push(`warning: ${w}`);
  out.push(`digest ${s.digest}  (${s.replicatesCompleted}/${c.replicates} replicates${s.elapsedMs !== null ? `, ${(s.elapsedMs / 1000).toFixed(2)} s` : ''})`);
  const p = s.phasesMs;
  if (p) out.push(`time: setup ${p.setup.toFixed(1)} ms, replicates ${p.replicates.toFixed(1)} ms, theory ${p.theory.toFixed(1)} ms, summary ${p.summary.toFixed(1)} ms`);
  return out.join('\n');
}
