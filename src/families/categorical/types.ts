// The categorical family's config and metrics.
import type { FamilyConfig } from '../family.js';

export type CategoricalInit = 'uniform' | 'zipf' | 'given';

/** A resolved categorical run: every option with its value, after validation. */
export interface CategoricalConfig extends FamilyConfig {
  family: 'categorical';
  /** K, the number of states. */
  states: number;
  /** p_0: uniform 1/K, Zipf p_i proportional to 1/(i + b)^a for i = 1..K, or the --probs list. */
  init: CategoricalInit;
  /** Zipf exponent a (init zipf; null otherwise). */
  zipfA: number | null;
  /** Zipf offset b (init zipf; null otherwise). */
  zipfB: number | null;
  /** p_0 from --probs, divided by its sum (init given; null otherwise). */
  probs: number[] | null;
  /** M: samples in every training set (generation 0: the real data). */
  samples: number;
  /** Stop a replicate once one state is left (policy replace); --generations is the cap. */
  untilAbsorbed: boolean;
  /** The tail is the ceil(q K) states with the smallest p_0 (ties: higher index first). */
  tailQuantile: number;
}

/** Every metric recorded per generation and replicate. */
export type CategoricalMetric = 'entropy' | 'survivors' | 'heterozygosity' | 'totalVariation' | 'kl' | 'klInfinite' | 'tailMass';
