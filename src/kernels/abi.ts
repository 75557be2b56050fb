// The kernel ABI as TypeScript sees it: the twin of assembly/index.ts. Every
// pointer is a byte offset into the backend's flat memory; every call is a
// whole loop. Both backends are checked against this list when they load.
// Each family declares its kernels in abi/<family>.ts.
import { CORE_FUNCTIONS, type CoreKernels } from './abi/core.js';
import { GAUSSIAN_FUNCTIONS, type GaussianKernels } from './abi/gaussian.js';
import { REGRESSION_FUNCTIONS, type RegressionKernels } from './abi/regression.js';
import { KDE_FUNCTIONS, type KdeKernels } from './abi/kde.js';
import { CATEGORICAL_FUNCTIONS, type CategoricalKernels } from './abi/categorical.js';
import { GMM_FUNCTIONS, type GmmKernels } from './abi/gmm.js';

/** Names of the engines that run the kernels. */
export type BackendName = 'js' | 'wasm' | 'wasm-simd';
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];

export interface KernelExports extends CoreKernels, GaussianKernels, CategoricalKernels, GmmKernels, KdeKernels, RegressionKernels {}

/** Every function the loader must find in a backend. */
export const KERNEL_FUNCTIONS: readonly (keyof KernelExports)[] = [
  ...CORE_FUNCTIONS,
  ...GAUSSIAN_FUNCTIONS,
  ...CATEGORICAL_FUNCTIONS,
  ...GMM_FUNCTIONS,
  ...KDE_FUNCTIONS,
  ...REGRESSION_FUNCTIONS,
];
