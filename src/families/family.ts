// What a model family provides. Its folder src/families/<name>/ holds its
// options, config resolution, buffer layout, model adapter, theory and report
// columns; the chain engine, runner, summary, report and CLI are shared.
import type { Arena } from '../kernels/arena.js';
import type { OptionSpec } from '../config/spec.js';
import type { RawOptions } from '../config/validate.js';
import type { ChainOptions, CommonConfig, ExtrasAccumulator, RunHeader } from '../results/types.js';
import type { FamilyTheory } from '../theory/types.js';
import type { ReportSpec } from '../report/table.js';
import type { ModelAdapter } from '../chain/adapter.js';
import type { Allocator, GeneratorBuffers } from '../chain/layout.js';
import type { PolicyConfig } from '../chain/policy-options.js';
import { ChainEngine } from '../chain/engine.js';
import { allocGenerator, plannedBytes } from '../chain/layout.js';
import { policyOf } from '../chain/policies.js';

/** Every family's config: the shared options and the data policy. */
export type FamilyConfig = CommonConfig & PolicyConfig;

/** What a family module defines. */
export interface FamilySpec<C extends FamilyConfig, L> extends ReportSpec<C> {
  name: string;
  /** One line for --help. */
  summary: string;
  /** Every option of `run <family>`, common ones included. */
  options: readonly OptionSpec[];
  /** Validates raw options into a config (memory included); warnings are said once before the run. */
  resolve(raw: RawOptions): { config: C; warnings: string[] };
  /**
   * Checking a run file's header (header.ts resolves its config again as
   * options): options for the fields that are not written as their option
   * is given (gaussian's cov0 flat, gmm's mixture as an object, ...); a key
   * set to undefined leaves the option out.
   */
  headerOptions?(config: Record<string, unknown>): RawOptions;
  /** resolve for a header: the sizes it would read from data files (lm's corpus, vae's digits) taken from the config instead. */
  resolveHeader?(raw: RawOptions, config: Record<string, unknown>): { config: C; warnings: string[] };
  /** Config fields that resolve divides by their sum: resolved again, they may move by an ulp or so. */
  normalised?: readonly string[];
  /** Checks the header's facts that `theory` reads, against the (checked) config: UsageError naming `facts.<field>`. */
  checkFacts?(facts: Record<string, unknown>, config: C): void;
  /** M_n: the size of generation n's training data, as the header reports it. */
  samplesAt(config: C, n: number): number;
  /** The points generation n draws before the policy pools them (default: samplesAt). */
  drawnAt?(config: C, n: number): number;
  /**
   * The metrics a run of this config records, in the order the model records
   * them (its adapter's `metrics` is this list): a sweep checks its grid's
   * `report` names against it before anything runs.
   */
  metrics(config: C): readonly string[];
  /** Declares every buffer of a run; the same call plans the memory (Planner) and lays it out (Arena). */
  layout(config: C, a: Allocator): L;
  /** The model adapter over the buffers `layout` laid out. */
  model(arena: Arena, config: C, buffers: L, generator: GeneratorBuffers): ModelAdapter;
  /**
   * Work of generation n beyond passing over the laid-out buffers, in the
   * same units (bytes touched), for work that grows faster than memory (a
   * KDE scoring held-out points against every kernel). Sweep shards balance
   * by it (src/sweep/cost.ts); default 0.
   */
  extraWork?(config: C, n: number): number;
  /** Doubles per digest chunk (default 4096). */
  hashChunk?(config: C): number;
  theory(header: RunHeader & { config: C }): FamilyTheory;
  /** Warning text for each event kind, given how many replicates met it and where first. */
  eventText(kind: string): string;
  /** Family-specific summary sections (RunSummary.extras), accumulated as replicates arrive. */
  extras?(header: RunHeader & { config: C }): ExtrasAccumulator;
}

export interface Family<C extends FamilyConfig = FamilyConfig, L = unknown> extends FamilySpec<C, L> {
  /** Bytes of kernel memory a run lays out (the generator included). */
  plannedBytes(config: C): number;
  /** One replicate's chain with its buffers laid out in the arena. */
  createChain(arena: Arena, config: C, options?: ChainOptions): ChainEngine;
}

/** A family from its spec: the engine and the memory plan are the same for all. */
export function defineFamily<C extends FamilyConfig, L>(spec: FamilySpec<C, L>): Family<C, L> {
  return {
    ...spec,
    plannedBytes: (config) => plannedBytes((a) => spec.layout(config, a)),
    createChain(arena, config, options = {}) {
      const generator = allocGenerator(arena);
      const buffers = spec.layout(config, arena);
      const model = spec.model(arena, config, buffers, generator);
      const drawnAt = spec.drawnAt ?? spec.samplesAt;
      const settings = { ...config, samplesAt: (n: number) => drawnAt(config, n), params: Boolean(options.params) };
      return new ChainEngine(arena, generator, settings, policyOf(config.policy, config.realFraction), model, spec.hashChunk?.(config));
    },
  };
}
