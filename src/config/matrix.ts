// Checks of user-given matrices, on the host (validation only: the kernels
// factor matrices themselves).

/**
 * The first entry (i, j), 1-based, where the row-major d x d matrix `a` is not
 * symmetric to 1e-12 relative, or null when it is.
 */
export function asymmetricEntry(a: ArrayLike<number>, d: number): { i: number; j: number; x: number; y: number } | null {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * d + j];
      const y = a[j * d + i];
      if (Math.abs(x - y) > 1e-12 * Math.max(1, Math.abs(x), Math.abs(y))) return { i: i + 1, j: j + 1, x, y };
    }
  }
  return null;
}

/**
 * The pivots of the Cholesky factorisation of the symmetric matrix `a`
 * (row-major d x d): pivot j is l_jj^2. The factorisation stops at the first
 * pivot that is not positive; the later pivots are NaN.
 */
export function choleskyPivots(a: ArrayLike<number>, d: number): Float64Array {
  const l = new Float64Array(d * d);
  const pivots = new Float64Array(d).fill(NaN);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= l[j * d + k] ** 2;
    pivots[j] = s;
    if (!(s > 0)) break;
    l[j * d + j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = t / l[j * d + j];
    }
  }
  return pivots;
}

/** Whether the symmetric matrix `a` is positive definite: every Cholesky pivot above relTol times its diagonal entry. */
export function isPositiveDefinite(a: ArrayLike<number>, d: number, relTol = 0): boolean {
  const p = choleskyPivots(a, d);
  for (let j = 0; j < d; j++) if (!(p[j] > relTol * Math.abs(a[j * d + j]))) return false;
  return true;
}
