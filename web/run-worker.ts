// The run's Web Worker: validates the options as the CLI does (the family's
// resolve), runs the replicates through runSimulation, in this thread (the
// in-process executor) for one worker, else in a pool of Web Workers started
// from here (src/runner/web-worker-pool.ts, web/replicate-worker.ts; nested
// workers, so the page's thread only draws), and streams the header, each replicate, progress and
// the summary back to the page. A preset runs through runPreset (the path of
// `collapse-bench reproduce <name> --quick`, the same pool), its runs one after another, then
// its checks. The lm and vae data are fetched first, only what the config
// asks for (web/data-files.ts). A 'stop' message aborts: the running replicates stop at their next
// pause (about 100 ms) and the finished ones stay.
import { familyOf } from '../src/families/index.js';
import { runSimulation, type Progress } from '../src/runner/run.js';
import { webWorkerPool, type PoolWorker } from '../src/runner/web-worker-pool.js';
import { readyAgain } from '../src/runner/handed-over.js';
import { toPlainRecord } from '../src/results/record-line.js';
import { renderSummary } from '../src/report/table.js';
import { presetOf } from '../src/reproduce/presets.js';
import { resolvePreset, runPreset } from '../src/reproduce/execute.js';
import { UsageError } from '../src/util/errors.js';
import type { RunSummary } from '../src/results/types.js';
import type { RawOptions } from '../src/config/validate.js';
import type { RunMessage, RunRequest } from './protocol.js';
import { describeFiles, withData } from './data-files.js';

const post = (m: RunMessage) => (self as unknown as Worker).postMessage(m);
/**
 * The pool's workers: each loads the harness and its backend once, and lays
 * out its own chain. A run that ends cleanly leaves them for the next run of
 * the request (a preset's), which lays out its chain on them; they end with the request.
 */
let kept: PoolWorker[] = [];
const pool = webWorkerPool(
  () => kept.shift() ?? new Worker(new URL('./replicate-worker.ts', import.meta.url), { type: 'module' }),
  (workers) => (kept = workers.map(readyAgain)),
);
const endKept = () => kept.splice(0).forEach((w) => w.terminate());
let controller: AbortController | undefined;

/** Progress at most ten times a second, and at every finished replicate. */
function progressPoster(): (p: Progress) => void {
  let last = 0;
  return (p) => {
    if (p.elapsedMs - last < 100 && p.partial > 0) return;
    last = p.elapsedMs;
    post({ type: 'progress', ...p });
  };
}

const postDone = (family: string, summary: RunSummary, aborted: boolean) => post({ type: 'done', summary, table: renderSummary(summary, familyOf(family)), aborted });

const announce = (files: readonly string[]) => post({ type: 'fetching', what: describeFiles(files) });

async function runOne(family: string, options: RawOptions, workers: number, dataBase: string, signal: AbortSignal): Promise<void> {
  const { config, warnings } = await withData(() => familyOf(family).resolve(options), dataBase, announce);
  const outcome = await runSimulation(config, {
    signal,
    workers,
    parallel: pool,
    onStart: (header) => post({ type: 'header', header, warnings }),
    onReplicate: (record) => post({ type: 'replicate', record: toPlainRecord(record) }),
    onProgress: progressPoster(),
  });
  postDone(family, outcome.summary, outcome.aborted);
}

async function runNamedPreset({ name, backend, workers, dataBase }: Extract<RunRequest, { type: 'preset' }>, signal: AbortSignal): Promise<void> {
  const preset = presetOf(name);
  if (!preset) throw new UsageError(`no preset ${name}`);
  // every run's data before the first run (runPreset resolves them all first, as the CLI does)
  await withData(() => resolvePreset(preset, true, { backend }), dataBase, announce);
  const runs = preset.runs(true);
  let onProgress = progressPoster();
  const outcome = await runPreset(preset, true, {
    backend,
    signal,
    workers,
    parallel: pool,
    onHeader(run, header) {
      onProgress = progressPoster();
      post({ type: 'preset-run', id: run.id, family: run.family, index: runs.findIndex((r) => r.id === run.id), count: runs.length });
      post({ type: 'header', header, warnings: [] });
    },
    onReplicate: (_run, record) => post({ type: 'replicate', record: toPlainRecord(record) }),
    onProgress: (_run, p) => onProgress(p),
    onRunEnd: (run, result, aborted) => postDone(run.family, result.summary, aborted),
  });
  const entries = outcome.runs.map((r) => ({ id: r.id, family: r.family, digest: r.digest, replicates: r.replicates }));
  post({ type: 'checks', preset: name, checks: outcome.checks, pass: outcome.pass, aborted: outcome.aborted, runs: entries });
}

self.onmessage = async (e: MessageEvent<RunRequest>) => {
  const req = e.data;
  if (req.type === 'stop') return controller?.abort();
  controller = new AbortController();
  try {
    if (req.type === 'run') await runOne(req.family, req.options, req.workers, req.dataBase, controller.signal);
    else await runNamedPreset(req, controller.signal);
  } catch (err) {
    post({ type: 'error', message: (err as Error).message, usage: err instanceof UsageError });
  } finally {
    endKept();
  }
};

post({ type: 'ready' });
