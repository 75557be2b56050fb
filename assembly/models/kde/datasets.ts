// The KDE family's starting distributions, drawn i.i.d. with our own
// generator: isotropic Gaussian mixtures (the plain Gaussian is one
// component), two concentric rings and two interleaved moons (the shapes of
// scikit-learn's make_circles and make_moons, but with uniform random angles
// instead of evenly spaced ones, so that every point is an independent draw).
//
// Angles need cos and sin, which no kernel may take from the host Math. A
// uniform angle comes instead from a point (u, v) uniform in the unit disc,
// by rejection from the square: (cos t, sin t) = (u, v) / sqrt(u^2 + v^2)
// (the polar method's construction, Marsaglia & Bray 1964). It needs only
// + - * / sqrt, so every backend draws the same bits.
import { ldf, stf } from "./../../platform";
import { rngDouble } from "./../../rng/xor4096";
import { normal } from "./../../distributions/ziggurat";
import { uniformInDisc, discU, discV } from "./../../distributions/disc";

/**
 * Draws `count` points of an isotropic Gaussian mixture into `out` (leading
 * dimension ld). `table` holds k rows of (2 + d) doubles: the cumulative
 * weight, the standard deviation, then the d coordinates of the mean; the last
 * cumulative weight is 1. Per point: one uniform picks the component (skipped
 * when k = 1), then d normals.
 */
export function mixtureSample(rng: i32, table: i32, k: i32, d: i32, out: i32, ld: i32, count: i32): void {
  const row = 2 + d;
  for (let i = 0; i < count; i++) {
    let c = 0;
    if (k > 1) {
      const u = rngDouble(rng);
      while (c < k - 1 && u >= ldf(table + ((c * row) << 3))) c++;
    }
    const base = table + ((c * row) << 3);
    const sd = ldf(base + 8);
    for (let a = 0; a < d; a++) stf(out + ((a * ld + i) << 3), ldf(base + ((2 + a) << 3)) + sd * normal(rng));
  }
}

/**
 * Two concentric circles in 2-D (like sklearn.datasets.make_circles): each
 * point is on the outer circle (radius 1) or the inner one (radius `factor`)
 * with probability 1/2, at a uniform angle, plus N(0, noise^2 I). Per point:
 * one uniform for the circle, the angle's rejection uniforms, two normals.
 */
export function ringsSample(rng: i32, factor: f64, noise: f64, out: i32, ld: i32, count: i32): void {
  for (let i = 0; i < count; i++) {
    const r: f64 = rngDouble(rng) < 0.5 ? 1.0 : factor;
    const s = r / Math.sqrt(uniformInDisc(rng));
    const u = discU;
    const v = discV;
    stf(out + (i << 3), s * u + noise * normal(rng));
    stf(out + ((ld + i) << 3), s * v + noise * normal(rng));
  }
}

/**
 * Two interleaved half circles in 2-D (like sklearn.datasets.make_moons):
 * with probability 1/2 the upper moon (cos t, sin t), else the lower one
 * (1 - cos t, 1/2 - sin t), for t uniform in [0, pi], plus N(0, noise^2 I).
 * The upper half circle is the disc construction with |v|.
 */
export function moonsSample(rng: i32, noise: f64, out: i32, ld: i32, count: i32): void {
  for (let i = 0; i < count; i++) {
    const upper = rngDouble(rng) < 0.5;
    const inv = 1.0 / Math.sqrt(uniformInDisc(rng));
    const c = discU * inv;
    const s = Math.abs(discV) * inv;
    const x: f64 = upper ? c : 1.0 - c;
    const y: f64 = upper ? s : 0.5 - s;
    stf(out + (i << 3), x + noise * normal(rng));
    stf(out + ((ld + i) << 3), y + noise * normal(rng));
  }
}
