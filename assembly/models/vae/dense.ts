// The dense (fully connected) layer's matrix products, forward and backward,
// for a minibatch of row-major activations: the VAE's and the digit
// classifier's hot loops.
//
// They are register-blocked: a tile of outputs is computed at once, sharing
// the loads of its inputs, but every single output element is summed in
// exactly the order the one-at-a-time form sums it, so blocking does not
// change a bit:
// - forward: each y[i][o] is `dot(x_i, W_o)` (reduce.ts: element k to
//   accumulator k % 4, the tail to 0, 1, 2, then (s0 + s2) + (s1 + s3)) plus
//   b[o]; a 2 x 2 tile (rows i, i+1; outputs o, o+1) runs four such dots in
//   one pass, two f64x2 registers each (a 1 x 4 tile for a lone row: the
//   last of an odd minibatch, or the single images of decoding and scoring).
// - dW[o][j] = 0 + dy[0][o] x_0[j] + dy[1][o] x_1[j] + ..., i in order: a
//   block of dW stays in registers over the whole minibatch and is stored
//   once (it was read and written once per image before, onto zeroed
//   gradients); db[o] = 0 + dy[0][o] + dy[1][o] + ... likewise.
// - dx_i[j] = 0 + sum over o in order of dy[i][o] W_o[j]: a block of two
//   rows of dx stays in registers over the o loop.
// The scalar build (js, wasm) performs the same per-element operations: its
// forward is one `dot` per output, its backward blocks of four columns (one
// load of dy[i][o] for them); no fused multiply-add anywhere.
import { ldf, stf } from "./../../platform";
import { dot } from "./../../reduce";

/** y[i][o] = b[o] + x_i . W_o for nb rows: x rows of nin, W[nout][nin], y rows of nout. */
export function denseForward(x: i32, nb: i32, nin: i32, w: i32, b: i32, nout: i32, y: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= nb; i += 2) {
      const x0 = x + ((i * nin) << 3);
      const x1 = x0 + (nin << 3);
      const y0 = y + ((i * nout) << 3);
      const y1 = y0 + (nout << 3);
      let o = 0;
      for (; o + 2 <= nout; o += 2) forwardTile(x0, x1, w + ((o * nin) << 3), nin, b + (o << 3), y0 + (o << 3), y1 + (o << 3));
      for (; o < nout; o++) {
        const wo = w + ((o * nin) << 3);
        const bo = ldf(b + (o << 3));
        stf(y0 + (o << 3), bo + dot(x0, wo, nin));
        stf(y1 + (o << 3), bo + dot(x1, wo, nin));
      }
    }
  }
  for (; i < nb; i++) {
    const xi = x + ((i * nin) << 3);
    const yi = y + ((i * nout) << 3);
    let o = 0;
    if (ASC_FEATURE_SIMD) {
      for (; o + 4 <= nout; o += 4) forwardRowTile(xi, w + ((o * nin) << 3), nin, b + (o << 3), yi + (o << 3));
    }
    for (; o < nout; o++) stf(yi + (o << 3), ldf(b + (o << 3)) + dot(xi, w + ((o * nin) << 3), nin));
  }
}

/**
 * SIMD build: four outputs y[0..3] of one row x (the last row of an odd
 * minibatch, or a single image) and weight rows w, w + nin, w + 2 nin,
 * w + 3 nin (biases b[0..3]), each exactly `dot`'s sum.
 */
function forwardRowTile(x: i32, w: i32, n: i32, b: i32, y: i32): void {
  const w1 = w + (n << 3);
  const w2 = w1 + (n << 3);
  const w3 = w2 + (n << 3);
  let a0 = f64x2.splat(0.0);
  let c0 = f64x2.splat(0.0);
  let a1 = f64x2.splat(0.0);
  let c1 = f64x2.splat(0.0);
  let a2 = f64x2.splat(0.0);
  let c2 = f64x2.splat(0.0);
  let a3 = f64x2.splat(0.0);
  let c3 = f64x2.splat(0.0);
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) {
    const q = k << 3;
    const p = v128.load(<usize>(x + q));
    const r = v128.load(<usize>(x + q), 16);
    a0 = f64x2.add(a0, f64x2.mul(p, v128.load(<usize>(w + q))));
    c0 = f64x2.add(c0, f64x2.mul(r, v128.load(<usize>(w + q), 16)));
    a1 = f64x2.add(a1, f64x2.mul(p, v128.load(<usize>(w1 + q))));
    c1 = f64x2.add(c1, f64x2.mul(r, v128.load(<usize>(w1 + q), 16)));
    a2 = f64x2.add(a2, f64x2.mul(p, v128.load(<usize>(w2 + q))));
    c2 = f64x2.add(c2, f64x2.mul(r, v128.load(<usize>(w2 + q), 16)));
    a3 = f64x2.add(a3, f64x2.mul(p, v128.load(<usize>(w3 + q))));
    c3 = f64x2.add(c3, f64x2.mul(r, v128.load(<usize>(w3 + q), 16)));
  }
  stf(y, ldf(b) + finishDot(a0, c0, x, w, n, n4));
  stf(y + 8, ldf(b + 8) + finishDot(a1, c1, x, w1, n, n4));
  stf(y + 16, ldf(b + 16) + finishDot(a2, c2, x, w2, n, n4));
  stf(y + 24, ldf(b + 24) + finishDot(a3, c3, x, w3, n, n4));
}

/**
 * SIMD build: the four outputs y0[0], y0[1], y1[0], y1[1] of rows x0, x1 and
 * weight rows w0 = w, w1 = w + nin (biases b[0], b[1]), each exactly `dot`'s sum.
 */
function forwardTile(x0: i32, x1: i32, w: i32, n: i32, b: i32, y0: i32, y1: i32): void {
  const w1 = w + (n << 3);
  let a00 = f64x2.splat(0.0);
  let c00 = f64x2.splat(0.0);
  let a01 = f64x2.splat(0.0);
  let c01 = f64x2.splat(0.0);
  let a10 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0);
  let a11 = f64x2.splat(0.0);
  let c11 = f64x2.splat(0.0);
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) {
    const q = k << 3;
    const p0 = v128.load(<usize>(x0 + q));
    const r0 = v128.load(<usize>(x0 + q), 16);
    const p1 = v128.load(<usize>(x1 + q));
    const r1 = v128.load(<usize>(x1 + q), 16);
    const u = v128.load(<usize>(w + q));
    const v = v128.load(<usize>(w + q), 16);
    a00 = f64x2.add(a00, f64x2.mul(p0, u));
    c00 = f64x2.add(c00, f64x2.mul(r0, v));
    a10 = f64x2.add(a10, f64x2.mul(p1, u));
    c10 = f64x2.add(c10, f64x2.mul(r1, v));
    const u1 = v128.load(<usize>(w1 + q));
    const v1 = v128.load(<usize>(w1 + q), 16);
    a01 = f64x2.add(a01, f64x2.mul(p0, u1));
    c01 = f64x2.add(c01, f64x2.mul(r0, v1));
    a11 = f64x2.add(a11, f64x2.mul(p1, u1));
    c11 = f64x2.add(c11, f64x2.mul(r1, v1));
  }
  const b0 = ldf(b);
  const b1 = ldf(b + 8);
  stf(y0, b0 + finishDot(a00, c00, x0, w, n, n4));
  stf(y0 + 8, b1 + finishDot(a01, c01, x0, w1, n, n4));
  stf(y1, b0 + finishDot(a10, c10, x1, w, n, n4));
  stf(y1 + 8, b1 + finishDot(a11, c11, x1, w1, n, n4));
}

/** SIMD build: `dot`'s ending from its two registers (s0, s1) and (s2, s3) after the first n4 elements. */
function finishDot(a: v128, c: v128, px: i32, py: i32, n: i32, k: i32): f64 {
  let s0 = f64x2.extract_lane(a, 0);
  let s1 = f64x2.extract_lane(a, 1);
  let s2 = f64x2.extract_lane(c, 0);
  const s3 = f64x2.extract_lane(c, 1);
  if (k < n) s0 += ldf(px + (k << 3)) * ldf(py + (k << 3));
  if (k + 1 < n) s1 += ldf(px + ((k + 1) << 3)) * ldf(py + ((k + 1) << 3));
  if (k + 2 < n) s2 += ldf(px + ((k + 2) << 3)) * ldf(py + ((k + 2) << 3));
  return (s0 + s2) + (s1 + s3);
}

/**
 * Sets the layer's gradients for nb rows of dy: dW_o = sum_i dy[i][o] x_i and
 * db[o] = sum_i dy[i][o], i in order from 0; and, when dxWanted,
 * dx_i = sum_o dy[i][o] W_o, o in order (from 0). dx must not overlap x, w or dy.
 */
export function denseBackward(x: i32, nb: i32, nin: i32, w: i32, nout: i32, dy: i32, dw: i32, db: i32, dx: i32, dxWanted: bool): void {
  weightGrads(x, nb, nin, nout, dy, dw, db);
  if (dxWanted) inputGrads(nb, nin, w, nout, dy, dx);
}

/** dW[o][j] = sum of dy[i][o] x_i[j] and db[o] = sum of dy[i][o], from 0, i = 0..nb-1 in order. */
function weightGrads(x: i32, nb: i32, nin: i32, nout: i32, dy: i32, dw: i32, db: i32): void {
  const rowOut = nout << 3;
  for (let o = 0; o < nout; o++) {
    const g = dy + (o << 3); // dy[i][o] at g + i rowOut
    let sb: f64 = 0.0;
    for (let i = 0; i < nb; i++) sb += ldf(g + i * rowOut);
    stf(db + (o << 3), sb);
  }
  let o = 0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 2 <= nout; o += 2) weightGradsTwoRows(x, nb, nin, nout, dy + (o << 3), dw + ((o * nin) << 3));
  }
  for (; o < nout; o++) weightGradsRow(x, nb, nin, nout, dy + (o << 3), dw + ((o * nin) << 3));
}

/**
 * SIMD build: rows o and o+1 of dW (at dwo, dy[i][o] at g + i nout 8):
 * eight columns of each in registers over the whole minibatch, stored once.
 */
function weightGradsTwoRows(x: i32, nb: i32, nin: i32, nout: i32, g: i32, dwo: i32): void {
  const rowIn = nin << 3;
  const rowOut = nout << 3;
  const dw1 = dwo + rowIn;
  let j = 0;
  for (; j + 8 <= nin; j += 8) {
    const q = <usize>(dwo + (j << 3));
    const r = <usize>(dw1 + (j << 3));
    let d0 = f64x2.splat(0.0);
    let d1 = f64x2.splat(0.0);
    let d2 = f64x2.splat(0.0);
    let d3 = f64x2.splat(0.0);
    let e0 = f64x2.splat(0.0);
    let e1 = f64x2.splat(0.0);
    let e2 = f64x2.splat(0.0);
    let e3 = f64x2.splat(0.0);
    let xi = x + (j << 3);
    let gi = g;
    for (let i = 0; i < nb; i++) {
      const vg = v128.load64_splat(<usize>gi);
      const vh = v128.load64_splat(<usize>gi, 8);
      const m0 = v128.load(<usize>xi);
      const m1 = v128.load(<usize>xi, 16);
      const m2 = v128.load(<usize>xi, 32);
      const m3 = v128.load(<usize>xi, 48);
      d0 = f64x2.add(d0, f64x2.mul(vg, m0));
      d1 = f64x2.add(d1, f64x2.mul(vg, m1));
      d2 = f64x2.add(d2, f64x2.mul(vg, m2));
      d3 = f64x2.add(d3, f64x2.mul(vg, m3));
      e0 = f64x2.add(e0, f64x2.mul(vh, m0));
      e1 = f64x2.add(e1, f64x2.mul(vh, m1));
      e2 = f64x2.add(e2, f64x2.mul(vh, m2));
      e3 = f64x2.add(e3, f64x2.mul(vh, m3));
      xi += rowIn;
      gi += rowOut;
    }
    v128.store(q, d0);
    v128.store(q, d1, 16);
    v128.store(q, d2, 32);
    v128.store(q, d3, 48);
    v128.store(r, e0);
    v128.store(r, e1, 16);
    v128.store(r, e2, 32);
    v128.store(r, e3, 48);
  }
  for (; j + 2 <= nin; j += 2) {
    let d0 = f64x2.splat(0.0);
    let e0 = f64x2.splat(0.0);
    for (let i = 0; i < nb; i++) {
      const m0 = v128.load(<usize>(x + i * rowIn + (j << 3)));
      d0 = f64x2.add(d0, f64x2.mul(v128.load64_splat(<usize>(g + i * rowOut)), m0));
      e0 = f64x2.add(e0, f64x2.mul(v128.load64_splat(<usize>(g + i * rowOut), 8), m0));
    }
    v128.store(<usize>(dwo + (j << 3)), d0);
    v128.store(<usize>(dw1 + (j << 3)), e0);
  }
  for (; j < nin; j++) {
    const q = dwo + (j << 3);
    let d: f64 = 0.0;
    let e: f64 = 0.0;
    for (let i = 0; i < nb; i++) {
      const xv = ldf(x + i * rowIn + (j << 3));
      d += ldf(g + i * rowOut) * xv;
      e += ldf(g + i * rowOut + 8) * xv;
    }
    stf(q, d);
    stf(q + rowIn, e);
  }
}

/** Row o of dW (at dwo, dy[i][o] at g + i nout 8), four columns at a time. */
function weightGradsRow(x: i32, nb: i32, nin: i32, nout: i32, g: i32, dwo: i32): void {
  const rowIn = nin << 3;
  const rowOut = nout << 3;
  let j = 0;
  for (; j + 4 <= nin; j += 4) {
    const q = dwo + (j << 3);
    let d0: f64 = 0.0;
    let d1: f64 = 0.0;
    let d2: f64 = 0.0;
    let d3: f64 = 0.0;
    let xi = x + (j << 3);
    for (let i = 0; i < nb; i++) {
      const gv = ldf(g + i * rowOut);
      d0 += gv * ldf(xi);
      d1 += gv * ldf(xi + 8);
      d2 += gv * ldf(xi + 16);
      d3 += gv * ldf(xi + 24);
      xi += rowIn;
    }
    stf(q, d0);
    stf(q + 8, d1);
    stf(q + 16, d2);
    stf(q + 24, d3);
  }
  for (; j < nin; j++) {
    const q = dwo + (j << 3);
    let d: f64 = 0.0;
    for (let i = 0; i < nb; i++) d += ldf(g + i * rowOut) * ldf(x + i * rowIn + (j << 3));
    stf(q, d);
  }
}

/** dx_i[j] = 0 + dy[i][0] W_0[j] + dy[i][1] W_1[j] + ..., o in order, for nb rows. */
function inputGrads(nb: i32, nin: i32, w: i32, nout: i32, dy: i32, dx: i32): void {
  const rowIn = nin << 3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // two rows of dx, eight columns each, in registers over the o loop
    for (; i + 2 <= nb; i += 2) {
      const g0 = dy + ((i * nout) << 3);
      const g1 = g0 + (nout << 3);
      const dx0 = dx + ((i * nin) << 3);
      const dx1 = dx0 + rowIn;
      let j = 0;
      for (; j + 8 <= nin; j += 8) {
        let a0 = f64x2.splat(0.0);
        let a1 = f64x2.splat(0.0);
        let a2 = f64x2.splat(0.0);
        let a3 = f64x2.splat(0.0);
        let c0 = f64x2.splat(0.0);
        let c1 = f64x2.splat(0.0);
        let c2 = f64x2.splat(0.0);
        let c3 = f64x2.splat(0.0);
        let wo = w + (j << 3);
        for (let o = 0; o < nout; o++) {
          const v0 = v128.load64_splat(<usize>(g0 + (o << 3)));
          const v1 = v128.load64_splat(<usize>(g1 + (o << 3)));
          const m0 = v128.load(<usize>wo);
          const m1 = v128.load(<usize>wo, 16);
          const m2 = v128.load(<usize>wo, 32);
          const m3 = v128.load(<usize>wo, 48);
          a0 = f64x2.add(a0, f64x2.mul(v0, m0));
          a1 = f64x2.add(a1, f64x2.mul(v0, m1));
          a2 = f64x2.add(a2, f64x2.mul(v0, m2));
          a3 = f64x2.add(a3, f64x2.mul(v0, m3));
          c0 = f64x2.add(c0, f64x2.mul(v1, m0));
          c1 = f64x2.add(c1, f64x2.mul(v1, m1));
          c2 = f64x2.add(c2, f64x2.mul(v1, m2));
          c3 = f64x2.add(c3, f64x2.mul(v1, m3));
          wo += rowIn;
        }
        const q0 = <usize>(dx0 + (j << 3));
        const q1 = <usize>(dx1 + (j << 3));
        v128.store(q0, a0);
        v128.store(q0, a1, 16);
        v128.store(q0, a2, 32);
        v128.store(q0, a3, 48);
        v128.store(q1, c0);
        v128.store(q1, c1, 16);
        v128.store(q1, c2, 32);
        v128.store(q1, c3, 48);
      }
      for (; j < nin; j++) {
        let s0: f64 = 0.0;
        let s1: f64 = 0.0;
        for (let o = 0; o < nout; o++) {
          const wv = ldf(w + o * rowIn + (j << 3));
          s0 += ldf(g0 + (o << 3)) * wv;
          s1 += ldf(g1 + (o << 3)) * wv;
        }
        stf(dx0 + (j << 3), s0);
        stf(dx1 + (j << 3), s1);
      }
    }
  }
  for (; i < nb; i++) {
    const gi = dy + ((i * nout) << 3);
    const dxi = dx + ((i * nin) << 3);
    let j = 0;
    // four columns at a time: each dy[i][o] loaded once for them
    for (; j + 4 <= nin; j += 4) {
      let s0: f64 = 0.0;
      let s1: f64 = 0.0;
      let s2: f64 = 0.0;
      let s3: f64 = 0.0;
      let wo = w + (j << 3);
      for (let o = 0; o < nout; o++) {
        const gv = ldf(gi + (o << 3));
        s0 += gv * ldf(wo);
        s1 += gv * ldf(wo + 8);
        s2 += gv * ldf(wo + 16);
        s3 += gv * ldf(wo + 24);
        wo += rowIn;
      }
      const q = dxi + (j << 3);
      stf(q, s0);
      stf(q + 8, s1);
      stf(q + 16, s2);
      stf(q + 24, s3);
    }
    for (; j < nin; j++) {
      let s: f64 = 0.0;
      for (let o = 0; o < nout; o++) s += ldf(gi + (o << 3)) * ldf(w + o * rowIn + (j << 3));
      stf(dxi + (j << 3), s);
    }
  }
}
