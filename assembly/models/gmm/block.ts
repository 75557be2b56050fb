// The layout of a mixture block and the constants every GMM kernel shares
// (see assembly/models/gmm.ts for the family and the block's layout).
/** ln(2 pi), the double nearest to it. */
export const LOG_2PI: f64 = 1.8378770664093453;
/** 10 machine epsilons: scikit-learn adds it to every n_k so that an empty component divides safely. */
export const NK_EPS: f64 = 2.220446049250313e-15;
/** Log densities are clamped here: far from every component they stay finite, never -Infinity. */
export const LOG_FLOOR: f64 = -1.0e300;
/** Covariance types (the host passes them as integers). */
export const COV_FULL: i32 = 0;
export const COV_DIAG: i32 = 1;
export const COV_SPHERICAL: i32 = 2;

/** Doubles in one mixture block of K components in d dimensions. */
export function gmmMixtureDoubles(K: i32, d: i32): i32 {
  return K * (2 + d + 3 * d * d);
}

export function meansAt(mix: i32, K: i32): i32 { return mix + (K << 3); }
export function covAt(mix: i32, K: i32, d: i32): i32 { return mix + ((K + K * d) << 3); }
export function cholAt(mix: i32, K: i32, d: i32): i32 { return mix + ((K + K * d + K * d * d) << 3); }
export function precAt(mix: i32, K: i32, d: i32): i32 { return mix + ((K + K * d + 2 * K * d * d) << 3); }
export function logcAt(mix: i32, K: i32, d: i32): i32 { return mix + ((K + K * d + 3 * K * d * d) << 3); }

