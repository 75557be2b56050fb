// What the two pools (Node's thread pool, the browser's Web Worker pool)
// share: replicates handed out by the runner wait here until a runner takes
// them, in tasks of consecutive replicates sized to take about BATCH_MS.
import type { PackedRecord } from '../results/types.js';

/** Work per task: long enough that the messages cost little, short enough to balance the runners. */
export const BATCH_MS = 20;
/** Replicates per task at most: more only piled up records (and garbage) in both threads, for no speed (bench:memory). */
export const MAX_BATCH = 64;
/** Records one task may hold before it answers. */
export const BATCH_BYTES = 4 * 2 ** 20;
/** Tasks a worker holds at once: the one it runs and the next, so it never waits for an answer. */
export const TASKS_PER_WORKER = 2;

/** A replicate the runner handed out, waiting for its record. */
export interface Waiting {
  r: number;
  resolve(record: PackedRecord | null): void;
  reject(e: unknown): void;
}

/** Replicates per task, from a measured time of `ms` for `n` replicates of `recordBytes` each. */
export function batchFor(ms: number, n: number, recordBytes: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(BATCH_BYTES / recordBytes), Math.round(BATCH_MS / Math.max(ms / n, 1e-3))));
}

/** The next task's size: near the end smaller, so that every runner gets a share of what is left. */
export function groupSize(batch: number, waiting: number, width: number): number {
  return Math.max(1, Math.min(batch, Math.ceil(waiting / width)));
}

/** Replicates' worth of work done in a task of `n` that finished `done` and is at `generation` of the next. */
export function taskProgress(done: number, n: number, generation: number, generations: number): number {
  return done < n ? done + Math.min(generation / generations, 0.999) : done;
}

/** Ends every waiting replicate: with the error after a failure, else (a stop) with null. */
export function settle(waiting: Waiting[], failed: { error: unknown } | undefined): void {
  for (const w of waiting) {
    if (failed) w.reject(failed.error);
    else w.resolve(null);
  }
}
