// Results are typed plain data: what a run writes (JSON, JSONL) and what the
// reports convert. Every field is documented here, and in the README.
import type { BackendName } from '../kernels/abi.js';

export type { CommonConfig } from '../config/common.js';
export type { EnvironmentFacts } from '../util/env.js';
import type { CommonConfig } from '../config/common.js';
import type { EnvironmentFacts } from '../util/env.js';

/** One replicate's trajectory, as one JSONL line. */
export interface ReplicateRecord {
  kind: 'replicate';
  /** Replicate index r; its random stream is seeded by the key "<seed>:<r>". */
  replicate: number;
  /** SHA-256 (hex) of the fitted mean and covariance bits of generations 1..G. */
  digest: string;
  /** Metric values aligned with the header's `recorded` generations; null = not finite. */
  metrics: Record<string, (number | null)[]>;
  /** Per-replicate values that are not per generation (e.g. an absorption time); null = did not happen. */
  finals?: Record<string, number | null>;
  /** Degenerate events met in this replicate. */
  events: ReplicateEvent[];
  /**
   * Only with `run --params`: the fitted model at each of the header's
   * `recorded` generations (aligned with them; null = not reached, e.g. a KDE
   * whose variance overflowed). Generation 0 is the original distribution
   * (KDE: the KDE of the real data). Not in the digest or the summary.
   */
  params?: (ModelParams | null)[];
  /**
   * Only for a family that draws images (vae, `--grid-samples S` > 0): the
   * first S images of each of the header's `recorded` generations (aligned
   * with them; null = not reached). Not in the digest or the summary.
   */
  images?: (SampleImages | null)[];
}

/** A few images of one generation, grey levels quantised to bytes (`ReplicateRecord.images`). */
export interface SampleImages {
  width: number;
  height: number;
  count: number;
  /** Base64 of count x height x width bytes: image after image, row after row; byte = round(255 grey), grey in [0, 1]. */
  grey: string;
}

/**
 * A fitted model as plain numbers (`run --params`), by family:
 * - gaussian: `mean` (mu, d values) and `cov` (Sigma, d x d row-major);
 * - gmm: `weights` (K), `means` (K rows of d), `covs` (K matrices, d x d row-major);
 * - kde: `bandwidth` (h), `points` (the training set's size), `centres` (the
 *   first PARAMS_KDE_CENTRES points of the training set, each d values: a
 *   deterministic sample, the KDE is h and all of its points);
 * - categorical: `states` (the live states, ascending) and `probs` (their
 *   probabilities: count / M; generation 0: p_0's states above 0);
 * - regression: `w` (the fitted coefficients, d values; generation 0: w*);
 * - lm: nothing (an n-gram table is megabytes; its metrics describe it).
 */
export type ModelParams = Record<string, number | number[] | number[][]>;

/** KDE centres kept per recorded generation by `--params`. */
export const PARAMS_KDE_CENTRES = 200;

/**
 * A replicate record as the engine makes it: the metric values as
 * Float64Arrays, NaN standing for null. It is written as (and reads the same
 * as) the ReplicateRecord line; no array of boxed numbers is ever built.
 */
export type PackedRecord = Omit<ReplicateRecord, 'metrics'> & { metrics: Record<string, Float64Array> };

/** Options of a chain that do not change its results. */
export interface ChainOptions {
  /** Keep the fitted parameters at the recorded generations (ReplicateRecord.params). */
  params?: boolean;
}

/** Streams the replicates into a family's summary sections (RunSummary.extras), in bounded memory. */
export interface ExtrasAccumulator {
  add(record: ReplicateRecord): void;
  result(): Record<string, unknown>;
}

/** A degenerate case met and handled (never a NaN or a crash). */
export interface ReplicateEvent {
  /** Family-specific, e.g. 'singular-covariance', 'zero-variance'. */
  kind: string;
  /** First generation where it happened. */
  generation: number;
  /** Rank of the fitted covariance at that generation, where it applies. */
  rank?: number;
}

/** The first JSONL line: everything needed to re-run and to re-summarise. */
export interface RunHeader {
  kind: 'header';
  tool: 'collapse-bench';
  /** Version of the JSONL format. */
  format: 1;
  version: string;
  config: CommonConfig;
  /** Generations whose metrics are recorded. */
  recorded: number[];
  /** Training-set size M_n of each recorded generation's data. */
  recordedSamples: number[];
  /** Facts about the original distribution that the theory needs (family-specific, e.g. sigma0Eigenvalues). */
  facts: Record<string, unknown>;
  environment: EnvironmentFacts;
  kernels: unknown;
  startedAt: string;
  /** True when the records carry the fitted parameters (`run --params`); absent otherwise. */
  params?: boolean;
}

/** Summary statistics of one metric at one generation, across replicates. */
export interface MetricSummary {
  mean: number | null;
  median: number | null;
  /** Sample standard deviation across replicates. */
  sd: number | null;
  /** Standard error of the mean, sd / sqrt(count). */
  se: number | null;
  /** Replicates whose value was finite. */
  count: number;
  /**
   * 0 when the median is exact. Otherwise (a quantile sketch, see RunSummary.medians)
   * a bound on how far the reported median's rank may be from the middle, as a
   * fraction of count: its rank is within count (1/2 +- medianRankError).
   */
  medianRankError: number;
  /** Closed-form expectation, where the theory has one for this setting. */
  theoryMean: number | null;
  /** Closed-form (or Cornish-Fisher) median, where known. */
  theoryMedian: number | null;
  /** Lower and upper bounds on the expectation, where the theory gives bounds rather than a value. */
  theoryLower: number | null;
  theoryUpper: number | null;
}

export interface GenerationSummary {
  /** Generation n (0 = the original distribution and the real data). */
  n: number;
  /** Size M_n of generation n's training data. */
  samples: number;
  metrics: Record<string, MetricSummary>;
}

/** elapsedMs in four consecutive parts (RunSummary.phasesMs). */
export interface PhaseTimes {
  setup: number;
  replicates: number;
  theory: number;
  summary: number;
}

/** What `run --json` and `show --json` print. */
export interface RunSummary {
  tool: 'collapse-bench';
  version: string;
  config: CommonConfig;
  environment: EnvironmentFacts;
  kernels: unknown;
  backend: BackendName;
  /** SHA-256 over the replicate digests in replicate order: the run's fingerprint. */
  digest: string;
  /** Replicates completed (less than config.replicates after an interrupt). */
  replicatesCompleted: number;
  complete: boolean;
  /** Wall time of the run in ms, from the kernels loaded (their compiling is start-up, not counted) to the summary, included (null when re-read from a file; a resumed run: this session's). */
  elapsedMs: number | null;
  /**
   * Where elapsedMs went, when the run was asked for it (COLLAPSE_BENCH_TIMING=1
   * for the CLI): laying out the chain and the header, the replicates (this
   * thread's wait for them with workers), the theory, and the summary with
   * the executor's closing. The four add up to elapsedMs.
   */
  phasesMs?: PhaseTimes;
  /**
   * 'exact' when every recorded value of every replicate fits in the 32 MiB
   * kept for medians (decided from the config alone); 'sketch' otherwise: each
   * metric's median then comes from a KLL sketch with its medianRankError.
   * Means, sd and se are always exact (streaming, Welford).
   */
  medians: 'exact' | 'sketch';
  warnings: string[];
  /** Limits the theory gives for this setting (e.g. the accumulate bound). */
  bounds: Record<string, number>;
  /** Which closed forms are exact and which first-order. */
  theoryNotes: string[];
  /** Summaries of the per-replicate values (ReplicateRecord.finals), with theory where known. */
  finals: Record<string, MetricSummary>;
  /** Family-specific sections (e.g. where a categorical chain was absorbed, beside p_0). */
  extras: Record<string, unknown>;
  /**
   * Generations recorded per replicate (the header's `recorded`, all in the
   * JSONL file). `generations` covers all of them up to SUMMARY_GENERATIONS
   * (1,000); beyond, the first, the last and a log-scale selection, exactly
   * SUMMARY_GENERATIONS of them, said in `warnings`.
   */
  generationsRecorded: number;
  /** The generations summarised, ascending (see generationsRecorded). */
  generations: GenerationSummary[];
}
