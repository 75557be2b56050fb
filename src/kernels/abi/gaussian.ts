// Kernels of the Gaussian family (assembly/models/gaussian.ts).

export interface GaussianKernels {
  // models/gaussian.ts
  gaussianScatter(x: number, ld: number, n: number, d: number, mean: number, scatter: number): void;
  gaussianMean(x: number, ld: number, n: number, d: number, mean: number): void;
  gaussianScatterRows(x: number, ld: number, n: number, d: number, mean: number, scatter: number, a0: number, a1: number): void;
  gaussianMerge(nA: number, meanA: number, scatterA: number, nB: number, meanB: number, scatterB: number, d: number, delta: number): void;
  covarianceFromScatter(scatter: number, d: number, denom: number, cov: number): void;
  gaussianSample(rng: number, mean: number, l: number, d: number, scale: number, z: number, x: number, ld: number, n: number): void;
  gaussianStep(rng: number, mean: number, cov: number, l: number, d: number, scale: number, ddof: number, z: number, x: number, ld: number, n: number, scatter: number): number;
  gaussianBlend(w: number, meanA: number, covA: number, meanB: number, covB: number, d: number, mean: number, cov: number): void;
  gaussianMetrics(mean: number, cov: number, l: number, mean0: number, cov0: number, l0: number, d: number, work: number, out: number): void;
}

export const GAUSSIAN_FUNCTIONS = [
  'gaussianScatter', 'gaussianMean', 'gaussianScatterRows', 'gaussianMerge', 'covarianceFromScatter', 'gaussianSample', 'gaussianStep', 'gaussianBlend', 'gaussianMetrics',
] as const satisfies readonly (keyof GaussianKernels)[];
