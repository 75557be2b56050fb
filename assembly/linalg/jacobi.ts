// Eigenvalues of a symmetric matrix by the cyclic Jacobi method (Jacobi 1846;
// the rotation formulas as in Golub & Van Loan, Matrix Computations, 4th ed.,
// section 8.5). It uses only + - * / sqrt, so the result is the same bits on
// every backend, and it is accurate for the small d of the Gaussian family.
import { ldf, stf } from "./../platform";

const MAX_SWEEPS: i32 = 60;

/**
 * Overwrites the d x d row-major symmetric matrix at `a` with a matrix whose
 * diagonal holds its eigenvalues (the off-diagonal part is driven to zero).
 * Returns the number of sweeps used.
 */
export function jacobiEigenvalues(a: i32, d: i32): i32 {
  return jacobiRotating(a, d, -1);
}

/**
 * jacobiEigenvalues that also applies every rotation to the vector at `v`
 * (d doubles; none when v < 0): with A = V diag V^T at the end, v becomes
 * V^T v, the vector's coordinates in the eigenvector basis (component i
 * along the eigenvector of the eigenvalue at diagonal entry i).
 */
export function jacobiRotating(a: i32, d: i32, v: i32): i32 {
  return jacobiRotatingRows(a, d, v, v < 0 ? 0 : 1);
}

/**
 * jacobiEigenvalues that also applies every rotation to the rows of the
 * d x m row-major matrix at v (m = 1: jacobiRotating's vector). Started from
 * the identity (m = d), v ends as V^T: row i is the unit eigenvector of the
 * eigenvalue at diagonal entry i.
 */
export function jacobiRotatingRows(a: i32, d: i32, v: i32, m: i32): i32 {
  let sweep = 0;
  for (; sweep < MAX_SWEEPS; sweep++) {
    let off: f64 = 0.0;
    let diag: f64 = 0.0;
    for (let p = 0; p < d; p++) {
      const v = ldf(a + ((p * d + p) << 3));
      diag += v * v;
      for (let q = p + 1; q < d; q++) {
        const w = ldf(a + ((p * d + q) << 3));
        off += w * w;
      }
    }
    if (off == 0.0 || off <= diag * 1e-32) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = ldf(a + ((p * d + q) << 3));
        if (apq == 0.0) continue;
        const app = ldf(a + ((p * d + p) << 3));
        const aqq = ldf(a + ((q * d + q) << 3));
        // t = tan of the rotation angle, the smaller root of t^2 + 2 theta t - 1 = 0
        const theta = (aqq - app) / (2.0 * apq);
        let t = 1.0 / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        if (theta < 0.0) t = -t;
        const c = 1.0 / Math.sqrt(t * t + 1.0);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // rotate columns p and q
          const akp = ldf(a + ((k * d + p) << 3));
          const akq = ldf(a + ((k * d + q) << 3));
          stf(a + ((k * d + p) << 3), c * akp - s * akq);
          stf(a + ((k * d + q) << 3), s * akp + c * akq);
        }
        for (let k = 0; k < d; k++) {
          // rotate rows p and q
          const apk = ldf(a + ((p * d + k) << 3));
          const aqk = ldf(a + ((q * d + k) << 3));
          stf(a + ((p * d + k) << 3), c * apk - s * aqk);
          stf(a + ((q * d + k) << 3), s * apk + c * aqk);
        }
        for (let k = 0; k < m; k++) {
          const vp = ldf(v + ((p * m + k) << 3));
          const vq = ldf(v + ((q * m + k) << 3));
          stf(v + ((p * m + k) << 3), c * vp - s * vq);
          stf(v + ((q * m + k) << 3), s * vp + c * vq);
        }
      }
    }
  }
  return sweep;
}
