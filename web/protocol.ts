// The messages between the page (web/main.ts) and its run worker
// (web/run-worker.ts). Records travel as the plain records of the JSONL file.
import type { RawOptions } from '../src/config/validate.js';
import type { EnvironmentFacts, ReplicateRecord, RunHeader, RunSummary } from '../src/results/types.js';
import type { BackendName } from '../src/kernels/abi.js';
import type { WarmSettings } from '../bench/warm.js';

/** Page -> worker. */
export type RunRequest = { type: 'run'; family: string; options: RawOptions } | { type: 'stop' };

/** Worker -> page. */
export type RunMessage =
  /** The worker's modules are loaded: messages sent before this may be lost (top-level await in the harness). */
  | { type: 'ready' }
  | { type: 'header'; header: RunHeader; warnings: string[] }
  | { type: 'replicate'; record: ReplicateRecord }
  | { type: 'progress'; done: number; total: number; partial: number; elapsedMs: number }
  /** The run's end (complete or stopped): the CLI's summary table and digest. */
  | { type: 'done'; summary: RunSummary; table: string; aborted: boolean }
  /** `usage`: bad input (a UsageError's one line); otherwise a failure. */
  | { type: 'error'; message: string; usage: boolean };

/** Bench worker -> page (the page starts it by creating it, stops it by terminating it). */
export type BenchMessage =
  | { type: 'start'; environment: EnvironmentFacts; cases: number; settings: WarmSettings }
  /** Every backend's bits equal js's for every case (the benchmark's correctness gate), or the failures. */
  | { type: 'gate'; failures: string[] }
  | { type: 'progress'; text: string }
  | { type: 'case'; id: string; n: number; samplesPerSecond: Record<BackendName, number>; simdVsJs: number; wasmVsJs: number }
  | { type: 'done'; elapsedMs: number }
  | { type: 'error'; message: string };
