// Kernels of the categorical family (assembly/models/categorical.ts). Counts
// and labels are i32 arrays, probabilities f64 arrays; every pointer is a byte
// offset into the backend's flat memory.

export interface CategoricalKernels {
  // models/categorical.ts
  aliasFromCounts(counts: number, k: number, prob: number, alias: number, work: number, stack: number): number;
  aliasFromWeights(w: number, k: number, prob: number, alias: number, work: number, stack: number): void;
  aliasAddCounts(rng: number, prob: number, alias: number, k: number, m: number, counts: number): void;
  aliasDrawLabels(rng: number, prob: number, alias: number, k: number, m: number, labels: number): void;
  addLabelCounts(labels: number, n: number, counts: number): void;
  subsampleLabelsAddCounts(rng: number, labels: number, n: number, m: number, counts: number): void;
  liveStates(counts: number, k: number): number;
  categoricalReplaceStep(rng: number, counts: number, k: number, m: number, prob: number, alias: number, work: number, stack: number): number;
  zipfProbabilities(k: number, a: number, b: number, out: number): void;
  categoricalMetrics(w: number, weightsF64: number, total: number, p0: number, logP0: number, k: number, tail: number, tailN: number, out: number): void;
}

export const CATEGORICAL_FUNCTIONS = [
  'aliasFromCounts', 'aliasFromWeights', 'aliasAddCounts', 'aliasDrawLabels', 'addLabelCounts', 'subsampleLabelsAddCounts',
  'liveStates', 'categoricalReplaceStep', 'zipfProbabilities', 'categoricalMetrics',
] as const satisfies readonly (keyof CategoricalKernels)[];
