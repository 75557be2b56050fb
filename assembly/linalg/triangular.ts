// Solving with a Cholesky factor: L L^T w = r by forward then back
// substitution (Golub & Van Loan, Matrix Computations, 4th ed., sec. 4.2).
// L is row-major d x d lower-triangular, as choleskyPsd writes it. Only
// + - * /, so every backend gives the same bits.
import { ldf, stf } from "./../platform";

/**
 * Writes to `w` the solution of L L^T w = r (`w` may not alias `r`). A zero
 * pivot (a direction choleskyPsd found singular) gets the component 0 in
 * both sweeps instead of a division by zero: the result then solves the
 * system on the factor's range and is finite.
 */
export function choleskySolve(l: i32, d: i32, r: i32, w: i32): void {
  // forward: L z = r, z kept in w
  for (let a = 0; a < d; a++) {
    let s = ldf(r + (a << 3));
    for (let b = 0; b < a; b++) s -= ldf(l + ((a * d + b) << 3)) * ldf(w + (b << 3));
    const p = ldf(l + ((a * d + a) << 3));
    stf(w + (a << 3), p > 0.0 ? s / p : 0.0);
  }
  // back: L^T w = z, from the last component up
  for (let a = d - 1; a >= 0; a--) {
    let s = ldf(w + (a << 3));
    for (let b = a + 1; b < d; b++) s -= ldf(l + ((b * d + a) << 3)) * ldf(w + (b << 3));
    const p = ldf(l + ((a * d + a) << 3));
    stf(w + (a << 3), p > 0.0 ? s / p : 0.0);
  }
}
