// The linear-regression family (Gerstgrasser et al. 2024, "Is Model Collapse
// Inevitable?", arXiv 2404.01413; Dohmatob et al. 2024, arXiv 2402.07712): a fixed
// design X, labels y = X w + eps, refitted by ordinary least squares.
//
// Designs are column-major like every kernel's data: coordinate a of row i is
// the f64 at x + 8 * (a * ld + i), so each column is one contiguous run and
// the dot products go through crossDev (fixed order, SIMD twin). Matrices are
// d x d row-major. OLS solves the normal equations X^T X w = X^T y with the
// shared Cholesky factor: the Gaussian designs here are well conditioned
// (T >= d + 2 rows), the Gram matrix is d x d whatever T is, and a fixed
// design is factored once per replicate, so each later fit costs O(T d) for
// X^T y plus O(d^2) for the two triangular solves.
import { ldf, stf, ldi, sti } from "./../platform";
import { crossDev } from "./../reduce";
import { normal } from "./../distributions/ziggurat";
import { sampleIndices } from "./../distributions/subsample";
import { choleskyPsd } from "./../linalg/cholesky";
import { choleskySolve } from "./../linalg/triangular";

/**
 * Labels of `n` rows: y_i = x_i^T w + sigma z_i with fresh N(0, 1) draws z_i,
 * drawn in row order after the products. Each y_i sums its d products in
 * coordinate order, then adds the noise.
 */
export function regressionLabels(rng: i32, x: i32, ld: i32, n: i32, d: i32, w: i32, sigma: f64, y: i32): void {
  for (let i = 0; i < n; i++) stf(y + (i << 3), 0.0);
  for (let a = 0; a < d; a++) {
    const wa = ldf(w + (a << 3));
    const col = x + ((a * ld) << 3);
    for (let i = 0; i < n; i++) {
      const q = y + (i << 3);
      stf(q, ldf(q) + ldf(col + (i << 3)) * wa);
    }
  }
  for (let i = 0; i < n; i++) {
    const q = y + (i << 3);
    stf(q, ldf(q) + sigma * normal(rng));
  }
}

/**
 * Labels of the `mix` policy: k of the n rows, drawn without replacement
 * (partial Fisher-Yates over row indices, Knuth TAOCP vol. 2, Algorithm P),
 * carry their real labels realY; every other row gets x_i^T w + sigma z_i.
 * The index draws come first, then the noise of every row (the real rows'
 * draws are discarded), so the stream order does not depend on which rows are
 * real. `idx` is scratch for n i32.
 */
export function regressionMixLabels(rng: i32, x: i32, ld: i32, n: i32, d: i32, w: i32, sigma: f64, realY: i32, k: i32, idx: i32, y: i32): void {
  regressionMixRows(rng, n, k, idx);
  regressionLabels(rng, x, ld, n, d, w, sigma, y);
  regressionKeepReal(realY, k, idx, y);
}

/**
 * regressionMixLabels in three calls, so that the host can draw the labels
 * between them in slices of rows (regressionLabels is row after row: the
 * same bits): first the k rows keeping their real labels, into idx[0..k)...
 */
export function regressionMixRows(rng: i32, n: i32, k: i32, idx: i32): void {
  sampleIndices(rng, idx, n, k);
}

/** ...then, after every row's label, the real labels put back on those rows. */
export function regressionKeepReal(realY: i32, k: i32, idx: i32, y: i32): void {
  for (let t = 0; t < k; t++) {
    const i = ldi(idx + (t << 2));
    stf(y + (i << 3), ldf(realY + (i << 3)));
  }
}

/**
 * Copies design rows into a training set: row t of `xs` (leading dimension
 * xsLd) is row rows[t] of `x`; `rows` holds n row numbers as doubles (the
 * second column of the accumulate-subsample pool, drawn by `subsample`).
 */
export function regressionGatherRows(x: i32, ld: i32, d: i32, rows: i32, n: i32, xs: i32, xsLd: i32): void {
  for (let t = 0; t < n; t++) {
    const i = i32(ldf(rows + (t << 3)));
    for (let a = 0; a < d; a++) stf(xs + ((a * xsLd + t) << 3), ldf(x + ((a * ld + i) << 3)));
  }
}

/**
 * Gram matrix G = X^T X of n rows (d x d, row-major) and its Cholesky factor
 * `l`. Returns the number of zero pivots (0 = X has full column rank).
 */
export function olsGram(x: i32, ld: i32, n: i32, d: i32, gram: i32, l: i32): i32 {
  olsGramEntries(x, ld, n, d, gram, 0, (d * (d + 1)) >> 1);
  return choleskyPsd(gram, d, l);
}

/**
 * Entries e0..e1-1 of the Gram matrix's lower triangle, numbered row by row
 * ((a, b) with b <= a is entry a (a + 1) / 2 + b), each one whole dot product
 * of two columns (and its mirror above the diagonal): the host may compute a
 * large Gram matrix a range of entries per call, with the bits of olsGram,
 * then factor it (choleskyPsd).
 */
export function olsGramEntries(x: i32, ld: i32, n: i32, d: i32, gram: i32, e0: i32, e1: i32): void {
  let a = 0;
  while ((((a + 1) * (a + 2)) >> 1) <= e0) a++;
  let b = e0 - ((a * (a + 1)) >> 1);
  for (let e = e0; e < e1; e++) {
    const g = crossDev(x + ((a * ld) << 3), x + ((b * ld) << 3), n, 0.0, 0.0);
    stf(gram + ((a * d + b) << 3), g);
    stf(gram + ((b * d + a) << 3), g);
    if (b == a) {
      a++;
      b = 0;
    } else {
      b++;
    }
  }
}

/** rhs = X^T y (d doubles). */
function crossProducts(x: i32, ld: i32, n: i32, d: i32, y: i32, rhs: i32): void {
  olsCrossRows(x, ld, n, y, rhs, 0, d);
}

/** Entries a0..a1-1 of rhs = X^T y, each one whole dot product: crossProducts a range of entries per call (the same bits). */
export function olsCrossRows(x: i32, ld: i32, n: i32, y: i32, rhs: i32, a0: i32, a1: i32): void {
  for (let a = a0; a < a1; a++) stf(rhs + (a << 3), crossDev(x + ((a * ld) << 3), y, n, 0.0, 0.0));
}

/** The solve of olsSolve once rhs = X^T y is in place (olsCrossRows): L L^T w = rhs. */
export function olsSolveFactored(l: i32, d: i32, rhs: i32, w: i32): void {
  choleskySolve(l, d, rhs, w);
}

/**
 * One OLS fit on a design whose Gram factor `l` is known (olsGram):
 * rhs = X^T y, then L L^T w = rhs.
 */
export function olsSolve(x: i32, ld: i32, n: i32, d: i32, y: i32, l: i32, rhs: i32, w: i32): void {
  crossProducts(x, ld, n, d, y, rhs);
  choleskySolve(l, d, rhs, w);
}

/** A whole OLS fit: Gram matrix, factor, X^T y, solve. Returns the zero pivots. */
export function olsFit(x: i32, ld: i32, n: i32, d: i32, y: i32, gram: i32, l: i32, rhs: i32, w: i32): i32 {
  const zeros = olsGram(x, ld, n, d, gram, l);
  olsSolve(x, ld, n, d, y, l, rhs, w);
  return zeros;
}

/**
 * The `accumulate` fit: OLS on the stacked design [X; X; ...; X] (`count`
 * copies) with every label vector so far. Its normal equations are
 * count X^T X w = sum_i X^T y_i, i.e. OLS on the mean label vector, so the
 * d numbers rhsSum = sum_i X^T y_i are a sufficient statistic: this call adds
 * X^T y for the newest labels y, then solves (X^T X) w = rhsSum / count with
 * the factor `l` of X^T X (olsGram, once per replicate).
 */
export function olsAccumulate(x: i32, ld: i32, n: i32, d: i32, y: i32, l: i32, rhsSum: i32, count: f64, rhs: i32, w: i32): void {
  crossProducts(x, ld, n, d, y, rhs);
  olsAccumulateSolve(d, l, rhsSum, count, rhs, w);
}

/** The rest of olsAccumulate once rhs = X^T y of the newest labels is in place (olsCrossRows). */
export function olsAccumulateSolve(d: i32, l: i32, rhsSum: i32, count: f64, rhs: i32, w: i32): void {
  for (let a = 0; a < d; a++) {
    const s = ldf(rhsSum + (a << 3)) + ldf(rhs + (a << 3));
    stf(rhsSum + (a << 3), s);
    stf(rhs + (a << 3), s / count);
  }
  choleskySolve(l, d, rhs, w);
}

/**
 * Metrics of the fitted weights w against the truth wStar, written to `out`:
 *   out[0] ||w - w*||^2
 *   out[1] test error: the mean over the nt noise-free test points x_j (rows
 *          of xt, leading dimension ldt) of (x_j^T w - x_j^T w*)^2 = (x_j^T (w - w*))^2
 *   out[2] ||w - wPrev||^2, the change since the previous model
 * `work` is scratch for d + nt doubles.
 */
export function regressionMetrics(w: i32, wStar: i32, wPrev: i32, d: i32, xt: i32, ldt: i32, nt: i32, work: i32, out: i32): void {
  regressionTestRows(w, wStar, d, xt, ldt, 0, nt, work);
  regressionMetricsFinish(w, wStar, wPrev, d, nt, work, out);
}

/**
 * The residuals x_j^T (w - w*) of test points j0..j1-1 into work + 8 (d + j),
 * each summed over the coordinates in order (w - w* first into work[0..d)):
 * regressionMetrics's loop a range of test points per call (the same bits).
 */
export function regressionTestRows(w: i32, wStar: i32, d: i32, xt: i32, ldt: i32, j0: i32, j1: i32, work: i32): void {
  const e = work;
  const r = work + (d << 3);
  for (let a = 0; a < d; a++) stf(e + (a << 3), ldf(w + (a << 3)) - ldf(wStar + (a << 3)));
  for (let j = j0; j < j1; j++) stf(r + (j << 3), 0.0);
  for (let a = 0; a < d; a++) {
    const ea = ldf(e + (a << 3));
    const col = xt + ((a * ldt) << 3);
    for (let j = j0; j < j1; j++) {
      const q = r + (j << 3);
      stf(q, ldf(q) + ldf(col + (j << 3)) * ea);
    }
  }
}

/** The rest of regressionMetrics once every test point's residual is in place (regressionTestRows). */
export function regressionMetricsFinish(w: i32, wStar: i32, wPrev: i32, d: i32, nt: i32, work: i32, out: i32): void {
  const r = work + (d << 3);
  let err: f64 = 0.0;
  let step: f64 = 0.0;
  for (let a = 0; a < d; a++) {
    const wa = ldf(w + (a << 3));
    const ea = wa - ldf(wStar + (a << 3));
    const sa = wa - ldf(wPrev + (a << 3));
    err += ea * ea;
    step += sa * sa;
  }
  stf(out, err);
  stf(out + 8, crossDev(r, r, nt, 0.0, 0.0) / f64(nt));
  stf(out + 16, step);
}

