// Runs the replicates of one configuration on one backend: lays out memory
// once, streams each finished replicate to the caller (for JSONL) and into
// the summary, reports progress, and stops between generations when the
// signal aborts. Replicate r depends only on (seed, r), never on order or on
// how many run at once. No record is kept: memory does not grow with replicates.
import type { PackedRecord, ReplicateRecord, RunHeader, RunSummary } from '../results/types.js';
import { toPlainRecord } from '../results/record-line.js';
import type { RunConfig } from '../families/index.js';
import { loadBackend, kernelBuild, KernelError } from '../kernels/backend.js';
import { Arena } from '../kernels/arena.js';
import { recordedGenerations } from '../chain/generations.js';
import { SummaryBuilder } from '../results/summary.js';
import { familyOf } from '../families/index.js';
import { environmentFacts } from '../util/env.js';
import { VERSION } from '../version.js';
import { Interrupted, now, type Ticker } from '../chain/ticker.js';

export interface Progress {
  /** Replicates finished in this session (resumed ones not counted). */
  done: number;
  /** Replicates this session runs. */
  total: number;
  /** How far the current replicate is, in [0, 1): progress moves within long replicates. */
  partial: number;
  elapsedMs: number;
}

export interface RunHooks {
  onStart?(header: RunHeader): void | Promise<void>;
  /** Each finished replicate, before the summary takes it; its arrays are valid during the call. */
  onReplicate?(record: PackedRecord): void | Promise<void>;
  onProgress?(p: Progress): void;
  signal?: AbortSignal;
  /**
   * Continue a run: its header and a builder holding the replicates it has.
   * Only the missing indices run; the summary covers all of them.
   */
  resume?: SummaryBuilder;
}

export interface RunOutcome {
  header: RunHeader;
  /** Replicates in the summary (resumed ones included). */
  completed: number;
  summary: RunSummary;
  /** True when the signal stopped the run before every replicate finished. */
  aborted: boolean;
}

export async function runSimulation(config: RunConfig, hooks: RunHooks = {}): Promise<RunOutcome> {
  const t0 = now();
  const family = familyOf(config.family);
  const backend = await loadBackend(config.backend);
  const arena = new Arena(backend);
  let builder: SummaryBuilder;
  let aborted = false;
  try {
    const chain = family.createChain(arena, config);
    const recorded = recordedGenerations(config.generations, config.every);
    const header: RunHeader = hooks.resume?.header ?? {
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
    builder = hooks.resume ?? new SummaryBuilder(header, family);
    await hooks.onStart?.(header);
    const todo = [...builder.missing()];
    let done = 0;
    let lastPause = now();
    const ticker: Ticker = {
      due: () => now() - lastPause > 100,
      async pause(generation: number) {
        hooks.onProgress?.({ done, total: todo.length, partial: Math.min(generation / config.generations, 0.999), elapsedMs: now() - t0 });
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastPause = now();
        if (hooks.signal?.aborted) throw new Interrupted();
      },
    };
    for (const r of todo) {
      if (hooks.signal?.aborted) {
        aborted = true;
        break;
      }
      let record: PackedRecord;
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
      // written first: a replicate is in the summary only if it is in the file
      await hooks.onReplicate?.(record);
      builder.add(record);
      done++;
      hooks.onProgress?.({ done, total: todo.length, partial: 0, elapsedMs: now() - t0 });
    }
  } finally {
    arena.release();
  }
  const summary = builder.finish(null);
  // the whole run: backend, simulation and summary
  summary.elapsedMs = now() - t0;
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
