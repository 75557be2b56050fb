// The GMM family: Gaussian mixtures fitted by EM (Dempster, Laird & Rubin
// 1977), seeded by k-means++ (Arthur & Vassilvitskii 2007) and Lloyd's
// iterations, sampled, and compared with the true mixture by the closed-form
// squared L2 distance (Shumailov et al. 2024, the GMM notebook).
//
// Behaviour follows scikit-learn's GaussianMixture (sklearn/mixture/_base.py,
// _gaussian_mixture.py): n_k = sum of responsibilities + 10 eps, weights
// n_k / sum n_k, covariances divided by n_k with reg_covar added to the
// diagonal, log densities through the inverse Cholesky factor, E-step in log
// space with log-sum-exp. Written from those formulas, not from its code.
//
// Data are column-major (coordinate a of point i at x + 8 (a ld + i)), as in
// the Gaussian family. Responsibilities are K rows of n doubles (row k,
// point i at resp + 8 (k n + i)), so every sum over points is contiguous and
// goes through `sum` / `crossDev` (fixed order, SIMD twin).
//
// A mixture is one block of K (2 + d + 3 d^2) doubles:
//   w[K] | means[K][d] | cov[K][d][d] | chol[K][d][d] | prec[K][d][d] | logc[K]
// cov = chol chol^T (lower chol), prec = chol^-1 (lower), and
// logc_k = log w_k - sum_a log chol_aa - (d / 2) log 2 pi, so that
// log(w_k N(x; m_k, C_k)) = logc_k - |prec_k (x - m_k)|^2 / 2.
// The first K (1 + d + d^2) doubles (weights, means, covariances) are the
// fitted parameters; the rest is derived by gmmPrepare.
import { ldf, stf, ldi, sti } from "./../platform";
import { sum } from "./../reduce";
import { fillNormalGrid, fillUniformNormalGrid } from "./../distributions/ziggurat";
import { exp, log } from "./../detmath";
import { choleskyPsd } from "./../linalg/cholesky";
import { rngBelow, rngDouble } from "./../rng/xor4096";
import { LOG_2PI, LOG_FLOOR, meansAt, covAt, cholAt } from "./gmm/block";

// EM (E-step, M-step, the whole loop) and gmmPrepare: gmm/em.ts.
export * from "./gmm/em";
export { gmmMixtureDoubles } from "./gmm/block";


/** Squared distance between point i of x and the centre at c (d doubles). */
function sqDist(x: i32, ld: i32, i: i32, d: i32, c: i32): f64 {
  let s: f64 = 0.0;
  for (let a = 0; a < d; a++) {
    const t = ldf(x + ((a * ld + i) << 3)) - ldf(c + (a << 3));
    s += t * t;
  }
  return s;
}

/** sqDist of points i and i + 1, one per lane (SIMD build only). */
function sqDistLanes(x: i32, ld: i32, i: i32, d: i32, c: i32): v128 {
  let s = f64x2.splat(0.0);
  for (let a = 0; a < d; a++) {
    const t = f64x2.sub(v128.load(<usize>(x + ((a * ld + i) << 3))), f64x2.splat(ldf(c + (a << 3))));
    s = f64x2.add(s, f64x2.mul(t, t));
  }
  return s;
}

function copyPoint(x: i32, ld: i32, i: i32, d: i32, c: i32): void {
  for (let a = 0; a < d; a++) stf(c + (a << 3), ldf(x + ((a * ld + i) << 3)));
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007, the plain algorithm: one
 * candidate per centre): the first centre is a uniform point, each next one a
 * point drawn with probability proportional to its squared distance to the
 * nearest centre so far (D^2 sampling, by one uniform and a scan of the
 * cumulative sum in point order). Centres (K x d, row-major) and their point
 * indices (`chosen`, K i32) are written; `dist` is scratch for n doubles.
 * Centres are distinct points: a point already chosen has D^2 = 0 and cannot
 * be drawn; if every D^2 is 0 (all points on the centres), a uniform index not
 * yet chosen is taken.
 */
export function gmmKmeansPlusPlus(rng: i32, x: i32, ld: i32, n: i32, d: i32, K: i32, centres: i32, chosen: i32, dist: i32): void {
  const first = rngBelow(rng, n);
  sti(chosen, first);
  copyPoint(x, ld, first, d, centres);
  nearerDist(x, ld, n, d, centres, dist, true);
  for (let c = 1; c < K; c++) {
    const total = sum(dist, n);
    let pick = -1;
    if (total > 0.0) {
      const u = rngDouble(rng) * total;
      let cum: f64 = 0.0;
      let lastPositive = -1;
      for (let i = 0; i < n; i++) {
        const di = ldf(dist + (i << 3));
        if (di > 0.0) {
          lastPositive = i;
          cum += di;
          if (cum > u) {
            pick = i;
            break;
          }
        }
      }
      // the scan's rounding differs from `sum`'s: u may end up just above it
      if (pick < 0) pick = lastPositive;
    } else {
      let j = rngBelow(rng, n - c);
      for (let i = 0; i < n && pick < 0; i++) {
        let taken = false;
        for (let t = 0; t < c; t++) if (ldi(chosen + (t << 2)) == i) taken = true;
        if (!taken) {
          if (j == 0) pick = i;
          j--;
        }
      }
    }
    sti(chosen + (c << 2), pick);
    const cc = centres + ((c * d) << 3);
    copyPoint(x, ld, pick, d, cc);
    nearerDist(x, ld, n, d, cc, dist, false);
  }
}

/**
 * dist_i = the squared distance of point i to the centre at c (`first`), else
 * that distance where it is smaller than dist_i. The SIMD build two points
 * per step, each lane the scalar's sqDist and comparison.
 */
function nearerDist(x: i32, ld: i32, n: i32, d: i32, c: i32, dist: i32, first: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const s = sqDistLanes(x, ld, i, d, c);
      const p = <usize>(dist + (i << 3));
      v128.store(p, first ? s : f64x2.pmin(v128.load(p), s)); // s < dist ? s : dist
    }
  }
  for (; i < n; i++) {
    const s = sqDist(x, ld, i, d, c);
    if (first || s < ldf(dist + (i << 3))) stf(dist + (i << 3), s);
  }
}

/** Labels each point with its nearest centre (ties: the lower index); returns how many labels changed. */
function assignNearest(x: i32, ld: i32, n: i32, d: i32, K: i32, centres: i32, labels: i32): i32 {
  let changed = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // two points per step, each lane the scalar's distances and comparisons
    for (; i + 2 <= n; i += 2) {
      let best = f64x2.splat(0.0);
      let bestD = sqDistLanes(x, ld, i, d, centres);
      for (let k = 1; k < K; k++) {
        const s = sqDistLanes(x, ld, i, d, centres + ((k * d) << 3));
        const closer = f64x2.lt(s, bestD);
        bestD = v128.bitselect(s, bestD, closer);
        best = v128.bitselect(f64x2.splat(f64(k)), best, closer);
      }
      const b0 = i32(f64x2.extract_lane(best, 0));
      const b1 = i32(f64x2.extract_lane(best, 1));
      if (ldi(labels + (i << 2)) != b0) changed++;
      if (ldi(labels + ((i + 1) << 2)) != b1) changed++;
      sti(labels + (i << 2), b0);
      sti(labels + ((i + 1) << 2), b1);
    }
  }
  for (; i < n; i++) {
    let best = 0;
    let bestD = sqDist(x, ld, i, d, centres);
    for (let k = 1; k < K; k++) {
      const s = sqDist(x, ld, i, d, centres + ((k * d) << 3));
      if (s < bestD) {
        bestD = s;
        best = k;
      }
    }
    if (ldi(labels + (i << 2)) != best) changed++;
    sti(labels + (i << 2), best);
  }
  return changed;
}

/**
 * Lloyd's k-means iterations from the given centres: label every point by
 * its nearest centre, then up to `maxIter` rounds of (centres = means of
 * their points, relabel), stopping when no label changes. A centre that loses
 * all its points stays where it is (scikit-learn relocates it to a far point
 * instead). `labels`: n i32; `sums`: K (d + 1) doubles. Returns the rounds done.
 * d = 2 with K = 2 (the notebook's fit) labels and sums in one pass
 * (lloydPass22), with the same bits; the SIMD build keeps its labels as
 * masks (-1 for label 1) until the last round, then negates them.
 */
export function gmmLloyd(x: i32, ld: i32, n: i32, d: i32, K: i32, centres: i32, labels: i32, sums: i32, maxIter: i32): i32 {
  const fused = d == 2 && K == 2;
  for (let i = 0; i < n; i++) sti(labels + (i << 2), -1);
  if (fused) lloydPass22(x, x + (ld << 3), n, centres, labels, sums);
  else assignNearest(x, ld, n, d, K, centres, labels);
  const counts = sums + ((K * d) << 3);
  let rounds = 0;
  while (rounds < maxIter) {
    if (!fused) {
      for (let q = 0; q < K * d + K; q++) stf(sums + (q << 3), 0.0);
      for (let i = 0; i < n; i++) {
        const k = ldi(labels + (i << 2));
        for (let a = 0; a < d; a++) {
          const p = sums + ((k * d + a) << 3);
          stf(p, ldf(p) + ldf(x + ((a * ld + i) << 3)));
        }
        stf(counts + (k << 3), ldf(counts + (k << 3)) + 1.0);
      }
    }
    for (let k = 0; k < K; k++) {
      const m = ldf(counts + (k << 3));
      if (m > 0.0) for (let a = 0; a < d; a++) stf(centres + ((k * d + a) << 3), ldf(sums + ((k * d + a) << 3)) / m);
    }
    rounds++;
    const changed = fused ? lloydPass22(x, x + (ld << 3), n, centres, labels, sums) : assignNearest(x, ld, n, d, K, centres, labels);
    if (changed == 0) break;
  }
  if (ASC_FEATURE_SIMD && fused) negateLabels(labels, n);
  return rounds;
}

/** labels_i = -labels_i: lloydPass22's SIMD masks (-1, 0) made labels (1, 0). Four per step. */
function negateLabels(labels: i32, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>(labels + (i << 2));
    v128.store(p, i32x4.neg(v128.load(p)));
  }
  for (; i < n; i++) sti(labels + (i << 2), -ldi(labels + (i << 2)));
}

/**
 * For d = 2, K = 2: labels every point by its nearer centre (ties: 0), as
 * assignNearest does, and in the same pass the sums of the next round: per
 * label its two coordinate sums and its count (into `sums`, laid out as
 * gmmLloyd's), each added to in point order. Every point adds to all six
 * coordinate sums, +0 to the other label's: x + 0 = x, and a sum that starts
 * at +0 never becomes -0, so these are the bits of adding its own points
 * only. The counts are kept as integers: sums of ones are exact either way.
 * Returns 0 when no label changed, else a positive number (how many in the
 * scalar build). The SIMD build writes the labels as masks, -1 for label 1
 * (gmmLloyd negates them after its last round): the change test is then one
 * xor and an or per pair of points, not a count.
 */
function lloydPass22(x0: i32, x1: i32, n: i32, centres: i32, labels: i32, sums: i32): i32 {
  const a0 = ldf(centres);
  const a1 = ldf(centres + 8);
  const b0 = ldf(centres + 16);
  const b1 = ldf(centres + 24);
  let sa0: f64 = 0.0;
  let sa1: f64 = 0.0;
  let sb0: f64 = 0.0;
  let sb1: f64 = 0.0;
  let nb = 0; // the count of label 1; na = n - nb (counts of ones are exact in doubles too)
  let changed = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va0 = f64x2.splat(a0);
    const va1 = f64x2.splat(a1);
    const vb0 = f64x2.splat(b0);
    const vb1 = f64x2.splat(b1);
    // (sa0, sa1) and (sb0, sb1) in two vectors: each lane adds its points in point order
    let sa = f64x2.splat(0.0);
    let sb = f64x2.splat(0.0);
    let nbs = i32x4.splat(0); // label-1 counts of the even and odd points
    let moved = i32x4.splat(0);
    for (; i + 2 <= n; i += 2) {
      const p0 = v128.load(<usize>(x0 + (i << 3)));
      const p1 = v128.load(<usize>(x1 + (i << 3)));
      // the scalar's 0 + t0^2 is t0^2 (a square is never -0; NaN stays NaN): only compared
      let t0 = f64x2.sub(p0, va0);
      let t1 = f64x2.sub(p1, va1);
      const da = f64x2.add(f64x2.mul(t0, t0), f64x2.mul(t1, t1));
      t0 = f64x2.sub(p0, vb0);
      t1 = f64x2.sub(p1, vb1);
      const db = f64x2.add(f64x2.mul(t0, t0), f64x2.mul(t1, t1));
      const toB = f64x2.lt(db, da);
      // the two labels as masks in i32 lanes 0 and 1 (-1 for label 1: the
      // mask's halves; gmmLloyd negates them at the end), stored without a
      // branch; a changed label leaves bits in lane 0 or 1 of `moved`
      const lab = i32x4.shuffle(toB, toB, 0, 2, 0, 2);
      moved = v128.or(moved, v128.xor(v128.load64_zero(<usize>(labels + (i << 2))), lab));
      v128.store64_lane(<usize>(labels + (i << 2)), lab, 0);
      nbs = i32x4.sub(nbs, lab);
      const qa0 = v128.andnot(p0, toB);
      const qa1 = v128.andnot(p1, toB);
      const qb0 = v128.and(p0, toB);
      const qb1 = v128.and(p1, toB);
      // point i's (x0, x1), then point i + 1's
      sa = f64x2.add(f64x2.add(sa, f64x2.shuffle(qa0, qa1, 0, 2)), f64x2.shuffle(qa0, qa1, 1, 3));
      sb = f64x2.add(f64x2.add(sb, f64x2.shuffle(qb0, qb1, 0, 2)), f64x2.shuffle(qb0, qb1, 1, 3));
    }
    nb = i32x4.extract_lane(nbs, 0) + i32x4.extract_lane(nbs, 1);
    if (i64x2.extract_lane(moved, 0) != 0) changed = 1;
    sa0 = f64x2.extract_lane(sa, 0);
    sa1 = f64x2.extract_lane(sa, 1);
    sb0 = f64x2.extract_lane(sb, 0);
    sb1 = f64x2.extract_lane(sb, 1);
  }
  for (; i < n; i++) {
    const p0 = ldf(x0 + (i << 3));
    const p1 = ldf(x1 + (i << 3));
    let t0 = p0 - a0;
    let t1 = p1 - a1;
    const da = (0.0 + t0 * t0) + t1 * t1;
    t0 = p0 - b0;
    t1 = p1 - b1;
    const db = (0.0 + t0 * t0) + t1 * t1;
    const toB = db < da;
    const l = toB ? 1 : 0;
    const stored = ASC_FEATURE_SIMD ? -l : l; // the SIMD build's labels are masks (above)
    if (ldi(labels + (i << 2)) != stored) changed++;
    sti(labels + (i << 2), stored);
    sa0 += toB ? 0.0 : p0;
    sa1 += toB ? 0.0 : p1;
    sb0 += toB ? p0 : 0.0;
    sb1 += toB ? p1 : 0.0;
    nb += l;
  }
  stf(sums, sa0);
  stf(sums + 8, sa1);
  stf(sums + 16, sb0);
  stf(sums + 24, sb1);
  stf(sums + 32, f64(n - nb));
  stf(sums + 40, f64(nb));
  return changed;
}

/**
 * The whole initialisation: k-means++ seeding, up to `lloydIter` Lloyd
 * rounds (0: labels from the nearest seed), then one-hot responsibilities
 * from the labels, for a first M-step (as scikit-learn's init_params='kmeans'
 * does with its KMeans labels). Returns the Lloyd rounds done.
 */
export function gmmInitResp(rng: i32, x: i32, ld: i32, n: i32, d: i32, K: i32, lloydIter: i32, centres: i32, chosen: i32, dist: i32, labels: i32, sums: i32, resp: i32): i32 {
  gmmKmeansPlusPlus(rng, x, ld, n, d, K, centres, chosen, dist);
  const rounds = gmmLloyd(x, ld, n, d, K, centres, labels, sums, lloydIter);
  for (let k = 0; k < K; k++) oneHotRow(labels, k, resp + ((k * n) << 3), n);
  return rounds;
}

/** row_i = 1 where labels_i == k, else 0 (the SIMD build two labels per step). */
function oneHotRow(labels: i32, k: i32, row: i32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vk = i32x4.splat(k);
    const one = f64x2.splat(1.0);
    for (; i + 2 <= n; i += 2) {
      // the two labels' comparisons, widened to two 64-bit masks
      const hit = i64x2.extend_low_i32x4_s(i32x4.eq(v128.load64_zero(<usize>(labels + (i << 2))), vk));
      v128.store(<usize>(row + (i << 3)), v128.and(one, hit));
    }
  }
  for (; i < n; i++) stf(row + (i << 3), ldi(labels + (i << 2)) == k ? 1.0 : 0.0);
}

/**
 * Draws n points from mixture `mix` into column-major x (leading dimension
 * ld): per point a component by its tempered weight w_k^(1/T) / sum_j w_j^(1/T)
 * (invTemp = 1/T; one uniform and a scan of the cumulative weights, skipped
 * when K = 1), then m_k + scale chol_k z with d standard normals z (scale =
 * sqrt(lambda) for the sampling bias). The draws come in bulk
 * (fillUniformNormalGrid) with the bits of one rngDouble() and d normal()
 * per point. `cum`: K doubles, `z`: SAMPLE_CHUNK doubles (the uniforms).
 */
const SAMPLE_CHUNK: i32 = 256;

/** Doubles of gmmSample's `z`. */
export function gmmSampleScratch(): i32 {
  return SAMPLE_CHUNK;
}

export function gmmSample(rng: i32, mix: i32, K: i32, d: i32, scale: f64, invTemp: f64, cum: i32, z: i32, x: i32, ld: i32, n: i32): void {
  const dd = d * d;
  const means = meansAt(mix, K);
  const chol = cholAt(mix, K, d);
  // tempered weights, relative to the largest so that nothing underflows to all zeros
  let top: f64 = LOG_FLOOR;
  for (let k = 0; k < K; k++) {
    const lw = log(ldf(mix + (k << 3)));
    stf(cum + (k << 3), lw);
    if (lw > top) top = lw;
  }
  let total: f64 = 0.0;
  for (let k = 0; k < K; k++) {
    const t = invTemp == 1.0 ? ldf(mix + (k << 3)) : exp(invTemp * (ldf(cum + (k << 3)) - top));
    total += t;
    stf(cum + (k << 3), total);
  }
  for (let k = 0; k < K; k++) stf(cum + (k << 3), ldf(cum + (k << 3)) / total);
  // In chunks of SAMPLE_CHUNK points: the uniforms (into z) and normals (into
  // x) in bulk, in the order of one rngDouble() then d normal() per point;
  // then per point its component and m_k + scale chol_k z, in place (row a
  // from the last down: it reads the normals of rows b <= a only).
  for (let i0 = 0; i0 < n; i0 += SAMPLE_CHUNK) {
    const m = n - i0 < SAMPLE_CHUNK ? n - i0 : SAMPLE_CHUNK;
    const xc = x + (i0 << 3);
    if (K > 1) fillUniformNormalGrid(rng, z, xc, m, d, ld);
    else fillNormalGrid(rng, xc, m, d, ld, 0.0, 1.0);
    if (d == 2) {
      placePoints2(means, chol, K, cum, z, scale, xc, xc + (ld << 3), m);
      continue;
    }
    for (let i = 0; i < m; i++) {
      let k = 0;
      if (K > 1) {
        const u = ldf(z + (i << 3));
        while (k < K - 1 && u >= ldf(cum + (k << 3))) k++;
      }
      const mk = means + ((k * d) << 3);
      const lk = chol + ((k * dd) << 3);
      const xi = xc + (i << 3);
      for (let a = d - 1; a >= 0; a--) {
        let acc: f64 = 0.0;
        for (let b = 0; b <= a; b++) acc += ldf(lk + ((a * d + b) << 3)) * ldf(xi + ((b * ld) << 3));
        stf(xi + ((a * ld) << 3), ldf(mk + (a << 3)) + scale * acc);
      }
    }
  }
}

/**
 * gmmSample's placing of m points for d = 2, with its operations written
 * out: per point its component k from the uniform u_i (the scan over `cum`,
 * skipped when K = 1), then from its normals (z0, z1) at x0_i, x1_i
 *   x1 = m_k1 + scale ((0 + L_10 z0) + L_11 z1),  x0 = m_k0 + scale (0 + L_00 z0).
 * The SIMD build does two points per step when K = 2, the same operations per lane.
 */
function placePoints2(means: i32, chol: i32, K: i32, cum: i32, u: i32, scale: f64, x0: i32, x1: i32, m: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && K == 2) {
    // two points per step: each lane's component (1 where u >= cum_0) picks its constants
    const c0 = f64x2.splat(ldf(cum));
    const vs = f64x2.splat(scale);
    const zero = f64x2.splat(0.0);
    const am0 = f64x2.splat(ldf(means));
    const am1 = f64x2.splat(ldf(means + 8));
    const bm0 = f64x2.splat(ldf(means + 16));
    const bm1 = f64x2.splat(ldf(means + 24));
    const a00 = f64x2.splat(ldf(chol));
    const a10 = f64x2.splat(ldf(chol + 16));
    const a11 = f64x2.splat(ldf(chol + 24));
    const b00 = f64x2.splat(ldf(chol + 32));
    const b10 = f64x2.splat(ldf(chol + 48));
    const b11 = f64x2.splat(ldf(chol + 56));
    for (; i + 2 <= m; i += 2) {
      const second = f64x2.ge(v128.load(<usize>(u + (i << 3))), c0);
      const p0 = <usize>(x0 + (i << 3));
      const p1 = <usize>(x1 + (i << 3));
      const z0 = v128.load(p0);
      const z1 = v128.load(p1);
      const l10z0 = f64x2.mul(v128.bitselect(b10, a10, second), z0);
      const l11z1 = f64x2.mul(v128.bitselect(b11, a11, second), z1);
      v128.store(p1, f64x2.add(v128.bitselect(bm1, am1, second), f64x2.mul(vs, f64x2.add(f64x2.add(zero, l10z0), l11z1))));
      v128.store(p0, f64x2.add(v128.bitselect(bm0, am0, second), f64x2.mul(vs, f64x2.add(zero, f64x2.mul(v128.bitselect(b00, a00, second), z0)))));
    }
  }
  for (; i < m; i++) {
    let k = 0;
    if (K > 1) {
      const ui = ldf(u + (i << 3));
      while (k < K - 1 && ui >= ldf(cum + (k << 3))) k++;
    }
    const mk = means + (k << 4);
    const lk = chol + (k << 5);
    const z0 = ldf(x0 + (i << 3));
    const z1 = ldf(x1 + (i << 3));
    stf(x1 + (i << 3), ldf(mk + 8) + scale * ((0.0 + ldf(lk + 16) * z0) + ldf(lk + 24) * z1));
    stf(x0 + (i << 3), ldf(mk) + scale * (0.0 + ldf(lk) * z0));
  }
}

/**
 * sum_ij a_i b_j N(m_i - m_j; 0, C_i + C_j) over the components i of f and j
 * of g: the integral of f g (the product of two Gaussian densities integrates
 * to a Gaussian density in the difference of their means). `work`: 2 d^2 + d
 * doubles. +Infinity if some C_i + C_j is singular (two point masses).
 */
function overlap(f: i32, Kf: i32, g: i32, Kg: i32, d: i32, work: i32): f64 {
  const dd = d * d;
  const s = work;
  const l = work + (dd << 3);
  const y = work + ((2 * dd) << 3);
  const fm = meansAt(f, Kf);
  const fc = covAt(f, Kf, d);
  const gm = meansAt(g, Kg);
  const gc = covAt(g, Kg, d);
  let total: f64 = 0.0;
  for (let i = 0; i < Kf; i++) {
    for (let j = 0; j < Kg; j++) {
      for (let q = 0; q < dd; q++) stf(s + (q << 3), ldf(fc + ((i * dd + q) << 3)) + ldf(gc + ((j * dd + q) << 3)));
      if (choleskyPsd(s, d, l) > 0) return Infinity;
      // y = L^-1 (m_i - m_j) by forward substitution; N = exp(-|y|^2/2) / ((2 pi)^(d/2) prod L_aa)
      let qf: f64 = 0.0;
      let logDet: f64 = 0.0;
      for (let a = 0; a < d; a++) {
        let t = ldf(fm + ((i * d + a) << 3)) - ldf(gm + ((j * d + a) << 3));
        for (let b = 0; b < a; b++) t -= ldf(l + ((a * d + b) << 3)) * ldf(y + (b << 3));
        const laa = ldf(l + ((a * d + a) << 3));
        const ya = t / laa;
        stf(y + (a << 3), ya);
        qf += ya * ya;
        logDet += log(laa);
      }
      total += ldf(f + (i << 3)) * ldf(g + (j << 3)) * exp(-0.5 * qf - logDet - 0.5 * f64(d) * LOG_2PI);
    }
  }
  return total;
}

/**
 * ||f - g||^2 = int (f - g)^2 = <f, f> + <g, g> - 2 <f, g>, each term in
 * closed form (Shumailov et al. 2024, GMM notebook). Exactly 0 for f against
 * itself (the three terms are then the same sums in the same order); clamped
 * at 0 against round-off; +Infinity if an overlap is infinite.
 */
export function gmmL2Sq(f: i32, Kf: i32, g: i32, Kg: i32, d: i32, work: i32): f64 {
  const ff = overlap(f, Kf, f, Kf, d, work);
  const gg = overlap(g, Kg, g, Kg, d, work);
  const fg = overlap(f, Kf, g, Kg, d, work);
  if (ff == Infinity || gg == Infinity || fg == Infinity) return Infinity;
  const v = ff + gg - 2.0 * fg;
  return v > 0.0 ? v : 0.0;
}
