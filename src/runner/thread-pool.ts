// Replicates in parallel on Node's worker threads, through tinypool (a small,
// dependency-free pool, the one vitest grew up on): one task per replicate,
// `width` threads, each laying out its chain once (src/runner/replicate-worker.ts).
// The runner decides which replicates are handed out (in order, a bounded
// number at once); tinypool queues them for the next free thread. Node only:
// the CLI passes `threadPool` to runSimulation, which never imports this file.
import Tinypool from 'tinypool';
import { availableParallelism } from 'node:os';
import type { RunConfig } from '../families/index.js';
import type { PackedRecord } from '../results/types.js';
import { KernelError } from '../kernels/backend.js';
import { UsageError } from '../util/errors.js';
import { kernelTrapText, type ExecutorFactory, type ReplicateExecutor } from './executor.js';
import { FIRST_SLOT, STOP, type WireRecord, type WorkerResult, type WorkerTask } from './replicate-worker.js';

/** The CLI's default --workers: the logical cores Node may use. */
export const defaultWorkers = (): number => availableParallelism();

/** The record as the engine made it, its metrics views of the transferred buffer (key order as the engine's, so the JSONL bytes match). */
function unpack(w: WireRecord): PackedRecord {
  const slots = w.names.length ? w.values.length / w.names.length : 0;
  const metrics = Object.fromEntries(w.names.map((m, k) => [m, w.values.subarray(k * slots, (k + 1) * slots)]));
  return { kind: 'replicate', replicate: w.replicate, digest: w.digest, metrics, ...(w.finals ? { finals: w.finals } : {}), events: w.events };
}

export const threadPool: ExecutorFactory = async (config: RunConfig, width: number): Promise<ReplicateExecutor> => {
  const pool = new Tinypool({
    filename: new URL('./replicate-worker.js', import.meta.url).href,
    minThreads: width,
    maxThreads: width,
    // the threads live as long as the run; close() ends them
    idleTimeout: 2 ** 31 - 1,
  });
  // two per thread: one running, one queued or finished and waiting for its turn to be written
  const maxInFlight = 2 * width;
  const shared = new SharedArrayBuffer(4 * (FIRST_SLOT + maxInFlight));
  const words = new Int32Array(shared);
  const free = Array.from({ length: maxInFlight }, (_, s) => s);
  const running = new Set<number>();
  const call = (t: WorkerTask) => pool.run(t) as Promise<WorkerResult>;
  const fail = (res: WorkerResult, r?: number): never => {
    if (res.kind === 'usage-error') throw new UsageError(res.message);
    if (res.kind === 'kernel-trap') throw new KernelError(kernelTrapText(r ?? -1, res.message));
    throw new Error(`worker thread: unexpected answer ${res.kind}`);
  };
  let init: WorkerResult;
  try {
    init = await call({ kind: 'init', config });
    if (init.kind !== 'init') fail(init);
  } catch (e) {
    await pool.destroy();
    throw e;
  }
  const { facts, metrics } = init as Extract<WorkerResult, { kind: 'init' }>;
  return {
    width,
    maxInFlight,
    facts,
    metrics,
    async run(r) {
      const slot = free.pop();
      if (slot === undefined) throw new Error(`thread pool: more than ${maxInFlight} replicates handed out at once`);
      Atomics.store(words, FIRST_SLOT + slot, 0);
      running.add(slot);
      try {
        const res = await call({ kind: 'replicate', config, r, slot, shared });
        if (res.kind === 'record') return unpack(res.record);
        if (res.kind === 'interrupted') return null;
        return fail(res, r);
      } finally {
        running.delete(slot);
        free.push(slot);
      }
    },
    partial() {
      // a queued replicate's slot reads 0 until a thread starts it
      let sum = 0;
      for (const s of running) sum += Math.min(Atomics.load(words, FIRST_SLOT + s) / config.generations, 0.999);
      return sum;
    },
    interrupt: () => void Atomics.store(words, STOP, 1),
    close: () => pool.destroy(),
  };
};
