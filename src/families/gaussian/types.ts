// The Gaussian family's config and metrics.
import type { FamilyConfig } from '../family.js';
import type { ScheduleName } from '../../chain/schedule.js';

export type EstimatorName = 'unbiased' | 'mle';

/** A resolved Gaussian run: every option with its value, after validation. */
export interface GaussianConfig extends FamilyConfig {
  family: 'gaussian';
  /** Dimension d of the data. */
  dim: number;
  /** M: samples in the training set of generation 0 (the real data). */
  samples: number;
  /** How the training-set size grows: M_n = M, M (n + 1) or M (n + 1)^2. */
  schedule: ScheduleName;
  /** Covariance estimator: denominator M - 1 (unbiased) or M (mle). */
  estimator: EstimatorName;
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
  | 'w2sqEmpirical'
  | 'tailMass'
  | 'sampleQ01'
  | 'sampleQ99';
