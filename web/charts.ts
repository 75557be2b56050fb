// The live charts' Vega-Lite specs: one chart per metric, a thin line per
// replicate, their mean, and the closed-form theory mean once the summary has
// it. Pure data in, spec out, so the report's figure builders
// (src/report/figures/, when they land) can replace these with a change here.
// The data are named datasets the page streams rows into as replicates finish.
import type { TopLevelSpec } from 'vega-lite';

/** A row of the 'rows' dataset: one recorded value of one replicate. */
export interface MetricRow {
  generation: number;
  replicate: number;
  value: number;
}

/** A row of the 'theory' dataset. */
export interface TheoryRow {
  generation: number;
  value: number;
}

export const ROWS = 'rows';
export const THEORY = 'theory';

export function liveChartSpec(metric: string, opts: { logX: boolean; width: number }): TopLevelSpec {
  // a log axis plots generation 0 at 1: x is generation + 1 there
  const x = opts.logX
    ? { field: 'g1', type: 'quantitative' as const, title: 'generation + 1 (log)', scale: { type: 'log' as const } }
    : { field: 'generation', type: 'quantitative' as const, title: 'generation' };
  const shift = opts.logX ? [{ calculate: 'datum.generation + 1', as: 'g1' }] : [];
  const y = { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: metric,
    width: opts.width,
    height: 200,
    layer: [
      {
        data: { name: ROWS },
        transform: shift,
        mark: { type: 'line', strokeWidth: 1, opacity: 0.35, clip: true },
        encoding: { x, y, detail: { field: 'replicate' }, color: { value: '#7a9cc6' } },
      },
      {
        data: { name: ROWS },
        transform: [...shift, { aggregate: [{ op: 'mean', field: 'value', as: 'value' }], groupby: [x.field] }],
        mark: { type: 'line', strokeWidth: 2.5, clip: true },
        encoding: { x, y, color: { datum: 'simulation mean' } },
      },
      {
        data: { name: THEORY },
        transform: shift,
        mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 4], clip: true },
        encoding: { x, y, color: { datum: 'theory mean' } },
      },
    ],
    resolve: { scale: { color: 'shared' } },
    config: { legend: { orient: 'bottom', title: null }, range: { category: ['#c0392b', '#222222'] } },
  };
}
