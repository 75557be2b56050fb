// Booting the Node pool's worker threads (thread-pool.ts runs replicates on
// them). Only tinypool and Node built-ins here, so that the CLI's entry can
// boot the threads a run will want before it imports the harness: a thread
// takes about 0.1 s to boot (Node's worker, the one-file bundle, its kernels),
// and it does so while this thread imports its own modules, rather than
// inside the run. tinypool itself is imported only when threads boot: with
// what it loads of Node (worker_threads, child_process, ...) it costs ~10 ms
// that a one-thread run does not need.
import type Tinypool from 'tinypool';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TASKS_PER_WORKER } from './task-sizing.js';

declare const Deno: unknown;
/**
 * Deno 2.9 runs tinypool's worker threads but never answers their tasks (a
 * run waited forever at its first replicate), so there the replicates run in
 * the CLI's own thread; Bun's worker threads work.
 */
export const threadsUnsupported = (): string | undefined => (typeof Deno !== 'undefined' ? 'Deno (its worker_threads never answer tinypool tasks)' : undefined);

/** The CLI's default --workers: the logical cores Node may use (1 where threads do not work). */
export const defaultWorkers = (): number => (threadsUnsupported() ? 1 : availableParallelism());

/**
 * The threads' module: the build's one-file bundle of replicate-worker.js
 * (scripts/build.mjs; a thread imports one file in about half the time of
 * ~80 modules), else the module itself.
 */
function workerModule(): string {
  const bundle = new URL('./replicate-worker.bundle.js', import.meta.url);
  return existsSync(fileURLToPath(bundle)) ? bundle.href : new URL('./replicate-worker.js', import.meta.url).href;
}

/** A pool of `threads` worker threads, booting from now on. */
async function bootThreads(threads: number): Promise<Tinypool> {
  const { default: Pool } = await import('tinypool');
  // each thread's output is piped into this process's stdout and stderr with
  // an 'error' listener apiece: past 10 threads Node warned of a leak
  for (const s of [process.stdout, process.stderr]) s.setMaxListeners(Math.max(s.getMaxListeners(), threads + 10));
  return new Pool({
    filename: workerModule(),
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: TASKS_PER_WORKER,
    // the threads live as long as the run; destroy() ends them
    idleTimeout: 2 ** 31 - 1,
    // a small young generation: a thread's garbage is small records, and with
    // V8's default (16 MiB semispaces) two threads added ~100 MiB to the RSS of
    // 10^5 short replicates; the kernels' memory is not on this heap
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
}

/** Threads booted ahead of the run (bootThreadsEarly), until a pool takes them or they are dropped. */
let early: { pool: Promise<Tinypool>; threads: number } | undefined;

/** Boots `threads` threads (none for 0), for the pool a run will ask for; resolves once they are booting. */
export async function bootThreadsEarly(threads: number): Promise<void> {
  if (threads > 0 && !early) {
    early = { pool: bootThreads(threads), threads };
    await early.pool;
  }
}

/** A pool of `threads` threads: the early ones when there are that many, else new ones (the early ones are dropped). */
export async function takeThreads(threads: number): Promise<Tinypool> {
  const ready = early;
  early = undefined;
  if (ready?.threads === threads) return ready.pool;
  void ready?.pool.then((p) => p.destroy());
  return bootThreads(threads);
}

/** Ends the early threads no run took (they would keep the process alive). */
export async function dropEarlyThreads(): Promise<void> {
  const unused = early;
  early = undefined;
  await (await unused?.pool)?.destroy();
}
