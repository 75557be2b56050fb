// The Fréchet distance between two sets of feature vectors (Heusel et al.
// 2017, "GANs trained by a two time-scale update rule...", the FID): the
// squared 2-Wasserstein distance between the Gaussians with their means and
// covariances,
//   ||mu1 - mu2||^2 + tr S1 + tr S2 - 2 tr (S1 S2)^{1/2},
// with tr (S1 S2)^{1/2} = tr (S1^{1/2} S2 S1^{1/2})^{1/2} (the two matrices
// are similar, and the second is symmetric PSD): the sum of the square roots
// of its eigenvalues. Every matrix square root and eigenvalue comes from the
// cyclic Jacobi method (linalg/jacobi.ts), whose + - * / sqrt give the same
// bits on every backend; products loop in one fixed order.
import { ldf, stf } from "./../platform";
import { sum, crossDev } from "./../reduce";
import { jacobiEigenvalues, jacobiRotatingRows } from "./../linalg/jacobi";

/**
 * Mean (d doubles) and unbiased covariance (d x d row-major) of n >= 2
 * points in R^d stored column-major at f (coordinate a of point i at f + 8 (a ld + i)).
 */
export function featureMoments(f: i32, ld: i32, n: i32, d: i32, mean: i32, cov: i32): void {
  for (let a = 0; a < d; a++) stf(mean + (a << 3), sum(f + ((a * ld) << 3), n) / f64(n));
  for (let a = 0; a < d; a++) {
    const ca = f + ((a * ld) << 3);
    const ma = ldf(mean + (a << 3));
    for (let b = a; b < d; b++) {
      const s = crossDev(ca, f + ((b * ld) << 3), n, ma, ldf(mean + (b << 3))) / f64(n - 1);
      stf(cov + ((a * d + b) << 3), s);
      stf(cov + ((b * d + a) << 3), s);
    }
  }
}

/**
 * The symmetric square root of the d x d symmetric PSD matrix s into out:
 * V diag(sqrt(max(lambda, 0))) V^T from the Jacobi decomposition (negative
 * eigenvalues are round-off of a singular matrix). work: 2 d^2 doubles.
 */
export function symmetricSqrt(s: i32, d: i32, out: i32, work: i32): void {
  const a = work;
  const vt = work + ((d * d) << 3);
  for (let k = 0; k < d * d; k++) {
    stf(a + (k << 3), ldf(s + (k << 3)));
    stf(vt + (k << 3), 0.0);
  }
  for (let i = 0; i < d; i++) stf(vt + ((i * d + i) << 3), 1.0);
  jacobiRotatingRows(a, d, vt, d);
  for (let i = 0; i < d; i++) {
    const e = ldf(a + ((i * d + i) << 3));
    stf(a + (i << 3), e > 0.0 ? Math.sqrt(e) : 0.0); // the roots, into row 0 (its diagonal entry read first)
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      let acc: f64 = 0.0;
      for (let i = 0; i < d; i++) acc += ldf(vt + ((i * d + j) << 3)) * ldf(a + (i << 3)) * ldf(vt + ((i * d + k) << 3));
      stf(out + ((j * d + k) << 3), acc);
      stf(out + ((k * d + j) << 3), acc);
    }
  }
}

/**
 * The Fréchet distance between N(mu1, S1) and N(mu2, S2) in R^d, given S1's
 * symmetric square root root1 (symmetricSqrt) and its trace tr1. work: 2 d^2
 * doubles. Round-off below 0 (two equal sets) gives 0.
 */
export function frechetDistance(mu1: i32, root1: i32, tr1: f64, mu2: i32, cov2: i32, d: i32, work: i32): f64 {
  const t = work;
  const m = work + ((d * d) << 3);
  let msq: f64 = 0.0;
  let tr2: f64 = 0.0;
  for (let i = 0; i < d; i++) {
    const u = ldf(mu1 + (i << 3)) - ldf(mu2 + (i << 3));
    msq += u * u;
    tr2 += ldf(cov2 + ((i * d + i) << 3));
  }
  // T = S2 R1, then M = R1 T (R1 = root1), made exactly symmetric from its upper triangle
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let acc: f64 = 0.0;
      for (let k = 0; k < d; k++) acc += ldf(cov2 + ((i * d + k) << 3)) * ldf(root1 + ((k * d + j) << 3));
      stf(t + ((i * d + j) << 3), acc);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let acc: f64 = 0.0;
      for (let k = 0; k < d; k++) acc += ldf(root1 + ((i * d + k) << 3)) * ldf(t + ((k * d + j) << 3));
      stf(m + ((i * d + j) << 3), acc);
      stf(m + ((j * d + i) << 3), acc);
    }
  }
  jacobiEigenvalues(m, d);
  let cross: f64 = 0.0;
  for (let i = 0; i < d; i++) {
    const e = ldf(m + ((i * d + i) << 3));
    if (e > 0.0) cross += Math.sqrt(e);
  }
  const fd = msq + tr1 + tr2 - 2.0 * cross;
  return fd > 0.0 ? fd : 0.0;
}
