// The Run tab: the reproduction presets (their --quick runs, then their
// checks table and verdict), the family's option form (validated live by the
// family's resolve, the CLI's messages), the run in a Web Worker, live charts,
// cancel, the digest and summary table, and the downloads (the JSONL file the
// CLI writes, `collapse-bench show` reads it; the charts as SVG). A preset's
// runs replace each other in the charts: the last one stays shown.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { FAMILIES, familyOf } from '../src/families/index.js';
import { UsageError } from '../src/util/errors.js';
import type { ReplicateRecord, RunHeader } from '../src/results/types.js';
import type { BackendName } from '../src/kernels/abi.js';
import { buildOptionForm, type OptionForm } from './form.js';
import { liveChartSpec, ROWS, THEORY, type MetricRow, type TheoryRow } from './charts.js';
import { NODE_ONLY_FAMILIES, WEB_PRESETS } from './presets.js';
import { showChecks, showPresetRuns } from './checks-view.js';
import type { PresetRunEntry, RunMessage, RunRequest } from './protocol.js';

/** Families the page offers: not those that read files (listed on the page). */
const PAGE_FAMILIES = Object.keys(FAMILIES).filter((f) => !Object.hasOwn(NODE_ONLY_FAMILIES, f));

/** The longest a record waits before the charts show it. */
const CHART_BATCH_MS = 250;

/** After Cancel, how long the worker has to stop at a pause before it is terminated. */
const STOP_GRACE_MS = 1500;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface Chart {
  metric: string;
  view: vega.View;
}

export function setupRunPanel(): void {
  const familySelect = $<HTMLSelectElement>('family');
  const errorLine = $('error');
  const runButton = $<HTMLButtonElement>('run');
  const stopButton = $<HTMLButtonElement>('stop');
  const progressBar = $<HTMLProgressElement>('progress');
  const status = $('status');
  const digest = $('digest');
  const summaryText = $('summary');
  const chartsBox = $('charts');
  const logX = $<HTMLInputElement>('log-x');
  const jsonlButton = $<HTMLButtonElement>('download-jsonl');
  const figuresButton = $<HTMLButtonElement>('download-figures');
  const presetBox = $('preset-result');
  const presetRuns = $<HTMLTableElement>('preset-runs');
  const checksTable = $<HTMLTableElement>('checks');
  const verdict = $('preset-verdict');

  let form: OptionForm;
  let worker: Worker | undefined;
  let stopTimer: ReturnType<typeof setTimeout> | undefined;
  // sent when the worker says it is ready
  let request: RunRequest | undefined;
  let ready = false;
  // the run shown: its JSONL lines, and per metric the rows its chart holds
  let lines: string[] = [];
  let header: RunHeader | undefined;
  let rows = new Map<string, MetricRow[]>();
  let theory = new Map<string, TheoryRow[]>();
  let charts: Chart[] = [];
  let replicatesDone = 0;
  // the preset running or shown (undefined: a single run from the form), its current run and finished runs
  let preset: string | undefined;
  let presetRun = { id: '', family: '' };
  let statusPrefix = '';
  let finishedRuns: PresetRunEntry[] = [];

  const setState = (s: 'idle' | 'running' | 'done' | 'stopped' | 'failed') => {
    document.body.dataset.state = s;
    runButton.disabled = s === 'running';
    stopButton.disabled = s !== 'running';
    for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button')) b.disabled = s === 'running' || WEB_PRESETS.find((p) => p.name === b.dataset.preset)?.unavailable !== undefined;
    familySelect.disabled = s === 'running';
    jsonlButton.disabled = s === 'running' || lines.length === 0;
    figuresButton.disabled = s === 'running' || charts.length === 0;
  };

  /** The family's resolve on the form's raw options: the CLI's message, or null when valid. */
  const validate = (): string | null => {
    try {
      familyOf(familySelect.value).resolve(form.read());
      return null;
    } catch (e) {
      if (e instanceof UsageError) return e.message;
      throw e;
    }
  };
  const showValidation = () => {
    const message = validate();
    errorLine.textContent = message ?? '';
    if (document.body.dataset.state !== 'running') runButton.disabled = message !== null;
  };

  const selectFamily = (name: string) => {
    familySelect.value = name;
    $('family-summary').textContent = familyOf(name).summary;
    form = buildOptionForm($('options'), familyOf(name).options, showValidation);
    showValidation();
  };

  for (const f of PAGE_FAMILIES) familySelect.add(new Option(f, f));
  familySelect.addEventListener('change', () => selectFamily(familySelect.value));
  for (const p of WEB_PRESETS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.name;
    b.title = p.unavailable ?? p.title;
    b.dataset.preset = p.name;
    b.disabled = p.unavailable !== undefined;
    b.addEventListener('click', () => {
      if (document.body.dataset.state === 'running') return;
      startPreset(p.name);
    });
    $('presets').append(b);
  }
  const notInPage = [
    ...Object.entries(NODE_ONLY_FAMILIES).map(([f, why]) => `${f}: ${why}`),
    ...WEB_PRESETS.filter((p) => p.unavailable).map((p) => `preset ${p.name} (disabled): ${p.unavailable}`),
  ];
  $('node-only').replaceChildren(...notInPage.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  selectFamily(PAGE_FAMILIES[0]);

  // ---- charts

  const renderCharts = async () => {
    // every row is drawn from `rows`: nothing is left pending
    clearTimeout(flushTimer);
    flushTimer = undefined;
    pending = new Map();
    for (const c of charts) c.view.finalize();
    chartsBox.replaceChildren();
    charts = [];
    for (const metric of rows.keys()) {
      const box = document.createElement('div');
      box.className = 'chart';
      box.dataset.metric = metric;
      const plot = document.createElement('div');
      const link = document.createElement('a');
      link.href = '#';
      link.textContent = 'SVG';
      link.addEventListener('click', (e) => {
        e.preventDefault();
        void downloadChart(chart);
      });
      box.append(plot, link);
      chartsBox.append(box);
      const spec = compile(liveChartSpec(metric, { logX: logX.checked, width: 300 })).spec;
      const view = new vega.View(vega.parse(spec), { renderer: 'svg', container: plot, hover: false });
      view.data(ROWS, rows.get(metric)!.slice());
      view.data(THEORY, theory.get(metric)?.slice() ?? []);
      const chart = { metric, view };
      charts.push(chart);
      await view.runAsync();
    }
  };

  // Records reach the charts in batches, at most every CHART_BATCH_MS: a
  // redraw of every chart per record cost ~100 ms at 11 charts, so a preset's
  // 300 quick replicates kept the page busy for half a minute.
  let pending = new Map<string, MetricRow[]>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flushCharts = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const added = pending;
    pending = new Map();
    for (const c of charts) c.view.change(ROWS, vega.changeset().insert(added.get(c.metric) ?? []));
    await Promise.all(charts.map((c) => c.view.runAsync()));
  };

  const addRecord = async (record: ReplicateRecord) => {
    const generations = header!.recorded;
    const fresh = rows.size === 0;
    for (const [metric, values] of Object.entries(record.metrics)) {
      const mine: MetricRow[] = [];
      values.forEach((v, i) => {
        if (v !== null) mine.push({ generation: generations[i], replicate: record.replicate, value: v });
      });
      if (!rows.has(metric)) rows.set(metric, []);
      rows.get(metric)!.push(...mine);
      if (!pending.has(metric)) pending.set(metric, []);
      pending.get(metric)!.push(...mine);
    }
    if (fresh) return renderCharts();
    flushTimer ??= setTimeout(() => void flushCharts(), CHART_BATCH_MS);
  };

  logX.addEventListener('change', () => void renderCharts());

  // ---- the run

  const finish = (state: 'done' | 'stopped' | 'failed') => {
    clearTimeout(stopTimer);
    worker?.terminate();
    worker = undefined;
    setState(state);
  };

  const onMessage = async (m: RunMessage) => {
    switch (m.type) {
      case 'ready':
        ready = true;
        worker!.postMessage(request);
        break;
      case 'preset-run':
        clearRun();
        presetRun = { id: m.id, family: m.family };
        statusPrefix = `${preset} run ${m.index + 1} of ${m.count} (${m.id}): `;
        break;
      case 'header':
        header = m.header;
        lines.push(JSON.stringify(m.header));
        if (m.warnings.length) errorLine.textContent = m.warnings.join(' ');
        break;
      case 'replicate':
        lines.push(JSON.stringify(m.record));
        replicatesDone++;
        await addRecord(m.record);
        break;
      case 'progress':
        progressBar.value = (m.done + m.partial) / m.total;
        status.textContent = `${statusPrefix}${m.done} of ${m.total} replicates, ${(m.elapsedMs / 1000).toFixed(1)} s`;
        break;
      case 'done': {
        await flushCharts();
        digest.textContent = m.summary.digest;
        summaryText.textContent = m.table;
        const gens = m.summary.generations;
        theory = new Map();
        for (const g of gens) {
          for (const [metric, s] of Object.entries(g.metrics)) {
            if (s.theoryMean === null || s.theoryMean === undefined) continue;
            if (!theory.has(metric)) theory.set(metric, []);
            theory.get(metric)!.push({ generation: g.n, value: s.theoryMean });
          }
        }
        for (const c of charts) c.view.data(THEORY, theory.get(c.metric) ?? []);
        await Promise.all(charts.map((c) => c.view.runAsync()));
        const secs = ((m.summary.elapsedMs ?? 0) / 1000).toFixed(1);
        status.textContent = m.aborted ? `cancelled: ${m.summary.replicatesCompleted} replicates kept (${secs} s)` : `${statusPrefix}done: ${m.summary.replicatesCompleted} replicates on ${m.summary.backend}, ${secs} s`;
        if (!m.aborted) progressBar.value = 1;
        if (preset === undefined) finish(m.aborted ? 'stopped' : 'done');
        else if (!m.aborted) {
          finishedRuns.push({ ...presetRun, digest: m.summary.digest, replicates: m.summary.replicatesCompleted });
          showPresetRuns(presetRuns, finishedRuns);
        }
        break;
      }
      case 'checks':
        showPresetRuns(presetRuns, m.runs);
        showChecks(checksTable, m.checks);
        verdict.textContent = m.aborted ? 'cancelled: no verdict' : m.pass ? 'PASS' : 'FAIL';
        verdict.className = m.aborted ? '' : m.pass ? 'pass' : 'fail';
        if (!m.aborted) status.textContent = `${m.preset}: ${m.pass ? 'PASS' : 'FAIL'}, ${m.checks.filter((c) => c.pass).length} of ${m.checks.length} checks passed over ${m.runs.length} runs`;
        finish(m.aborted ? 'stopped' : 'done');
        break;
      case 'error':
        errorLine.textContent = m.message;
        status.textContent = m.usage ? 'not started' : 'failed';
        finish('failed');
        break;
    }
  };

  /** Empties the run view (charts, digest, summary, downloads) for a new run. */
  const clearRun = () => {
    lines = [];
    header = undefined;
    rows = new Map();
    theory = new Map();
    replicatesDone = 0;
    clearTimeout(flushTimer);
    flushTimer = undefined;
    pending = new Map();
    for (const c of charts) c.view.finalize();
    charts = [];
    chartsBox.replaceChildren();
    summaryText.textContent = '';
    digest.textContent = '-';
    progressBar.value = 0;
  };

  const start = () => {
    const message = validate();
    if (message !== null) {
      errorLine.textContent = message;
      return;
    }
    preset = undefined;
    presetBox.hidden = true;
    launch({ type: 'run', family: familySelect.value, options: form.read() });
  };

  /** A reproduction preset's --quick runs on the form's backend, then its checks. */
  const startPreset = (name: string) => {
    preset = name;
    finishedRuns = [];
    presetBox.hidden = false;
    $('preset-name').textContent = name;
    verdict.textContent = 'running';
    verdict.className = '';
    presetRuns.innerHTML = '';
    checksTable.innerHTML = '';
    launch({ type: 'preset', name, backend: form.read().backend as BackendName | undefined });
  };

  const launch = (req: RunRequest) => {
    clearRun();
    statusPrefix = '';
    errorLine.textContent = '';
    status.textContent = 'starting';
    worker = new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module' });
    // messages handled one after another, so a chart never sees records out of order
    let queue = Promise.resolve();
    worker.onmessage = (e: MessageEvent<RunMessage>) =>
      void (queue = queue.then(() => onMessage(e.data)).catch((err: Error) => {
        errorLine.textContent = `the page failed: ${err.message}`;
        finish('failed');
      }));
    worker.onerror = (e) => {
      errorLine.textContent = `the worker failed: ${e.message}`;
      finish('failed');
    };
    setState('running');
    ready = false;
    request = req;
  };

  const stop = () => {
    if (!worker) return;
    if (!ready) {
      status.textContent = 'cancelled before the start';
      return finish('stopped');
    }
    worker.postMessage({ type: 'stop' } satisfies RunRequest);
    status.textContent = 'cancelling';
    // a worker that does not answer at a pause is ended; the replicates shown stay
    stopTimer = setTimeout(() => {
      status.textContent = `cancelled: ${replicatesDone} replicates kept (no digest: the worker was ended)`;
      finish('stopped');
    }, STOP_GRACE_MS);
  };

  runButton.addEventListener('click', start);
  stopButton.addEventListener('click', stop);

  // ---- downloads

  const baseName = () => (preset !== undefined ? `${preset}-${presetRun.id}` : `${familySelect.value}-${header ? String(header.config.seed) : 'run'}`);
  jsonlButton.addEventListener('click', () => download(`${baseName()}.jsonl`, new Blob([lines.map((l) => l + '\n').join('')], { type: 'application/x-ndjson' })));
  const downloadChart = async (c: Chart) => download(`${baseName()}-${c.metric}.svg`, new Blob([await c.view.toSVG()], { type: 'image/svg+xml' }));
  figuresButton.addEventListener('click', async () => {
    for (const c of charts) await downloadChart(c);
  });
  setState('idle');
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
