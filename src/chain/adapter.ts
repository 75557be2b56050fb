// What a family gives the chain engine: its model over buffers laid out once.
// The engine owns everything that is the same for every family (seeding,
// generation 0, the loop, the data policy, schedules, recording, the digest,
// progress, cancellation); the adapter owns what is the family's own.
import type { MetricTable } from './recorder.js';
import type { MaybeAsync, TrainingData } from './policies.js';
export type { MaybeAsync } from './policies.js';

/** What a hook may do besides its kernel calls. */
export interface StepContext {
  /** Adds the bits of these doubles (copied now) to the replicate's digest. */
  hash(values: Float64Array): void;
  /** Notes a degenerate case; only the first of each kind is kept. */
  event(kind: string, generation: number, rank?: number): void;
  /**
   * Ends the replicate after this generation: 'repeat' fills the recorded
   * generations left with this generation's model metrics (a chain that can
   * no longer change), 'missing' leaves them null (a chain that left the doubles).
   */
  stop(fill: 'repeat' | 'missing'): void;
  /** Lets the event loop run when due (a long hook: between slices of work). */
  yieldIfDue(): MaybeAsync;
}

export interface ModelAdapter {
  /** Metric names recorded per generation. */
  readonly metrics: readonly string[];
  /** Facts about the original distribution, for the run header and the theory. */
  readonly facts: Record<string, unknown>;
  /** The family's data, as the policy speaks to it. */
  readonly data: TrainingData;
  /** A rough count of the doubles one generation touches, to pace the clock checks. */
  readonly generationCost: number;
  /** Start of a replicate (the generator is seeded): draws the real data of generation 0, and anything else drawn once. */
  drawRealData(ctx: StepContext): MaybeAsync;
  /** Fits model n to the current training set (generation n-1's). */
  fit(n: number, ctx: StepContext): MaybeAsync;
  /** After generation n's training set is built (n = 0: the real data). */
  built?(n: number, ctx: StepContext): void;
  /** Records the metrics of model n (n = 0: the original distribution) in slot `slot`. */
  recordModel?(table: MetricTable, slot: number, n: number, ctx: StepContext): MaybeAsync;
  /** Records the metrics of generation n's data (n = 0: the real data) in slot `slot`. */
  recordData?(table: MetricTable, slot: number, n: number, ctx: StepContext): MaybeAsync;
  /**
   * Optional, for the `replace` policy only: runs generations n..last (none
   * of them recorded, last < G; a model without `built`) in one go, each exactly what the
   * engine's generation does (fit, digest, build a training set of `samples`
   * from the model alone), and returns how many it ran (0: none, the engine
   * runs generation n itself). A model stops a span where a generation needs
   * the host (an event, a stop). It spares small generations the host's
   * per-generation calls.
   */
  replaceSpan?(n: number, last: number, samples: number, ctx: StepContext): number;
  /** End of a replicate: last events, and the values that are not per generation (ReplicateRecord.finals). */
  finish?(ctx: StepContext): Record<string, number | null> | undefined;
}
