// The Benchmark tab: runs web/bench-worker.ts and shows its overhead rows
// (harness per sample, a no-op kernel call) and its figures per case beside
// the committed Node reference (bench/results/reference-node-*.json, cut at
// build time by the virtual module in web/vite.config.ts).
import reference from 'virtual:node-bench-reference';
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { fmtNs, type OverheadResult } from '../bench/overhead.js';
import type { BenchMessage, BenchRequest } from './protocol.js';

/** Where the lm cases' corpus is fetched from (web/data-files.ts). */
const DATA_BASE = new URL('data/', document.baseURI).href;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Items per second, 3 significant digits with a unit prefix. */
const rate = (x: number | undefined) => {
  if (x === undefined || !Number.isFinite(x)) return '-';
  const [div, unit] = x >= 1e9 ? [1e9, 'G'] : x >= 1e6 ? [1e6, 'M'] : x >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${(x / div).toPrecision(3)}${unit}`;
};

export function setupBenchPanel(): void {
  const startButton = $<HTMLButtonElement>('bench-start');
  const stopButton = $<HTMLButtonElement>('bench-stop');
  const smokeBox = $<HTMLInputElement>('bench-smoke');
  const status = $('bench-status');
  const notes = $('bench-notes');
  const table = $<HTMLTableElement>('bench-table');
  const env = $('bench-env');
  const nodeById = new Map((reference?.warm ?? []).map((c) => [c.id, c]));
  let worker: Worker | undefined;

  const head = () => {
    const nodeEnv = reference ? `Node ${reference.environment.runtimeVersion}, ${reference.environment.cpu} (${reference.file})` : 'no Node reference committed';
    table.innerHTML = '';
    const r1 = table.insertRow();
    r1.innerHTML = `<th rowspan="2">case</th><th colspan="${BACKEND_NAMES.length + 1}">this browser</th><th colspan="${BACKEND_NAMES.length + 1}" title="${nodeEnv}">Node (committed reference)</th>`;
    const r2 = table.insertRow();
    r2.innerHTML = [...BACKEND_NAMES, 'simd/js', ...BACKEND_NAMES, 'simd/js'].map((b) => `<th>${b}</th>`).join('');
    env.textContent = `Node reference: ${nodeEnv}.`;
    notes.replaceChildren();
  };
  const note = (text: string) => notes.append(Object.assign(document.createElement('li'), { textContent: text }));

  /** Two rows: the harness's cost per sample, and one no-op kernel call's per backend (ns), here and in the reference. */
  const overheadRows = (o: OverheadResult) => {
    const span = BACKEND_NAMES.length + 1;
    const node = reference?.overhead ?? null;
    const harness = table.insertRow();
    harness.dataset.overhead = 'harness';
    harness.insertCell().textContent = 'harness, per sample (empty task)';
    for (const x of [o, node]) Object.assign(harness.insertCell(), { colSpan: span, textContent: x ? fmtNs(x.harnessNsPerSample) : '-' });
    const call = table.insertRow();
    call.dataset.overhead = 'noop';
    call.insertCell().textContent = 'no-op kernel call';
    for (const x of [o, node]) for (const c of [...BACKEND_NAMES.map((b) => (x ? fmtNs(x.callNs[b]) : '-')), '']) call.insertCell().textContent = c;
  };

  const stopped = (text: string) => {
    worker?.terminate();
    worker = undefined;
    startButton.disabled = false;
    smokeBox.disabled = false;
    stopButton.disabled = true;
    status.textContent = text;
    document.body.dataset.bench = 'idle';
  };

  const onMessage = (m: BenchMessage) => {
    switch (m.type) {
      case 'ready':
        worker?.postMessage({ dataBase: DATA_BASE, smoke: smokeBox.checked } satisfies BenchRequest);
        break;
      case 'start':
        env.textContent = `This browser: ${m.environment.runtimeVersion}, ${m.environment.engine}, ${m.environment.cpu}. ${env.textContent}`;
        break;
      case 'gate':
        stopped(`the backends disagree, nothing timed: ${m.failures.join('; ')}`);
        break;
      case 'overhead':
        note(`correctness gate passed: every backend gives js's bits; timer step ${fmtNs(m.overhead.timerResolutionNs)}`);
        overheadRows(m.overhead);
        break;
      case 'progress':
        status.textContent = m.text;
        break;
      case 'case': {
        const node = nodeById.get(m.id);
        const row = table.insertRow();
        row.dataset.case = m.id;
        const cells = [m.id, ...BACKEND_NAMES.map((b) => rate(m.samplesPerSecond[b])), m.simdVsJs.toFixed(2)];
        const nodeCells = node ? [...BACKEND_NAMES.map((b) => rate(node.samplesPerSecond[b])), (node.samplesPerSecond['wasm-simd'] / node.samplesPerSecond.js).toFixed(2)] : BACKEND_NAMES.map(() => '-').concat('-');
        for (const c of [...cells, ...nodeCells]) row.insertCell().textContent = c;
        break;
      }
      case 'done':
        for (const t of m.tooFast) note(`too fast to time reliably: ${t}`);
        stopped(`done in ${(m.elapsedMs / 1000).toFixed(1)} s`);
        break;
      case 'error':
        stopped(`failed: ${m.message}`);
        break;
    }
  };

  startButton.addEventListener('click', () => {
    head();
    worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<BenchMessage>) => onMessage(e.data);
    worker.onerror = (e) => stopped(`failed: ${e.message}`);
    startButton.disabled = true;
    smokeBox.disabled = true;
    stopButton.disabled = false;
    status.textContent = 'loading the kernels';
    document.body.dataset.bench = 'running';
  });
  stopButton.addEventListener('click', () => stopped('stopped'));
  head();
}
