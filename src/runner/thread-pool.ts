// Replicates in parallel on Node: this thread runs replicates itself (an
// in-process slot, the chain laid out once) beside `width - 1` worker threads
// of a tinypool (a small, dependency-free pool), each laying out its chain
// once (src/runner/replicate-worker.ts). So N threads work for --workers N,
// and this thread starts at once while the pool's threads boot (import the
// harness, compile the kernels: about 0.1 s each; thread-boot.ts, which the
// CLI's entry may call before it loads the harness). The runner decides which
// replicates are handed out (in order, a bounded number at once); they wait
// here, and whichever runner is free takes the oldest: this thread one at a
// time (it yields between them, to take the threads' records and write its
// own), a thread a task of a few consecutive replicates, sized so that a task
// takes about BATCH_MS (one replicate per task while they are long). Each
// thread holds TASKS_PER_THREAD tasks, so that it starts the next one without
// waiting for this thread to answer. Node only: the CLI passes `threadPool`
// to runSimulation, which never imports this file.
import type { RunConfig } from '../families/index.js';
import type { ChainOptions, PackedRecord } from '../results/types.js';
import { KernelError } from '../kernels/backend.js';
import { UsageError } from '../util/errors.js';
import { recordedGenerations } from '../chain/generations.js';
import { inProcessExecutor, kernelTrapText, type ReplicateExecutor } from './executor.js';
import { now } from '../chain/ticker.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FIRST_SLOT, NO_SLOT, STOP, type WorkerResult, type WorkerTask } from './worker-task.js';
import { fromWire } from './wire.js';
import { keepThreads, takeThreads } from './thread-boot.js';
import { TASKS_PER_WORKER as TASKS_PER_THREAD, batchFor, groupSize, settle, taskProgress, type Waiting } from './task-sizing.js';

/** This thread's slot runs replicates for at most this long before it lets the threads' records in. */
const SLICE_MS = 5;

export async function threadPool(config: RunConfig, width: number, options: ChainOptions = {}): Promise<ReplicateExecutor> {
  const threads = width - 1;
  // the threads boot (or have booted: bootThreadsEarly) while this thread lays out its own chain
  const pool = await takeThreads(threads);
  let local: ReplicateExecutor;
  try {
    // progress comes from the runner's clock (it fires between this thread's replicates)
    local = await inProcessExecutor(config, () => {}, options);
  } catch (e) {
    await pool.destroy();
    throw e;
  }
  // progress slots for the tasks in flight (more tasks than slots run without progress)
  const slots = 2 * TASKS_PER_THREAD * threads;
  const shared = new SharedArrayBuffer(4 * (FIRST_SLOT + 2 * slots));
  const words = new Int32Array(shared);
  const free = Array.from({ length: slots }, (_, s) => s);
  const running = new Map<number, number>(); // slot -> replicates in its task
  const call = (t: WorkerTask) => pool.run(t) as Promise<WorkerResult>;
  const failure = (res: Extract<WorkerResult, { message: string }>): Error =>
    res.kind === 'usage-error' ? new UsageError(res.message) : new KernelError(kernelTrapText(res.replicate ?? -1, res.message));

  const { facts, metrics } = local;
  const recordBytes = 8 * recordedGenerations(config.generations, config.every).length * Math.max(1, metrics.length);
  let batch = 1;
  /** Handed out by the runner, not yet taken by this thread or a task. */
  let waiting: Waiting[] = [];
  /** Tasks the threads that answered `init` may hold, and tasks posted. */
  let capacity = 0;
  let posted = 0;
  let localBusy = false;
  let stopped = false;
  let failed: { error: unknown } | undefined;
  let pumping = false;

  /** The next tasks' size, from a measured time per replicate (this thread's or a task's). */
  const measured = (ms: number, n: number) => {
    batch = batchFor(ms, n, recordBytes);
  };

  /** Ends what waits: with null after an interrupt, with the error after a failure. */
  function settleWaiting(): void {
    const all = waiting;
    waiting = [];
    settle(all, failed);
  }

  function fail(error: unknown): void {
    failed ??= { error };
    settleWaiting();
  }

  async function post(group: Waiting[]): Promise<void> {
    posted++;
    const slot = free.pop() ?? NO_SLOT;
    if (slot !== NO_SLOT) {
      Atomics.store(words, FIRST_SLOT + 2 * slot, 0);
      Atomics.store(words, FIRST_SLOT + 2 * slot + 1, 0);
      running.set(slot, group.length);
    }
    try {
      const res = await call({ kind: 'replicates', config, options, rs: group.map((g) => g.r), slot, shared });
      if (res.kind !== 'records') throw res.kind === 'init' ? new Error('worker thread: unexpected init') : failure(res);
      res.records.forEach((w, i) => group[i].resolve(fromWire(w)));
      for (const g of group.slice(res.records.length)) g.resolve(null);
      if (!res.interrupted && res.records.length) measured(res.ms, res.records.length);
    } catch (e) {
      for (const g of group) g.reject(e);
    } finally {
      posted--;
      if (slot !== NO_SLOT) {
        running.delete(slot);
        free.push(slot);
      }
      pump();
    }
  }

  /** This thread's slot: the oldest waiting replicate, one after another, letting the threads' answers in every SLICE_MS. */
  async function runLocally(): Promise<void> {
    localBusy = true;
    let slice = now();
    try {
      for (let w = waiting.shift(); w; w = stopped || failed ? undefined : waiting.shift()) {
        const t0 = now();
        try {
          const record = await local.run(w.r);
          w.resolve(record);
          if (record) measured(now() - t0, 1);
        } catch (e) {
          w.reject(e);
        }
        if (now() - slice > SLICE_MS) {
          // posts the next tasks first, so that the threads keep working while this one runs the next replicate
          pump();
          await nextTurn();
          slice = now();
        }
      }
    } finally {
      localBusy = false;
    }
  }

  /** Hands the oldest waiting replicates to whoever is free: this thread, then the threads' open tasks. */
  function pump(): void {
    pumping = false;
    if (stopped || failed) return settleWaiting();
    if (!localBusy && waiting.length) void runLocally();
    while (posted < capacity && waiting.length) {
      void post(waiting.splice(0, groupSize(batch, waiting.length, width)));
    }
  }

  // a thread takes tasks once it has laid out its chain (its first answer)
  for (let i = 0; i < threads; i++) {
    call({ kind: 'init', config, options }).then(
      (res) => {
        if (res.kind !== 'init') throw res.kind === 'records' ? new Error('worker thread: records before init') : failure(res);
        capacity += TASKS_PER_THREAD;
        pump();
      },
      (e) => fail(e),
    );
  }

  return {
    width,
    get maxInFlight() {
      return 2 * width * TASKS_PER_THREAD * batch;
    },
    facts,
    metrics,
    run(r) {
      if (stopped) return Promise.resolve(null);
      if (failed) return Promise.reject(failed.error);
      return new Promise<PackedRecord | null>((resolve, reject) => {
        waiting.push({ r, resolve, reject });
        // the replicates handed out in one turn of the event loop are shared out together
        if (!pumping) {
          pumping = true;
          queueMicrotask(pump);
        }
      });
    },
    partial() {
      // a queued task's slot reads 0 until a thread starts it
      let sum = local.partial();
      for (const [s, n] of running) {
        const done = Atomics.load(words, FIRST_SLOT + 2 * s);
        const generation = Atomics.load(words, FIRST_SLOT + 2 * s + 1);
        sum += taskProgress(done, n, generation, config.generations);
      }
      return sum;
    },
    interrupt() {
      stopped = true;
      Atomics.store(words, STOP, 1);
      local.interrupt();
      settleWaiting();
    },
    async close() {
      await local.close();
      // idle threads serve the next run of this process (thread-boot.ts); after a stop or a failure they end
      if (!stopped && !failed && posted === 0) keepThreads(pool, threads);
      else await pool.destroy();
    },
  };
}
// this thread is one of the runners (an ExecutorFactory's mark)
threadPool.runsHere = true;
