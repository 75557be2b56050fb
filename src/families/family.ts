// What a model family provides; the runner, summary, report and CLI are shared.
// A new family is a kernel file, a chain, a theory, an option table and one
// Family object registered in families/index.ts.
import type { Arena } from '../kernels/arena.js';
import type { OptionSpec } from '../config/spec.js';
import type { Ticker } from '../chain/ticker.js';
import type { RawOptions } from '../config/validate.js';
import type { CommonConfig, FamilyName, GenerationSummary, ReplicateRecord, RunHeader, RunSummary } from '../results/types.js';

/** Closed-form mean and median of one metric, where the theory has them. */
export interface TheoryValue {
  mean: number | null;
  median: number | null;
  /** Bounds on the mean, where the theory gives bounds rather than a value. */
  lower?: number | null;
  upper?: number | null;
}

export type TheoryRow = Record<string, TheoryValue>;

/** The theory of one run: one row per recorded generation, plus run-wide facts. */
export interface FamilyTheory {
  rows: TheoryRow[];
  /** Theory for the per-replicate values (ReplicateRecord.finals). */
  finals?: TheoryRow;
  /** Limits that hold for every generation. */
  bounds: Record<string, number>;
  /** Which closed forms are exact, which approximate, in words. */
  notes: string[];
}

/** One replicate's chain, with its buffers laid out in the arena. */
export interface FamilyChain {
  /** Facts about the original distribution for the header (and so for the theory). */
  readonly facts: Record<string, unknown>;
  runReplicate(r: number, ticker: Ticker): Promise<ReplicateRecord>;
}

/** Streams the replicates into a family's summary sections, in bounded memory. */
export interface ExtrasAccumulator {
  add(record: ReplicateRecord): void;
  result(): Record<string, unknown>;
}

/** A column of the text table. */
export interface TableColumn {
  title: string;
  cell(g: GenerationSummary): string;
}

export interface Family<C extends CommonConfig = CommonConfig> {
  name: FamilyName;
  /** One line for --help. */
  summary: string;
  /** Every option of `run <family>`, common ones included. */
  options: readonly OptionSpec[];
  /** Validates raw options into a config; warnings are said once before the run. */
  resolve(raw: RawOptions): { config: C; warnings: string[] };
  /** M_n: the size of generation n's training data. */
  samplesAt(config: C, n: number): number;
  createChain(arena: Arena, config: C): FamilyChain;
  theory(header: RunHeader & { config: C }): FamilyTheory;
  /** Warning text for each event kind, given how many replicates met it and where first. */
  eventText(kind: string): string;
  /** Family-specific summary sections (RunSummary.extras), accumulated as replicates arrive. */
  extras?(header: RunHeader & { config: C }): ExtrasAccumulator;
  /** The text report: the config line, the table's columns and any extra lines. */
  describe(config: C): string;
  columns(config: C): TableColumn[];
  extraLines?(summary: RunSummary & { config: C }): string[];
}
