// The regression family's config and metrics.
import type { FamilyConfig } from '../family.js';

/** A resolved linear-regression run: every option with its value, after validation. */
export interface RegressionConfig extends FamilyConfig {
  family: 'regression';
  /** d, the number of features (columns of the design). */
  dim: number;
  /** T, the rows of the fixed design X, i.e. the labels of each generation. */
  points: number;
  /** sigma^2, the variance of the label noise added to every label. */
  noise: number;
  /** How the true weights are chosen: N(0, I) per replicate, or all ones. */
  wStar: 'random' | 'ones';
  /** Noise-free test points x ~ N(0, I) per replicate for the test error. */
  testPoints: number;
}

/** Every metric recorded per generation and replicate. */
export type RegressionMetric = 'weightErrorSq' | 'testError' | 'stepSq';
