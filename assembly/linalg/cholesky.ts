// Cholesky factor of a symmetric positive semi-definite matrix, tolerant of
// singular input: a pivot that is not clearly positive (relative to the
// largest diagonal entry) marks a direction of zero variance and its column is
// set to zero, so L L^T still reproduces the matrix on its range. Row-major
// d x d matrices; only + - * / sqrt, so every backend gives the same bits.
import { ldf, stf } from "./../platform";

/**
 * Writes the lower-triangular factor of `a` to `l` and returns how many
 * pivots were treated as zero (0 = positive definite, d = the zero matrix).
 */
export function choleskyPsd(a: i32, d: i32, l: i32): i32 {
  let maxDiag: f64 = 0.0;
  for (let i = 0; i < d; i++) {
    const v = ldf(a + ((i * d + i) << 3));
    if (v > maxDiag) maxDiag = v;
  }
  // Round-off in a d x d product is of order d * eps * max|a_ii|.
  const tol = maxDiag * f64(d) * 4.440892098500626e-16;
  let zeros = 0;
  for (let j = 0; j < d; j++) {
    let s = ldf(a + ((j * d + j) << 3));
    for (let k = 0; k < j; k++) {
      const v = ldf(l + ((j * d + k) << 3));
      s -= v * v;
    }
    const pivotOk = s > tol && s > 0.0;
    const ljj = pivotOk ? Math.sqrt(s) : 0.0;
    if (!pivotOk) zeros++;
    stf(l + ((j * d + j) << 3), ljj);
    for (let i = j + 1; i < d; i++) {
      let t = ldf(a + ((i * d + j) << 3));
      for (let k = 0; k < j; k++) t -= ldf(l + ((i * d + k) << 3)) * ldf(l + ((j * d + k) << 3));
      stf(l + ((i * d + j) << 3), pivotOk ? t / ljj : 0.0);
    }
    for (let i = 0; i < j; i++) stf(l + ((i * d + j) << 3), 0.0);
  }
  return zeros;
}
