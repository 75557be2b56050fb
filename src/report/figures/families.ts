// The figures of each family: a small table of what to draw beyond the
// generic chart every metric gets (src/report/figures/index.ts). Each figure
// draws the family's closed-form theory beside the simulation, and the spread
// over replicates, from RunReportData alone.
import type { RunReportData } from './collect.js';
import type { ModelParams } from '../../results/types.js';
import { contourPanels, curvesChart, histogramChart, metricSeries, stepHistogramsChart, trajectoryChart, type AxisOptions, type Figure, type Series } from './charts.js';
import { contours, grid, kdeDensity, levelsFrom, mixtureDensity1, mixtureDensity2, type Exp } from './density.js';
import { imageGridChart } from './image-grid.js';

/** A featured trajectory: a metric (through a monotone map, if any) on chosen axes. */
export interface FeaturedMetric {
  metric: string;
  id: string;
  title: string;
  axes: AxisOptions;
  map?: { f: (x: number) => number; theoryMeanLabel?: Series | null; note: string };
}

export interface FamilyFigures {
  /** Trajectories drawn first (and overlaid across runs of the family). */
  featured(run: RunReportData): FeaturedMetric[];
  /** Figures of their own (densities, histograms). */
  extra?(run: RunReportData, exp: Exp): Figure[];
  /** Metrics the generic section leaves out (drawn elsewhere, or not per generation). */
  hidden?: RegExp;
}

const sqrt = (x: number) => Math.sqrt(x);

/** The spread's caption: over how many replicates. */
export function spreadNote(run: RunReportData): string {
  const R = run.summary.replicatesCompleted;
  const kept = run.spread.replicates;
  return kept < R ? `band: 10-90% of the first ${kept} of ${R} replicates` : `band: 10-90% of ${R} replicates`;
}

/** The trajectory figure of a featured metric of one run. */
export function featuredFigure(run: RunReportData, f: FeaturedMetric, prefix: string): Figure {
  const { lines, bands } = metricSeries(run, f.metric, f.map);
  const caption = `${run.label}: ${f.map ? 'median' : 'mean and median'} over replicates (solid), closed-form theory (dashed) where it exists; ${spreadNote(run)}${f.map ? `; ${f.map.note}` : ''}${f.axes.logY ? '; values <= 0 are not on the log axis' : ''}.`;
  return { id: `${prefix}${f.id}`, title: f.title, caption, spec: trajectoryChart(f.title, lines, bands, f.axes) };
}

/** The snapshots of one replicate's fitted models (from --params), with a note when the run has none. */
function snapshots(run: RunReportData): { n: number; p: ModelParams }[] {
  if (!run.params) return [];
  return run.params.generations.map((n, i) => ({ n, p: run.params!.models[i]! })).filter((s) => s.p);
}

const SQUARE: [number, number, number, number] = [-3, 3, -3, 3];

const gaussian: FamilyFigures = {
  featured: (run) => {
    const d = run.header.config as unknown as { dim?: number };
    const one = (d.dim ?? 1) === 1;
    return [
      {
        metric: 'meanSqError',
        id: 'mean-error',
        title: one ? '|mu_n - mu_0| (SI Figs. 3-5)' : '||mu_n - mu_0||',
        axes: { logX: true, yTitle: one ? '|mu_n - mu_0|' : '||mu_n - mu_0||' },
        map: { f: sqrt, theoryMeanLabel: 'theory sqrt(mean)', note: 'the square root of meanSqError per replicate; theory: the square root of its closed-form mean (an RMS)' },
      },
      { metric: 'sigma', id: 'sigma', title: one ? 'sigma_n (SI Figs. 3-5)' : 'sqrt(tr Sigma_n / d)', axes: { logX: true, yTitle: 'sigma_n' } },
      { metric: 'w2sq', id: 'w2', title: 'W2^2(model n, original)', axes: { logX: true, yTitle: 'W2^2' } },
    ];
  },
};

const gmm: FamilyFigures = {
  featured: () => [
    { metric: 'l2sq', id: 'l2', title: 'L2^2 distance to the true mixture', axes: { logX: true, logY: true, yTitle: 'L2^2 (log)' } },
    { metric: 'holdoutLogLik', id: 'holdout', title: 'held-out log-likelihood per point', axes: { logX: true, yTitle: 'log-likelihood' } },
  ],
  extra(run, exp) {
    const snaps = snapshots(run);
    const d = (run.header.config as unknown as { dim: number }).dim;
    if (!snaps.length) return [];
    const title = `fitted mixture density of replicate ${run.params!.replicate} by generation (SI Fig. 6)`;
    if (d === 1) {
      const xs = grid(-3, 3, 121);
      const rows = snaps.flatMap((s) => {
        const f = mixtureDensity1(s.p, exp);
        return xs.map((x) => ({ x, y: f(x), key: s.n }));
      });
      return [{ id: 'density', title, caption: `${run.label}: the density of the fitted mixture (from --params) at the recorded generations among 0, 50, 100, 150, 200, 350, 2000, on [-3, 3].`, spec: curvesChart(title, rows, 'x', 'density', 'generation') }];
    }
    if (d !== 2) return [];
    const levels = levelsFrom(mixtureDensity2(snaps[0].p, exp), SQUARE);
    const lines = snaps.flatMap((s) => contours(mixtureDensity2(s.p, exp), SQUARE, levels, `n = ${s.n}`));
    return [
      {
        id: 'contours',
        title,
        caption: `${run.label}: contours of the fitted mixture density (from --params) on the fixed square [-3, 3]^2, at levels ${levels.length ? 'that are fractions 0.05 to 0.9 of the original density\'s peak' : '(none: the original density is 0 here)'}, shared by every panel.`,
        spec: contourPanels(title, lines, snaps.map((s) => `n = ${s.n}`), SQUARE),
      },
    ];
  },
};

const kde: FamilyFigures = {
  featured: () => [
    { metric: 'nll', id: 'nll', title: 'held-out negative log-likelihood', axes: { logX: true, yTitle: 'NLL per held-out point' } },
    { metric: 'variance', id: 'variance', title: 'variance of the training set', axes: { logX: true, logY: true, yTitle: 'variance (log)' } },
  ],
  extra(run, exp) {
    const snaps = snapshots(run).filter((s) => (s.p.centres as number[][]).length > 0 && (s.p.bandwidth as number) > 0);
    if (!snaps.length) return [];
    const d = (snaps[0].p.centres as number[][])[0].length;
    const centres0 = snaps[0].p.centres as number[][];
    const h0 = snaps[0].p.bandwidth as number;
    // fixed axes from generation 0's points, 3 bandwidths beyond
    const range = (a: number): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of centres0) (lo = Math.min(lo, c[a])), (hi = Math.max(hi, c[a]));
      return [lo - 3 * h0, hi + 3 * h0];
    };
    const title = `KDE of replicate ${run.params!.replicate} by generation`;
    const note = `the KDE (bandwidth h of each generation) of the first ${centres0.length} points of the training set (from --params): the whole KDE when the set is that small, else an estimate of it`;
    if (d === 1) {
      const [a, b] = range(0);
      const xs = grid(a, b, 161);
      const rows = snaps.flatMap((s) => {
        const f = kdeDensity(s.p, exp);
        return xs.map((x) => ({ x, y: f([x]), key: s.n }));
      });
      return [{ id: 'density', title, caption: `${run.label}: ${note}.`, spec: curvesChart(title, rows, 'x', 'density', 'generation') }];
    }
    if (d !== 2) return [];
    const domain: [number, number, number, number] = [...range(0), ...range(1)];
    const f0 = kdeDensity(snaps[0].p, exp);
    const levels = levelsFrom((x, y) => f0([x, y]), domain);
    const lines = snaps.flatMap((s) => {
      const f = kdeDensity(s.p, exp);
      return contours((x, y) => f([x, y]), domain, levels, `n = ${s.n}`, 40);
    });
    return [{ id: 'contours', title, caption: `${run.label}: contours of ${note}, at levels shared by every panel (fractions of generation 0's peak).`, spec: contourPanels(title, lines, snaps.map((s) => `n = ${s.n}`), domain) }];
  },
};

const categorical: FamilyFigures = {
  featured: () => [
    { metric: 'heterozygosity', id: 'heterozygosity', title: 'heterozygosity 1 - sum p_i^2', axes: { logX: true, yTitle: 'heterozygosity' } },
    { metric: 'survivors', id: 'survivors', title: 'surviving states', axes: { logX: true, yTitle: 'states with p > 0' } },
  ],
  extra(run) {
    const times = (run.finals.absorptionGeneration ?? []).filter((x): x is number => x !== null);
    if (!times.length) return [];
    const f = run.summary.finals.absorptionGeneration;
    const rules = [
      ...(f?.theoryMean != null ? [{ label: 'theory mean', value: f.theoryMean }] : []),
      ...(f?.mean != null ? [{ label: 'simulated mean', value: f.mean }] : []),
    ];
    const missing = (run.finals.absorptionGeneration ?? []).length - times.length;
    const title = 'absorption time (generation with one state left)';
    const caption = `${run.label}: histogram over ${times.length} replicates${missing ? ` (${missing} not absorbed within --generations, left out)` : ''}, with the theory's mean (Littler 1975) and the simulated mean.`;
    return [{ id: 'absorption', title, caption, spec: histogramChart(title, times, rules, 'absorption generation') }];
  },
};

const regression: FamilyFigures = {
  featured: () => [{ metric: 'testError', id: 'test-error', title: 'test error (excess over sigma^2)', axes: { logX: true, yTitle: 'test error' } }],
};

/** lm's histogram bins: bin i holds 10^(i/10) <= ppl < 10^((i+1)/10) (src/families/lm/model.ts). */
const HIST = /^seqPplHist(\d+)$/;

const lm: FamilyFigures = {
  hidden: HIST,
  featured: () => [{ metric: 'testPerplexity', id: 'test-perplexity', title: 'test perplexity of model n', axes: { yTitle: 'perplexity', logY: true } }],
  extra(run, exp) {
    const bins = Object.keys(run.summary.generations[0]?.metrics ?? {})
      .map((m) => HIST.exec(m))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ metric: m[0], i: Number(m[1]) }))
      .sort((a, b) => a.i - b.i);
    if (!bins.length) return [];
    const gens = run.summary.generations.filter((_, i, all) => all.length <= 8 || i % Math.ceil(all.length / 8) === 0 || i === all.length - 1);
    const rows = gens.flatMap((g) => bins.map((b) => ({ x: histBinStart(b.i, exp), share: g.metrics[b.metric]?.mean ?? 0, key: String(g.n) })));
    const title = 'per-sequence perplexity under model 0 (Fig. 1)';
    const caption = `${run.label}: the share of generation n's sequences in each tenth of a decade of perplexity (model 0's), averaged over replicates; one colour per generation; the last bin holds everything above.`;
    return [{ id: 'perplexity-histograms', title, caption, spec: stepHistogramsChart(title, rows, gens.map((g) => String(g.n)), 'perplexity under model 0 (log)') }];
  },
};

const vae: FamilyFigures = {
  featured: () => [
    { metric: 'iwNll', id: 'iw-nll', title: 'held-out -log p(x) bound of model n (IW)', axes: { yTitle: 'nats per held-out digit' } },
    { metric: 'classEntropy', id: 'class-entropy', title: 'class entropy of generation n\'s images', axes: { yTitle: 'entropy (nats)' } },
  ],
  extra(run) {
    const im = run.images;
    if (!im || !im.grids.some((g) => g)) return [];
    const count = Math.max(...im.grids.map((g) => g?.count ?? 0));
    const title = `generated digits by generation (replicate ${im.replicate})`;
    const caption = `${run.label}: the first ${count} images of each generation (row n = 0: the real training digits; row n: decoded by model n from prior draws), grey levels as stored in the records (--grid-samples), ${im.grids.length < run.header.recorded.length ? `${im.grids.length} of the ${run.header.recorded.length} recorded generations` : 'every recorded generation'}.`;
    return [{ id: 'sample-grid', title, caption, spec: imageGridChart(title, im.generations.map((n, i) => ({ label: `n = ${n}`, images: im.grids[i] }))) }];
  },
};

/** The table: family name -> its figures. A family not here gets the generic charts only. */
export const FAMILY_FIGURES: Record<string, FamilyFigures> = { gaussian, gmm, kde, categorical, regression, lm, vae };

/** Where lm's histogram bin i starts: 10^(i/10), through the deterministic exp. */
export function histBinStart(i: number, exp: Exp): number {
  return exp((i / 10) * Math.LN10);
}
