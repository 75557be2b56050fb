// The kernel ABI as TypeScript sees it: the twin of assembly/index.ts. Every
// pointer is a byte offset into the backend's flat memory; every call is a
// whole loop. Both backends are checked against this list when they load.
// Each family declares its kernels in abi/<family>.ts.
import { CORE_FUNCTIONS, type CoreKernels } from './abi/core.js';
import { GAUSSIAN_FUNCTIONS, type GaussianKernels } from './abi/gaussian.js';
import { GMM_FUNCTIONS, type GmmKernels } from './abi/gmm.js';

/** Names of the engines that run the kernels. */
export type BackendName = 'js' | 'wasm' | 'wasm-simd';
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];

export interface KernelExports extends CoreKernels, GaussianKernels, GmmKernels {}

/** Every function the loader must find in a backend. */
export const KERNEL_FUNCTIONS: readonly (keyof KernelExports)[] = [...CORE_FUNCTIONS, ...GAUSSIAN_FUNCTIONS, ...GMM_FUNCTIONS];
