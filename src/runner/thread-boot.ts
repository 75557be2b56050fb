// Booting the Node pool's worker threads (thread-pool.ts runs replicates on
// them), and Deno's Web Workers (web-worker-pool.ts). Only tinypool and Node
// built-ins here, so that the CLI's entry can boot the threads a run will want
// before it imports the harness: a thread takes about 0.1 s to boot (Node's
// worker, the one-file bundle, its kernels), and it does so while this thread
// imports its own modules, rather than inside the run. tinypool itself is
// imported only when threads boot: with what it loads of Node
// (worker_threads, child_process, ...) it costs ~10 ms that a one-thread run
// does not need. This file is outside the CLI's bundle, so the workers'
// modules are found from here wherever the harness sits.
import type Tinypool from 'tinypool';
import type { PoolWorker } from './web-worker-pool.js';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TASKS_PER_WORKER } from './task-sizing.js';

declare const Deno: unknown;

/**
 * Deno runs tinypool's worker threads but never answers their tasks (2.9: a
 * run waited forever at its first replicate), so there the replicates run in
 * Web Workers, served as the web page's are; Node's and Bun's worker threads work.
 */
export const usesWebWorkers = (): boolean => typeof Deno !== 'undefined';

/** The CLI's default --workers: the logical cores this process may use. */
export const defaultWorkers = (): number => availableParallelism();

/**
 * A workers' module: the build's one-file bundle of `name`.js (scripts/build.mjs;
 * a thread imports one file in about half the time of ~80 modules), else the
 * module itself.
 */
function workerModule(name: string): string {
  const bundle = new URL(`./${name}.bundle.js`, import.meta.url);
  return existsSync(fileURLToPath(bundle)) ? bundle.href : new URL(`./${name}.js`, import.meta.url).href;
}

const newWebWorker = () => new Worker(workerModule('deno-replicate-worker'), { type: 'module' });

/** Web Workers booted ahead of the run (Deno), until the pool's spawn takes them or they are dropped. */
let earlyWebWorkers: PoolWorker[] = [];

/** One Web Worker serving replicates (Deno; see usesWebWorkers), for webWorkerPool: an early or kept one while there are any. */
export function spawnWebWorker(): PoolWorker {
  clearTimeout(webExpiry);
  return earlyWebWorkers.shift() ?? newWebWorker();
}

/** The early or kept Web Workers' expiry (kept ones: KEEP_MS after their run). */
let webExpiry: ReturnType<typeof setTimeout> | undefined;

/**
 * Keeps a finished run's idle Web Workers for the next run of this process,
 * as keepThreads does threads (each wrapped to say `ready` again: handed-over.ts).
 */
export function keepWebWorkers(workers: PoolWorker[]): void {
  void dropEarlyThreads();
  earlyWebWorkers = workers;
  webExpiry = setTimeout(() => void dropEarlyThreads(), KEEP_MS);
}

/** A pool of `threads` worker threads, booting from now on. */
async function bootThreads(threads: number): Promise<Tinypool> {
  const { default: Pool } = await import('tinypool');
  // each thread's output is piped into this process's stdout and stderr with
  // an 'error' listener apiece: past 10 threads Node warned of a leak
  for (const s of [process.stdout, process.stderr]) s.setMaxListeners(Math.max(s.getMaxListeners(), threads + 10));
  return new Pool({
    filename: workerModule('replicate-worker'),
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

/**
 * Threads booted ahead of the run (bootThreadsEarly), or a finished run's
 * (keepThreads), until a pool takes them or they are dropped.
 */
let early: { pool: Promise<Tinypool>; threads: number; expiry?: ReturnType<typeof setTimeout> } | undefined;

/** How long a finished run's threads wait for the next run of this process. */
const KEEP_MS = 500;

/**
 * Boots `threads` threads (none for 0), for the pool a run will ask for
 * (this thread and them); resolves once they are booting. Under Deno, Web
 * Workers: one more, as its pool runs none in this thread.
 */
export async function bootThreadsEarly(threads: number): Promise<void> {
  if (usesWebWorkers()) {
    if (threads > 0 && !earlyWebWorkers.length) {
      // what a worker posts before its pool listens (its 'ready', an error) waits for the pool;
      // imported here, not at the top: every Node start loads this file
      const { handedOver } = await import('./handed-over.js');
      earlyWebWorkers = Array.from({ length: threads + 1 }, () => handedOver(newWebWorker(), []));
    }
  } else if (threads > 0 && !early) {
    early = { pool: bootThreads(threads), threads };
    await early.pool;
  }
}

/** A pool of `threads` threads: the early ones when there are that many, else new ones (the early ones are dropped). */
export async function takeThreads(threads: number): Promise<Tinypool> {
  const ready = early;
  early = undefined;
  clearTimeout(ready?.expiry);
  if (ready?.threads === threads) return ready.pool;
  void ready?.pool.then((p) => p.destroy());
  return bootThreads(threads);
}

/**
 * Keeps a finished run's idle threads for the next run of this process (a
 * sweep's cells, a preset's runs): booting them again cost more than some
 * of those runs. Ended after KEEP_MS, or by dropEarlyThreads.
 */
export function keepThreads(pool: Tinypool, threads: number): void {
  void dropEarlyThreads();
  const kept = { pool: Promise.resolve(pool), threads, expiry: setTimeout(() => early === kept && void dropEarlyThreads(), KEEP_MS) };
  kept.expiry.unref?.(); // the threads keep the process alive meanwhile, not the timer
  early = kept;
}

/** Ends the early or kept threads no run took (they would keep the process alive). */
export async function dropEarlyThreads(): Promise<void> {
  clearTimeout(webExpiry);
  for (const w of earlyWebWorkers.splice(0)) w.terminate();
  const unused = early;
  early = undefined;
  clearTimeout(unused?.expiry);
  await (await unused?.pool)?.destroy();
}
