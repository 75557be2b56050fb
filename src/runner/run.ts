// Runs the replicates of one configuration on one backend: lays out memory
// once, streams each finished replicate to the caller (for JSONL), reports
// progress, and stops between generations when the signal aborts. Replicate r
// depends only on (seed, r), never on order or on how many run at once.
import type { ReplicateRecord, RunHeader, RunSummary } from '../results/types.js';
import type { RunConfig } from '../families/index.js';
import { loadBackend, kernelBuild, KernelError } from '../kernels/backend.js';
import { Arena } from '../kernels/arena.js';
import { recordedGenerations } from '../chain/generations.js';
import { summarize } from '../results/summary.js';
import { familyOf } from '../families/index.js';
import { environmentFacts } from '../util/env.js';
import { VERSION } from '../version.js';
import { Interrupted, now, type Ticker } from '../chain/ticker.js';

export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface RunHooks {
  onStart?(header: RunHeader): void | Promise<void>;
  onReplicate?(record: ReplicateRecord): void | Promise<void>;
  onProgress?(p: Progress): void;
  signal?: AbortSignal;
}

export interface RunOutcome {
  header: RunHeader;
  replicates: ReplicateRecord[];
  summary: RunSummary;
  /** True when the signal stopped the run before every replicate finished. */
  aborted: boolean;
}

export async function runSimulation(config: RunConfig, hooks: RunHooks = {}): Promise<RunOutcome> {
  const family = familyOf(config.family);
  const backend = await loadBackend(config.backend);
  const arena = new Arena(backend);
  try {
    const chain = family.createChain(arena, config);
    const recorded = recordedGenerations(config.generations, config.every);
    const header: RunHeader = {
      kind: 'header',
      tool: 'collapse-bench',
      format: 1,
      version: VERSION,
      config,
      recorded,
      recordedSamples: recorded.map((n) => family.samplesAt(config, n)),
      facts: chain.facts,
      environment: await environmentFacts(),
      kernels: kernelBuild,
      startedAt: new Date().toISOString(),
    };
    await hooks.onStart?.(header);
    const replicates: ReplicateRecord[] = [];
    const t0 = now();
    let lastPause = t0;
    const ticker: Ticker = {
      due: () => now() - lastPause > 100,
      async pause() {
        hooks.onProgress?.({ done: replicates.length, total: config.replicates, elapsedMs: now() - t0 });
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastPause = now();
        if (hooks.signal?.aborted) throw new Interrupted();
      },
    };
    let aborted = false;
    for (let r = 0; r < config.replicates; r++) {
      if (hooks.signal?.aborted) {
        aborted = true;
        break;
      }
      let record: ReplicateRecord;
      try {
        record = await chain.runReplicate(r, ticker);
      } catch (e) {
        if (e instanceof Interrupted) {
          aborted = true; // the unfinished replicate is dropped
          break;
        }
        if (e instanceof WebAssembly.RuntimeError) throw new KernelError(`kernel trap in replicate ${r} (${e.message}); please report it with the config`);
        throw e;
      }
      replicates.push(record);
      await hooks.onReplicate?.(record);
      hooks.onProgress?.({ done: replicates.length, total: config.replicates, elapsedMs: now() - t0 });
    }
    const elapsedMs = now() - t0;
    return { header, replicates, summary: summarize(header, replicates, elapsedMs), aborted };
  } finally {
    arena.release();
  }
}

