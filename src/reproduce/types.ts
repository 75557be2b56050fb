// A reproduction preset: the runs of a published setting (plain data: a
// family and its options, as `run <family>` takes them) and pure functions
// that turn the runs' summaries into checks against the published or
// closed-form numbers. Nothing here touches files or threads, so the web page
// can use the same table.
import type { RawOptions } from '../config/validate.js';
import type { ReplicateRecord, RunSummary } from '../results/types.js';
import type { SweepSummary } from '../sweep/summary.js';
import type { SweepManifest } from '../sweep/manifest.js';

/** One run of a preset. */
export interface PresetRun {
  /** Names the run in the table and its file: DIR/<preset>/<id>.jsonl. */
  id: string;
  family: string;
  /** The options of `run <family>` (kebab-case), without --seed and --backend. */
  options: RawOptions;
  /**
   * Per-replicate numbers the checks need beyond the summary (e.g. a window
   * average for paired comparisons); kept, one number per replicate and name.
   */
  perReplicate?: (record: ReplicateRecord) => Record<string, number>;
}

/** What a finished run gives its preset's checks. */
export interface RunResult {
  run: PresetRun;
  summary: RunSummary;
  /** perReplicate's numbers, in replicate order. */
  scalars: Record<string, number[]>;
}

/** One row of a preset's table. */
export interface CheckResult {
  name: string;
  /** The simulated (or computed) value; null when it could not be computed (a FAIL). */
  value: number | null;
  /** What it is compared with, in words: a number, a range, a bound. */
  expected: string;
  /** How far it may be: k standard errors (k stated), or the published tolerance. */
  tolerance: string;
  /** The values that pass, as numbers (null: unbounded on that side; also null when the se is missing). */
  accept: [number | null, number | null];
  pass: boolean;
  /** Where the expected value comes from. */
  source: string;
}

export interface Preset {
  name: string;
  /** The paper (authors, year, where). */
  paper: string;
  /** What it checks, one line for --list. */
  checks: string;
  /** The seed of every run unless --seed is given. */
  seed: string;
  /** Wall time of `reproduce <name>` (full and --quick) as measured on the development machine. */
  measured: { full: string; quick: string };
  runs(quick: boolean): PresetRun[];
  /** The checks, from every run's result (keyed by run id). */
  evaluate(results: Record<string, RunResult>, quick: boolean): CheckResult[];
}

/**
 * A preset that runs a grid of sweeps/ through the sweep code (its cells, a
 * JSONL each, the manifest and summary.json in DIR/<preset>/) and checks the
 * published shape on the summary's cells: the last generation of each cell.
 */
export interface SweepPreset {
  kind: 'sweep';
  name: string;
  paper: string;
  checks: string;
  /** The grid's name in sweeps/: `<grid>.quick.json` with --quick, else `<grid>.full.json`. */
  grid: string;
  measured: { full: string; quick: string };
  evaluate(summary: SweepSummary, manifest: SweepManifest, quick: boolean): CheckResult[];
}
