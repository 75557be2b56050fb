// The only AssemblyScript-specific corner of the kernel source.
//
// Every kernel file is written in AssemblyScript's portable subset: asc
// compiles it to WASM, tsc compiles it to plain JavaScript (the `js` backend).
// Memory access and bit views of doubles differ between the two engines, so
// they live here, behind `ASC_TARGET`: asc drops the JS branch at compile
// time, and the JS build has `ASC_TARGET` written in as 0 (scripts/build.mjs).
//
// Pointers are byte offsets into one flat memory: WASM linear memory, or the
// ArrayBuffer the JS backend allocates. The host lays out both the same way.

/** Loads the f64 at byte offset `p` (8-byte aligned). */
export function ldf(p: i32): f64 {
  if (ASC_TARGET == 0) return JS_F64[p >>> 3];
  return load<f64>(<usize>p);
}

/** Stores `v` at byte offset `p` (8-byte aligned). */
export function stf(p: i32, v: f64): void {
  if (ASC_TARGET == 0) { JS_F64[p >>> 3] = v; return; }
  store<f64>(<usize>p, v);
}

/** Loads the f32 at byte offset `p` (4-byte aligned). */
export function ldf32(p: i32): f32 {
  if (ASC_TARGET == 0) return JS_F32[p >>> 2];
  return load<f32>(<usize>p);
}

/** Stores the f32 `v` at byte offset `p` (4-byte aligned). */
export function stf32(p: i32, v: f32): void {
  if (ASC_TARGET == 0) { JS_F32[p >>> 2] = v; return; }
  store<f32>(<usize>p, v);
}

// Float32 arithmetic in the portable source. AssemblyScript computes f32 + - * /
// and sqrt in single precision; plain JavaScript computes them in double. A
// double result of one such op on two floats, rounded to float, is exactly
// the float op's result (double has more than 2 x 24 + 2 significand bits),
// so the js backend passes every f32 op's result through `fr` and gets the
// bits of WASM. `fr` is the identity in WASM.

/** The float nearest `x`: Math.fround in JS, the identity on an f32 in WASM. */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function fr(x: f32): f32 {
  if (ASC_TARGET == 0) return Math.fround(x);
  return x;
}

/** The float nearest the double `x` (round to nearest even, as f32.demote_f64 and Math.fround). */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function demote(x: f64): f32 {
  if (ASC_TARGET == 0) return Math.fround(x);
  return <f32>x;
}

/** The correctly rounded square root of a float. */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function sqrt32(x: f32): f32 {
  if (ASC_TARGET == 0) return Math.fround(Math.sqrt(x));
  return sqrt<f32>(x);
}

/** Loads the i32 at byte offset `p` (4-byte aligned). */
export function ldi(p: i32): i32 {
  if (ASC_TARGET == 0) return JS_I32[p >>> 2];
  return load<i32>(<usize>p);
}

/** Stores `v` at byte offset `p` (4-byte aligned). */
export function sti(p: i32, v: i32): void {
  if (ASC_TARGET == 0) { JS_I32[p >>> 2] = v; return; }
  store<i32>(<usize>p, v);
}

/** High 32 bits of the IEEE-754 pattern of `x` (sign, exponent, top of mantissa). */
export function hiWord(x: f64): i32 {
  if (ASC_TARGET == 0) { JS_SCRATCH_F64[0] = x; return JS_SCRATCH_I32[1]; }
  return <i32>(reinterpret<u64>(x) >>> 32);
}

/** Low 32 bits of the IEEE-754 pattern of `x`. */
export function loWord(x: f64): i32 {
  if (ASC_TARGET == 0) { JS_SCRATCH_F64[0] = x; return JS_SCRATCH_I32[0]; }
  return <i32>reinterpret<u64>(x);
}

/** The double whose IEEE-754 pattern is (hi << 32) | lo. */
export function fromWords(hi: i32, lo: i32): f64 {
  if (ASC_TARGET == 0) { JS_SCRATCH_I32[1] = hi; JS_SCRATCH_I32[0] = lo; return JS_SCRATCH_F64[0]; }
  return reinterpret<f64>((<u64><u32>hi << 32) | <u64><u32>lo);
}

/**
 * y 2^k for the float `y` and the k that the float shifter trick leaves in
 * `kd` = 1.5 * 2^23 + k (t = kd - 1.5 * 2^23 being k as a float), when y 2^k
 * is a normal float: WASM adds kd's low bits, k, to y's exponent field
 * (integer ops); JS multiplies by the double 2^k (exact). The same float.
 */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function scaleByShiftedF32(y: f32, kd: f32, t: f32): f32 {
  if (ASC_TARGET == 0) return f64(y) * fromWords(((i32(t) + 1023) << 20) | 0, 0);
  return reinterpret<f32>(reinterpret<i32>(y) + (reinterpret<i32>(kd) << 23));
}

/**
 * `a` if `cond`, else `b`, for floats, without a branch on `cond` in WASM
 * (masks on the bits: V8 compiles a select to a branch, which data going
 * either way half the time mispredict); JS a conditional.
 */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function selectF32(a: f32, b: f32, cond: bool): f32 {
  if (ASC_TARGET == 0) return cond ? a : b;
  return maskSelectF32(a, b, -i32(cond));
}

// selectF32's WASM side, apart so that the JS build's selectF32 stays small
// enough for V8 to inline it beside the many `fr` of a float kernel
// @ts-ignore: asc's decorator (tsc drops it)
@inline
function maskSelectF32(a: f32, b: f32, m: i32): f32 {
  return reinterpret<f32>((reinterpret<i32>(a) & m) | (reinterpret<i32>(b) & ~m));
}

/**
 * Constant `k` of a kernel's table of floats at `table` (WASM: a static data
 * segment made with memory.data), whose value is `v`: JS returns the literal
 * `v`; WASM loads it, one memory operand, where V8 builds a literal through a
 * general register (a bottleneck in a polynomial with many constants).
 */
// @ts-ignore: asc's decorator (tsc drops it)
@inline
export function ldk32(table: usize, k: i32, v: f32): f32 {
  if (ASC_TARGET == 0) return v;
  return load<f32>(table + (<usize>k << 2));
}

// Static tables of the kernels (the ziggurat's, distributions/ziggurat.ts):
// TABLE_DOUBLES doubles outside the memory the host lays out. In WASM a
// static data segment below __heap_base; in JS a Float64Array of
// portable/js-runtime.js. Each instance fills them once when it starts.
export const TABLE_DOUBLES: i32 = 768;
const TABLE_BASE: usize = ASC_TARGET == 0 ? 0 : memory.data(TABLE_DOUBLES << 3, 16);

/** Loads static table entry `k` (0 <= k < TABLE_DOUBLES). */
export function ldt(k: i32): f64 {
  if (ASC_TARGET == 0) return JS_TABLES[k];
  return load<f64>(TABLE_BASE + (<usize>k << 3));
}

/** Stores `v` into static table entry `k`. */
export function stt(k: i32, v: f64): void {
  if (ASC_TARGET == 0) { JS_TABLES[k] = v; return; }
  store<f64>(TABLE_BASE + (<usize>k << 3), v);
}
