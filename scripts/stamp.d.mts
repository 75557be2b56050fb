// Types of scripts/stamp.mjs (plain Node, imported by tests and vitest.config.ts).
export interface BuildInputs {
  dirs: readonly string[];
  files: readonly string[];
  /** Folders under `dirs` to leave out. */
  ignore?: readonly string[];
}
export interface BuildOutputs {
  kernels: readonly string[];
  harness: readonly string[];
}
export declare const BUILD_INPUTS: BuildInputs;
export declare const BUILD_OUTPUTS: BuildOutputs;
export declare const STAMP_FILE: string;
export declare function inputFiles(root: string, inputs?: BuildInputs): string[];
export declare function inputsHash(root: string, inputs?: BuildInputs): string;
export declare function staleReason(root: string, options?: { harness?: boolean; inputs?: BuildInputs; outputs?: BuildOutputs }): string | null;
export declare function writeStamp(root: string, options: { harness: boolean; hash?: string; inputs?: BuildInputs }): { inputs: string; harness: boolean; built: string };
export declare function describeInputs(inputs?: BuildInputs): string;
