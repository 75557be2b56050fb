// Replicates in parallel on Node's worker threads, through tinypool (a small,
// dependency-free pool): `width` threads, each laying out its chain once
// (src/runner/replicate-worker.ts). The runner decides which replicates are
// handed out (in order, a bounded number at once); this executor posts them
// to tinypool as tasks of a few consecutive replicates, sized so that a task
// takes about BATCH_MS (one replicate per task while they are long), and
// tinypool queues the tasks for the next free thread. Node only: the CLI
// passes `threadPool` to runSimulation, which never imports this file.
import Tinypool from 'tinypool';
import { availableParallelism } from 'node:os';
import type { RunConfig } from '../families/index.js';
import type { ChainOptions, PackedRecord } from '../results/types.js';
import { KernelError } from '../kernels/backend.js';
import { UsageError } from '../util/errors.js';
import { recordedGenerations } from '../chain/generations.js';
import { kernelTrapText, type ExecutorFactory, type ReplicateExecutor } from './executor.js';
import { FIRST_SLOT, NO_SLOT, STOP, type WireRecord, type WorkerResult, type WorkerTask } from './replicate-worker.js';

declare const Deno: unknown;
/**
 * Deno 2.9 runs tinypool's worker threads but never answers their tasks (a
 * run waited forever at its first replicate), so there the replicates run in
 * the CLI's own thread; Bun's worker threads work.
 */
export const threadsUnsupported = (): string | undefined => (typeof Deno !== 'undefined' ? 'Deno (its worker_threads never answer tinypool tasks)' : undefined);

/** The CLI's default --workers: the logical cores Node may use (1 where threads do not work). */
export const defaultWorkers = (): number => (threadsUnsupported() ? 1 : availableParallelism());

/** Work per task: long enough that the messages cost little, short enough to balance the threads. */
const BATCH_MS = 20;
/** Replicates per task at most: more only piled up records (and garbage) in both threads, for no speed (bench:memory). */
const MAX_BATCH = 64;
/** Records one task may hold before it answers. */
const BATCH_BYTES = 4 * 2 ** 20;

/** The record as the engine made it, its metrics views of the transferred buffer (key order as the engine's, so the JSONL bytes match). */
function unpack(w: WireRecord): PackedRecord {
  const slots = w.names.length ? w.values.length / w.names.length : 0;
  const metrics = Object.fromEntries(w.names.map((m, k) => [m, w.values.subarray(k * slots, (k + 1) * slots)]));
  return { kind: 'replicate', replicate: w.replicate, digest: w.digest, metrics, ...(w.finals ? { finals: w.finals } : {}), events: w.events, ...(w.params ? { params: w.params } : {}), ...(w.images ? { images: w.images } : {}) };
}

interface Waiting {
  r: number;
  resolve(record: PackedRecord | null): void;
  reject(e: unknown): void;
}

export const threadPool: ExecutorFactory = async (config: RunConfig, width: number, options: ChainOptions = {}): Promise<ReplicateExecutor> => {
  const pool = new Tinypool({
    filename: new URL('./replicate-worker.js', import.meta.url).href,
    minThreads: width,
    maxThreads: width,
    // the threads live as long as the run; close() ends them
    idleTimeout: 2 ** 31 - 1,
    // a small young generation: a thread's garbage is small records, and with
    // V8's default (16 MiB semispaces) two threads added ~100 MiB to the RSS of
    // 10^5 short replicates; the kernels' memory is not on this heap
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // progress slots for the tasks in flight (more tasks than slots run without progress)
  const slots = 4 * width;
  const shared = new SharedArrayBuffer(4 * (FIRST_SLOT + 2 * slots));
  const words = new Int32Array(shared);
  const free = Array.from({ length: slots }, (_, s) => s);
  const running = new Map<number, number>(); // slot -> replicates in its task
  const call = (t: WorkerTask) => pool.run(t) as Promise<WorkerResult>;
  const failure = (res: Extract<WorkerResult, { message: string }>): Error =>
    res.kind === 'usage-error' ? new UsageError(res.message) : new KernelError(kernelTrapText(res.replicate ?? -1, res.message));

  let init: WorkerResult;
  try {
    init = await call({ kind: 'init', config, options });
    if (init.kind !== 'init') throw init.kind === 'records' ? new Error('worker thread: records before init') : failure(init);
  } catch (e) {
    await pool.destroy();
    throw e;
  }
  const { facts, metrics } = init;
  const recordBytes = 8 * recordedGenerations(config.generations, config.every).length * Math.max(1, metrics.length);
  let batch = 1;
  let waiting: Waiting[] = [];
  let flushing = false;

  async function post(group: Waiting[]): Promise<void> {
    const slot = free.pop() ?? NO_SLOT;
    if (slot !== NO_SLOT) {
      Atomics.store(words, FIRST_SLOT + 2 * slot, 0);
      Atomics.store(words, FIRST_SLOT + 2 * slot + 1, 0);
      running.set(slot, group.length);
    }
    try {
      const res = await call({ kind: 'replicates', config, options, rs: group.map((g) => g.r), slot, shared });
      if (res.kind !== 'records') throw res.kind === 'init' ? new Error('worker thread: unexpected init') : failure(res);
      res.records.forEach((w, i) => group[i].resolve(unpack(w)));
      for (const g of group.slice(res.records.length)) g.resolve(null);
      // the next tasks' size, from this one's time per replicate
      if (!res.interrupted && res.records.length) {
        const perReplicate = res.ms / res.records.length;
        batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_BYTES / recordBytes), Math.round(BATCH_MS / Math.max(perReplicate, 1e-3))));
      }
    } catch (e) {
      for (const g of group) g.reject(e);
    } finally {
      if (slot !== NO_SLOT) {
        running.delete(slot);
        free.push(slot);
      }
    }
  }

  // the replicates handed out in one turn of the event loop go out in batches
  function flush(): void {
    flushing = false;
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += batch) void post(all.slice(i, i + batch));
  }

  return {
    width,
    get maxInFlight() {
      return 2 * width * batch;
    },
    facts,
    metrics,
    run(r) {
      return new Promise<PackedRecord | null>((resolve, reject) => {
        waiting.push({ r, resolve, reject });
        if (!flushing) {
          flushing = true;
          queueMicrotask(flush);
        }
      });
    },
    partial() {
      // a queued task's slot reads 0 until a thread starts it
      let sum = 0;
      for (const [s, n] of running) {
        const done = Atomics.load(words, FIRST_SLOT + 2 * s);
        const generation = Atomics.load(words, FIRST_SLOT + 2 * s + 1);
        sum += done < n ? done + Math.min(generation / config.generations, 0.999) : done;
      }
      return sum;
    },
    interrupt: () => void Atomics.store(words, STOP, 1),
    close: () => pool.destroy(),
  };
};
