// Special functions for the closed forms: log-gamma and the polygamma family.
// Each shifts x up with its recurrence until the asymptotic (Stirling-type)
// series is accurate to about 1e-15, then sums the series; coefficients are
// Bernoulli numbers (Abramowitz & Stegun 6.1.41, 6.3.18, 6.4.11, 6.4.12).
// Theory values are host arithmetic: they are not part of the digest.

const SHIFT = 10;

/** ln Gamma(x) for x > 0. */
export function lgamma(x: number): number {
  let shift = 0;
  while (x < SHIFT) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360))))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
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
  return acc + Math.log(x) - 0.5 / x - series;
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
