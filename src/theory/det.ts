// Deterministic elementary functions for the closed forms: the same bits in
// Node, Deno, Bun and every browser, so a run's whole JSON (theory included)
// is byte-identical across runtimes. The host's Math.exp/log/pow/sin are left
// to each engine and differ in the last bits (measured: ~300 ulp apart in a
// Gaussian theoryMedian between V8 and JavaScriptCore). Everything here is
// the kernels' exp and log (fdlibm ports, < 1 ulp) plus + - * / sqrt, which
// IEEE 754 rounds correctly everywhere. test/theory-determinism.test.ts fails
// when theory code calls the host's transcendental functions again.
import { detExp, detLog, detOneMinusExpNegIterate } from '../kernels/detmath.js';

/** e^x (the kernels' exp). */
export const exp = detExp;
/** ln x (the kernels' log). */
export const log = detLog;
/** x -> 1 - e^{-x} applied `steps` times from x, in one kernel call (the kernels' exp). */
export const oneMinusExpNegIterate = detOneMinusExpNegIterate;

/**
 * ln(1 + x), accurate for small x: with u = 1 + x rounded, ln(u) x / (u - 1)
 * cancels u's rounding error (Goldberg, "What every computer scientist should
 * know about floating-point arithmetic", 1991, Theorem 4).
 */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (u === Infinity) return Infinity;
  return (log(u) * x) / (u - 1);
}

/** x^n for an integer n, by repeated squaring (only multiplications; relative error about |n| ulp). */
export function powInt(x: number, n: number): number {
  if (n < 0) return 1 / powInt(x, -n);
  let result = 1;
  let base = x;
  while (n > 0) {
    if (n % 2 === 1) result *= base;
    n = Math.floor(n / 2);
    if (n > 0) base *= base;
  }
  return result;
}

/**
 * x^y. Small integer y (|y| <= 16): repeated squaring, exact where x^y is.
 * Else, for x > 0, e^(y ln x), whose relative error is about |y ln x| ulp
 * (repeated squaring's grows like |y| ulp): ample for closed forms, and the
 * same bits everywhere.
 */
export function pow(x: number, y: number): number {
  if (Number.isInteger(y) && Math.abs(y) <= 16) return powInt(x, y);
  if (x > 0) return exp(y * log(x));
  if (x === 0) return y > 0 ? 0 : Infinity;
  return NaN;
}

/**
 * sin x: reduced to [-pi, pi] by a multiple of 2 pi (fine for the moderate
 * arguments of the closed forms), then its Taylor series summed until the
 * terms no longer change the sum.
 */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const twoPi = 2 * Math.PI;
  const r = x - Math.floor(x / twoPi + 0.5) * twoPi;
  const r2 = r * r;
  let term = r;
  let sum = r;
  for (let k = 1; k < 40; k++) {
    term *= -r2 / ((2 * k) * (2 * k + 1));
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}

/** x^2 (an engine may compute x ** 2 through its own pow). */
export function square(x: number): number {
  return x * x;
}
