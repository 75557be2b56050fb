// Declarations tsc needs to type-check the kernel source as portable code.
// Names used only inside `if (ASC_TARGET == 0)` branches are provided at run
// time by js-runtime.js; the WASM-only builtins below sit in branches that are
// dead in JavaScript and exist here only so that tsc accepts them.
declare let JS_F64: Float64Array;
declare let JS_I32: Int32Array;
declare let JS_F32: Float32Array;
declare const JS_SCRATCH_F64: Float64Array;
declare const JS_SCRATCH_I32: Int32Array;
declare const JS_TABLES: Float64Array;
declare const ASC_FEATURE_SIMD: bool;
declare function load<T>(ptr: usize, offset?: usize): T;
declare function store<T>(ptr: usize, value: T, offset?: usize): void;
declare function reinterpret<T>(value: any): T;
declare type u64 = number;
declare type v128 = any;
declare const v128: any;
declare const f64x2: any;
declare const f32x4: any;
declare const i32x4: any;
declare const i64x2: any;
declare const __heap_base: usize;
// asc's static data: `size` bytes (zeroed) or the values of an array; the JS
// build never reaches a call (platform.ts and the SIMD paths guard them)
declare namespace memory {
  function data(size: i32, align?: i32): usize;
  function data<T>(values: T[], align?: i32): usize;
}
