// Runs a preset: resolves every run first (a bad option fails before any
// work), runs them one after another through runSimulation (the same path
// as `run`, with the caller's executor), hands every header and record to
// the caller (the CLI writes them as JSONL), then evaluates the checks.
// No file system here: the web page can run a preset the same way.
import type { BackendName } from '../kernels/abi.js';
import type { PackedRecord, RunHeader } from '../results/types.js';
import { toPlainRecord } from '../results/record-line.js';
import { familyOf, FAMILIES, type RunConfig } from '../families/index.js';
import { runSimulation, type Progress } from '../runner/run.js';
import type { ExecutorFactory } from '../runner/executor.js';
import { UsageError } from '../util/errors.js';
import type { CheckResult, Preset, PresetRun, RunResult } from './types.js';

export interface PresetHooks {
  /** Replaces the preset's seed (the checks were calibrated with the preset's own). */
  seed?: number | string;
  backend?: BackendName;
  workers?: number;
  parallel?: ExecutorFactory;
  signal?: AbortSignal;
  onHeader?(run: PresetRun, header: RunHeader): void | Promise<void>;
  onReplicate?(run: PresetRun, record: PackedRecord): void | Promise<void>;
  onProgress?(run: PresetRun, p: Progress): void;
  /** After each run, before the next (also after an interrupted one). */
  onRunEnd?(run: PresetRun, result: RunResult, aborted: boolean): void | Promise<void>;
}

/** What checks.json records of one run. */
export interface RunEntry {
  id: string;
  family: string;
  config: RunConfig;
  digest: string;
  replicates: number;
  elapsedMs: number | null;
}

export interface PresetOutcome {
  preset: string;
  quick: boolean;
  seed: number | string;
  runs: RunEntry[];
  checks: CheckResult[];
  /** Every check passed (false when interrupted: not every run finished). */
  pass: boolean;
  aborted: boolean;
}

/** Each run's config, validated by its family; a failure names the preset and the run. */
export function resolvePreset(preset: Preset, quick: boolean, hooks: Pick<PresetHooks, 'seed' | 'backend'> = {}): { run: PresetRun; config: RunConfig }[] {
  return preset.runs(quick).map((run) => {
    if (!Object.hasOwn(FAMILIES, run.family)) throw new Error(`preset ${preset.name}, run ${run.id}: no family ${run.family}`);
    const options = { ...run.options, seed: hooks.seed ?? preset.seed, ...(hooks.backend ? { backend: hooks.backend } : {}) };
    try {
      return { run, config: familyOf(run.family).resolve(options).config };
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`preset ${preset.name}, run ${run.id}: ${e.message}`);
      throw e;
    }
  });
}

export async function runPreset(preset: Preset, quick: boolean, hooks: PresetHooks = {}): Promise<PresetOutcome> {
  const planned = resolvePreset(preset, quick, hooks);
  const results: Record<string, RunResult> = {};
  const runs: RunEntry[] = [];
  let aborted = false;
  for (const { run, config } of planned) {
    if (hooks.signal?.aborted) {
      aborted = true;
      break;
    }
    const scalars: Record<string, number[]> = {};
    const outcome = await runSimulation(config, {
      signal: hooks.signal,
      workers: hooks.workers,
      parallel: hooks.parallel,
      onStart: (header) => hooks.onHeader?.(run, header),
      async onReplicate(record) {
        if (run.perReplicate) {
          for (const [k, v] of Object.entries(run.perReplicate(toPlainRecord(record)))) (scalars[k] ??= []).push(v);
        }
        await hooks.onReplicate?.(run, record);
      },
      onProgress: (p) => hooks.onProgress?.(run, p),
    });
    const result: RunResult = { run, summary: outcome.summary, scalars };
    await hooks.onRunEnd?.(run, result, outcome.aborted);
    if (outcome.aborted) {
      aborted = true;
      break;
    }
    results[run.id] = result;
    runs.push({ id: run.id, family: run.family, config, digest: outcome.summary.digest, replicates: outcome.completed, elapsedMs: outcome.summary.elapsedMs });
  }
  const checks = aborted ? [] : preset.evaluate(results, quick);
  return { preset: preset.name, quick, seed: hooks.seed ?? preset.seed, runs, checks, pass: !aborted && checks.length > 0 && checks.every((c) => c.pass), aborted };
}
