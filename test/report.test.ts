// Figures and reports: `run --params` keeps the fitted models without
// changing the digest or the summary, and survives the JSONL round trip;
// `collapse-bench report` writes an SVG per figure (each well-formed and not
// blank) and an HTML page with the digest and config; the figures' numbers
// are the run's; bad input is one line naming what is wrong.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { familyOf, type RunConfig } from '../src/families/index.js';
import { runAndCollect } from '../src/runner/run.js';
import { encodeRecordLine, LineBuffer, toPlainRecord } from '../src/results/record-line.js';
import { readRun } from '../src/results/jsonl.js';
import type { PackedRecord, ReplicateRecord, RunSummary } from '../src/results/types.js';
import { ReportCollector, labelRuns, quantileSorted, type RunReportData } from '../src/report/figures/collect.js';
import { runFigures } from '../src/report/figures/index.js';
import { metricSeries } from '../src/report/figures/charts.js';
import { mixtureDensity2 } from '../src/report/figures/density.js';
import { benchFigures } from '../src/report/figures/bench.js';
import { wellFormed } from './helpers.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-report-'));

function cli(args: string[], timeout = 120_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A small run of each family (seconds in all), with its recorded generations. */
const SMALL: Record<string, Record<string, string | number>> = {
  gaussian: { samples: 40, generations: 20, replicates: 6, every: 2 },
  gmm: { samples: 60, generations: 6, replicates: 3, holdout: 20, every: 2 },
  kde: { samples: 30, generations: 6, replicates: 3, holdout: 20 },
  categorical: { states: 6, samples: 20, generations: 60, replicates: 12 },
  regression: { dim: 3, points: 20, generations: 8, replicates: 6, policy: 'accumulate', 'w-star': 'ones' },
  lm: { documents: 10, generations: 2, replicates: 2 },
};

const argsOf = (o: Record<string, string | number>) => Object.entries(o).flatMap(([k, v]) => [`--${k}`, String(v)]);
const resolve = (family: string, extra: Record<string, string | number> = {}) => familyOf(family).resolve({ ...SMALL[family], ...extra }).config as RunConfig;

/** The summary without what differs between two sessions (time, environment). */
const comparable = (s: RunSummary) => ({ ...s, elapsedMs: null, environment: null });

/** The records' JSONL lines and the header, read back through the streaming reader. */
async function roundTrip(header: unknown, records: PackedRecord[], family: string) {
  const buf = new LineBuffer();
  const lines = [JSON.stringify(header)];
  for (const r of records) {
    encodeRecordLine(r, buf);
    lines.push(buf.bytes.toString('utf8', 0, buf.length));
  }
  const seen: (ReplicateRecord | PackedRecord)[] = [];
  const contents = await readRun(Readable.from([lines.join('\n') + '\n']), 'mem', () => familyOf(family), (r) => seen.push(structuredClone(r)));
  return { contents, seen, text: lines.join('\n') };
}

describe('--params: the fitted models at the recorded generations', () => {
  for (const family of Object.keys(SMALL)) {
    it(`${family}: digest and summary unchanged; the params survive the JSONL round trip`, async () => {
      const config = resolve(family);
      const plain = await runAndCollect(config);
      const kept: PackedRecord[] = [];
      const withParams = await runAndCollect(config, { params: true, onReplicate: (r) => void kept.push(structuredClone(r)) });
      expect(withParams.summary.digest).toBe(plain.summary.digest);
      expect(comparable(withParams.summary)).toEqual(comparable(plain.summary));
      expect(withParams.header.params).toBe(true);
      expect(plain.header.params).toBeUndefined();
      expect(plain.replicates[0].params).toBeUndefined();
      const G = withParams.header.recorded.length;
      for (const r of withParams.replicates) {
        expect(r.params).toHaveLength(G);
        expect(r.metrics).toEqual(plain.replicates[r.replicate].metrics);
      }
      const p0 = withParams.replicates[0].params!;
      const d = (config as unknown as { dim?: number }).dim ?? 1;
      switch (family) {
        case 'gaussian':
          expect(p0[0]).toEqual({ mean: [0], cov: [1] }); // N(0, 1), the original
          // 1-D: mu is a metric too; the kept mean is the same number
          expect((p0[3]!.mean as number[])[0]).toBe(withParams.replicates[0].metrics.mu[3]);
          expect(Math.sqrt((p0[3]!.cov as number[])[0])).toBe(withParams.replicates[0].metrics.sigma[3]);
          break;
        case 'gmm': {
          const K = (p0[1]!.weights as number[]).length;
          expect((p0[1]!.means as number[][]).every((m) => m.length === d)).toBe(true);
          expect((p0[1]!.covs as number[][])).toHaveLength(K);
          expect((p0[1]!.weights as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          break;
        }
        case 'kde':
          expect(p0[0]!.bandwidth).toBe(withParams.replicates[0].metrics.bandwidth[0]);
          expect((p0[0]!.centres as number[][]).length).toBe(Math.min(200, 30));
          break;
        case 'categorical': {
          const probs = p0[G - 1]!.probs as number[];
          expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          expect(probs.length).toBe(withParams.replicates[0].metrics.survivors[G - 1]);
          break;
        }
        case 'regression':
          expect(p0[0]!.w).toEqual([1, 1, 1].slice(0, d)); // w* = ones
          expect(p0[1]!.w).toHaveLength(3);
          break;
        case 'lm':
          expect(p0.every((p) => p === null)).toBe(true); // documented: nothing beyond metrics
          break;
      }
      // show and --resume read such a file: the same summary as the run's
      const { contents, seen } = await roundTrip(withParams.header, kept, family);
      expect(comparable(contents.builder.finish(null))).toEqual(comparable(withParams.summary));
      expect(seen.map((r) => r.params)).toEqual(withParams.replicates.map((r) => r.params));
    }, 60_000);
  }

  it('a long line (written in pieces) carries the params as JSON.stringify would', () => {
    const values = Float64Array.from({ length: 40_000 }, (_, i) => (i % 7 === 0 ? NaN : i / 3));
    const record: PackedRecord = { kind: 'replicate', replicate: 0, digest: 'ab'.repeat(32), metrics: { x: values }, events: [], params: [{ mean: [0.1], cov: [2] }, null] };
    const buf = new LineBuffer();
    encodeRecordLine(record, buf);
    expect(buf.bytes.toString('utf8', 0, buf.length)).toBe(JSON.stringify(toPlainRecord(record)));
  });

  it('--resume of a --params file appends the same records as one whole run', () => {
    const full = join(tmp, 'params-full.jsonl');
    const part = join(tmp, 'params-part.jsonl');
    expect(cli(['run', 'gaussian', ...argsOf(SMALL.gaussian), '--params', '--out', full, '--quiet', '--force']).code).toBe(0);
    const lines = readFileSync(full, 'utf8').split('\n');
    writeFileSync(part, lines.slice(0, 3).join('\n') + '\n');
    const r = cli(['run', 'gaussian', '--resume', part, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(part, 'utf8').split('\n').slice(1)).toEqual(lines.slice(1));
    expect(cli(['show', part]).code).toBe(0);
  });

  it('worker threads carry the params: the same records as in one thread', () => {
    const lines = (workers: number) => {
      const file = join(tmp, `workers${workers}.jsonl`);
      const r = cli(['run', 'gmm', ...argsOf(SMALL.gmm), '--params', '--workers', String(workers), '--out', file, '--quiet', '--force']);
      expect(r.code, r.err).toBe(0);
      return readFileSync(file, 'utf8').split('\n').slice(1);
    };
    const one = lines(1);
    expect(JSON.parse(one[0]).params).toHaveLength(4);
    expect(lines(2)).toEqual(one);
  }, 60_000);
});

describe('the figures hold the run\'s numbers', () => {
  async function collected(family: string, extra: Record<string, string | number> = {}) {
    const config = resolve(family, extra);
    let collector: ReportCollector | undefined;
    const out = await runAndCollect(config, { params: true, onStart: (h) => void (collector = new ReportCollector(h)), onReplicate: (r) => collector!.add(r) });
    return { out, data: collector!.finish(out.summary, '') };
  }

  /** A figure's layer rows, by the figure id's end. */
  const rowsOf = (figures: ReturnType<typeof runFigures>, id: string, layer: number) => {
    const f = figures.find((x) => x.id.endsWith(id));
    expect(f, id).toBeDefined();
    return ((f!.spec.layer as { data: { values: Record<string, number | string>[] } }[])[layer]).data.values;
  };

  it('gaussian sigma: the mean line is the summary mean, the band the 10% and 90% quantiles of the replicates, theory the theory', async () => {
    const { out, data } = await collected('gaussian');
    const figures = runFigures(data, 0, Math.exp);
    const lines = rowsOf(figures, 'gaussian-sigma', 1);
    const bands = rowsOf(figures, 'gaussian-sigma', 0);
    const at = out.header.recorded.indexOf(10);
    const g = out.summary.generations.find((x) => x.n === 10)!;
    expect(lines.find((r) => r.n === 10 && r.series === 'simulation mean')!.value).toBe(g.metrics.sigma.mean);
    expect(lines.find((r) => r.n === 10 && r.series === 'theory median')!.value).toBe(g.metrics.sigma.theoryMedian);
    const xs = Float64Array.from(out.replicates.map((r) => r.metrics.sigma[at] as number)).sort();
    const band = bands.find((r) => r.n === 10)!;
    expect(band.lo).toBe(quantileSorted(xs, 0.1));
    expect(band.hi).toBe(quantileSorted(xs, 0.9));
    // |mu_n - mu_0|: the median of sqrt(meanSqError), no mean (a mean does not pass through the square root)
    const err = rowsOf(figures, 'gaussian-mean-error', 1);
    expect(err.some((r) => r.series === 'simulation mean')).toBe(false);
    expect(err.find((r) => r.n === 10 && r.series === 'simulation median')!.value).toBe(Math.sqrt(g.metrics.meanSqError.median!));
  }, 60_000);

  it('regression accumulate: the pi^2/6 bound is drawn at the summary bound', async () => {
    const { data } = await collected('regression');
    const lines = metricSeries(data, 'testError').lines;
    const bound = data.summary.bounds.testError;
    expect(bound).toBeGreaterThan(0);
    expect(lines.filter((l) => l.series === 'theory bound').every((l) => l.value === bound)).toBe(true);
  }, 60_000);

  it('gmm 2-D contours come from the kept parameters; the density at a point is the mixture formula', async () => {
    const { data } = await collected('gmm');
    const figures = runFigures(data, 0, Math.exp);
    const contour = figures.find((f) => f.id.endsWith('gmm-contours'))!;
    const panels = new Set((contour.spec.data as { values: { panel: string }[] }).values.map((s) => s.panel));
    expect([...panels]).toEqual(data.params!.generations.map((n) => `n = ${n}`));
    // the original mixture of the default config at its first mean: a hand-computed value
    const p = data.params!.models[0]!;
    const f = mixtureDensity2(p, Math.exp);
    const w = p.weights as number[];
    const m = p.means as number[][];
    const c = p.covs as number[][];
    let expected = 0;
    w.forEach((wj, j) => {
      const [a, b, , d] = c[j];
      const det = a * d - b * b;
      const dx = m[0][0] - m[j][0];
      const dy = m[0][1] - m[j][1];
      expected += (wj / (2 * Math.PI * Math.sqrt(det))) * Math.exp(-0.5 * ((d * dx * dx - 2 * b * dx * dy + a * dy * dy) / det));
    });
    expect(f(m[0][0], m[0][1])).toBeCloseTo(expected, 14);
  }, 60_000);
});

describe('benchmark figures', () => {
  it('throughput per case and backend, and each runtime against the first', () => {
    const bench = (runtime: string, wasm: number) => ({ kind: 'kernel-bench' as const, environment: { runtime, runtimeVersion: '1' }, warm: [{ spec: { id: 'fit n=100' }, summary: { samplesPerSecond: { js: 100, wasm } } }] });
    const figures = benchFigures([bench('node', 400), bench('deno', 300)]);
    expect(figures.map((f) => f.id)).toEqual(['bench-throughput', 'bench-runtime-ratios']);
    const rows = (figures[1].spec.data as { values: { row: string; colour: string; value: number; facet: string }[] }).values;
    expect(rows).toEqual([
      { row: 'fit n=100', colour: 'js', value: 1, facet: 'deno 1' },
      { row: 'fit n=100', colour: 'wasm', value: 0.75, facet: 'deno 1' },
    ]);
    expect(benchFigures([bench('node', 400)]).map((f) => f.id)).toEqual(['bench-throughput']);
  });
});

describe('collapse-bench report', () => {
  const files: string[] = [];
  it('a small run of each family (--params), then one report of all of them and a bench result', () => {
    for (const family of Object.keys(SMALL)) {
      const file = join(tmp, `${family}.jsonl`);
      const r = cli(['run', family, ...argsOf(SMALL[family]), '--params', '--out', file, '--quiet', '--force']);
      expect(r.code, r.err).toBe(0);
      files.push(file);
    }
    const bench = new URL('../bench/results/reference-node-20.20.2-2026-12-02.json', import.meta.url).pathname;
    const dir = join(tmp, 'all');
    const r = cli(['report', ...files, bench, '--out', dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/open .*index\.html/);
    const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
    // the per-family figures the issue asks for
    for (const id of ['gaussian-mean-error', 'gaussian-sigma', 'gaussian-w2', 'gmm-contours', 'gmm-l2', 'kde-density', 'kde-nll', 'categorical-heterozygosity', 'categorical-survivors', 'categorical-absorption', 'regression-test-error', 'lm-test-perplexity', 'lm-perplexity-histograms', 'bench-throughput']) {
      expect(svgs.some((f) => f.endsWith(`${id}.svg`)), id).toBe(true);
    }
    for (const f of svgs) {
      const svg = readFileSync(join(dir, f), 'utf8');
      expect(wellFormed(svg), f).toBe(true);
      // not blank: drawn marks with geometry
      expect(svg, f).toMatch(/role-mark[^]*?(d="M|x1=|<circle|<rect)/);
      expect(svg).not.toMatch(/NaN/);
    }
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const file of files) {
      const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]);
      expect(html).toContain(header.config.family);
    }
    const show = cli(['show', files[0], '--json']);
    const digest = JSON.parse(show.out).digest as string;
    expect(html).toContain(digest);
    expect(html).toContain('&quot;samples&quot;: 40'); // the gaussian config
    expect(html).toContain('data:image/svg+xml;base64,');
    expect(html).not.toMatch(/<script/);
    // runs of several families: each label names its own config's fields, never another family's
    expect(html).not.toMatch(/=undefined/);
    expect(html).toContain('<h2>Run 1: gaussian, ');
  }, 240_000);

  it('run labels: the fields that differ, each run naming only the fields its own config has', () => {
    const gaussian = resolve('gaussian') as unknown as Record<string, unknown>;
    const categorical = resolve('categorical', { samples: 40, generations: 20, replicates: 6, every: 2 }) as unknown as Record<string, unknown>;
    const mle: Record<string, unknown> = { ...gaussian, estimator: 'mle' };
    const [g, c, m] = labelRuns([gaussian, categorical, mle]);
    expect(g).toBe('gaussian, estimator=unbiased');
    expect(m).toBe('gaussian, estimator=mle');
    expect(c).toBe('categorical');
    for (const [label, config] of [[g, gaussian], [c, categorical], [m, mle]] as const) {
      expect(label).not.toMatch(/undefined/);
      // every field named is the run's own
      for (const field of label.split(', ').slice(1).map((p) => p.split('=')[0])) expect(config[field], `${label}: ${field}`).toBeDefined();
    }
    // one family: as before
    expect(labelRuns([gaussian, mle])).toEqual(['estimator=unbiased', 'estimator=mle']);
    expect(labelRuns([gaussian, gaussian])).toEqual(['gaussian #1', 'gaussian #2']);
    // an optional field set in one run of a family and not in the other tells them apart
    expect(labelRuns([{ family: 'x', a: 1 }, { family: 'x', a: 1, b: 2 }])).toEqual(['x #1', 'b=2']);
  });

  it('several runs of a family: an overlay figure per featured metric', () => {
    const mle = join(tmp, 'gmle.jsonl');
    const unbiased = join(tmp, 'gaussian.jsonl'); // from the test above, when it ran
    if (!existsSync(unbiased)) expect(cli(['run', 'gaussian', ...argsOf(SMALL.gaussian), '--out', unbiased, '--quiet', '--force']).code).toBe(0);
    expect(cli(['run', 'gaussian', ...argsOf(SMALL.gaussian), '--estimator', 'mle', '--out', mle, '--quiet', '--force']).code).toBe(0);
    const dir = join(tmp, 'overlay');
    expect(cli(['report', unbiased, mle, '--out', dir]).code).toBe(0);
    const svg = readFileSync(join(dir, 'overlay-gaussian-sigma.svg'), 'utf8');
    expect(svg).toContain('estimator=mle');
    expect(svg).toContain('estimator=unbiased');
  }, 120_000);

  it('an SVG is the same bytes every time', async () => {
    const { renderSvg } = await import('../src/report/render.js');
    const config = resolve('gaussian');
    let collector: ReportCollector | undefined;
    const out = await runAndCollect(config, { onStart: (h) => void (collector = new ReportCollector(h)), onReplicate: (r) => collector!.add(r) });
    const spec = runFigures(collector!.finish(out.summary, ''), 0, Math.exp)[0].spec;
    expect(await renderSvg(structuredClone(spec))).toBe(await renderSvg(structuredClone(spec)));
  }, 60_000);

  it('the build bundles vega and vega-lite into one module (dist/vendor/vega.js), which renders the bytes the packages do', async () => {
    const { renderSvg, VEGA_BUNDLE } = await import('../src/report/render.js');
    const { builtFilePath } = await import('../src/util/data-files.js');
    const bundle = builtFilePath(VEGA_BUNDLE);
    expect(bundle).toBeDefined();
    const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', data: { values: [{ n: 0, y: 1 }, { n: 1, y: 0.5 }, { n: 2, y: 0.2 }] }, mark: 'line', encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: { type: 'log' } } } };
    const svgOf = async (vega: typeof import('vega'), vl: typeof import('vega-lite')) => {
      const view = new vega.View(vega.parse(vl.compile(structuredClone(spec) as never).spec), { renderer: 'none' });
      return view.toSVG();
    };
    const bundled = (await import(pathToFileURL(bundle!).href)) as { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };
    const fromPackages = await svgOf(await import('vega'), await import('vega-lite'));
    expect(fromPackages).toContain('<svg');
    expect(await svgOf(bundled.vega, bundled.vegaLite)).toBe(fromPackages);
    expect(await renderSvg(structuredClone(spec))).toBe(fromPackages);
  }, 60_000);

  it('run --report DIR writes the report at the end (without a file too)', () => {
    const dir = join(tmp, 'live');
    const r = cli(['run', 'categorical', ...argsOf(SMALL.categorical), '--params', '--report', dir, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/report: \d+ figures; open .*index\.html/);
    expect(existsSync(join(dir, 'run1-categorical-absorption.svg'))).toBe(true);
  }, 60_000);

  const bad: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['report', join(tmp, 'nope.jsonl'), '--out', join(tmp, 'x')], /report: cannot read .*nope\.jsonl \(ENOENT\)/],
    ['not a run file', () => (writeFileSync(join(tmp, 'text.jsonl'), 'hello\n'), ['report', join(tmp, 'text.jsonl'), '--out', join(tmp, 'x')]), /text\.jsonl:1: not valid JSON, so not a collapse-bench run header/],
    ['run --json\'s summary', () => (writeFileSync(join(tmp, 'run.json'), JSON.stringify({ tool: 'collapse-bench', version: '0', config: {}, replicatesCompleted: 1 }, null, 2)), ['report', join(tmp, 'run.json'), '--out', join(tmp, 'x')]), /report: .*run\.json is a run's summary \(what run --json prints\); report reads the run's JSONL/],
    ['a JSON file that is no bench result', () => (writeFileSync(join(tmp, 'other.json'), '{"a":1}'), ['report', join(tmp, 'other.json'), '--out', join(tmp, 'x')]), /other\.json is not an npm run bench result/],
    ['--out not writable', () => (writeFileSync(join(tmp, 'afile'), ''), ['report', join(tmp, 'gaussian.jsonl'), '--out', join(tmp, 'afile', 'sub')]), /--out .*afile\/sub: cannot write there \((ENOTDIR|EEXIST)\)/],
    ['no --out', () => ['report', join(tmp, 'gaussian.jsonl')], /report: --out DIR is required/],
    ['no runs', () => ['report', '--out', join(tmp, 'x')], /report: which runs\?/],
    ['--params without a file or report', () => ['run', 'gaussian', '--params', '--quiet'], /--params keeps the fitted parameters .*give --out FILE\.jsonl or --report DIR/],
    ['run --report not writable', () => ['run', 'gaussian', '--generations', '2', '--report', join(tmp, 'afile', 'sub'), '--quiet'], /--report .*afile\/sub: cannot write there/],
  ];
  for (const [name, args, message] of bad) {
    it(`bad input: ${name}`, () => {
      const r = cli(args());
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      // one error line (after any progress lines), no stack
      expect(r.err.trim().split('\n').filter((l) => l.startsWith('collapse-bench:'))).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
});

export type { RunReportData };
