// Special functions for the closed forms: log-gamma and the polygamma family.
// Each shifts x up with its recurrence until the asymptotic (Stirling-type)
// series is accurate to about 1e-15, then sums the series; coefficients are
// Bernoulli numbers (Abramowitz & Stegun 6.1.41, 6.3.18, 6.4.11, 6.4.12).
// Deterministic: the kernels' exp and log (./det.ts), so every engine gives the same bits.
import { exp, log } from './det.js';

const SHIFT = 10;

/** ln Gamma(x) for x > 0. */
export function lgamma(x: number): number {
  let shift = 0;
  while (x < SHIFT) {
    shift += log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360))))));
  return (x - 0.5) * log(x) - x + 0.5 * log(2 * Math.PI) + series - shift;
}

/** digamma psi(x) = d/dx ln Gamma(x), for x > 0. */
export function digamma(x: number): number {
  let acc = 0;
  while (x < SHIFT) {
    acc -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return acc + log(x) - 0.5 / x - series;
}

/** trigamma psi'(x), for x > 0. */
export function trigamma(x: number): number {
  let acc = 0;
  while (x < SHIFT) {
    acc += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 + inv * (0.5 + inv * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66 - inv2 * (691 / 2730 - inv2 * (7 / 6)))))))));
  return acc + series;
}

/** tetragamma psi''(x), for x > 0. */
export function tetragamma(x: number): number {
  let acc = 0;
  while (x < SHIFT) {
    acc -= 2 / (x * x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv2 * (1 + inv * (1 + inv * (0.5 - inv2 * (1 / 6 - inv2 * (1 / 6 - inv2 * (3 / 10 - inv2 * (5 / 6 - inv2 * (691 / 210 - inv2 * (35 / 2)))))))));
  return acc - series;
}

/**
 * Q(x) = P(Z > x) for a standard normal Z, to about 1e-14 relative. Below
 * x = 2: 1 - Q = 1/2 + 1/2 erf(x / sqrt 2), erf by its series without
 * cancellation, erf(t) = 2/sqrt(pi) e^(-t^2) sum_n 2^n t^(2n+1) / (1 3 ... (2n+1))
 * (A&S 7.1.6); above 2: the continued fraction Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))
 * (A&S 26.2.14), evaluated by the modified Lentz method. Q(-x) = 1 - Q(x).
 */
export function normalTail(x: number): number {
  if (x < 0) return 1 - normalTail(-x);
  if (x < 2) return 0.5 - 0.5 * erfSeries(x / Math.SQRT2);
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) / f;
}

/** The standard normal CDF, P(Z <= x) = Q(-x). */
export function normalCdf(x: number): number {
  return normalTail(-x);
}

/** erf(t) for t >= 0 by the series of normalTail (positive terms: no cancellation). */
function erfSeries(t: number): number {
  const t2 = 2 * t * t;
  let term = t;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    term *= t2 / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * exp(-t * t) * sum;
}
