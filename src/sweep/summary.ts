// The summary of a sweep: per cell, the last recorded generation's value of
// the chosen metrics (mean ± se, median) beside the theory, and the cell's
// digest. It holds no time or path, so a sweep and the merge of its shards
// print and write the same bytes.
import type { MetricSummary, RunSummary } from '../results/types.js';
import { fmt } from '../report/table.js';
import type { GridValue } from './grid.js';
import type { SweepManifest } from './manifest.js';

export interface SweepCellSummary {
  index: number;
  varied: Record<string, GridValue>;
  configHash: string;
  /** The run digest of the cell (SHA-256 over its replicate digests in order). */
  digest: string;
  replicates: number;
  replicatesCompleted: number;
  /** The last recorded generation. */
  generation: number;
  /** The chosen metrics at that generation (null: the cell does not record it). */
  metrics: Record<string, MetricSummary | null>;
  warnings: string[];
}

export interface SweepSummary {
  tool: 'collapse-bench';
  kind: 'sweep-summary';
  version: string;
  gridHash: string;
  family: string;
  /** Cells summarised (a shard's run: its cells only, partial). */
  cells: SweepCellSummary[];
}

/** One cell's line of the summary, from its run summary. */
export function cellSummary(m: SweepManifest, index: number, s: RunSummary, report: string[] | undefined): SweepCellSummary {
  const c = m.cells[index];
  const last = s.generations[s.generations.length - 1];
  const names = report ?? Object.keys(last?.metrics ?? {});
  return {
    index,
    varied: c.varied,
    configHash: c.configHash,
    digest: s.digest,
    replicates: s.config.replicates,
    replicatesCompleted: s.replicatesCompleted,
    generation: last?.n ?? 0,
    metrics: Object.fromEntries(names.map((k) => [k, last?.metrics[k] ?? null])),
    warnings: s.warnings,
  };
}

export function sweepSummary(m: SweepManifest, cells: SweepCellSummary[]): SweepSummary {
  return { tool: 'collapse-bench', kind: 'sweep-summary', version: m.version, gridHash: m.gridHash, family: m.grid.family, cells };
}

const valueText = (v: GridValue | undefined): string => (v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));

/** The text table: a row per (cell, metric), then each cell's digest. */
export function renderSweepSummary(s: SweepSummary): string {
  const axes = [...new Set(s.cells.flatMap((c) => Object.keys(c.varied)))];
  const head = ['cell', ...axes, 'n', 'metric', 'mean±se', 'median', 'theory', 'theory med'];
  const rows: string[][] = [];
  for (const c of s.cells) {
    for (const [name, x] of Object.entries(c.metrics)) {
      const mean = x?.mean === null || !x ? '-' : x.se ? `${fmt(x.mean)}±${x.se.toPrecision(2)}` : fmt(x.mean);
      rows.push([String(c.index), ...axes.map((a) => valueText(c.varied[a])), String(c.generation), name, mean, fmt(x?.median), fmt(x?.theoryMean), fmt(x?.theoryMedian)]);
    }
  }
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((x, j) => x.padStart(widths[j])).join('  ');
  const out = [`${s.family} sweep, ${s.cells.length} cell${s.cells.length === 1 ? '' : 's'}: the last recorded generation n, mean ± one standard error and median over the replicates, the closed form beside`, '', line(head), ...rows.map(line), ''];
  for (const c of s.cells) {
    out.push(`cell ${c.index}: digest ${c.digest} (${c.replicatesCompleted}/${c.replicates} replicates)`);
    for (const w of c.warnings) out.push(`  warning: ${w}`);
  }
  return out.join('\n');
}
