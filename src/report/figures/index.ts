// The figures of a report: for each run its family's figures (families.ts)
// then a generic chart of every other metric it recorded (so a new metric
// gets a figure without an entry here), the overlays of runs of one family,
// and the benchmark figures. Pure: a spec per figure, no rendering.
import type { RunReportData } from './collect.js';
import { metricSeries, overlayChart, type Figure, type LinePoint } from './charts.js';
import { FAMILY_FIGURES, featuredFigure, type FeaturedMetric } from './families.js';
import type { Exp } from './density.js';
import { benchFigures, type BenchResult } from './bench.js';

export type { Figure } from './charts.js';
export type { RunReportData } from './collect.js';
export type { BenchResult } from './bench.js';

/** A section of the report: a heading and its figures. */
export interface FigureSection {
  heading: string;
  /** The run it shows (index into the runs), or null for overlays and benchmarks. */
  run: number | null;
  figures: Figure[];
}

/** A file-name-safe id. */
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** The featured metrics of a run that it recorded. */
function featuredOf(run: RunReportData): FeaturedMetric[] {
  const first = run.summary.generations[0]?.metrics ?? {};
  return (FAMILY_FIGURES[run.header.config.family]?.featured(run) ?? []).filter((f) => f.metric in first);
}

/** A run's figures: featured trajectories, the family's own figures, then every other metric. */
export function runFigures(run: RunReportData, index: number, exp: Exp): Figure[] {
  const family = run.header.config.family;
  const spec = FAMILY_FIGURES[family];
  const prefix = `run${index + 1}-${family}-`;
  const featured = featuredOf(run);
  const figures = featured.map((f) => featuredFigure(run, f, prefix));
  for (const f of spec?.extra?.(run, exp) ?? []) figures.push({ ...f, id: prefix + f.id });
  const shown = new Set(featured.filter((f) => !f.map).map((f) => f.metric));
  for (const metric of Object.keys(run.summary.generations[0]?.metrics ?? {})) {
    if (shown.has(metric) || spec?.hidden?.test(metric)) continue;
    figures.push(featuredFigure(run, { metric, id: `metric-${slug(metric)}`, title: metric, axes: { logX: true, yTitle: metric } }, prefix));
  }
  return figures;
}

/** Runs of one family side by side: each featured metric's medians and theory, one colour per run. */
export function overlayFigures(runs: RunReportData[]): Figure[] {
  if (runs.length < 2) return [];
  const family = runs[0].header.config.family;
  return featuredOf(runs[0]).map((f) => {
    const lines: LinePoint[] = [];
    for (const run of runs) {
      const { lines: own } = metricSeries(run, f.metric, f.map);
      for (const l of own) {
        if (l.series === 'simulation median' || l.series.startsWith('theory')) lines.push({ ...l, series: l.series === 'simulation median' ? 'median' : l.series, run: run.label });
      }
    }
    const title = `${f.title}: ${runs.length} runs`;
    return {
      id: `overlay-${family}-${f.id}`,
      title,
      caption: `Median over replicates (solid) and the closed-form theory (dashed) of each ${family} run${f.map ? `; ${f.map.note}` : ''}.`,
      spec: overlayChart(title, lines, f.axes),
    };
  });
}

/** Every section of a report: one per run, the overlays per family with several runs, the benchmarks. */
export function reportFigures(runs: RunReportData[], benches: BenchResult[], exp: Exp): FigureSection[] {
  const sections: FigureSection[] = runs.map((run, i) => ({ heading: `run ${i + 1}: ${run.label}`, run: i, figures: runFigures(run, i, exp) }));
  const families = [...new Set(runs.map((r) => r.header.config.family))];
  for (const family of families) {
    const figures = overlayFigures(runs.filter((r) => r.header.config.family === family));
    if (figures.length) sections.push({ heading: `${family}: runs compared`, run: null, figures });
  }
  if (benches.length) sections.push({ heading: 'benchmarks', run: null, figures: benchFigures(benches) });
  return sections;
}

