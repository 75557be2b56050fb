// The figures of a sweep: `report SWEEP_DIR` and `sweep GRID --report DIR`
// write a line chart per swept option and a heatmap per pair for each
// chosen metric; the SVGs parse and have marks, the figures' data are the
// summary's numbers, and the page shows the summary table.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSweep, runSweep } from '../src/sweep/run-sweep.js';
import { readSweep } from '../src/sweep/load.js';
import { renderSweepSummary, type SweepSummary } from '../src/sweep/summary.js';
import { parseGridText } from '../src/sweep/grid.js';
import { sweepFigures, sweepNotes, type SweepData, type SweepPoint, type SweepTile } from '../src/report/figures/sweep.js';
import { reportFromFiles } from '../src/cli/report.js';
import { main } from '../src/cli/main.js';
import { wellFormed } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'collapse-report-sweep-'));
const GRID = {
  family: 'gaussian',
  description: 'a small M sweep',
  base: { generations: 6, replicates: 5, every: 3, seed: 'report-sweep' },
  grid: { estimator: ['unbiased', 'mle'], samples: [20, 60] },
  report: ['sigma', 'meanSqError'],
};
const IDS = ['by-estimator', 'by-samples', 'heatmap-estimator-samples'];
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const short = (x: number) => String(Number(x.toPrecision(3)));

describe('figures of a sweep', () => {
  afterEach(() => vi.restoreAllMocks());
  let summary: SweepSummary;
  const dir = join(tmp, 'sweep');

  it('report SWEEP_DIR: a chart per swept option and a heatmap per metric, the data the summary\'s', async () => {
    await runSweep(planSweep(parseGridText(JSON.stringify(GRID), 'test grid'), 'test grid'), { dir });
    summary = readSweep(dir).summary;
    const out = join(tmp, 'report');
    const written = await reportFromFiles([dir], out);
    const svgs = readdirSync(out).filter((f) => f.endsWith('.svg')).sort();
    expect(svgs).toEqual(['sigma', 'meansqerror'].flatMap((m) => IDS.map((id) => `sweep-${m}-${id}.svg`)).sort());
    expect(written.svgs).toHaveLength(6);
    for (const f of svgs) {
      const svg = readFileSync(join(out, f), 'utf8');
      expect(wellFormed(svg), f).toBe(true);
      expect(svg, f).toMatch(/role-mark[^]*?(d="M|x1=|<circle|<rect)/);
      expect(svg, f).not.toMatch(/NaN/);
    }
    // the heatmap's tiles are labelled with each cell's mean ± se, as drawn text
    const heat = readFileSync(join(out, 'sweep-sigma-heatmap-estimator-samples.svg'), 'utf8');
    for (const c of summary.cells) expect(heat).toContain(`${short(c.metrics.sigma!.mean!)}±${short(c.metrics.sigma!.se!)}`);
    // the page: the summary table the sweep printed, with every cell's digest
    const html = readFileSync(written.html, 'utf8');
    expect(html).toContain(escape(renderSweepSummary(summary)));
    for (const c of summary.cells) expect(html).toContain(c.digest);
    expect(html).toContain('sweep-sigma-by-samples.svg');
  }, 120_000);

  it('the specs hold the summary\'s means, se bars and theory', () => {
    const figures = sweepFigures(summary);
    const line = figures.find((f) => f.id === 'sweep-sigma-by-samples')!;
    const points = (line.spec.data as { values: SweepPoint[] }).values;
    for (const c of summary.cells) {
      const m = c.metrics.sigma!;
      const at = points.filter((p) => p.x === c.varied.samples && p.line === `estimator=${c.varied.estimator}`);
      expect(at.find((p) => p.kind === 'simulation')).toEqual({ x: c.varied.samples, line: `estimator=${c.varied.estimator}`, kind: 'simulation', mean: m.mean, lo: m.mean! - m.se!, hi: m.mean! + m.se! });
      expect(at.find((p) => p.kind === 'theory')?.mean).toBe(m.theoryMean);
    }
    expect(points).toHaveLength(2 * summary.cells.length);
    const heat = figures.find((f) => f.id === 'sweep-meansqerror-heatmap-estimator-samples')!;
    const tiles = (heat.spec.data as { values: SweepTile[] }).values;
    expect(tiles.map((t) => t.mean)).toEqual(summary.cells.map((c) => c.metrics.meanSqError!.mean));
  });

  it('sweep GRID --report DIR writes the same figures; bad uses are refused', async () => {
    const grid = join(tmp, 'grid.json');
    writeFileSync(grid, JSON.stringify(GRID));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(tmp, 'sweep-report');
    expect(await main(['sweep', grid, '--workers', '1', '--quiet', '--report', out])).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.svg'))).toHaveLength(6);
    expect(readFileSync(join(out, 'sweep-sigma-by-samples.svg'), 'utf8')).toBe(readFileSync(join(tmp, 'report', 'sweep-sigma-by-samples.svg'), 'utf8'));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    expect(await main(['sweep', grid, '--shard', '1/2', '--report', out])).toBe(2);
    expect(errors.pop()).toMatch(/--report with --shard: .*merge the shards/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(await main(['report', empty, '--out', join(tmp, 'r2')])).toBe(2);
    expect(errors.pop()).toMatch(/report: .*empty is a directory without manifest\.json/);
    expect(existsSync(join(tmp, 'r2', 'index.html'))).toBe(false);
  }, 120_000);

  it('a figure left out is said, on the page and on stderr: a metric no cell records, no finite value, no swept option', async () => {
    const cell = (samples: number, metrics: SweepData['cells'][number]['metrics']) => ({ index: 0, varied: { samples }, generation: 6, metrics });
    const m = (mean: number | null) => ({ mean, se: null, theoryMean: null });
    const data: SweepData = { family: 'gaussian', cells: [cell(10, { sigma: m(1), bogusMetric: null, w2sq: m(null) }), cell(20, { sigma: m(2), bogusMetric: null, w2sq: m(null) })] };
    expect(sweepFigures(data).map((f) => f.id)).toEqual(['sweep-sigma-by-samples']);
    expect(sweepNotes(data)).toEqual([
      'bogusMetric: no figure, no cell records it (not a metric of the gaussian cells)',
      'w2sq: no figure, no cell has a finite mean or a closed form at the last generation',
    ]);
    expect(sweepNotes({ family: 'gaussian', cells: [{ ...data.cells[0], varied: {} }] })).toEqual([expect.stringMatching(/^the grid sweeps no option \(1 cell\), so there is nothing to draw a metric against/)]);
    expect(sweepNotes(summary)).toEqual([]);

    // a directory written before sweep checked report names: its summary has a metric no cell recorded
    const old = join(tmp, 'old-sweep');
    cpSync(dir, old, { recursive: true });
    const s = JSON.parse(readFileSync(join(old, 'summary.json'), 'utf8')) as SweepSummary;
    s.cells = s.cells.map((c) => ({ ...c, metrics: { bogusMetric: null } }));
    writeFileSync(join(old, 'summary.json'), JSON.stringify(s));
    const said: string[] = [];
    const written = await reportFromFiles([old], join(tmp, 'old-report'), (line) => void said.push(line));
    expect(written.svgs).toEqual([]);
    expect(said).toContain(`Sweep: gaussian, a small M sweep (${old}): bogusMetric: no figure, no cell records it (not a metric of the gaussian cells)`);
    expect(readFileSync(written.html, 'utf8')).toContain('<li>bogusMetric: no figure, no cell records it (not a metric of the gaussian cells)</li>');
  }, 60_000);
});
