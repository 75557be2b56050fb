// Vega-Lite specs from plain rows: the few chart shapes every figure is made
// of. Pure data in, a spec out (no vega import, no node:), so the browser page
// renders the same specs live.
import type { RunReportData } from './collect.js';

/** A Vega-Lite spec (kept loose: the builders need no import of vega-lite's types). */
export type VlSpec = Record<string, unknown>;

/** A figure of a report: its file name (without .svg), title, caption and spec. */
export interface Figure {
  id: string;
  title: string;
  /** What is drawn, in a sentence or two (under the figure in the HTML page). */
  caption: string;
  spec: VlSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** No aria-label per mark item: they were most of an SVG's bytes, and a figure's data are in its spec. */
export const NO_ARIA = { aria: false };
const WIDTH = 440;
const HEIGHT = 260;

/** Series of a trajectory chart and their colours (simulation solid, theory dashed). */
export const SERIES = ['simulation mean', 'simulation median', '10-90% of replicates', 'theory mean', 'theory sqrt(mean)', 'theory median', 'theory lower', 'theory upper', 'theory bound'] as const;
export type Series = (typeof SERIES)[number];
const COLOURS: Record<Series, string> = {
  'simulation mean': '#1f77b4',
  'simulation median': '#2ca02c',
  '10-90% of replicates': '#9ecae1',
  'theory mean': '#d62728',
  'theory sqrt(mean)': '#d62728',
  'theory median': '#ff7f0e',
  'theory lower': '#8c564b',
  'theory upper': '#8c564b',
  'theory bound': '#7f7f7f',
};

/** One point of a line: generation, series, value (and the run, in an overlay). */
export interface LinePoint {
  n: number;
  series: string;
  value: number;
  run?: string;
}

/** One generation of a band: lower and upper value. */
export interface BandPoint {
  n: number;
  lo: number;
  hi: number;
  series: string;
  run?: string;
}

export interface AxisOptions {
  /** A log-like x axis (symlog: generation 0 stays on it). */
  logX?: boolean;
  /** A log y axis: values <= 0 are left out (said in the caption by the caller). */
  logY?: boolean;
  yTitle: string;
  xTitle?: string;
}

function xEncoding(o: AxisOptions) {
  return { field: 'n', type: 'quantitative', title: o.xTitle ?? 'generation n', ...(o.logX ? { scale: { type: 'symlog', constant: 1 } } : {}) };
}

function yScale(o: AxisOptions) {
  return o.logY ? { type: 'log' } : { zero: false };
}

/** Keeps what a log y axis can show. */
function positive<T extends { value?: number; lo?: number; hi?: number }>(rows: T[], logY?: boolean): T[] {
  if (!logY) return rows;
  return rows.filter((r) => (r.value === undefined || r.value > 0) && (r.lo === undefined || r.lo > 0) && (r.hi === undefined || r.hi > 0));
}

/** Simulation and theory of one metric over generations: lines, and the band of replicates. */
export function trajectoryChart(title: string, allLines: LinePoint[], allBands: BandPoint[], o: AxisOptions): VlSpec {
  const lines = positive(allLines, o.logY);
  const bands = positive(allBands, o.logY);
  // the legend lists what is drawn
  const present = SERIES.filter((s) => lines.some((l) => l.series === s) || bands.some((b) => b.series === s));
  const colour = { field: 'series', type: 'nominal', title: null, scale: { domain: present, range: present.map((s) => COLOURS[s]) } };
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'area', opacity: 0.5 },
        encoding: { x: xEncoding(o), y: { field: 'lo', type: 'quantitative', title: o.yTitle, scale: yScale(o) }, y2: { field: 'hi' }, color: colour },
      },
      {
        data: { values: lines },
        transform: [{ calculate: "indexof(datum.series, 'theory') === 0 ? 'theory' : 'simulation'", as: 'kind' }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: xEncoding(o),
          y: { field: 'value', type: 'quantitative', title: o.yTitle, scale: yScale(o) },
          color: colour,
          // dashes by kind, not by series: a dash legend on the colour's field would drop the merged legend
          strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['simulation', 'theory'], range: [[1, 0], [6, 3]] } },
        },
      },
    ],
    config: { ...NO_ARIA, legend: { orient: 'bottom', columns: 2, labelLimit: 260 } },
  };
}

/** Several runs' medians (solid) and theory medians or means (dashed), one colour per run. */
export function overlayChart(title: string, lines: LinePoint[], o: AxisOptions): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: positive(lines, o.logY) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: xEncoding(o),
      y: { field: 'value', type: 'quantitative', title: o.yTitle, scale: yScale(o) },
      color: { field: 'run', type: 'nominal', title: 'run' },
      strokeDash: { field: 'series', type: 'nominal', title: null },
      detail: { field: 'series' },
    },
    config: { ...NO_ARIA, legend: { orient: 'bottom', columns: 1, labelLimit: 400 } },
  };
}

/** Curves y(x) coloured by a sequential key (e.g. a density per generation). */
export function curvesChart(title: string, rows: { x: number; y: number; key: number }[], xTitle: string, yTitle: string, keyTitle: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle },
      color: { field: 'key', type: 'ordinal', title: keyTitle, scale: { scheme: 'viridis' } },
    },
    config: { ...NO_ARIA, legend: { orient: 'right' } },
  };
}

/** A point of a contour polyline: its panel, level, line id and place k along the line. */
export interface ContourPoint {
  panel: string;
  level: number;
  line: number;
  k: number;
  x: number;
  y: number;
}

/** Contour lines, one panel per key, on fixed axes. */
export function contourPanels(title: string, points: ContourPoint[], panels: string[], domain: [number, number, number, number], columns = 4): VlSpec {
  const [x0, x1, y0, y1] = domain;
  return {
    $schema: SCHEMA,
    title,
    data: { values: points },
    facet: { field: 'panel', type: 'ordinal', title: null, sort: panels, header: { labelFontSize: 12 } },
    columns,
    spec: {
      width: 170,
      height: 170,
      mark: { type: 'line', strokeWidth: 1, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'x1', scale: { domain: [x0, x1], nice: false } },
        y: { field: 'y', type: 'quantitative', title: 'x2', scale: { domain: [y0, y1], nice: false } },
        order: { field: 'k', type: 'quantitative' },
        detail: { field: 'line', type: 'nominal' },
        color: { field: 'level', type: 'ordinal', title: 'density level', scale: { scheme: 'viridis' }, legend: { format: '.3~g' } },
      },
    },
    config: NO_ARIA,
  };
}

/** A histogram of values, with vertical rules (e.g. the theory's mean and the simulated mean). */
export function histogramChart(title: string, values: number[], rules: { label: string; value: number }[], xTitle: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: values.map((v) => ({ v })) },
        mark: { type: 'bar', color: '#9ecae1' },
        encoding: { x: { field: 'v', type: 'quantitative', bin: { maxbins: 40 }, title: xTitle }, y: { aggregate: 'count', type: 'quantitative', title: 'replicates' } },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x: { field: 'value', type: 'quantitative' }, color: { field: 'label', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4', '#2ca02c'] } }, strokeDash: { field: 'label', type: 'nominal', title: null } },
      },
    ],
    config: { ...NO_ARIA, legend: { orient: 'bottom' } },
  };
}

/** Step lines of shares per bin (a histogram per key, one colour each), on a log x axis. */
export function stepHistogramsChart(title: string, rows: { x: number; share: number; key: string }[], keys: string[], xTitle: string): VlSpec {
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.3 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { type: 'log' } },
      y: { field: 'share', type: 'quantitative', title: 'share of sequences' },
      color: { field: 'key', type: 'ordinal', title: 'generation', sort: keys, scale: { scheme: 'viridis' } },
    },
    config: { ...NO_ARIA, legend: { orient: 'right' } },
  };
}

/** A dot plot: a value per (row, colour), e.g. throughput per kernel case and backend, faceted by a column when given. */
export function dotsChart(title: string, rows: { row: string; colour: string; value: number; facet?: string }[], xTitle: string, logX: boolean): VlSpec {
  const faceted = rows.some((r) => r.facet !== undefined);
  // dots, not bars: a bar on a log axis has no base
  const inner = {
    width: 300,
    height: { step: 16 },
    mark: { type: 'point', filled: true, size: 40 },
    encoding: {
      y: { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 320 } },
      x: { field: 'value', type: 'quantitative', title: xTitle, ...(logX ? { scale: { type: 'log' } } : {}) },
      color: { field: 'colour', type: 'nominal', title: null },
      shape: { field: 'colour', type: 'nominal', title: null },
    },
  };
  return faceted
    ? { $schema: SCHEMA, title, data: { values: rows }, facet: { column: { field: 'facet', type: 'nominal', title: null } }, spec: inner, config: { ...NO_ARIA, legend: { orient: 'bottom' } } }
    : { $schema: SCHEMA, title, data: { values: rows }, ...inner, config: { ...NO_ARIA, legend: { orient: 'bottom' } } };
}

/** The lines (mean, median, theory) and band (10-90%) of one metric of one run, optionally through a monotone map. */
export function metricSeries(run: RunReportData, metric: string, map?: { f: (x: number) => number; theoryMeanLabel?: Series | null }): { lines: LinePoint[]; bands: BandPoint[] } {
  const f = map?.f ?? ((x: number) => x);
  const lines: LinePoint[] = [];
  const add = (n: number, series: Series, v: number | null | undefined) => {
    if (v === null || v === undefined) return;
    const value = f(v);
    if (Number.isFinite(value)) lines.push({ n, series, value });
  };
  const plotted = new Set(run.spread.generations);
  for (const g of run.summary.generations) {
    if (!plotted.has(g.n)) continue;
    const s = g.metrics[metric];
    if (!s) continue;
    // a mean does not pass through a nonlinear map: a mapped metric shows medians (and the map of the theory mean, labelled by the caller)
    if (!map) add(g.n, 'simulation mean', s.mean);
    add(g.n, 'simulation median', s.median);
    if (!map || map.theoryMeanLabel) add(g.n, map?.theoryMeanLabel ?? 'theory mean', s.theoryMean);
    add(g.n, 'theory median', s.theoryMedian);
    add(g.n, 'theory lower', s.theoryLower);
    add(g.n, 'theory upper', s.theoryUpper);
  }
  const bound = run.summary.bounds[metric];
  if (bound !== undefined) for (const n of run.spread.generations) add(n, 'theory bound', bound);
  const bands: BandPoint[] = [];
  const sp = run.spread.metrics[metric];
  if (sp) {
    run.spread.generations.forEach((n, i) => {
      const lo = sp.q10[i];
      const hi = sp.q90[i];
      if (lo !== null && hi !== null && Number.isFinite(f(lo)) && Number.isFinite(f(hi))) bands.push({ n, lo: f(lo), hi: f(hi), series: '10-90% of replicates' });
    });
  }
  return { lines, bands };
}
