// The dense (fully connected) layer's matrix products, forward and backward,
// for a minibatch of row-major activations, in float32 (f32, 4 bytes; every
// operation rounded to float, see platform.ts `fr`): the VAE's and the digit
// classifier's hot loops.
//
// They are register-blocked: a tile of outputs is computed at once, sharing
// the loads of its inputs, but every single output element is summed in
// exactly the order the one-at-a-time form sums it, so blocking does not
// change a bit:
// - forward: each y[i][o] is `dotF32(x_i, W_o)` (reduce.ts: element k to
//   accumulator k % 4, the tail to 0, 1, 2, then (s0 + s2) + (s1 + s3)) plus
//   b[o]; the four accumulators of one dot are one f32x4 register, and a
//   2 x 4 tile (rows i, i+1; outputs o..o+3) runs eight such dots in one
//   pass, each load of x or W shared by four or two of them (a 1 x 4 tile
//   for a lone row: the last of an odd minibatch, or the single images of
//   decoding and scoring).
// - dW[o][j] = 0 + dy[0][o] x_0[j] + dy[1][o] x_1[j] + ..., i in order: a
//   block of dW (two rows, sixteen columns) stays in registers over the
//   whole minibatch and is stored once; db[o] = 0 + dy[0][o] + dy[1][o] + ...
// - dx_i[j] = 0 + sum over o in order of dy[i][o] W_o[j]: a block of two
//   rows of dx (sixteen columns) stays in registers over the o loop.
// The scalar build (js, wasm) performs the same per-element operations: its
// forward is one `dotF32` per output, its backward blocks of four columns
// (one load of dy[i][o] for them); no fused multiply-add anywhere.
import { ldf32, stf32, fr } from "./../../platform";
import { dotF32, finishDotF32 } from "./../../reduce";

/** y[i][o] = b[o] + x_i . W_o for nb rows: x rows of nin floats, W[nout][nin], y rows of nout. */
export function denseForward(x: i32, nb: i32, nin: i32, w: i32, b: i32, nout: i32, y: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= nb; i += 2) {
      const x0 = x + ((i * nin) << 2);
      const x1 = x0 + (nin << 2);
      const y0 = y + ((i * nout) << 2);
      const y1 = y0 + (nout << 2);
      let o = 0;
      for (; o + 4 <= nout; o += 4) forwardTile(x0, x1, w + ((o * nin) << 2), nin, b + (o << 2), y0 + (o << 2), y1 + (o << 2));
      for (; o < nout; o++) {
        const wo = w + ((o * nin) << 2);
        const bo = ldf32(b + (o << 2));
        stf32(y0 + (o << 2), bo + dotF32(x0, wo, nin));
        stf32(y1 + (o << 2), bo + dotF32(x1, wo, nin));
      }
    }
  }
  for (; i < nb; i++) {
    const xi = x + ((i * nin) << 2);
    const yi = y + ((i * nout) << 2);
    let o = 0;
    if (ASC_FEATURE_SIMD) {
      for (; o + 4 <= nout; o += 4) forwardRowTile(xi, w + ((o * nin) << 2), nin, b + (o << 2), yi + (o << 2));
    }
    for (; o < nout; o++) stf32(yi + (o << 2), fr(ldf32(b + (o << 2)) + dotF32(xi, w + ((o * nin) << 2), nin)));
  }
}

/**
 * SIMD build: four outputs y[0..3] of one row x (the last row of an odd
 * minibatch, or a single image) and weight rows w, w + nin, w + 2 nin,
 * w + 3 nin (biases b[0..3]), each exactly `dotF32`'s sum.
 */
function forwardRowTile(x: i32, w: i32, n: i32, b: i32, y: i32): void {
  const w1 = w + (n << 2);
  const w2 = w1 + (n << 2);
  const w3 = w2 + (n << 2);
  let a0 = f32x4.splat(0.0);
  let a1 = f32x4.splat(0.0);
  let a2 = f32x4.splat(0.0);
  let a3 = f32x4.splat(0.0);
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) {
    const q = k << 2;
    const p = v128.load(<usize>(x + q));
    a0 = f32x4.add(a0, f32x4.mul(p, v128.load(<usize>(w + q))));
    a1 = f32x4.add(a1, f32x4.mul(p, v128.load(<usize>(w1 + q))));
    a2 = f32x4.add(a2, f32x4.mul(p, v128.load(<usize>(w2 + q))));
    a3 = f32x4.add(a3, f32x4.mul(p, v128.load(<usize>(w3 + q))));
  }
  stf32(y, ldf32(b) + finishDotF32(a0, x, w, n, n4));
  stf32(y + 4, ldf32(b + 4) + finishDotF32(a1, x, w1, n, n4));
  stf32(y + 8, ldf32(b + 8) + finishDotF32(a2, x, w2, n, n4));
  stf32(y + 12, ldf32(b + 12) + finishDotF32(a3, x, w3, n, n4));
}

/**
 * SIMD build: the eight outputs y0[0..3], y1[0..3] of rows x0, x1 and weight
 * rows w, w + nin, w + 2 nin, w + 3 nin (biases b[0..3]), each exactly
 * `dotF32`'s sum: one load of each x row and of each weight row per four
 * elements, shared by the tile.
 */
function forwardTile(x0: i32, x1: i32, w: i32, n: i32, b: i32, y0: i32, y1: i32): void {
  const w1 = w + (n << 2);
  const w2 = w1 + (n << 2);
  const w3 = w2 + (n << 2);
  let a00 = f32x4.splat(0.0);
  let a01 = f32x4.splat(0.0);
  let a02 = f32x4.splat(0.0);
  let a03 = f32x4.splat(0.0);
  let a10 = f32x4.splat(0.0);
  let a11 = f32x4.splat(0.0);
  let a12 = f32x4.splat(0.0);
  let a13 = f32x4.splat(0.0);
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) {
    const q = k << 2;
    const p0 = v128.load(<usize>(x0 + q));
    const p1 = v128.load(<usize>(x1 + q));
    const u0 = v128.load(<usize>(w + q));
    a00 = f32x4.add(a00, f32x4.mul(p0, u0));
    a10 = f32x4.add(a10, f32x4.mul(p1, u0));
    const u1 = v128.load(<usize>(w1 + q));
    a01 = f32x4.add(a01, f32x4.mul(p0, u1));
    a11 = f32x4.add(a11, f32x4.mul(p1, u1));
    const u2 = v128.load(<usize>(w2 + q));
    a02 = f32x4.add(a02, f32x4.mul(p0, u2));
    a12 = f32x4.add(a12, f32x4.mul(p1, u2));
    const u3 = v128.load(<usize>(w3 + q));
    a03 = f32x4.add(a03, f32x4.mul(p0, u3));
    a13 = f32x4.add(a13, f32x4.mul(p1, u3));
  }
  const b0 = ldf32(b);
  const b1 = ldf32(b + 4);
  const b2 = ldf32(b + 8);
  const b3 = ldf32(b + 12);
  stf32(y0, b0 + finishDotF32(a00, x0, w, n, n4));
  stf32(y0 + 4, b1 + finishDotF32(a01, x0, w1, n, n4));
  stf32(y0 + 8, b2 + finishDotF32(a02, x0, w2, n, n4));
  stf32(y0 + 12, b3 + finishDotF32(a03, x0, w3, n, n4));
  stf32(y1, b0 + finishDotF32(a10, x1, w, n, n4));
  stf32(y1 + 4, b1 + finishDotF32(a11, x1, w1, n, n4));
  stf32(y1 + 8, b2 + finishDotF32(a12, x1, w2, n, n4));
  stf32(y1 + 12, b3 + finishDotF32(a13, x1, w3, n, n4));
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
  weightGradsRange(x, nb, nin, nout, dy, dw, db, 0, nout);
}

/**
 * weightGrads for the outputs o0..o1-1 only (rows o of dW, entries of db):
 * each element is summed whole, so a layer's gradient may be computed a
 * range of outputs per call with the bits of one call.
 */
export function weightGradsRange(x: i32, nb: i32, nin: i32, nout: i32, dy: i32, dw: i32, db: i32, o0: i32, o1: i32): void {
  const rowOut = nout << 2;
  for (let o = o0; o < o1; o++) {
    const g = dy + (o << 2); // dy[i][o] at g + i rowOut
    let sb: f32 = 0.0;
    for (let i = 0; i < nb; i++) sb = fr(sb + ldf32(g + i * rowOut));
    stf32(db + (o << 2), sb);
  }
  let o = o0;
  if (ASC_FEATURE_SIMD) {
    for (; o + 2 <= o1; o += 2) weightGradsTwoRows(x, nb, nin, nout, dy + (o << 2), dw + ((o * nin) << 2));
  }
  for (; o < o1; o++) weightGradsRow(x, nb, nin, nout, dy + (o << 2), dw + ((o * nin) << 2));
}

/**
 * SIMD build: rows o and o+1 of dW (at dwo, dy[i][o] at g + i nout 4):
 * sixteen columns of each in registers over the whole minibatch, stored once.
 */
function weightGradsTwoRows(x: i32, nb: i32, nin: i32, nout: i32, g: i32, dwo: i32): void {
  const rowIn = nin << 2;
  const rowOut = nout << 2;
  const dw1 = dwo + rowIn;
  let j = 0;
  for (; j + 16 <= nin; j += 16) {
    const q = <usize>(dwo + (j << 2));
    const r = <usize>(dw1 + (j << 2));
    let d0 = f32x4.splat(0.0);
    let d1 = f32x4.splat(0.0);
    let d2 = f32x4.splat(0.0);
    let d3 = f32x4.splat(0.0);
    let e0 = f32x4.splat(0.0);
    let e1 = f32x4.splat(0.0);
    let e2 = f32x4.splat(0.0);
    let e3 = f32x4.splat(0.0);
    let xi = x + (j << 2);
    let gi = g;
    for (let i = 0; i < nb; i++) {
      const vg = v128.load32_splat(<usize>gi);
      const vh = v128.load32_splat(<usize>gi, 4);
      const m0 = v128.load(<usize>xi);
      const m1 = v128.load(<usize>xi, 16);
      const m2 = v128.load(<usize>xi, 32);
      const m3 = v128.load(<usize>xi, 48);
      d0 = f32x4.add(d0, f32x4.mul(vg, m0));
      d1 = f32x4.add(d1, f32x4.mul(vg, m1));
      d2 = f32x4.add(d2, f32x4.mul(vg, m2));
      d3 = f32x4.add(d3, f32x4.mul(vg, m3));
      e0 = f32x4.add(e0, f32x4.mul(vh, m0));
      e1 = f32x4.add(e1, f32x4.mul(vh, m1));
      e2 = f32x4.add(e2, f32x4.mul(vh, m2));
      e3 = f32x4.add(e3, f32x4.mul(vh, m3));
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
  for (; j + 4 <= nin; j += 4) {
    let d0 = f32x4.splat(0.0);
    let e0 = f32x4.splat(0.0);
    for (let i = 0; i < nb; i++) {
      const m0 = v128.load(<usize>(x + i * rowIn + (j << 2)));
      d0 = f32x4.add(d0, f32x4.mul(v128.load32_splat(<usize>(g + i * rowOut)), m0));
      e0 = f32x4.add(e0, f32x4.mul(v128.load32_splat(<usize>(g + i * rowOut), 4), m0));
    }
    v128.store(<usize>(dwo + (j << 2)), d0);
    v128.store(<usize>(dw1 + (j << 2)), e0);
  }
  for (; j < nin; j++) {
    const q = dwo + (j << 2);
    let d: f32 = 0.0;
    let e: f32 = 0.0;
    for (let i = 0; i < nb; i++) {
      const xv = ldf32(x + i * rowIn + (j << 2));
      d += ldf32(g + i * rowOut) * xv;
      e += ldf32(g + i * rowOut + 4) * xv;
    }
    stf32(q, d);
    stf32(q + rowIn, e);
  }
}

/** Row o of dW (at dwo, dy[i][o] at g + i nout 4), four columns at a time. */
function weightGradsRow(x: i32, nb: i32, nin: i32, nout: i32, g: i32, dwo: i32): void {
  const rowIn = nin << 2;
  const rowOut = nout << 2;
  let j = 0;
  for (; j + 4 <= nin; j += 4) {
    const q = dwo + (j << 2);
    let d0: f32 = 0.0;
    let d1: f32 = 0.0;
    let d2: f32 = 0.0;
    let d3: f32 = 0.0;
    let xi = x + (j << 2);
    for (let i = 0; i < nb; i++) {
      const gv = ldf32(g + i * rowOut);
      d0 = fr(d0 + fr(gv * ldf32(xi)));
      d1 = fr(d1 + fr(gv * ldf32(xi + 4)));
      d2 = fr(d2 + fr(gv * ldf32(xi + 8)));
      d3 = fr(d3 + fr(gv * ldf32(xi + 12)));
      xi += rowIn;
    }
    stf32(q, d0);
    stf32(q + 4, d1);
    stf32(q + 8, d2);
    stf32(q + 12, d3);
  }
  for (; j < nin; j++) {
    const q = dwo + (j << 2);
    let d: f32 = 0.0;
    for (let i = 0; i < nb; i++) d = fr(d + fr(ldf32(g + i * rowOut) * ldf32(x + i * rowIn + (j << 2))));
    stf32(q, d);
  }
}

/** dx_i[j] = 0 + dy[i][0] W_0[j] + dy[i][1] W_1[j] + ..., o in order, for nb rows (each row on its own: dy and dx may start at any row). */
export function inputGrads(nb: i32, nin: i32, w: i32, nout: i32, dy: i32, dx: i32): void {
  const rowIn = nin << 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // two rows of dx, sixteen columns each, in registers over the o loop
    for (; i + 2 <= nb; i += 2) {
      const g0 = dy + ((i * nout) << 2);
      const g1 = g0 + (nout << 2);
      const dx0 = dx + ((i * nin) << 2);
      const dx1 = dx0 + rowIn;
      let j = 0;
      for (; j + 16 <= nin; j += 16) {
        let a0 = f32x4.splat(0.0);
        let a1 = f32x4.splat(0.0);
        let a2 = f32x4.splat(0.0);
        let a3 = f32x4.splat(0.0);
        let c0 = f32x4.splat(0.0);
        let c1 = f32x4.splat(0.0);
        let c2 = f32x4.splat(0.0);
        let c3 = f32x4.splat(0.0);
        let wo = w + (j << 2);
        for (let o = 0; o < nout; o++) {
          const v0 = v128.load32_splat(<usize>(g0 + (o << 2)));
          const v1 = v128.load32_splat(<usize>(g1 + (o << 2)));
          const m0 = v128.load(<usize>wo);
          const m1 = v128.load(<usize>wo, 16);
          const m2 = v128.load(<usize>wo, 32);
          const m3 = v128.load(<usize>wo, 48);
          a0 = f32x4.add(a0, f32x4.mul(v0, m0));
          a1 = f32x4.add(a1, f32x4.mul(v0, m1));
          a2 = f32x4.add(a2, f32x4.mul(v0, m2));
          a3 = f32x4.add(a3, f32x4.mul(v0, m3));
          c0 = f32x4.add(c0, f32x4.mul(v1, m0));
          c1 = f32x4.add(c1, f32x4.mul(v1, m1));
          c2 = f32x4.add(c2, f32x4.mul(v1, m2));
          c3 = f32x4.add(c3, f32x4.mul(v1, m3));
          wo += rowIn;
        }
        const q0 = <usize>(dx0 + (j << 2));
        const q1 = <usize>(dx1 + (j << 2));
        v128.store(q0, a0);
        v128.store(q0, a1, 16);
        v128.store(q0, a2, 32);
        v128.store(q0, a3, 48);
        v128.store(q1, c0);
        v128.store(q1, c1, 16);
        v128.store(q1, c2, 32);
        v128.store(q1, c3, 48);
      }
      for (; j + 4 <= nin; j += 4) {
        let a0 = f32x4.splat(0.0);
        let c0 = f32x4.splat(0.0);
        for (let o = 0; o < nout; o++) {
          const m0 = v128.load(<usize>(w + o * rowIn + (j << 2)));
          a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(<usize>(g0 + (o << 2))), m0));
          c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(<usize>(g1 + (o << 2))), m0));
        }
        v128.store(<usize>(dx0 + (j << 2)), a0);
        v128.store(<usize>(dx1 + (j << 2)), c0);
      }
      for (; j < nin; j++) {
        let s0: f32 = 0.0;
        let s1: f32 = 0.0;
        for (let o = 0; o < nout; o++) {
          const wv = ldf32(w + o * rowIn + (j << 2));
          s0 += ldf32(g0 + (o << 2)) * wv;
          s1 += ldf32(g1 + (o << 2)) * wv;
        }
        stf32(dx0 + (j << 2), s0);
        stf32(dx1 + (j << 2), s1);
      }
    }
  }
  for (; i < nb; i++) {
    const gi = dy + ((i * nout) << 2);
    const dxi = dx + ((i * nin) << 2);
    let j = 0;
    // four columns at a time: each dy[i][o] loaded once for them
    for (; j + 4 <= nin; j += 4) {
      let s0: f32 = 0.0;
      let s1: f32 = 0.0;
      let s2: f32 = 0.0;
      let s3: f32 = 0.0;
      let wo = w + (j << 2);
      for (let o = 0; o < nout; o++) {
        const gv = ldf32(gi + (o << 2));
        s0 = fr(s0 + fr(gv * ldf32(wo)));
        s1 = fr(s1 + fr(gv * ldf32(wo + 4)));
        s2 = fr(s2 + fr(gv * ldf32(wo + 8)));
        s3 = fr(s3 + fr(gv * ldf32(wo + 12)));
        wo += rowIn;
      }
      const q = dxi + (j << 2);
      stf32(q, s0);
      stf32(q + 4, s1);
      stf32(q + 8, s2);
      stf32(q + 12, s3);
    }
    for (; j < nin; j++) {
      let s: f32 = 0.0;
      for (let o = 0; o < nout; o++) s = fr(s + fr(ldf32(gi + (o << 2)) * ldf32(w + o * rowIn + (j << 2))));
      stf32(dxi + (j << 2), s);
    }
  }
}
