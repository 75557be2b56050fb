// Sums in one fixed order, shared by the scalar and the SIMD builds.
//
// Four interleaved accumulators: element k goes to accumulator k % 4 (the
// tail's leftovers to 0, 1, 2 in turn), and they combine as (s0 + s2) + (s1 + s3).
// The SIMD build holds (s0, s1) and (s2, s3) in two f64x2 registers, so a
// lane-wise add followed by lane 0 + lane 1 is exactly that order: both builds
// give the same bits. No fused multiply-add anywhere. dotF32 is the float
// (f32) twin of dot, for the VAE's network.
import { ldf, stf, ldf32, fr } from "./platform";

/** Sum of the `n` doubles at `p`. */
export function sum(p: i32, n: i32): f64 {
  let s0: f64 = 0.0;
  let s1: f64 = 0.0;
  let s2: f64 = 0.0;
  let s3: f64 = 0.0;
  const n4 = n & ~3;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    let a = f64x2.splat(0.0);
    let b = f64x2.splat(0.0);
    for (; k < n4; k += 4) {
      const q = <usize>(p + (k << 3));
      a = f64x2.add(a, v128.load(q));
      b = f64x2.add(b, v128.load(q, 16));
    }
    s0 = f64x2.extract_lane(a, 0);
    s1 = f64x2.extract_lane(a, 1);
    s2 = f64x2.extract_lane(b, 0);
    s3 = f64x2.extract_lane(b, 1);
  } else {
    for (; k < n4; k += 4) {
      const q = p + (k << 3);
      s0 += ldf(q);
      s1 += ldf(q + 8);
      s2 += ldf(q + 16);
      s3 += ldf(q + 24);
    }
  }
  if (k < n) s0 += ldf(p + (k << 3));
  if (k + 1 < n) s1 += ldf(p + ((k + 1) << 3));
  if (k + 2 < n) s2 += ldf(p + ((k + 2) << 3));
  return (s0 + s2) + (s1 + s3);
}

/** Sum over k of (x_k - mx)(y_k - my) for the `n` doubles at `px` and `py`. */
export function crossDev(px: i32, py: i32, n: i32, mx: f64, my: f64): f64 {
  let s0: f64 = 0.0;
  let s1: f64 = 0.0;
  let s2: f64 = 0.0;
  let s3: f64 = 0.0;
  const n4 = n & ~3;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vx = f64x2.splat(mx);
    const vy = f64x2.splat(my);
    let a = f64x2.splat(0.0);
    let b = f64x2.splat(0.0);
    for (; k < n4; k += 4) {
      const qx = <usize>(px + (k << 3));
      const qy = <usize>(py + (k << 3));
      a = f64x2.add(a, f64x2.mul(f64x2.sub(v128.load(qx), vx), f64x2.sub(v128.load(qy), vy)));
      b = f64x2.add(b, f64x2.mul(f64x2.sub(v128.load(qx, 16), vx), f64x2.sub(v128.load(qy, 16), vy)));
    }
    s0 = f64x2.extract_lane(a, 0);
    s1 = f64x2.extract_lane(a, 1);
    s2 = f64x2.extract_lane(b, 0);
    s3 = f64x2.extract_lane(b, 1);
  } else {
    for (; k < n4; k += 4) {
      const qx = px + (k << 3);
      const qy = py + (k << 3);
      s0 += (ldf(qx) - mx) * (ldf(qy) - my);
      s1 += (ldf(qx + 8) - mx) * (ldf(qy + 8) - my);
      s2 += (ldf(qx + 16) - mx) * (ldf(qy + 16) - my);
      s3 += (ldf(qx + 24) - mx) * (ldf(qy + 24) - my);
    }
  }
  if (k < n) s0 += (ldf(px + (k << 3)) - mx) * (ldf(py + (k << 3)) - my);
  if (k + 1 < n) s1 += (ldf(px + ((k + 1) << 3)) - mx) * (ldf(py + ((k + 1) << 3)) - my);
  if (k + 2 < n) s2 += (ldf(px + ((k + 2) << 3)) - mx) * (ldf(py + ((k + 2) << 3)) - my);
  return (s0 + s2) + (s1 + s3);
}

/** Sum over k of x_k y_k for the `n` doubles at `px` and `py`, in the order of `sum`. */
export function dot(px: i32, py: i32, n: i32): f64 {
  let s0: f64 = 0.0;
  let s1: f64 = 0.0;
  let s2: f64 = 0.0;
  let s3: f64 = 0.0;
  const n4 = n & ~3;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    let a = f64x2.splat(0.0);
    let b = f64x2.splat(0.0);
    for (; k < n4; k += 4) {
      const qx = <usize>(px + (k << 3));
      const qy = <usize>(py + (k << 3));
      a = f64x2.add(a, f64x2.mul(v128.load(qx), v128.load(qy)));
      b = f64x2.add(b, f64x2.mul(v128.load(qx, 16), v128.load(qy, 16)));
    }
    s0 = f64x2.extract_lane(a, 0);
    s1 = f64x2.extract_lane(a, 1);
    s2 = f64x2.extract_lane(b, 0);
    s3 = f64x2.extract_lane(b, 1);
  } else {
    for (; k < n4; k += 4) {
      const qx = px + (k << 3);
      const qy = py + (k << 3);
      s0 += ldf(qx) * ldf(qy);
      s1 += ldf(qx + 8) * ldf(qy + 8);
      s2 += ldf(qx + 16) * ldf(qy + 16);
      s3 += ldf(qx + 24) * ldf(qy + 24);
    }
  }
  if (k < n) s0 += ldf(px + (k << 3)) * ldf(py + (k << 3));
  if (k + 1 < n) s1 += ldf(px + ((k + 1) << 3)) * ldf(py + ((k + 1) << 3));
  if (k + 2 < n) s2 += ldf(px + ((k + 2) << 3)) * ldf(py + ((k + 2) << 3));
  return (s0 + s2) + (s1 + s3);
}

/** y_k += a x_k for the `n` doubles at `py` and `px`: each element on its own, so the SIMD build gives the same bits. */
export function axpy(py: i32, a: f64, px: i32, n: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(a);
    const n2 = n & ~1;
    for (; k < n2; k += 2) {
      const qy = <usize>(py + (k << 3));
      v128.store(qy, f64x2.add(v128.load(qy), f64x2.mul(va, v128.load(<usize>(px + (k << 3))))));
    }
  }
  for (; k < n; k++) stf(py + (k << 3), ldf(py + (k << 3)) + a * ldf(px + (k << 3)));
}

/**
 * Sum over k of x_k y_k for the `n` floats (f32) at `px` and `py`, in float
 * arithmetic and in the order of `sum`: element k to accumulator k % 4, the
 * tail to 0, 1, 2, then (s0 + s2) + (s1 + s3). The SIMD build holds
 * (s0, s1, s2, s3) in one f32x4 register: the same bits.
 */
export function dotF32(px: i32, py: i32, n: i32): f32 {
  const n4 = n & ~3;
  if (ASC_FEATURE_SIMD) {
    let a = f32x4.splat(0.0);
    for (let k = 0; k < n4; k += 4) {
      const q = k << 2;
      a = f32x4.add(a, f32x4.mul(v128.load(<usize>(px + q)), v128.load(<usize>(py + q))));
    }
    return finishDotF32(a, px, py, n, n4);
  }
  let s0: f32 = 0.0;
  let s1: f32 = 0.0;
  let s2: f32 = 0.0;
  let s3: f32 = 0.0;
  let k = 0;
  for (; k < n4; k += 4) {
    const qx = px + (k << 2);
    const qy = py + (k << 2);
    s0 = fr(s0 + fr(ldf32(qx) * ldf32(qy)));
    s1 = fr(s1 + fr(ldf32(qx + 4) * ldf32(qy + 4)));
    s2 = fr(s2 + fr(ldf32(qx + 8) * ldf32(qy + 8)));
    s3 = fr(s3 + fr(ldf32(qx + 12) * ldf32(qy + 12)));
  }
  if (k < n) s0 = fr(s0 + fr(ldf32(px + (k << 2)) * ldf32(py + (k << 2))));
  if (k + 1 < n) s1 = fr(s1 + fr(ldf32(px + ((k + 1) << 2)) * ldf32(py + ((k + 1) << 2))));
  if (k + 2 < n) s2 = fr(s2 + fr(ldf32(px + ((k + 2) << 2)) * ldf32(py + ((k + 2) << 2))));
  return fr(fr(s0 + s2) + fr(s1 + s3));
}

/** SIMD build: dotF32's ending from its register (s0, s1, s2, s3) after the first k = n & ~3 elements. */
export function finishDotF32(a: v128, px: i32, py: i32, n: i32, k: i32): f32 {
  let s0 = f32x4.extract_lane(a, 0);
  let s1 = f32x4.extract_lane(a, 1);
  let s2 = f32x4.extract_lane(a, 2);
  const s3 = f32x4.extract_lane(a, 3);
  if (k < n) s0 += ldf32(px + (k << 2)) * ldf32(py + (k << 2));
  if (k + 1 < n) s1 += ldf32(px + ((k + 1) << 2)) * ldf32(py + ((k + 1) << 2));
  if (k + 2 < n) s2 += ldf32(px + ((k + 2) << 2)) * ldf32(py + ((k + 2) << 2));
  return (s0 + s2) + (s1 + s3);
}
