// RunSummary -> the text report: a table of selected generations, each
// simulated value beside its closed-form expectation.
import type { GaussianMetric, MetricSummary, RunSummary } from '../results/types.js';

/** 4 significant digits; '-' where there is no value. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
}

/** Up to `most` generations, spread evenly on a log scale, always the first and last. */
export function selectRows(ns: number[], most = 12): number[] {
  if (ns.length <= most) return ns.map((_, i) => i);
  const last = ns[ns.length - 1];
  const picks = new Set<number>([0, ns.length - 1]);
  for (let j = 1; picks.size < most && j < most * 4; j++) {
    const target = Math.round(Math.pow(last + 1, j / (most - 1))) - 1;
    let best = 0;
    for (let i = 0; i < ns.length; i++) if (Math.abs(ns[i] - target) < Math.abs(ns[best] - target)) best = i;
    picks.add(best);
  }
  return [...picks].sort((a, b) => a - b);
}

type Column = { title: string; cell: (m: RunSummary['generations'][number]['metrics']) => string };

const sim = (metric: GaussianMetric, stat: 'mean' | 'median'): Column['cell'] => (m) => fmt(m[metric]?.[stat] as number | null);
/** A mean with its standard error, e.g. 0.2741±0.021. */
const simSe = (metric: GaussianMetric): Column['cell'] => (m) => {
  const x = m[metric];
  if (!x || x.mean === null) return '-';
  return x.se ? `${fmt(x.mean)}±${x.se.toPrecision(2)}` : fmt(x.mean);
};
const theo = (metric: GaussianMetric, stat: 'theoryMean' | 'theoryMedian'): Column['cell'] => (m) => fmt((m[metric] as MetricSummary | undefined)?.[stat]);

export function renderSummary(s: RunSummary): string {
  const c = s.config;
  const oneD = c.dim === 1;
  const cols: Column[] = [
    { title: 'E|mu-mu0|^2 ± se', cell: simSe('meanSqError') },
    { title: 'theory', cell: theo('meanSqError', 'theoryMean') },
  ];
  if (oneD) {
    cols.push(
      { title: 'sigma mean', cell: sim('sigma', 'mean') },
      { title: 'theory', cell: theo('sigma', 'theoryMean') },
      { title: 'sigma median', cell: sim('sigma', 'median') },
      { title: 'theory', cell: theo('sigma', 'theoryMedian') },
    );
  } else {
    cols.push(
      { title: 'tr ratio mean', cell: sim('traceRatio', 'mean') },
      { title: 'theory', cell: theo('traceRatio', 'theoryMean') },
      { title: 'logdet median', cell: sim('logDetRatio', 'median') },
      { title: 'theory', cell: theo('logDetRatio', 'theoryMedian') },
    );
  }
  cols.push({ title: 'W2^2 mean ± se', cell: simSe('w2sq') }, { title: 'theory', cell: theo('w2sq', 'theoryMean') });
  if (oneD) cols.push({ title: 'W2^2 empirical', cell: sim('w2sqEmpirical', 'mean') });

  const rows = selectRows(s.generations.map((g) => g.n)).map((i) => {
    const g = s.generations[i];
    return [String(g.n), String(g.samples), ...cols.map((col) => col.cell(g.metrics))];
  });
  const head = ['n', 'M_n', ...cols.map((col) => col.title)];
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((x, j) => x.padStart(widths[j])).join('  ');

  const e = s.environment;
  const out = [
    `gaussian d=${c.dim} M=${c.samples} (${c.schedule}) G=${c.generations} R=${c.replicates} estimator=${c.estimator} policy=${c.policy}` +
      (c.policy === 'mix' || c.policy === 'fresh' ? ` real-fraction=${c.realFraction}` : '') +
      (c.bias !== 1 ? ` bias=${c.bias}` : '') +
      ` seed=${JSON.stringify(c.seed)}`,
    `backend ${s.backend} on ${e.runtime} ${e.runtimeVersion} (${e.engine}), ${e.cpu}`,
    '',
    line(head),
    ...rows.map(line),
    '',
  ];
  out.push('Simulated values are over the replicates (mean, median; ± one standard error); theory is the closed form.');
  for (const [k, v] of Object.entries(s.bounds)) out.push(`bound: ${k} <= ${fmt(v)} for every generation`);
  for (const note of s.theoryNotes) out.push(`theory: ${note}`);
  for (const w of s.warnings) out.push(`warning: ${w}`);
  out.push(`digest ${s.digest}  (${s.replicatesCompleted}/${c.replicates} replicates${s.elapsedMs !== null ? `, ${(s.elapsedMs / 1000).toFixed(2)} s` : ''})`);
  return out.join('\n');
}
