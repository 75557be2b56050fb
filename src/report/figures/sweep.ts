// Figures of a sweep, from its summary's cells (plain data: the cli layer
// reads the sweep directory and hands the cells here, so report stays below
// sweep): for each chosen metric at the last generation,
//   - against each swept option: the mean with error bars of one standard
//     error, one line per combination of the other swept options, the
//     closed-form mean beside it (dashed);
//   - a heatmap of the mean over each pair of swept options (a panel per
//     combination of the remaining ones).
// Pure: a spec per figure, no rendering.
import type { Figure, VlSpec } from './charts.js';

/** A swept option's value as a grid holds it. */
export type SweepValue = string | number | boolean | readonly (string | number | boolean)[];

/** What a figure reads of one metric of one cell (a MetricSummary has these). */
export interface SweepMetric {
  mean: number | null;
  se: number | null;
  theoryMean: number | null;
}

/** One cell of a sweep's summary (a SweepCellSummary has these fields). */
export interface SweepCellData {
  index: number;
  varied: Record<string, SweepValue>;
  generation: number;
  metrics: Record<string, SweepMetric | null>;
}

export interface SweepData {
  family: string;
  cells: SweepCellData[];
}

/** One point of a sweep's line chart. */
export interface SweepPoint {
  /** The swept option's value (a number when every value of it is one). */
  x: number | string;
  /** The other swept options' values, e.g. "policy=replace, dim=3" (or "all"). */
  line: string;
  /** "simulation" (mean ± se) or "theory" (the closed-form mean). */
  kind: 'simulation' | 'theory';
  mean: number;
  lo: number;
  hi: number;
}

/** One tile of a heatmap. */
export interface SweepTile {
  x: string;
  y: string;
  panel: string;
  mean: number;
  /** The tile's label: mean ± se. */
  text: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
const text = (v: SweepValue): string => (Array.isArray(v) ? v.join(',') : String(v));
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
const short = (x: number) => String(Number(x.toPrecision(3)));

/** The swept options, in the order the cells name them. */
export function sweptAxes(s: SweepData): string[] {
  return [...new Set(s.cells.flatMap((c) => Object.keys(c.varied)))];
}

/** The metrics the summary holds, in its order. */
export function sweptMetrics(s: SweepData): string[] {
  return [...new Set(s.cells.flatMap((c) => Object.keys(c.metrics)))];
}

const numericAxis = (s: SweepData, axis: string) => s.cells.every((c) => typeof c.varied[axis] === 'number');
const label = (c: SweepCellData, axes: string[]) => (axes.length ? axes.map((a) => `${a}=${c.varied[a] === undefined ? '-' : text(c.varied[a])}`).join(', ') : 'all');

/** The points of `metric` against `axis`: per cell its mean ± se and its theory. */
export function sweepLinePoints(s: SweepData, metric: string, axis: string): SweepPoint[] {
  const others = sweptAxes(s).filter((a) => a !== axis);
  const numeric = numericAxis(s, axis);
  const points: SweepPoint[] = [];
  for (const c of s.cells) {
    const m = c.metrics[metric];
    if (!m || c.varied[axis] === undefined) continue;
    const x = numeric ? (c.varied[axis] as number) : text(c.varied[axis]);
    const line = label(c, others);
    if (finite(m.mean)) {
      const se = finite(m.se) ? m.se : 0;
      points.push({ x, line, kind: 'simulation', mean: m.mean, lo: m.mean - se, hi: m.mean + se });
    }
    if (finite(m.theoryMean)) points.push({ x, line, kind: 'theory', mean: m.theoryMean, lo: m.theoryMean, hi: m.theoryMean });
  }
  return points;
}

/** The tiles of `metric` over (xAxis, yAxis), a panel per combination of the other swept options. */
export function sweepTiles(s: SweepData, metric: string, xAxis: string, yAxis: string): SweepTile[] {
  const others = sweptAxes(s).filter((a) => a !== xAxis && a !== yAxis);
  const tiles: SweepTile[] = [];
  for (const c of s.cells) {
    const m = c.metrics[metric];
    if (!m || !finite(m.mean) || c.varied[xAxis] === undefined || c.varied[yAxis] === undefined) continue;
    tiles.push({ x: text(c.varied[xAxis]), y: text(c.varied[yAxis]), panel: label(c, others), mean: m.mean, text: finite(m.se) ? `${short(m.mean)}±${short(m.se)}` : short(m.mean) });
  }
  return tiles;
}

/** A metric against a swept option: error bars and points per line, the theory dashed. */
export function sweepLineChart(title: string, points: SweepPoint[], axis: string, metric: string, numeric: boolean): VlSpec {
  const x = { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: axis, ...(numeric ? { scale: { type: points.every((p) => (p.x as number) > 0) ? 'log' : 'linear', nice: false } } : { sort: null }) };
  const y = { field: 'mean', type: 'quantitative', title: `${metric} (last generation)`, scale: { zero: false } };
  const colour = { field: 'line', type: 'nominal', title: null };
  const sim = { filter: "datum.kind === 'simulation'" };
  return {
    $schema: SCHEMA,
    title,
    width: 440,
    height: 260,
    data: { values: points },
    layer: [
      { transform: [sim], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color: colour } },
      { transform: [sim], mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, color: colour } },
      { transform: [sim], mark: { type: 'rule', strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: colour } },
      { transform: [{ filter: "datum.kind === 'theory'" }], mark: { type: 'line', strokeWidth: 1.2, strokeDash: [6, 3] }, encoding: { x, y, color: colour } },
    ],
    config: { aria: false, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
  };
}

/** A heatmap of a metric's mean over two swept options, one panel per combination of the others. */
export function sweepHeatmap(title: string, tiles: SweepTile[], xAxis: string, yAxis: string, metric: string): VlSpec {
  const panels = [...new Set(tiles.map((t) => t.panel))];
  const inner = {
    width: { step: 70 },
    height: { step: 34 },
    encoding: { x: { field: 'x', type: 'ordinal', title: xAxis, sort: null }, y: { field: 'y', type: 'ordinal', title: yAxis, sort: null } },
    layer: [
      { mark: { type: 'rect' }, encoding: { color: { field: 'mean', type: 'quantitative', title: metric, scale: { scheme: 'viridis' } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'text' }, color: { value: 'white' } } },
    ],
  };
  const base = { $schema: SCHEMA, title, data: { values: tiles }, config: { aria: false, legend: { orient: 'right' } } };
  return panels.length > 1 ? { ...base, facet: { field: 'panel', type: 'nominal', title: null, sort: panels }, columns: 3, spec: inner } : { ...base, ...inner };
}

/** Every figure of a sweep: per metric, a line chart per swept option and a heatmap per pair. */
export function sweepFigures(s: SweepData, prefix = 'sweep-'): Figure[] {
  const axes = sweptAxes(s);
  const n = s.cells[0]?.generation ?? 0;
  const figures: Figure[] = [];
  for (const metric of sweptMetrics(s)) {
    for (const axis of axes) {
      const points = sweepLinePoints(s, metric, axis);
      if (!points.length) continue;
      const title = `${metric} at n = ${n} against ${axis}`;
      const others = axes.filter((a) => a !== axis);
      figures.push({
        id: `${prefix}${slug(metric)}-by-${slug(axis)}`,
        title,
        caption: `${s.family} sweep: the mean of ${metric} over the replicates at the last generation (n = ${n}) with error bars of one standard error, against ${axis}${others.length ? `, one line per value of ${others.join(' and ')}` : ''}; the closed-form mean dashed where the family has one.`,
        spec: sweepLineChart(title, points, axis, metric, numericAxis(s, axis)),
      });
    }
    for (let i = 0; i < axes.length; i++) {
      for (let j = i + 1; j < axes.length; j++) {
        const tiles = sweepTiles(s, metric, axes[i], axes[j]);
        if (!tiles.length) continue;
        const title = `${metric} at n = ${n}: ${axes[i]} × ${axes[j]}`;
        const rest = axes.filter((a) => a !== axes[i] && a !== axes[j]);
        figures.push({
          id: `${prefix}${slug(metric)}-heatmap-${slug(axes[i])}-${slug(axes[j])}`,
          title,
          caption: `${s.family} sweep: the mean of ${metric} at the last generation (n = ${n}) per ${axes[i]} and ${axes[j]}, each tile labelled mean ± se${rest.length ? `; a panel per value of ${rest.join(' and ')}` : ''}.`,
          spec: sweepHeatmap(title, tiles, axes[i], axes[j], metric),
        });
      }
    }
  }
  return figures;
}

/**
 * What the figures leave out and why, so a report is never silently short of
 * them: a grid that sweeps no option, a metric no cell records (a directory
 * written before sweep checked `report` names) or with no finite value.
 */
export function sweepNotes(s: SweepData): string[] {
  const axes = sweptAxes(s);
  if (!axes.length) return [`the grid sweeps no option (${s.cells.length} cell${s.cells.length === 1 ? '' : 's'}), so there is nothing to draw a metric against: the summary table has the values`];
  const notes: string[] = [];
  for (const metric of sweptMetrics(s)) {
    if (axes.some((a) => sweepLinePoints(s, metric, a).length > 0)) continue;
    const recorded = s.cells.some((c) => c.metrics[metric]);
    notes.push(`${metric}: no figure, ${recorded ? 'no cell has a finite mean or a closed form at the last generation' : `no cell records it (not a metric of the ${s.family} cells)`}`);
  }
  return notes;
}

