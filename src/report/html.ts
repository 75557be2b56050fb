// The report as one self-contained HTML page: every figure inlined (as an SVG
// data URI, so that the ids inside one SVG cannot clash with another's), each
// run's summary table, config, digest, versions and environment. Pure text in,
// text out; the page has no script and loads nothing.
import type { RunReportData } from './figures/collect.js';
import type { FigureSection } from './figures/index.js';
import type { BenchResult } from './figures/bench.js';
import type { Figure } from './figures/charts.js';

/** A sweep in the report: its heading, its summary table (the text `sweep` prints) and its figures. */
export interface SweepSection {
  heading: string;
  table: string;
  figures: Figure[];
  /** What the figures leave out and why (sweepNotes). */
  notes?: string[];
}

export interface HtmlReport {
  /** collapse-bench's version that wrote the report. */
  version: string;
  runs: RunReportData[];
  /** Each run's text summary (the table `run` prints), aligned with runs. */
  tables: string[];
  benches: BenchResult[];
  sections: FigureSection[];
  /** SVG text per figure id. */
  svgs: Map<string, string>;
  /** Sweeps (a directory with a manifest given to report), before the runs. */
  sweeps?: SweepSection[];
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.05em}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:12px}
figure{display:inline-block;vertical-align:top;margin:.5em 1em 1em 0;max-width:100%}figure img{max-width:100%}
figcaption{font-size:12px;color:#444;max-width:560px}code{font-size:12px}table{border-collapse:collapse}td,th{padding:.15em .6em;text-align:left}`;

/** Base64 of text's UTF-8 bytes (btoa takes one byte per character). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function figureHtml(id: string, caption: string, svg: string | undefined): string {
  if (svg === undefined) return '';
  const uri = `data:image/svg+xml;base64,${base64(svg)}`;
  return `<figure id="${escape(id)}"><img src="${uri}" alt="${escape(id)}"><figcaption>${escape(caption)} <a href="${escape(id)}.svg">${escape(id)}.svg</a></figcaption></figure>`;
}

function runHtml(run: RunReportData, table: string, figures: string): string {
  const s = run.summary;
  const facts: [string, string][] = [
    ['source', run.source || '(this run)'],
    ['digest', s.digest],
    ['replicates', `${s.replicatesCompleted} of ${s.config.replicates}${s.complete ? '' : ' (incomplete)'}`],
    ['backend', s.backend],
    ['collapse-bench', s.version],
    ['started', run.header.startedAt],
    ['parameters kept (--params)', run.header.params ? 'yes' : 'no'],
  ];
  return [
    `<table>${facts.map(([k, v]) => `<tr><th>${escape(k)}</th><td><code>${escape(v)}</code></td></tr>`).join('')}</table>`,
    `<h3>Summary</h3><pre>${escape(table)}</pre>`,
    s.warnings.length ? `<h3>Warnings</h3><ul>${s.warnings.map((w) => `<li>${escape(w)}</li>`).join('')}</ul>` : '',
    `<h3>Figures</h3>${figures}`,
    `<h3>Config</h3><pre>${escape(JSON.stringify(s.config, null, 2))}</pre>`,
    `<details><summary>Environment and kernel build</summary><pre>${escape(JSON.stringify({ environment: s.environment, kernels: s.kernels }, null, 2))}</pre></details>`,
  ].join('\n');
}

export function reportHtml(r: HtmlReport): string {
  const figs = (i: number) =>
    r.sections
      .filter((sec) => sec.run === i)
      .flatMap((sec) => sec.figures)
      .map((f) => figureHtml(f.id, f.caption, r.svgs.get(f.id)))
      .join('\n');
  // a label starts with the family when the runs' families differ (labelRuns)
  const name = (run: RunReportData) => (run.label === run.header.config.family || run.label.startsWith(`${run.header.config.family}, `) ? run.label : `${run.header.config.family}, ${run.label}`);
  const sweeps = (r.sweeps ?? []).map(
    (sw) => `<h2>${escape(sw.heading)}</h2>\n<h3>Summary</h3><pre>${escape(sw.table)}</pre>\n<h3>Figures</h3>${sw.notes?.length ? `<ul>${sw.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>` : ''}${sw.figures.map((f) => figureHtml(f.id, f.caption, r.svgs.get(f.id))).join('\n')}`,
  );
  const body = [...sweeps, ...r.runs.map((run, i) => `<h2>${escape(`Run ${i + 1}: ${name(run)}`)}</h2>\n${runHtml(run, r.tables[i], figs(i))}`)];
  for (const sec of r.sections.filter((s) => s.run === null)) {
    body.push(`<h2>${escape(sec.heading)}</h2>\n${sec.figures.map((f) => figureHtml(f.id, f.caption, r.svgs.get(f.id))).join('\n')}`);
    if (sec.heading === 'benchmarks') body.push(`<details><summary>Benchmark environments</summary><pre>${escape(JSON.stringify(r.benches.map((b) => ({ source: b.source, environment: b.environment })), null, 2))}</pre></details>`);
  }
  const contents = [
    ...(r.sweeps ?? []).map((sw) => `<li>${escape(sw.heading)}</li>`),
    ...r.runs.map((run, i) => `<li>Run ${i + 1}: ${escape(name(run))} <code>${escape(run.summary.digest.slice(0, 16))}</code></li>`),
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>collapse-bench report</title><style>${STYLE}</style></head>
<body>
<h1>collapse-bench report</h1>
<p>Written by collapse-bench ${escape(r.version)}. Simulation solid, closed-form theory dashed; bands: the 10-90% spread over replicates.</p>
<ul>${contents}</ul>
${body.join('\n')}
</body></html>
`;
}
