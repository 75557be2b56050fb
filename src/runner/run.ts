// Runs the replicates of one configuration: in this thread, or in parallel
// through an executor (src/runner/executor.ts; the CLI's worker-thread pool).
// Records reach the caller (for JSONL) and the summary in replicate order
// whatever finished first, so the file, the summary and the digest are the
// same bytes for any number of workers; replicate r depends only on (seed, r).
// No record is kept beyond a bounded few waiting for their turn: memory does
// not grow with replicates.
import type { PackedRecord, ReplicateRecord, RunHeader, RunSummary } from '../results/types.js';
import { toPlainRecord } from '../results/record-line.js';
import type { RunConfig } from '../families/index.js';
import { kernelBuild, loadBackend } from '../kernels/backend.js';
import { recordedGenerations } from '../chain/generations.js';
import { SummaryBuilder } from '../results/summary.js';
import { familyOf } from '../families/index.js';
import { environmentFacts } from '../util/env.js';
import { VERSION } from '../version.js';
import { now } from '../chain/ticker.js';
import { UsageError } from '../util/errors.js';
import { inProcessExecutor, type ExecutorFactory, type ReplicateExecutor } from './executor.js';

export interface Progress {
  /** Replicates finished in this session (resumed ones not counted). */
  done: number;
  /** Replicates this session runs. */
  total: number;
  /** Replicates' worth of work done in the unfinished ones (summed over the workers): progress moves within long replicates. */
  partial: number;
  elapsedMs: number;
  /**
   * A sweep's estimated work (src/sweep/cost.ts's units): done so far, in
   * all, and done before this session started. Replicates of different cells
   * differ in cost by orders of magnitude, so the share of the work and the
   * time left come from these, not from the replicate count.
   */
  work?: { done: number; total: number; atStart: number };
}

export interface RunHooks {
  onStart?(header: RunHeader): void | Promise<void>;
  /** Each finished replicate in replicate order, before the summary takes it; its arrays are valid during the call. */
  onReplicate?(record: PackedRecord): void | Promise<void>;
  onProgress?(p: Progress): void;
  signal?: AbortSignal;
  /**
   * Continue a run: its header and a builder holding the replicates it has.
   * Only the missing indices run; the summary covers all of them.
   */
  resume?: SummaryBuilder;
  /**
   * Only these replicate indices (a shard's slice; default all of them); with
   * `resume`, those of them it does not hold yet. The others stay missing.
   */
  only?: { from: number; to: number };
  /** Replicates run at once (default 1); never more than there are to run. Needs `parallel` above 1. */
  workers?: number;
  /** How to run `workers` replicates at once (the CLI: replicatePool, src/runner/replicate-pool.ts); without it they run in this thread. */
  parallel?: ExecutorFactory;
  /** Keep the fitted parameters at the recorded generations in the records (`--params`; a resumed run: its header's). */
  params?: boolean;
  /** Add where the time went to the summary (phasesMs). */
  timing?: boolean;
}

export interface RunOutcome {
  header: RunHeader;
  /** Replicates in the summary (resumed ones included). */
  completed: number;
  summary: RunSummary;
  /** True when the signal stopped the run before every replicate finished. */
  aborted: boolean;
}

/**
 * Bytes of records that may be handed out at once (running, queued, or
 * finished and waiting for their turn), beyond one more than the workers: so
 * that a thread that finishes early starts the next replicate, in bounded memory.
 */
const WAITING_BYTES = 16 * 2 ** 20;

export async function runSimulation(config: RunConfig, hooks: RunHooks = {}): Promise<RunOutcome> {
  const family = familyOf(config.family);
  const { from, to } = hooks.only ?? { from: 0, to: config.replicates };
  const todo = hooks.resume ? [...hooks.resume.missing()].filter((r) => r >= from && r < to) : Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  if (hooks.workers !== undefined && !(Number.isInteger(hooks.workers) && hooks.workers >= 1)) throw new UsageError(`--workers: ${JSON.stringify(hooks.workers)} is not allowed; expected an integer of at least 1`);
  const width = hooks.parallel ? Math.max(1, Math.min(hooks.workers ?? 1, todo.length)) : 1;
  // The clock (elapsedMs) starts once this thread's kernels are loaded:
  // decoding and compiling the WASM (or importing the js build) is start-up,
  // as importing numpy is a Python script's. Loaded once per thread, so the
  // in-process executor below finds them ready (with a pool that runs
  // replicates here too, as without one: the clocks of --workers 1 and N
  // time the same things); a pool's threads load their own. The
  // description of the machine for the header is start-up too, read meanwhile.
  const environment = environmentFacts();
  if (width === 1 || hooks.parallel?.runsHere) await loadBackend(config.backend);
  const t0 = now();
  let done = 0;
  let executor: ReplicateExecutor | undefined;
  const report = () => hooks.onProgress?.({ done, total: todo.length, partial: executor?.partial() ?? 0, elapsedMs: now() - t0 });
  // a resumed run keeps its header's choice, so that every record of a file is alike
  const params = hooks.resume ? Boolean(hooks.resume.header.params) : Boolean(hooks.params);
  const chainOptions = { params };
  executor = width > 1 ? await hooks.parallel!(config, width, chainOptions) : await inProcessExecutor(config, report, chainOptions);
  let builder: SummaryBuilder;
  let aborted = false;
  // the phases' boundaries (phasesMs): the loop's start and end, and the theory wherever it is worked out
  let loopStart = t0;
  let loopEnd = t0;
  let theoryInLoop = 0;
  const theory = () => {
    const start = now();
    builder.theory();
    return now() - start;
  };
  const queue: Promise<PackedRecord | null>[] = [];
  const interrupt = () => executor.interrupt();
  hooks.signal?.addEventListener('abort', interrupt);
  // with workers this thread is idle: progress on a clock (in this thread, at the chain's pauses)
  const clock = width > 1 && hooks.onProgress ? setInterval(report, 100) : undefined;
  try {
    const recorded = recordedGenerations(config.generations, config.every);
    const header: RunHeader = hooks.resume?.header ?? {
      kind: 'header',
      tool: 'collapse-bench',
      format: 1,
      version: VERSION,
      config,
      recorded,
      recordedSamples: recorded.map((n) => family.samplesAt(config, n)),
      facts: executor.facts,
      environment: await environment,
      kernels: kernelBuild,
      startedAt: new Date().toISOString(),
      ...(params ? { params: true } : {}),
    };
    builder = hooks.resume ?? new SummaryBuilder(header, family);
    await hooks.onStart?.(header);
    const recordBytes = 8 * header.recorded.length * Math.max(1, executor.metrics.length);
    const handedOut = () => Math.min(executor.maxInFlight, Math.max(width + 1, Math.floor(WAITING_BYTES / recordBytes)));
    let next = 0;
    loopStart = now();
    for (;;) {
      // refilled by halves, so that an executor that batches gets whole batches
      if (queue.length <= handedOut() / 2) {
        while (queue.length < handedOut() && next < todo.length && !hooks.signal?.aborted) {
          const p = executor.run(todo[next++]);
          p.catch(() => {}); // a failure is met when its turn comes (no unhandled rejection meanwhile)
          queue.push(p);
        }
      }
      const head = queue.shift();
      if (!head) break;
      const record = await head;
      if (record === null) break; // interrupted: the replicates after it are dropped, so the file stays a prefix
      // written first: a replicate is in the summary only if it is in the file
      await hooks.onReplicate?.(record);
      builder.add(record);
      done++;
      report();
      // with threads, the summary's theory (tens of ms for some families) is
      // worked out once every replicate is handed out, while the threads run
      // the last ones, rather than alone after them. Not straight after the
      // hand-out: the pool posts the replicates handed out in a microtask,
      // and a thread that finished would wait out the theory for its next task
      if (width > 1 && next >= todo.length) theoryInLoop += theory();
    }
    loopEnd = now();
    aborted = done < todo.length;
  } finally {
    hooks.signal?.removeEventListener('abort', interrupt);
    clearInterval(clock);
    // after an interrupt or a failure: stop what still runs, and wait for it
    if (queue.length) {
      executor.interrupt();
      await Promise.allSettled(queue);
    }
    await executor.close();
  }
  const theoryAfter = theory(); // memoised: nothing left to do when the loop worked it out
  const summary = builder.finish(null);
  // the whole run after the kernels' loading: layout, simulation and summary
  const end = now();
  summary.elapsedMs = end - t0;
  if (hooks.timing) {
    summary.phasesMs = { setup: loopStart - t0, replicates: loopEnd - loopStart - theoryInLoop, theory: theoryInLoop + theoryAfter, summary: end - loopEnd - theoryAfter };
  }
  return { header: builder.header, completed: builder.count, summary, aborted };
}

/**
 * runSimulation that also returns every record, in replicate order: for
 * tests and small runs only, since it holds them all in memory.
 */
export async function runAndCollect(config: RunConfig, hooks: RunHooks = {}): Promise<RunOutcome & { replicates: ReplicateRecord[] }> {
  const replicates: ReplicateRecord[] = [];
  const outcome = await runSimulation(config, {
    ...hooks,
    async onReplicate(record) {
      replicates.push(toPlainRecord(record));
      await hooks.onReplicate?.(record);
    },
  });
  replicates.sort((a, b) => a.replicate - b.replicate);
  return { ...outcome, replicates };
}
