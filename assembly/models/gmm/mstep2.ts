// The M-step's sums for d = 2 (the notebook's fit) in two passes per
// component instead of eight: each pass keeps three sums, every one in
// reduce.ts's order (point i to accumulator i % 4 for i below n & ~3, the
// leftovers to 0, 1, 2, combined as (s0 + s2) + (s1 + s3); the SIMD build
// holds (s0, s1) and (s2, s3) in two f64x2), with the terms gmmMStep's
// separate `sum` / `crossDev` calls form, so the bits are theirs:
//   pass 1: r_i, r_i x_i0, r_i x_i1 (crossDev's (r - 0)(x - 0) is r x exactly);
//   pass 2: with u_ia = r_i (x_ia - m_a) (its scratch) and e_ia = x_ia - m_a,
//           u_i0 e_i0, u_i1 e_i0, u_i1 e_i1 (crossDev's (u - 0) is u).
import { ldf, stf } from "./../../platform";

/** The three sums of pass 1 for the responsibilities at `r`, into out[0..2]. */
export function moments2(r: i32, x0: i32, x1: i32, n: i32, out: i32): void {
  let a0: f64 = 0.0, a1: f64 = 0.0, a2: f64 = 0.0, a3: f64 = 0.0;
  let b0: f64 = 0.0, b1: f64 = 0.0, b2: f64 = 0.0, b3: f64 = 0.0;
  let c0: f64 = 0.0, c1: f64 = 0.0, c2: f64 = 0.0, c3: f64 = 0.0;
  const n4 = n & ~3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let a01 = f64x2.splat(0.0), a23 = f64x2.splat(0.0);
    let b01 = f64x2.splat(0.0), b23 = f64x2.splat(0.0);
    let c01 = f64x2.splat(0.0), c23 = f64x2.splat(0.0);
    for (; i < n4; i += 4) {
      const o = i << 3;
      const r01 = v128.load(<usize>(r + o));
      const r23 = v128.load(<usize>(r + o), 16);
      a01 = f64x2.add(a01, r01);
      a23 = f64x2.add(a23, r23);
      b01 = f64x2.add(b01, f64x2.mul(r01, v128.load(<usize>(x0 + o))));
      b23 = f64x2.add(b23, f64x2.mul(r23, v128.load(<usize>(x0 + o), 16)));
      c01 = f64x2.add(c01, f64x2.mul(r01, v128.load(<usize>(x1 + o))));
      c23 = f64x2.add(c23, f64x2.mul(r23, v128.load(<usize>(x1 + o), 16)));
    }
    a0 = f64x2.extract_lane(a01, 0); a1 = f64x2.extract_lane(a01, 1); a2 = f64x2.extract_lane(a23, 0); a3 = f64x2.extract_lane(a23, 1);
    b0 = f64x2.extract_lane(b01, 0); b1 = f64x2.extract_lane(b01, 1); b2 = f64x2.extract_lane(b23, 0); b3 = f64x2.extract_lane(b23, 1);
    c0 = f64x2.extract_lane(c01, 0); c1 = f64x2.extract_lane(c01, 1); c2 = f64x2.extract_lane(c23, 0); c3 = f64x2.extract_lane(c23, 1);
  } else {
    for (; i < n4; i += 4) {
      const o = i << 3;
      const r0 = ldf(r + o), r1 = ldf(r + o + 8), r2 = ldf(r + o + 16), r3 = ldf(r + o + 24);
      a0 += r0; a1 += r1; a2 += r2; a3 += r3;
      b0 += r0 * ldf(x0 + o); b1 += r1 * ldf(x0 + o + 8); b2 += r2 * ldf(x0 + o + 16); b3 += r3 * ldf(x0 + o + 24);
      c0 += r0 * ldf(x1 + o); c1 += r1 * ldf(x1 + o + 8); c2 += r2 * ldf(x1 + o + 16); c3 += r3 * ldf(x1 + o + 24);
    }
  }
  // the leftovers, to accumulators 0, 1, 2
  if (i < n) {
    const o = i << 3;
    const ri = ldf(r + o);
    a0 += ri; b0 += ri * ldf(x0 + o); c0 += ri * ldf(x1 + o);
  }
  if (i + 1 < n) {
    const o = (i + 1) << 3;
    const ri = ldf(r + o);
    a1 += ri; b1 += ri * ldf(x0 + o); c1 += ri * ldf(x1 + o);
  }
  if (i + 2 < n) {
    const o = (i + 2) << 3;
    const ri = ldf(r + o);
    a2 += ri; b2 += ri * ldf(x0 + o); c2 += ri * ldf(x1 + o);
  }
  stf(out, (a0 + a2) + (a1 + a3));
  stf(out + 8, (b0 + b2) + (b1 + b3));
  stf(out + 16, (c0 + c2) + (c1 + c3));
}

/**
 * The three sums of pass 2 around the mean (m0, m1), into out[0..2]: the
 * (0,0), (1,0) and (1,1) scatter entries. Without `cross` (diag and
 * spherical fits, which do not use the (1,0) entry) the SIMD build leaves
 * that sum out; out[1] is then not the entry.
 */
export function scatter2(r: i32, x0: i32, x1: i32, n: i32, m0: f64, m1: f64, out: i32, cross: bool): void {
  let a0: f64 = 0.0, a1: f64 = 0.0, a2: f64 = 0.0, a3: f64 = 0.0;
  let b0: f64 = 0.0, b1: f64 = 0.0, b2: f64 = 0.0, b3: f64 = 0.0;
  let c0: f64 = 0.0, c1: f64 = 0.0, c2: f64 = 0.0, c3: f64 = 0.0;
  const n4 = n & ~3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vm0 = f64x2.splat(m0);
    const vm1 = f64x2.splat(m1);
    let a01 = f64x2.splat(0.0), a23 = f64x2.splat(0.0);
    let b01 = f64x2.splat(0.0), b23 = f64x2.splat(0.0);
    let c01 = f64x2.splat(0.0), c23 = f64x2.splat(0.0);
    for (; i < n4; i += 4) {
      const o = i << 3;
      const r01 = v128.load(<usize>(r + o));
      const r23 = v128.load(<usize>(r + o), 16);
      const e001 = f64x2.sub(v128.load(<usize>(x0 + o)), vm0);
      const e023 = f64x2.sub(v128.load(<usize>(x0 + o), 16), vm0);
      const e101 = f64x2.sub(v128.load(<usize>(x1 + o)), vm1);
      const e123 = f64x2.sub(v128.load(<usize>(x1 + o), 16), vm1);
      const u001 = f64x2.mul(r01, e001);
      const u023 = f64x2.mul(r23, e023);
      const u101 = f64x2.mul(r01, e101);
      const u123 = f64x2.mul(r23, e123);
      a01 = f64x2.add(a01, f64x2.mul(u001, e001));
      a23 = f64x2.add(a23, f64x2.mul(u023, e023));
      if (cross) {
        b01 = f64x2.add(b01, f64x2.mul(u101, e001));
        b23 = f64x2.add(b23, f64x2.mul(u123, e023));
      }
      c01 = f64x2.add(c01, f64x2.mul(u101, e101));
      c23 = f64x2.add(c23, f64x2.mul(u123, e123));
    }
    a0 = f64x2.extract_lane(a01, 0); a1 = f64x2.extract_lane(a01, 1); a2 = f64x2.extract_lane(a23, 0); a3 = f64x2.extract_lane(a23, 1);
    b0 = f64x2.extract_lane(b01, 0); b1 = f64x2.extract_lane(b01, 1); b2 = f64x2.extract_lane(b23, 0); b3 = f64x2.extract_lane(b23, 1);
    c0 = f64x2.extract_lane(c01, 0); c1 = f64x2.extract_lane(c01, 1); c2 = f64x2.extract_lane(c23, 0); c3 = f64x2.extract_lane(c23, 1);
  } else {
    for (; i < n4; i += 4) {
      const o = i << 3;
      let e0 = ldf(x0 + o) - m0, e1 = ldf(x1 + o) - m1, ri = ldf(r + o);
      let u0 = ri * e0, u1 = ri * e1;
      a0 += u0 * e0; b0 += u1 * e0; c0 += u1 * e1;
      e0 = ldf(x0 + o + 8) - m0; e1 = ldf(x1 + o + 8) - m1; ri = ldf(r + o + 8);
      u0 = ri * e0; u1 = ri * e1;
      a1 += u0 * e0; b1 += u1 * e0; c1 += u1 * e1;
      e0 = ldf(x0 + o + 16) - m0; e1 = ldf(x1 + o + 16) - m1; ri = ldf(r + o + 16);
      u0 = ri * e0; u1 = ri * e1;
      a2 += u0 * e0; b2 += u1 * e0; c2 += u1 * e1;
      e0 = ldf(x0 + o + 24) - m0; e1 = ldf(x1 + o + 24) - m1; ri = ldf(r + o + 24);
      u0 = ri * e0; u1 = ri * e1;
      a3 += u0 * e0; b3 += u1 * e0; c3 += u1 * e1;
    }
  }
  // the leftovers, to accumulators 0, 1, 2
  for (let q = 0; q < 3 && i + q < n; q++) {
    const o = (i + q) << 3;
    const e0 = ldf(x0 + o) - m0;
    const e1 = ldf(x1 + o) - m1;
    const ri = ldf(r + o);
    const u0 = ri * e0;
    const u1 = ri * e1;
    if (q == 0) {
      a0 += u0 * e0; b0 += u1 * e0; c0 += u1 * e1;
    } else if (q == 1) {
      a1 += u0 * e0; b1 += u1 * e0; c1 += u1 * e1;
    } else {
      a2 += u0 * e0; b2 += u1 * e0; c2 += u1 * e1;
    }
  }
  stf(out, (a0 + a2) + (a1 + a3));
  stf(out + 8, (b0 + b2) + (b1 + b3));
  stf(out + 16, (c0 + c2) + (c1 + c3));
}
