// Where the replicates of a run execute: in this thread (inProcessExecutor,
// every runtime), in a pool of worker threads (src/runner/thread-pool.ts,
// Node only, handed to the runner by the CLI so that nothing here imports
// node:worker_threads and the browser page loads this layer unchanged) or in
// a pool of Web Workers (src/runner/web-worker-pool.ts, the web page). The
// runner hands out replicate indices and keeps the records in replicate order;
// an executor only runs replicates and says how far the running ones are.
import type { RunConfig } from '../families/index.js';
import type { ChainOptions, PackedRecord } from '../results/types.js';
import { familyOf } from '../families/index.js';
import { loadBackend, KernelError } from '../kernels/backend.js';
import { Arena } from '../kernels/arena.js';
import { Interrupted, now, type Ticker } from '../chain/ticker.js';

export interface ReplicateExecutor {
  /** Replicates that run at the same time. */
  readonly width: number;
  /** Replicates that may be handed out at once (running, queued or finished but not yet taken). */
  readonly maxInFlight: number;
  /** The model's facts, for the run header. */
  readonly facts: Record<string, unknown>;
  /** The metric names of every record. */
  readonly metrics: readonly string[];
  /** Runs replicate r: its record, or null when interrupt() stopped it first. A kernel trap rejects with KernelError. */
  run(r: number): Promise<PackedRecord | null>;
  /** Replicates' worth of work done in the unfinished ones (the sum over those running), for progress. */
  partial(): number;
  /** Stops every running replicate at its next pause (about 100 ms); their run() gives null. */
  interrupt(): void;
  /** Frees the memory and the threads. */
  close(): Promise<void>;
}

/** Starts an executor of `width` parallel runners for a config (e.g. the Node thread pool). */
export type ExecutorFactory = ((config: RunConfig, width: number, options?: ChainOptions) => Promise<ReplicateExecutor>) & {
  /** True when this thread is one of the runners: the runner loads its kernels before the run's clock starts. */
  runsHere?: boolean;
};

/**
 * Replicates one after another in this thread, on one chain laid out once.
 * `onPause` runs at every pause of the chain (about every 100 ms): the runner
 * reports progress there, and the event loop runs (Ctrl-C, timers).
 */
export async function inProcessExecutor(config: RunConfig, onPause: () => void, options: ChainOptions = {}): Promise<ReplicateExecutor> {
  const arena = new Arena(await loadBackend(config.backend));
  let chain;
  try {
    chain = familyOf(config.family).createChain(arena, config, options);
  } catch (e) {
    arena.release();
    throw e;
  }
  let generation = 0;
  let running = false;
  let stop = false;
  let lastPause = now();
  const ticker: Ticker = {
    due: () => now() - lastPause > 100,
    async pause(n: number) {
      generation = n;
      onPause();
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastPause = now();
      if (stop) throw new Interrupted();
    },
  };
  return {
    width: 1,
    maxInFlight: 1,
    facts: chain.facts,
    metrics: chain.metrics,
    async run(r) {
      if (stop) return null;
      generation = 0;
      running = true;
      try {
        return await chain.runReplicate(r, ticker);
      } catch (e) {
        if (e instanceof Interrupted) return null; // the unfinished replicate is dropped
        if (e instanceof WebAssembly.RuntimeError) throw new KernelError(kernelTrapText(r, e.message));
        throw e;
      } finally {
        running = false;
      }
    },
    partial: () => (running ? Math.min(generation / config.generations, 0.999) : 0),
    interrupt: () => void (stop = true),
    async close() {
      arena.release();
    },
  };
}

export const kernelTrapText = (r: number, message: string): string => `kernel trap in replicate ${r} (${message}); please report it with the config`;
