// The Gaussian family: fit mean and covariance, sample through a Cholesky
// factor, and the metrics against the original N(mu_0, Sigma_0).
//
// Data are column-major: coordinate a of point i is the f64 at
// x + 8 * (a * ld + i), so every coordinate is one contiguous run that the
// reductions (and their SIMD twins) sweep in one pass. Matrices are d x d
// row-major.
import { ldf, stf } from "./../platform";
import { sum, crossDev } from "./../reduce";
import { fillNormal, fillNormalGrid } from "./../distributions/ziggurat";
import { log } from "./../detmath";
import { choleskyPsd } from "./../linalg/cholesky";
import { jacobiEigenvalues } from "./../linalg/jacobi";

/**
 * Mean and scatter matrix S = sum_i (x_i - m)(x_i - m)^T of `n` points (two
 * passes: the mean first, then centred products, for accuracy).
 */
export function gaussianScatter(x: i32, ld: i32, n: i32, d: i32, mean: i32, scatter: i32): void {
  gaussianMean(x, ld, n, d, mean);
  gaussianScatterRows(x, ld, n, d, mean, scatter, 0, d);
}

/** The mean of `n` points: the first pass of gaussianScatter. */
export function gaussianMean(x: i32, ld: i32, n: i32, d: i32, mean: i32): void {
  const inv = 1.0 / f64(n);
  for (let a = 0; a < d; a++) stf(mean + (a << 3), sum(x + ((a * ld) << 3), n) * inv);
}

/**
 * Rows a0 <= a < a1 of the scatter matrix (and their mirror entries) about
 * `mean`: the second pass of gaussianScatter. Each entry is one centred dot
 * product, so computing the rows in several calls gives the same bits.
 */
export function gaussianScatterRows(x: i32, ld: i32, n: i32, d: i32, mean: i32, scatter: i32, a0: i32, a1: i32): void {
  for (let a = a0; a < a1; a++) {
    const ma = ldf(mean + (a << 3));
    for (let b = 0; b <= a; b++) {
      const c = crossDev(x + ((a * ld) << 3), x + ((b * ld) << 3), n, ma, ldf(mean + (b << 3)));
      stf(scatter + ((a * d + b) << 3), c);
      stf(scatter + ((b * d + a) << 3), c);
    }
  }
}

/**
 * Pools statistics (nA, meanA, scatterA) and (nB, meanB, scatterB) into A, the
 * pairwise update of Chan, Golub & LeVeque (1979): with delta = mB - mA,
 * m = mA + delta nB/n and S = SA + SB + delta delta^T nA nB / n.
 * It lets `accumulate` fit on all data so far in O(M d^2) per generation.
 */
export function gaussianMerge(nA: f64, meanA: i32, scatterA: i32, nB: f64, meanB: i32, scatterB: i32, d: i32, delta: i32): void {
  const n = nA + nB;
  const wB = nB / n;
  const wAB = nA * nB / n;
  for (let a = 0; a < d; a++) {
    const ma = ldf(meanA + (a << 3));
    const dl = ldf(meanB + (a << 3)) - ma;
    stf(delta + (a << 3), dl);
    stf(meanA + (a << 3), ma + dl * wB);
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      const q = (a * d + b) << 3;
      const extra = ldf(delta + (a << 3)) * ldf(delta + (b << 3)) * wAB;
      stf(scatterA + q, ldf(scatterA + q) + ldf(scatterB + q) + extra);
    }
  }
}

/** cov = scatter / denom (denom = n - ddof). */
export function covarianceFromScatter(scatter: i32, d: i32, denom: f64, cov: i32): void {
  const inv = 1.0 / denom;
  for (let q = 0; q < d * d; q++) stf(cov + (q << 3), ldf(scatter + (q << 3)) * inv);
}

/**
 * mean = w meanA + (1 - w) meanB and cov = w covA + (1 - w) covB: the weighted
 * estimate of He, Xu & Cheng (arXiv 2502.18049) for the fresh-data loop.
 */
export function gaussianBlend(w: f64, meanA: i32, covA: i32, meanB: i32, covB: i32, d: i32, mean: i32, cov: i32): void {
  const v = 1.0 - w;
  for (let a = 0; a < d; a++) stf(mean + (a << 3), w * ldf(meanA + (a << 3)) + v * ldf(meanB + (a << 3)));
  for (let q = 0; q < d * d; q++) stf(cov + (q << 3), w * ldf(covA + (q << 3)) + v * ldf(covB + (q << 3)));
}

/**
 * Draws `n` points of N(mean, scale^2 L L^T) into column-major `x` (leading
 * dimension `ld`). Normals are drawn point by point, coordinate by coordinate
 * (so the stream order does not depend on ld), straight into x; then each
 * column a, from the last down, becomes mean_a + scale (L z)_a in place: it
 * reads only the columns b <= a, which still hold z. `z` is unused (kept for
 * the ABI).
 */
export function gaussianSample(rng: i32, mean: i32, l: i32, d: i32, scale: f64, z: i32, x: i32, ld: i32, n: i32): void {
  if (d == 1) {
    fillNormal(rng, x, n, ldf(mean), scale * ldf(l));
    return;
  }
  fillNormalGrid(rng, x, n, d, ld, 0.0, 1.0);
  for (let a = d - 1; a >= 0; a--) transformColumn(l, d, a, ldf(mean + (a << 3)), scale, x, ld, n);
}

/**
 * Column a of the points: x_a[i] = m + scale (L_a0 z_0[i] + ... + L_aa z_a[i]),
 * summed left to right. The SIMD build does two points per f64x2 with the
 * same operations per lane, so the same bits.
 */
function transformColumn(l: i32, d: i32, a: i32, m: f64, scale: f64, x: i32, ld: i32, n: i32): void {
  const row = l + ((a * d) << 3);
  const col = x + ((a * ld) << 3);
  const stride = ld << 3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f64x2.splat(m);
    const vs = f64x2.splat(scale);
    const l0 = f64x2.splat(ldf(row));
    for (; i + 2 <= n; i += 2) {
      let q = <usize>(x + (i << 3));
      let acc = f64x2.mul(l0, v128.load(q));
      for (let b = 1; b <= a; b++) {
        q += <usize>stride;
        acc = f64x2.add(acc, f64x2.mul(f64x2.splat(ldf(row + (b << 3))), v128.load(q)));
      }
      v128.store(<usize>(col + (i << 3)), f64x2.add(vm, f64x2.mul(vs, acc)));
    }
  }
  for (; i < n; i++) {
    let q = x + (i << 3);
    let acc = ldf(row) * ldf(q);
    for (let b = 1; b <= a; b++) {
      q += stride;
      acc += ldf(row + (b << 3)) * ldf(q);
    }
    stf(col + (i << 3), m + scale * acc);
  }
}

/**
 * One whole generation of the `replace` recursion: draw `n` points from
 * N(mean, scale^2 L L^T), refit mean and covariance (denominator n - ddof) in
 * place, and refactor L. Returns the number of zero pivots of the new L.
 */
export function gaussianStep(rng: i32, mean: i32, cov: i32, l: i32, d: i32, scale: f64, ddof: f64, z: i32, x: i32, ld: i32, n: i32, scatter: i32): i32 {
  gaussianSample(rng, mean, l, d, scale, z, x, ld, n);
  gaussianScatter(x, ld, n, d, mean, scatter);
  covarianceFromScatter(scatter, d, f64(n) - ddof, cov);
  return choleskyPsd(cov, d, l);
}

/**
 * Metrics of N(mean, cov) (Cholesky factor l) against the original
 * N(mean0, cov0) (factor l0), written to `out`:
 *   out[0] ||mean - mean0||^2      out[1] tr cov
 *   out[2] log det cov (-Infinity if singular)
 *   out[3] W2^2 between the two Gaussians
 * `work` is scratch for 2 d^2 doubles.
 */
export function gaussianMetrics(mean: i32, cov: i32, l: i32, mean0: i32, cov0: i32, l0: i32, d: i32, work: i32, out: i32): void {
  let msq: f64 = 0.0;
  let tr: f64 = 0.0;
  let tr0: f64 = 0.0;
  let logDet: f64 = 0.0;
  for (let a = 0; a < d; a++) {
    const dm = ldf(mean + (a << 3)) - ldf(mean0 + (a << 3));
    msq += dm * dm;
    tr += ldf(cov + ((a * d + a) << 3));
    tr0 += ldf(cov0 + ((a * d + a) << 3));
    logDet += 2.0 * log(ldf(l + ((a * d + a) << 3)));
  }
  let cross: f64 = 0.0;
  if (d == 1) {
    // W2^2 = (mu - mu0)^2 + (sigma - sigma0)^2 in one dimension
    const ds = Math.sqrt(tr) - Math.sqrt(tr0);
    stf(out, msq);
    stf(out + 8, tr);
    stf(out + 16, logDet);
    stf(out + 24, msq + ds * ds);
    return;
  }
  // tr (Sigma0^1/2 Sigma Sigma0^1/2)^1/2 = sum sqrt(eig(L0^T Sigma L0)): the two
  // matrices are similar, and L0^T Sigma L0 is symmetric PSD.
  const t = work;
  const b = work + ((d * d) << 3);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let acc: f64 = 0.0;
      for (let k = 0; k < d; k++) acc += ldf(cov + ((i * d + k) << 3)) * ldf(l0 + ((k * d + j) << 3));
      stf(t + ((i * d + j) << 3), acc); // T = Sigma L0
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let acc: f64 = 0.0;
      for (let k = 0; k < d; k++) acc += ldf(l0 + ((k * d + i) << 3)) * ldf(t + ((k * d + j) << 3));
      stf(b + ((i * d + j) << 3), acc); // B = L0^T T
      stf(b + ((j * d + i) << 3), acc);
    }
  }
  jacobiEigenvalues(b, d);
  for (let i = 0; i < d; i++) {
    const e = ldf(b + ((i * d + i) << 3));
    if (e > 0.0) cross += Math.sqrt(e);
  }
  let w2 = msq + tr + tr0 - 2.0 * cross;
  if (w2 < 0.0) w2 = 0.0; // round-off when the two are equal
  stf(out, msq);
  stf(out + 8, tr);
  stf(out + 16, logDet);
  stf(out + 24, w2);
}
