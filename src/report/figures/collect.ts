// A run's records -> what its figures need, one record at a time, in bounded
// memory: the summary (means, medians, theory), the spread over replicates
// (10%, 50%, 90% quantiles per metric at up to PLOT_GENERATIONS generations),
// each replicate's finals (e.g. absorption times), and the fitted parameters of
// the first replicate that has them (`run --params`) at a few snapshot
// generations. Pure (no node:, no vega): the browser page feeds it records too.
import type { ModelParams, PackedRecord, ReplicateRecord, RunHeader, RunSummary, SampleImages } from '../../results/types.js';
import { selectGenerations, selectRows } from '../../results/select.js';

/** Generations a figure's lines and bands show at most (log-spaced, first and last included). */
export const PLOT_GENERATIONS = 200;
/** Memory for the per-replicate values behind the bands; a run beyond it has its bands over its first replicates. */
export const SPREAD_BUDGET_BYTES = 16 * 2 ** 20;
/** Per-replicate finals kept at most (a histogram's worth). */
export const MAX_FINALS = 100_000;
/** Generations of the density snapshots, as in Shumailov et al. 2024, SI Fig. 6 (those recorded). */
export const SNAPSHOT_GENERATIONS = [0, 50, 100, 150, 200, 350, 2000];

/** Rows (recorded generations) of a sample grid at most: log-spaced, first and last included. */
export const GRID_ROWS = 12;

/** Metrics whose per-replicate spread is not kept (lm's histogram bins: their means are the figure). */
const NO_SPREAD = /Hist\d+$/;

/** Quantiles of one metric over replicates, aligned with RunSpread.generations; null where no value was finite. */
export interface MetricSpread {
  q10: (number | null)[];
  q50: (number | null)[];
  q90: (number | null)[];
}

export interface RunSpread {
  /** The generations the bands cover (ascending). */
  generations: number[];
  /** Replicates the bands are over (the first ones, when the run had more than the budget holds). */
  replicates: number;
  metrics: Record<string, MetricSpread>;
}

/** One run, ready for its figures (plain data: JSON-able). */
export interface RunReportData {
  /** What tells this run apart in an overlay, e.g. "samples=100, estimator=mle" (set by the caller). */
  label: string;
  /** The file it came from, or '' for a live run. */
  source: string;
  header: RunHeader;
  summary: RunSummary;
  spread: RunSpread;
  /** Each replicate's finals, in replicate order (up to MAX_FINALS). */
  finals: Record<string, (number | null)[]>;
  /** The fitted models of one replicate at the snapshot generations (`--params`), or null. */
  params: { replicate: number; generations: number[]; models: (ModelParams | null)[] } | null;
  /** The first replicate's images at up to GRID_ROWS recorded generations (vae's --grid-samples), if its records carry them. */
  images?: { replicate: number; generations: number[]; grids: (SampleImages | null)[] } | null;
}

/** Quantile q of sorted values (linear interpolation between order statistics, numpy's default). */
export function quantileSorted(xs: Float64Array, q: number): number | null {
  const n = xs.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
}

/** The recorded generations whose models the snapshots show: SI Fig. 6's where recorded, else six log-spaced ones. */
export function snapshotGenerations(recorded: readonly number[]): number[] {
  const hits = SNAPSHOT_GENERATIONS.filter((n) => recorded.includes(n));
  if (hits.length >= 3) return hits;
  return selectRows(recorded, 6).map((i) => recorded[i]);
}

/** Takes a run's records as they come (the summary is the caller's: a live run's, or `show`'s builder). */
export class ReportCollector {
  /** Indices into header.recorded of the plotted generations. */
  private readonly plotted: number[];
  private names: string[] | null = null;
  private values: Float64Array | null = null;
  private capacity = 0;
  private kept = 0;
  private readonly finals: Record<string, (number | null)[]> = {};
  private finalsKept = 0;
  private params: RunReportData['params'] = null;
  private images: RunReportData['images'] = null;
  private readonly snapshots: number[];

  constructor(readonly header: RunHeader) {
    this.plotted = selectGenerations(header.recorded, PLOT_GENERATIONS);
    this.snapshots = snapshotGenerations(header.recorded);
  }

  /** Takes one record (its arrays are read now, not kept). */
  add(record: ReplicateRecord | PackedRecord): void {
    if (this.names === null) {
      this.names = Object.keys(record.metrics).filter((m) => !NO_SPREAD.test(m));
      const perReplicate = 8 * Math.max(1, this.names.length) * this.plotted.length;
      this.capacity = Math.max(1, Math.min(this.header.config.replicates, Math.floor(SPREAD_BUDGET_BYTES / perReplicate)));
      this.values = new Float64Array(this.capacity * this.names.length * this.plotted.length);
    }
    if (this.kept < this.capacity) {
      const G = this.plotted.length;
      const base = this.kept * this.names.length * G;
      this.names.forEach((m, k) => {
        const xs = record.metrics[m];
        for (let g = 0; g < G; g++) {
          const x = xs?.[this.plotted[g]];
          this.values![base + k * G + g] = x === null || x === undefined ? NaN : x;
        }
      });
      this.kept++;
    }
    if (record.finals && this.finalsKept < MAX_FINALS) {
      for (const [name, x] of Object.entries(record.finals)) (this.finals[name] ??= []).push(x);
      this.finalsKept++;
    }
    if (!this.params && record.params) {
      const at = this.snapshots.map((n) => this.header.recorded.indexOf(n));
      this.params = { replicate: record.replicate, generations: this.snapshots, models: at.map((i) => record.params![i] ?? null) };
    }
    this.keepImages(record);
  }

  /** The images of the first record that has them, at the grid's rows. */
  private keepImages(record: ReplicateRecord | PackedRecord): void {
    if (this.images || !record.images) return;
    const rows = selectRows(this.header.recorded, GRID_ROWS);
    this.images = { replicate: record.replicate, generations: rows.map((i) => this.header.recorded[i]), grids: rows.map((i) => record.images![i] ?? null) };
  }

  /** Quantiles over the replicates kept, per metric and plotted generation. */
  private spread(): RunSpread {
    const G = this.plotted.length;
    const names = this.names ?? [];
    const metrics: Record<string, MetricSpread> = {};
    const column = new Float64Array(this.kept);
    names.forEach((m, k) => {
      const s: MetricSpread = { q10: [], q50: [], q90: [] };
      for (let g = 0; g < G; g++) {
        let n = 0;
        for (let r = 0; r < this.kept; r++) {
          const x = this.values![r * names.length * G + k * G + g];
          if (Number.isFinite(x)) column[n++] = x;
        }
        const xs = column.subarray(0, n).sort();
        s.q10.push(quantileSorted(xs, 0.1));
        s.q50.push(quantileSorted(xs, 0.5));
        s.q90.push(quantileSorted(xs, 0.9));
      }
      metrics[m] = s;
    });
    return { generations: this.plotted.map((i) => this.header.recorded[i]), replicates: this.kept, metrics };
  }

  /** The run's report data, with the run's summary. */
  finish(summary: RunSummary, source: string, label = summary.config.family): RunReportData {
    return { label, source, header: this.header, summary, spread: this.spread(), finals: this.finals, params: this.params, ...(this.images ? { images: this.images } : {}) };
  }
}

/**
 * Labels that tell runs apart: the config fields that differ between them
 * (the family alone when none do). Runs of several families have different
 * fields: a run's label names only the fields its own config has (a field
 * another family lacks does not apply to it, and is not "undefined").
 */
export function labelRuns(configs: readonly Record<string, unknown>[]): string[] {
  if (configs.length === 1) return [String(configs[0].family)];
  const keys = new Set(configs.flatMap((c) => Object.keys(c).filter((k) => c[k] !== undefined)));
  const differs = (k: string): boolean => {
    const having = configs.filter((c) => c[k] !== undefined);
    if (new Set(having.map((c) => JSON.stringify(c[k]))).size > 1) return true;
    // set in one run and absent in another of the same family (an optional field): that tells them apart;
    // absent in a run of another family says nothing (its family field does)
    return configs.some((c) => c[k] === undefined && having.some((h) => h.family === c.family));
  };
  // the family first, as its bare name ("categorical, states=6")
  const differ = [...keys].filter((k) => k !== 'backend' && differs(k)).sort((a, b) => Number(b === 'family') - Number(a === 'family'));
  return configs.map((c, i) => {
    const own = differ.filter((k) => c[k] !== undefined);
    const text = (k: string) => (k === 'family' ? String(c[k]) : `${k}=${typeof c[k] === 'string' ? c[k] : JSON.stringify(c[k])}`);
    return own.length ? own.map(text).join(', ') : `${c.family} #${i + 1}`;
  });
}
