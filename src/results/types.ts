// Results are typed plain data: what a run writes (JSON, JSONL) and what the
// reports convert. Every field is documented here, and in the README.
import type { BackendName } from '../kernels/abi.js';
import type { CategoricalConfig } from '../config/categorical.js';
import type { GmmConfig } from '../config/gmm.js';
import type { KdeConfig } from '../config/kde.js';
import type { RegressionConfig } from '../config/regression.js';

/** The model families `run` knows. */
export type FamilyName = 'gaussian' | 'categorical' | 'gmm' | 'kde' | 'regression';

export type PolicyName = 'replace' | 'accumulate' | 'accumulate-subsample' | 'mix' | 'fresh';
export type EstimatorName = 'unbiased' | 'mle';
export type ScheduleName = 'constant' | 'linear' | 'quadratic';

/** Options every family has. */
export interface CommonConfig {
  family: FamilyName;
  /** Generations after the real one: models 1..generations are fitted. */
  generations: number;
  /** Independent replicates of the whole chain. */
  replicates: number;
  /** Metrics are recorded at generations 0, every, 2 every, ... and always the last. */
  every: number;
  /** The run's seed: an int32 number or a string, as seedrandom takes it. */
  seed: number | string;
  /** Which engine runs the kernels. */
  backend: BackendName;
}

/** A resolved Gaussian run: every option with its value, after validation. */
export interface GaussianConfig extends CommonConfig {
  family: 'gaussian';
  /** Dimension d of the data. */
  dim: number;
  /** M: samples in the training set of generation 0 (the real data). */
  samples: number;
  /** How the training-set size grows: M_n = M, M (n + 1) or M (n + 1)^2. */
  schedule: ScheduleName;
  /** Covariance estimator: denominator M - 1 (unbiased) or M (mle). */
  estimator: EstimatorName;
  /** How each training set is built from the real data, the history and new samples. */
  policy: PolicyName;
  /** Fraction of each training set that is real data (policies mix and fresh). */
  realFraction: number;
  /**
   * Policy fresh only: fit the real and the synthetic part apart and take
   * w * real + (1 - w) * synthetic (He, Xu & Cheng 2025); null = one pooled fit.
   */
  realWeight: number | null;
  /** Sampling bias lambda in (0, 1]: samples are drawn from N(mu, lambda Sigma). */
  bias: number;
  /** mu_0, the original mean (length d). */
  mu0: number[];
  /** Sigma_0, the original covariance, row-major d x d. */
  cov0: number[];
}

/** Every metric recorded per generation and replicate. */
export type GaussianMetric =
  | 'mu'
  | 'sigma'
  | 'meanSqError'
  | 'traceRatio'
  | 'logDetRatio'
  | 'marginalVariance'
  | 'w2sq'
  | 'w2sqEmpirical';

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

/** What the runtime and the build were: enough to reproduce and to label figures. */
export interface EnvironmentFacts {
  /** node, deno, bun or browser. */
  runtime: string;
  runtimeVersion: string;
  /** JavaScript engine and its version, e.g. "V8 11.3.244.8-node.33". */
  engine: string;
  cpu: string;
  platform: string;
}

/** The first JSONL line: everything needed to re-run and to re-summarise. */
export interface RunHeader {
  kind: 'header';
  tool: 'collapse-bench';
  /** Version of the JSONL format. */
  format: 1;
  version: string;
  config: RunConfig;
  /** Generations whose metrics are recorded. */
  recorded: number[];
  /** Training-set size M_n of each recorded generation's data. */
  recordedSamples: number[];
  /** Facts about the original distribution that the theory needs (family-specific, e.g. sigma0Eigenvalues). */
  facts: Record<string, unknown>;
  environment: EnvironmentFacts;
  kernels: unknown;
  startedAt: string;
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

/** What `run --json` and `show --json` print. */
export interface RunSummary {
  tool: 'collapse-bench';
  version: string;
  config: RunConfig;
  environment: EnvironmentFacts;
  kernels: unknown;
  backend: BackendName;
  /** SHA-256 over the replicate digests in replicate order: the run's fingerprint. */
  digest: string;
  /** Replicates completed (less than config.replicates after an interrupt). */
  replicatesCompleted: number;
  complete: boolean;
  /** Wall time of the run in ms, summary included (null when re-read from a file; a resumed run: this session's). */
  elapsedMs: number | null;
  /**
   * 'exact' when every recorded value of every replicate fits in the 64 MiB
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
  generations: GenerationSummary[];
}

/** Every family's resolved config. */
export type RunConfig = GaussianConfig | CategoricalConfig | GmmConfig | KdeConfig | RegressionConfig;
