// The kernel ABI: every export here is one whole loop over buffers in the
// flat kernel memory (see platform.ts). The build generates the TypeScript
// side (src/kernels/abi.ts: KernelExports, KERNEL_FUNCTIONS) from these exports.
export { rngStateBytes, rngSeedInt, rngSeedChars, rngNextInt32, rngUniform32, rngDouble, rngFillInt32, rngFillUniform32, rngFillDouble, rngFillBlock } from "./rng/xor4096";
export { fillNormal, fillNormalOneByOne, zigguratTables } from "./distributions/ziggurat";
export { subsample } from "./distributions/subsample";
export { exp, log, expFill, expRowFill, expRowFillNonPositive, logFill, oneMinusExpNegIterate } from "./detmath";
export { expKernelF32Fill } from "./exp-kernel-f32";
export { sum, crossDev, dot } from "./reduce";
export { choleskyPsd } from "./linalg/cholesky";
export { jacobiEigenvalues } from "./linalg/jacobi";
export { erfc } from "./erfc";
export { sin, cos, atan } from "./trig";
export { chiSquareUpper, chiSquareUpperQuantile, gaussianTailMass, mahalanobisSq, tailSeriesDoubles } from "./stats/tails";
export { generalizedChiSquareUpperImhofVec } from "./stats/imhof";
export { sortF64, sortF64StepCount, sortF64Steps, w2SqSorted } from "./stats/wasserstein";
export { featureMoments, symmetricSqrt, frechetDistance } from "./stats/frechet";

// One line per model family.
export * from "./models/gaussian";
export * from "./models/regression";
export * from "./models/kde";
export * from "./models/categorical";
export * from "./models/gmm";
export * from "./models/lm";
export * from "./models/vae";

/** First byte the host may use: static data of the module ends below it. */
export function heapBase(): i32 {
  if (ASC_TARGET == 0) return 0;
  return <i32>__heap_base;
}

/** Does nothing: the benchmark times it for the cost of one call from the host into the kernels. */
export function noop(): void {}

/** 1 in the SIMD build, 0 in the scalar WASM build and in JavaScript. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
export { binomialDraw, multinomialAddCounts, multinomialAddLive, stirlingError } from "./distributions/binomial";
