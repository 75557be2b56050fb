// The five data policies, written once. A policy says which training set
// generation n's model leaves behind: how much of it is new synthetic data,
// real data or the pool of everything so far. It speaks to the family's data
// through the verbs of TrainingData, so every family gets the same policy
// (and the same order of random draws within a generation).

export type PolicyName = 'replace' | 'accumulate' | 'accumulate-subsample' | 'mix' | 'fresh';
export const POLICY_NAMES: readonly PolicyName[] = ['replace', 'accumulate', 'accumulate-subsample', 'mix', 'fresh'];

/**
 * How a family's data answers a policy. "The model" is the one fitted last;
 * "the real data" is generation 0's; "the pool" is every point so far, real
 * and synthetic. Each family implements these for its own representation
 * (points, counts, labels on a fixed design).
 */
export interface TrainingData {
  /** Begins the next training set, with room for m points. */
  startTraining(m: number): void;
  /** Adds k of the real points, drawn without replacement. */
  addRealSubsample(k: number): void;
  /** Adds k newly drawn real points. */
  addFreshReal(k: number): MaybeAsync;
  /** Adds k points drawn from the model. */
  addSynthetic(k: number): MaybeAsync;
  /** Adds k points of the pool, drawn without replacement. */
  addPoolSubsample(k: number): void;
  /** Puts the real data in the pool (generation 0). */
  poolReal(): void;
  /** Appends k points drawn from the model to the pool. */
  poolSynthetic(k: number): MaybeAsync;
  /** Makes the whole pool the training set. */
  trainOnPool(): void;
  /**
   * Set by the engine for each replicate: lets the event loop run when due.
   * A verb with long work (a large draw) splits it and calls this in between,
   * and then returns a promise.
   */
  pace?: () => MaybeAsync;
}

/** A step may return a promise when its work was long enough to split. */
export type MaybeAsync = void | Promise<void>;

/**
 * Runs the steps in order, waiting only for a step that returned a promise:
 * awaiting every step would cost more than a small generation.
 */
export function inOrder(...steps: (() => MaybeAsync)[]): MaybeAsync {
  for (let i = 0; i < steps.length; i++) {
    const p = steps[i]();
    if (p) return p.then(() => inOrder(...steps.slice(i + 1)));
  }
}

export interface Policy {
  /** The policy's name (the engine hands `replace` spans to a model that can run them itself). */
  readonly name: PolicyName;
  /** Generation 0, after the real data became the first training set. */
  init(data: TrainingData): void;
  /** Builds the training set of a generation of m points from the model just fitted. */
  build(data: TrainingData, m: number): MaybeAsync;
  /** Whether the policy keeps a pool of all data (and so the layout must room it). */
  pools: boolean;
}

/** Real points in a training set of m under a real fraction g: round(g m). */
export const realCount = (g: number, m: number): number => Math.round(g * m);

export function policyOf(name: PolicyName, realFraction: number): Policy {
  switch (name) {
    case 'replace':
      // the paper's setting: the new samples only
      return {
        name: 'replace',
        pools: false,
        init() {},
        build(data, m) {
          data.startTraining(m);
          return data.addSynthetic(m);
        },
      };
    case 'accumulate':
      // all data so far (Gerstgrasser et al. 2024)
      return {
        name: 'accumulate',
        pools: true,
        init(data) {
          data.poolReal();
          data.trainOnPool();
        },
        build(data, m) {
          return inOrder(
            () => data.poolSynthetic(m),
            () => data.trainOnPool(),
          );
        },
      };
    case 'accumulate-subsample':
      // m points drawn without replacement from all data so far (Kazdan et al. 2024)
      return {
        name: 'accumulate-subsample',
        pools: true,
        init(data) {
          data.poolReal();
        },
        build(data, m) {
          data.startTraining(m);
          return inOrder(
            () => data.poolSynthetic(m),
            () => data.addPoolSubsample(m),
          );
        },
      };
    case 'mix':
      // a fixed share of the real data, resampled each generation (the paper's 10% setting)
      return realShare('mix', realFraction, (data, k) => data.addRealSubsample(k));
    case 'fresh':
      // a share of newly drawn real data each generation
      return realShare('fresh', realFraction, (data, k) => data.addFreshReal(k));
  }
}

/** mix and fresh: round(g m) real points, added by `addReal`, then m minus those synthetic ones. */
function realShare(name: 'mix' | 'fresh', realFraction: number, addReal: (data: TrainingData, k: number) => MaybeAsync): Policy {
  return {
    name,
    pools: false,
    init() {},
    build(data, m) {
      const k = realCount(realFraction, m);
      data.startTraining(m);
      return inOrder(
        () => addReal(data, k),
        () => data.addSynthetic(m - k),
      );
    },
  };
}
