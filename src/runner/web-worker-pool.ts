// Replicates in parallel in a browser: a ReplicateExecutor over a pool of
// Web Workers (src/runner/web-replicate-worker.ts), the third executor beside
// inProcessExecutor and Node's threadPool. The caller says how to start a
// worker (the page: a module Worker of web/replicate-worker.ts), so nothing
// here names a URL or a bundler. Each worker lays out its chain once and takes
// tasks of consecutive replicates (one while replicates are long, more once
// they take under about BATCH_MS: a message costs more than a short
// replicate), holding two at a time so it never waits for this thread. Only
// messages: progress comes back at the chains' pauses and a stop goes out to
// every worker, so no SharedArrayBuffer (nor cross-origin isolation) is needed.
// The runner (run.ts) keeps the records in replicate order, so the digest is
// the same for every number of workers.
import type { RunConfig } from '../families/index.js';
import type { ChainOptions, PackedRecord } from '../results/types.js';
import { KernelError } from '../kernels/backend.js';
import { UsageError } from '../util/errors.js';
import { recordedGenerations } from '../chain/generations.js';
import { kernelTrapText, type ExecutorFactory, type ReplicateExecutor } from './executor.js';
import { fromWire } from './wire.js';
import { TASKS_PER_WORKER, batchFor, groupSize, settle, taskProgress, type Waiting } from './task-sizing.js';
import { givenDataFile } from '../util/data-files.js';
import type { PoolAnswer, PoolRequest } from './web-replicate-worker.js';

/** The side of a worker the pool uses: a Web Worker. */
export interface PoolWorker {
  postMessage(message: PoolRequest): void;
  onmessage: ((e: MessageEvent) => unknown) | null;
  onerror: ((e: ErrorEvent) => unknown) | null;
  terminate(): void;
}


interface Task {
  group: Waiting[];
  worker: number;
  done: number;
  generation: number;
}

/**
 * Idle workers a finished run hands on (`keep`), each with whether it is
 * still laying out its chain: its answer to that `init` is yet to come.
 */
export type KeepWorkers = (workers: { worker: PoolWorker; starting: boolean }[]) => void;

/**
 * An ExecutorFactory of `width` Web Workers, each made by `spawn`. With
 * `keep`, a run that finishes cleanly hands its idle workers to it instead of
 * ending them (a later spawn may return them: they must answer `ready` again,
 * and not pass on the answer to an `init` of the run before; handed-over.ts).
 */
export function webWorkerPool(spawn: () => PoolWorker, keep?: KeepWorkers): ExecutorFactory {
  return (config: RunConfig, width: number, options: ChainOptions = {}) => startPool(spawn, keep, config, width, options);
}

function startPool(spawn: () => PoolWorker, keep: KeepWorkers | undefined, config: RunConfig, width: number, options: ChainOptions): Promise<ReplicateExecutor> {
  const workers: PoolWorker[] = [];
  /** Tasks each worker holds; -1 until it answered `init`. */
  const holding: number[] = [];
  /** Workers ended during the run (one that could not lay out its chain). */
  const ended = new Set<number>();
  const tasks = new Map<number, Task>();
  let nextTask = 0;
  let waiting: Waiting[] = [];
  let batch = 1;
  let recordBytes = 8;
  let stopped = false;
  let failed: { error: unknown } | undefined;
  let pumping = false;
  let closed = false;
  let initialised = false;
  let started: { resolve(e: ReplicateExecutor): void; reject(e: unknown): void };
  const ready = new Promise<ReplicateExecutor>((resolve, reject) => (started = { resolve, reject }));

  const failure = (m: Extract<PoolAnswer, { type: 'error' }>): Error =>
    m.kind === 'usage-error' ? new UsageError(m.message) : m.kind === 'kernel-trap' ? new KernelError(kernelTrapText(m.replicate ?? -1, m.message)) : new Error(`worker: ${m.message}`);

  /** Ends what waits: with null after a stop, with the error after a failure. */
  function settleWaiting(): void {
    const all = waiting;
    waiting = [];
    settle(all, failed);
  }

  function endTask(id: number): Task | undefined {
    const t = tasks.get(id);
    tasks.delete(id);
    if (t) holding[t.worker]--;
    return t;
  }

  /** A failure ends the run: what waits and every task rejects with it. */
  function fail(error: unknown): void {
    if (failed) return;
    failed = { error };
    started.reject(error);
    settleWaiting();
    for (const id of [...tasks.keys()]) for (const g of endTask(id)!.group) g.reject(error);
  }

  /** The next tasks' size, from a measured time per replicate. */
  const measured = (ms: number, n: number) => {
    batch = batchFor(ms, n, recordBytes);
  };

  /** Hands the oldest waiting replicates to the worker holding the fewest tasks. */
  function pump(): void {
    pumping = false;
    if (stopped || failed) return settleWaiting();
    while (waiting.length) {
      let w = -1;
      for (let i = 0; i < workers.length; i++) if (holding[i] >= 0 && holding[i] < TASKS_PER_WORKER && (w < 0 || holding[i] < holding[w])) w = i;
      if (w < 0) return;
      const group = waiting.splice(0, groupSize(batch, waiting.length, width));
      const id = nextTask++;
      tasks.set(id, { group, worker: w, done: 0, generation: 0 });
      holding[w]++;
      workers[w].postMessage({ type: 'replicates', task: id, rs: group.map((g) => g.r) });
    }
  }

  function onAnswer(i: number, m: PoolAnswer): void {
    switch (m.type) {
      case 'ready':
        workers[i].postMessage({ type: 'init', config, options });
        return;
      case 'data-needed': {
        // the files this thread was given (the page fetched them for resolve); one missing fails the worker's retry with its name
        const files = m.files.flatMap((name): [string, string | Uint8Array][] => {
          const content = givenDataFile(name);
          return content === undefined ? [] : [[name, content]];
        });
        workers[i].postMessage({ type: 'data', files });
        return;
      }
      case 'init':
        holding[i] = 0;
        // the first worker's answer gives the facts: the runner starts handing out
        if (!initialised) {
          initialised = true;
          recordBytes = 8 * recordedGenerations(config.generations, config.every).length * Math.max(1, m.metrics.length);
          started.resolve(executor(m.facts, m.metrics));
        }
        return pump();
      case 'progress': {
        const t = tasks.get(m.task);
        if (t) Object.assign(t, { done: m.done, generation: m.generation });
        return;
      }
      case 'records': {
        const t = endTask(m.task);
        if (!t) return;
        m.records.forEach((w, k) => t.group[k].resolve(fromWire(w)));
        for (const g of t.group.slice(m.records.length)) g.resolve(null);
        if (!m.interrupted && m.records.length) measured(m.ms, m.records.length);
        return pump();
      }
      case 'error': {
        const error = failure(m);
        const t = m.task === undefined ? undefined : endTask(m.task);
        // a failed task fails its replicates (the runner meets it at their turn)
        if (t) for (const g of t.group) g.reject(error);
        // a worker that cannot lay out its chain once others have (the browser's memory for N chains ran out):
        // the run goes on with fewer; before any has, the run fails with the message
        else if (initialised && m.kind !== 'usage-error') {
          workers[i].terminate();
          ended.add(i);
        }
        else fail(error);
        return pump();
      }
    }
  }

  const executor = (facts: Record<string, unknown>, metrics: string[]): ReplicateExecutor => ({
    width,
    get maxInFlight() {
      return 2 * width * TASKS_PER_WORKER * batch;
    },
    facts,
    metrics,
    run(r) {
      if (stopped) return Promise.resolve(null);
      if (failed) return Promise.reject(failed.error);
      return new Promise<PackedRecord | null>((resolve, reject) => {
        waiting.push({ r, resolve, reject });
        // the replicates handed out in one turn are shared out together
        if (!pumping) {
          pumping = true;
          queueMicrotask(pump);
        }
      });
    },
    partial() {
      let sum = 0;
      for (const t of tasks.values()) sum += taskProgress(t.done, t.group.length, t.generation, config.generations);
      return sum;
    },
    interrupt() {
      if (stopped) return;
      stopped = true;
      for (const w of workers) w.postMessage({ type: 'stop' });
      settleWaiting();
    },
    async close() {
      closed = true;
      // a clean end, every task answered: the next run may have the workers, even one still starting
      if (keep && !stopped && !failed && tasks.size === 0) keep(workers.flatMap((worker, i) => (ended.has(i) ? [] : [{ worker, starting: holding[i] < 0 }])));
      else for (const w of workers) w.terminate();
      // a task a worker never answered (it was ended): its replicates did not finish
      for (const id of [...tasks.keys()]) for (const g of endTask(id)!.group) g.resolve(null);
    },
  });

  for (let i = 0; i < width; i++) {
    let w: PoolWorker;
    try {
      w = spawn();
    } catch (e) {
      for (const v of workers) v.terminate();
      return Promise.reject(e);
    }
    workers.push(w);
    holding.push(-1);
    w.onmessage = (e) => {
      if (!closed) onAnswer(i, e.data as PoolAnswer);
    };
    // a worker that could not load (its script, a syntax error) or threw outside a task
    w.onerror = (e) => {
      e.preventDefault?.();
      fail(new Error(`worker ${i + 1} of ${width} failed: ${e.message || 'its script did not load'}`));
    };
  }
  // a failure before the first init ends the workers
  ready.catch(() => {
    closed = true;
    for (const w of workers) w.terminate();
  });
  return ready;
}
