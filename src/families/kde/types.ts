// The KDE family's config.
import type { FamilyConfig } from '../family.js';
import type { KdeDataName } from './datasets.js';

export type BandwidthRule = 'silverman' | 'scott';
/** fixed: a number given by --bandwidth; recompute: a rule on each training set; frozen: a rule on the real data, kept. */
export type BandwidthMode = 'fixed' | 'recompute' | 'frozen';

/** A resolved KDE run: every option with its value, after validation. */
export interface KdeConfig extends FamilyConfig {
  family: 'kde';
  /** The true distribution: generation 0's data, the held-out points and fresh real data. */
  data: KdeDataName;
  /** Dimension d (fixed by the data set except for gaussian). */
  dim: number;
  /** gaussian: the standard deviation of every coordinate (mean 0); null otherwise. */
  sigma0: number | null;
  /** rings and moons: standard deviation of the Gaussian noise; null otherwise. */
  noise: number | null;
  /** rings: radius of the inner circle (the outer has radius 1); null otherwise. */
  factor: number | null;
  /** n: points in every training set (generation 0: the real data). */
  samples: number;
  /** A fixed bandwidth h, or the rule of thumb that computes it. */
  bandwidth: number | BandwidthRule;
  /** When a rule's bandwidth is computed: on every training set, or once on the real data. */
  bandwidthMode: BandwidthMode;
  /** m: held-out real points per replicate, for the log-likelihood. */
  holdout: number;
}
