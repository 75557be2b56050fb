// The kernel ABI as TypeScript sees it: the twin of assembly/index.ts. Every
// pointer is a byte offset into the backend's flat memory; every call is a
// whole loop. Both backends are checked against this list when they load.

/** Names of the engines that run the kernels. */
export type BackendName = 'js' | 'wasm' | 'wasm-simd';
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];

export interface KernelExports {
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
  // models/gaussian.ts
  gaussianScatter(x: number, ld: number, n: number, d: number, mean: number, scatter: number): void;
  gaussianMerge(nA: number, meanA: number, scatterA: number, nB: number, meanB: number, scatterB: number, d: number, delta: number): void;
  covarianceFromScatter(scatter: number, d: number, denom: number, cov: number): void;
  gaussianSample(rng: number, mean: number, l: number, d: number, scale: number, z: number, x: number, ld: number, n: number): void;
  gaussianStep(rng: number, mean: number, cov: number, l: number, d: number, scale: number, ddof: number, z: number, x: number, ld: number, n: number, scatter: number): number;
  gaussianMetrics(mean: number, cov: number, l: number, mean0: number, cov0: number, l0: number, d: number, work: number, out: number): void;
  // stats/wasserstein.ts
  sortF64(p: number, n: number): void;
  w2SqSorted(a: number, na: number, b: number, nb: number): number;
}

/** Every function the loader must find in a backend. */
export const KERNEL_FUNCTIONS = [
  'heapBase', 'simdBuild', 'rngStateBytes', 'rngSeedInt', 'rngSeedChars', 'rngNextInt32', 'rngUniform32', 'rngDouble',
  'rngFillInt32', 'rngFillUniform32', 'rngFillDouble', 'fillNormal', 'subsample', 'exp', 'log', 'expFill', 'logFill',
  'sum', 'crossDev', 'choleskyPsd', 'jacobiEigenvalues', 'gaussianScatter', 'gaussianMerge', 'covarianceFromScatter',
  'gaussianSample', 'gaussianStep', 'gaussianMetrics', 'sortF64', 'w2SqSorted',
] as const satisfies readonly (keyof KernelExports)[];
