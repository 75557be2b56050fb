// The messages between the page (web/main.ts) and its run worker
// (web/run-worker.ts). Records travel as the plain records of the JSONL file.
import type { RawOptions } from '../src/config/validate.js';
import type { EnvironmentFacts, ReplicateRecord, RunHeader, RunSummary } from '../src/results/types.js';
import type { BackendName } from '../src/kernels/abi.js';
import type { WarmSettings } from '../bench/warm.js';
import type { CheckResult } from '../src/reproduce/types.js';
import type { OverheadResult } from '../bench/overhead.js';

/** Page -> worker: one run, a reproduction preset's --quick runs (on the page's backend and workers), or stop. */
/** dataBase: the URL of the site's data/ folder, where the lm and vae data are fetched from (web/data-files.ts). */
/** workers: replicates run at once (1: in the run worker; more: a pool of Web Workers); the digest does not depend on it. */
export type RunRequest = { type: 'run'; family: string; options: RawOptions; workers: number; dataBase: string } | { type: 'preset'; name: string; backend?: BackendName; workers: number; dataBase: string } | { type: 'stop' };

/** A preset's run as the page lists it. */
export interface PresetRunEntry {
  id: string;
  family: string;
  digest: string;
  replicates: number;
}

/** Worker -> page. */
export type RunMessage =
  /** The worker's modules are loaded: messages sent before this may be lost (top-level await in the harness). */
  | { type: 'ready' }
  /** A preset's run `index` (0-based) of `count` starts: its header, records and 'done' follow. */
  | { type: 'preset-run'; id: string; family: string; index: number; count: number }
  | { type: 'header'; header: RunHeader; warnings: string[] }
  | { type: 'replicate'; record: ReplicateRecord }
  | { type: 'progress'; done: number; total: number; partial: number; elapsedMs: number }
  /** The run waits for data files (lm's corpus, vae's digits), said in a few words. */
  | { type: 'fetching'; what: string }
  /** The run's end (complete or stopped): the CLI's summary table and digest. */
  | { type: 'done'; summary: RunSummary; table: string; aborted: boolean }
  /** A preset's end, after its last run's 'done': the checks of `reproduce` and the verdict (every check passed). */
  | { type: 'checks'; preset: string; checks: CheckResult[]; pass: boolean; aborted: boolean; runs: PresetRunEntry[] }
  /** `usage`: bad input (a UsageError's one line); otherwise a failure. */
  | { type: 'error'; message: string; usage: boolean };

/** Page -> bench worker, once it is 'ready': run (dataBase as in RunRequest; smoke: each family's first case only). The page stops it by terminating it. */
export interface BenchRequest {
  dataBase: string;
  smoke: boolean;
}

/** Bench worker -> page. */
export type BenchMessage =
  /** The worker's modules are loaded: it waits for its BenchRequest. */
  | { type: 'ready' }
  | { type: 'start'; environment: EnvironmentFacts; settings: WarmSettings }
  /** The correctness gate failed (some backend's bits differ from js's): nothing was timed. */
  | { type: 'gate'; failures: string[] }
  | { type: 'progress'; text: string }
  /** The harness's cost per sample and a no-op kernel call's, measured after the gate passed. */
  | { type: 'overhead'; overhead: OverheadResult }
  | { type: 'case'; id: string; n: number; samplesPerSecond: Record<BackendName, number>; simdVsJs: number; wasmVsJs: number }
  /** tooFast: the cases too fast to time reliably here (overhead.ts), as lines. */
  | { type: 'done'; elapsedMs: number; tooFast: string[] }
  | { type: 'error'; message: string };
