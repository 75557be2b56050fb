// The GMM family's config and metrics.
import type { FamilyConfig } from '../family.js';

export type GmmDataName = 'notebook' | 'two-gaussians' | 'grid25' | 'custom';
export type CovarianceType = 'full' | 'diag' | 'spherical';

/** A Gaussian mixture: K weights (summing to 1), K means of length d, K covariances row-major d x d. */
export interface MixtureSpec {
  weights: number[];
  means: number[][];
  covs: number[][];
}

/** A resolved GMM run: every option with its value, after validation. */
export interface GmmConfig extends FamilyConfig {
  family: 'gmm';
  /** Which true mixture generates the real data. */
  data: GmmDataName;
  /** The true mixture (generation 0), from the preset or from --mixture. */
  mixture: MixtureSpec;
  /** Dimension d of the data (from the mixture). */
  dim: number;
  /** K, components of every fitted mixture. */
  components: number;
  /** Covariance type of the fitted components. */
  covariance: CovarianceType;
  /** EM stops when the mean log-likelihood per point gains less than tol. */
  tol: number;
  /** At most this many EM iterations per initialisation. */
  maxIter: number;
  /** Added to every fitted covariance diagonal. */
  regCovar: number;
  /** Initialisations per fit; the best final lower bound is kept. */
  nInit: number;
  /** Lloyd rounds after k-means++ seeding (0: labels from the nearest seed). */
  kmeansIter: number;
  /** M, points in each training set. */
  samples: number;
  /** Held-out real points per replicate, drawn once from the true mixture. */
  holdout: number;
  /** Sampling bias lambda in (0, 1]: component covariances scaled by lambda when sampling. */
  bias: number;
  /** Sampling temperature T: weights w_k^(1/T), renormalised. */
  temperature: number;
  /** A true mode is covered if a fitted mean lies within this distance of it ... */
  coverRadius: number;
  /** ... with a weight above this. */
  coverWeight: number;
}

/** Every metric recorded per generation and replicate. */
export type GmmMetric =
  | 'l2sq'
  | 'stdMean'
  | 'stdMin'
  | 'stdMax'
  | 'minWeight'
  | 'holdoutLogLik'
  | 'tailShare'
  | 'modesCovered'
  | 'emIterations'
  | 'converged'
  | 'trainLogLik'
  | 'mixVar'
  | 'mixMeanSqError';
