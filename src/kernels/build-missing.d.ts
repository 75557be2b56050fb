// Stands in for build/kernel-artifacts.d.ts when the build has not run yet
// (tsconfig.json "paths" falls back to this file), so that `tsc` says so in
// one error in src/kernels/abi.ts instead of one per kernel call.
export type KernelBuild = 'missing: run `npm run build` first; tsc needs the kernel ABI it generates (build/kernel-artifacts.d.ts)';
export type KernelExports = Record<string, (...args: number[]) => any>;
export declare const kernelFunctions: readonly string[];
export declare const kernelConstants: { readonly rngStateBytes: number };
export declare const scalarWasm: string;
export declare const simdWasm: string;
export declare const buildFacts: {
  assemblyscript: string;
  wasm: Record<'scalar' | 'simd', { bytes: number; sha256: string }>;
  js: { sha256: string };
};
