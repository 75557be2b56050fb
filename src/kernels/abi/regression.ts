// Kernels of the linear-regression family (assembly/models/regression.ts).

export interface RegressionKernels {
  // models/regression.ts
  regressionLabels(rng: number, x: number, ld: number, n: number, d: number, w: number, sigma: number, y: number): void;
  regressionMixLabels(rng: number, x: number, ld: number, n: number, d: number, w: number, sigma: number, realY: number, k: number, idx: number, y: number): void;
  regressionGatherRows(x: number, ld: number, d: number, rows: number, n: number, xs: number, xsLd: number): void;
  olsGram(x: number, ld: number, n: number, d: number, gram: number, l: number): number;
  olsSolve(x: number, ld: number, n: number, d: number, y: number, l: number, rhs: number, w: number): void;
  olsFit(x: number, ld: number, n: number, d: number, y: number, gram: number, l: number, rhs: number, w: number): number;
  olsAccumulate(x: number, ld: number, n: number, d: number, y: number, l: number, rhsSum: number, count: number, rhs: number, w: number): void;
  regressionMetrics(w: number, wStar: number, wPrev: number, d: number, xt: number, ldt: number, nt: number, work: number, out: number): void;
}

export const REGRESSION_FUNCTIONS = [
  'regressionLabels', 'regressionMixLabels', 'regressionGatherRows', 'olsGram', 'olsSolve', 'olsFit', 'olsAccumulate', 'regressionMetrics',
] as const satisfies readonly (keyof RegressionKernels)[];
