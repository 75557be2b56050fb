// What the kernel source needs from AssemblyScript when it runs as plain
// JavaScript (the `js` backend). The build injects an import of this module at
// the top of every kernel file that tsc emits, so nothing here is global.
//
// Conversions follow AssemblyScript's portable library (std/portable/index.js):
// i32(x) = x | 0, u32(x) = x >>> 0, f64(x) = +x, f32(x) = Math.fround(x).

export function i32(x) { return x | 0; }
export function u32(x) { return x >>> 0; }
export function f64(x) { return +x; }
export function f32(x) { return Math.fround(x); }

/** Views of the flat kernel memory; re-made by attachMemory after it grows. */
export let JS_F64 = new Float64Array(0);
export let JS_I32 = new Int32Array(0);
export let JS_F32 = new Float32Array(0);

/** Scratch views for the bit-level access of platform.ts (little-endian, as WASM). */
export const JS_SCRATCH_F64 = new Float64Array(1);
export const JS_SCRATCH_I32 = new Int32Array(JS_SCRATCH_F64.buffer);

/** Static tables of the kernels (platform.ts ldt/stt): their size is TABLE_DOUBLES there. */
export const JS_TABLES = new Float64Array(768);

/** Points the kernels at `buffer`: the JS backend's equivalent of WASM linear memory. */
export function attachMemory(buffer) {
  JS_F64 = new Float64Array(buffer);
  JS_I32 = new Int32Array(buffer);
  JS_F32 = new Float32Array(buffer);
}
