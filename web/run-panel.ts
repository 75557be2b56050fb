// The Run tab: the reproduction presets (their --quick runs, then their
// checks table and verdict), the family's option form (validated live by the
// family's resolve, the CLI's messages), the run in a Web Worker (its
// replicates in a pool of Web Workers, --workers N, default the cores), the
// report's figures drawn live (web/figures-view.ts),
// cancel, the digest and summary table, and the downloads (the JSONL file the
// CLI writes, `collapse-bench show` reads it; the charts as SVG). A preset's
// runs replace each other in the charts: the last one stays shown.
import type * as vega from 'vega';
import { FAMILIES, familyOf } from '../src/families/index.js';
import { UsageError } from '../src/util/errors.js';
import { MAX_WORKERS, workersOption } from '../src/config/common.js';
import { DataNeeded } from '../src/util/data-files.js';
import type { RunHeader } from '../src/results/types.js';
import type { Figure } from '../src/report/figures/index.js';
import type { BackendName } from '../src/kernels/abi.js';
import { buildOptionForm, type OptionForm } from './form.js';
import { LiveFigures } from './figures-view.js';
import { WEB_PRESETS } from './presets.js';
import { describeFiles, fetchDataFiles } from './data-files.js';
import { showChecks, showPresetRuns } from './checks-view.js';
import type { PresetRunEntry, RunMessage, RunRequest } from './protocol.js';

/** Families the page offers: all of them (lm and vae fetch their data from data/, web/data-files.ts). */
const PAGE_FAMILIES = Object.keys(FAMILIES);

/** Where the site keeps the lm and vae data (web/vite.config.ts puts them there). */
const DATA_BASE = new URL('data/', document.baseURI).href;

/** After Cancel, how long the worker has to stop at a pause before it is terminated. */
const STOP_GRACE_MS = 1500;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** --workers by default: this machine's logical cores (the runner takes at most the replicates). */
const DEFAULT_WORKERS = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 1));

export function setupRunPanel(): void {
  const familySelect = $<HTMLSelectElement>('family');
  const workersField = $<HTMLInputElement>('workers');
  const errorLine = $('error');
  const runButton = $<HTMLButtonElement>('run');
  const stopButton = $<HTMLButtonElement>('stop');
  const progressBar = $<HTMLProgressElement>('progress');
  const status = $('status');
  const digest = $('digest');
  const summaryText = $('summary');
  const chartsBox = $('charts');
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
  // the run shown: its JSONL lines and its figures (the report's, drawn as records come)
  let lines: string[] = [];
  let header: RunHeader | undefined;
  const figures = new LiveFigures(chartsBox, (f, view) => void downloadFigure(f, view));
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
    for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button')) b.disabled = s === 'running';
    familySelect.disabled = s === 'running';
    workersField.disabled = s === 'running';
    jsonlButton.disabled = s === 'running' || lines.length === 0;
    figuresButton.disabled = s === 'running' || figures.figures.length === 0;
  };

  // the data files the form's options need, being fetched for the validation (the worker fetches its own copy, from the cache)
  let loading: Promise<void> | undefined;

  /** The family's resolve on the form's raw options: the CLI's message, null when valid, or 'waiting' while its data are fetched. */
  const validate = (): string | null | 'waiting' => {
    try {
      readWorkers();
      familyOf(familySelect.value).resolve(form.read());
      return null;
    } catch (e) {
      if (e instanceof UsageError) return e.message;
      if (e instanceof DataNeeded) {
        status.textContent = `fetching ${describeFiles(e.files)}`;
        loading ??= fetchDataFiles(DATA_BASE, e.files).then(
          () => {
            loading = undefined;
            status.textContent = '';
            showValidation();
          },
          (err: Error) => {
            loading = undefined;
            errorLine.textContent = err.message;
          },
        );
        return 'waiting';
      }
      throw e;
    }
  };
  const showValidation = () => {
    const message = validate();
    errorLine.textContent = message === 'waiting' ? '' : (message ?? '');
    if (document.body.dataset.state !== 'running') runButton.disabled = message !== null;
  };

  /** The workers field as --workers (the CLI's message when it is bad), empty: the default. */
  const readWorkers = (): number => workersOption(workersField.value.trim() || undefined) ?? DEFAULT_WORKERS;
  workersField.placeholder = String(DEFAULT_WORKERS);
  workersField.addEventListener('input', () => showValidation());

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
    b.title = p.title;
    b.dataset.preset = p.name;
    b.addEventListener('click', () => {
      if (document.body.dataset.state === 'running') return;
      startPreset(p.name);
    });
    $('presets').append(b);
  }
  selectFamily(PAGE_FAMILIES[0]);

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
        figures.start(m.header);
        lines.push(JSON.stringify(m.header));
        if (m.warnings.length) errorLine.textContent = m.warnings.join(' ');
        break;
      case 'replicate':
        lines.push(JSON.stringify(m.record));
        replicatesDone++;
        figures.add(m.record);
        break;
      case 'fetching':
        status.textContent = `${statusPrefix}fetching ${m.what}`;
        break;
      case 'progress':
        progressBar.value = (m.done + m.partial) / m.total;
        status.textContent = `${statusPrefix}${m.done} of ${m.total} replicates, ${(m.elapsedMs / 1000).toFixed(1)} s`;
        break;
      case 'done': {
        digest.textContent = m.summary.digest;
        summaryText.textContent = m.table;
        // a stopped run stops first (Cancel answers within a second), then draws its last figures
        if (!m.aborted) await figures.finish(m.summary);
        const secs = ((m.summary.elapsedMs ?? 0) / 1000).toFixed(1);
        status.textContent = m.aborted ? `cancelled: ${m.summary.replicatesCompleted} replicates kept (${secs} s)` : `${statusPrefix}done: ${m.summary.replicatesCompleted} replicates on ${m.summary.backend}, ${secs} s`;
        if (!m.aborted) progressBar.value = 1;
        if (preset === undefined) finish(m.aborted ? 'stopped' : 'done');
        if (m.aborted) await figures.finish(m.summary);
        else if (preset !== undefined) {
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
    replicatesDone = 0;
    figures.clear();
    summaryText.textContent = '';
    digest.textContent = '-';
    progressBar.value = 0;
  };

  const start = () => {
    const message = validate();
    if (message === 'waiting') return;
    if (message !== null) {
      errorLine.textContent = message;
      return;
    }
    preset = undefined;
    presetBox.hidden = true;
    launch({ type: 'run', family: familySelect.value, options: form.read(), workers: readWorkers(), dataBase: DATA_BASE });
  };

  /** A reproduction preset's --quick runs on the form's backend and workers, then its checks. */
  const startPreset = (name: string) => {
    let workers: number;
    try {
      workers = readWorkers();
    } catch (e) {
      errorLine.textContent = (e as Error).message;
      return;
    }
    preset = name;
    finishedRuns = [];
    presetBox.hidden = false;
    $('preset-name').textContent = name;
    verdict.textContent = 'running';
    verdict.className = '';
    presetRuns.innerHTML = '';
    checksTable.innerHTML = '';
    launch({ type: 'preset', name, backend: form.read().backend as BackendName | undefined, workers, dataBase: DATA_BASE });
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
  // the SVG of the view shown: the bytes `report` writes for this figure (vega's toSVG of the same spec)
  const downloadFigure = async (f: Figure, view: vega.View) => download(`${baseName()}-${f.id}.svg`, new Blob([await view.toSVG()], { type: 'image/svg+xml' }));
  figuresButton.addEventListener('click', async () => {
    for (const { figure, view } of figures.figures) await downloadFigure(figure, view);
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
