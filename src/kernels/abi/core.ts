// Kernels every family shares: generator, distributions, deterministic math,
// reductions, linear algebra, sorting and W2 (assembly/index.ts, first block).

export interface CoreKernels {
  heapBase(): number;
  simdBuild(): number;
  // rng/xor4096.ts
  rngStateBytes(): number;
  rngSeedInt(state: number, seed: number): void;
  rngSeedChars(state: number, chars: number, len: number): void;
  rngNextInt32(state: number): number;
  rngUniform32(state: number): number;
  rngDouble(state: number): number;
  rngFillInt32(state: number, out: number, n: number): void;
  rngFillUniform32(state: number, out: number, n: number): void;
  rngFillDouble(state: number, out: number, n: number): void;
  // dist/
  fillNormal(state: number, out: number, n: number, mu: number, sigma: number): void;
  subsample(state: number, src: number, srcLd: number, n: number, d: number, k: number, dst: number, dstLd: number, idx: number): void;
  // detmath.ts
  exp(x: number): number;
  log(x: number): number;
  expFill(src: number, out: number, n: number): void;
  logFill(src: number, out: number, n: number): void;
  // reduce.ts
  sum(p: number, n: number): number;
  crossDev(px: number, py: number, n: number, mx: number, my: number): number;
  // linalg/
  choleskyPsd(a: number, d: number, l: number): number;
  jacobiEigenvalues(a: number, d: number): number;
  // stats/wasserstein.ts
  sortF64(p: number, n: number): void;
  w2SqSorted(a: number, na: number, b: number, nb: number): number;
}

export const CORE_FUNCTIONS = [
  'heapBase', 'simdBuild', 'rngStateBytes', 'rngSeedInt', 'rngSeedChars', 'rngNextInt32', 'rngUniform32', 'rngDouble',
  'rngFillInt32', 'rngFillUniform32', 'rngFillDouble', 'fillNormal', 'subsample', 'exp', 'log', 'expFill', 'logFill',
  'sum', 'crossDev', 'choleskyPsd', 'jacobiEigenvalues', 'sortF64', 'w2SqSorted',
] as const satisfies readonly (keyof CoreKernels)[];
