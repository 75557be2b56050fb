// The characteristic-function inversion of the generalized chi-square tail
// (assembly/stats/imhof.ts): against Ruben's series where both work, against
// closed forms where the eigenvalues spread by 1e3..1e6, and the same bits on
// every backend. The Monte Carlo checks of whole fits are in test/tails.test.ts.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import type { Arena } from '../src/kernels/arena.js';
import { KERNEL_CONSTANTS } from '../src/kernels/abi.js';

const as = await arenas();

/** P(Q > x), Q = sum_j l_j (z_j + b_j / sqrt l_j)^2, by the inversion: [mass, half-width, terms]. */
function imhof(a: Arena, l: number[], b: number[], x: number): number[] {
  const d = l.length;
  const p = a.allocF64(d);
  const c = a.allocF64(d);
  const out = a.allocF64(3);
  a.f64(p, d).set(l);
  a.f64(c, d).set(b);
  a.backend.kernels.generalizedChiSquareUpperImhofVec(p, c, d, x, out);
  return Array.from(a.f64(out, 3));
}

/** The same through gaussianTailMass with Sigma_0 = I, mu_0 = 0, Sigma = diag(l), mu = b (Ruben's series where it works). */
function viaTailMass(a: Arena, l: number[], b: number[], x: number): number[] {
  const d = l.length;
  const f = (n: number) => a.allocF64(n);
  const mean = f(d), cov = f(d * d), mean0 = f(d), l0 = f(d * d), work = f(2 * d * d + d), series = f(KERNEL_CONSTANTS.tailSeriesDoubles), out = f(3);
  const cv = a.f64(cov, d * d);
  const iv = a.f64(l0, d * d);
  for (let j = 0; j < d; j++) {
    cv[j * d + j] = l[j];
    iv[j * d + j] = 1;
  }
  a.f64(mean, d).set(b);
  a.backend.kernels.gaussianTailMass(mean, cov, mean0, l0, d, x, work, series, out);
  return Array.from(a.f64(out, 3));
}

/** A small deterministic generator (Park-Miller) for the random cases. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('the inversion against Ruben\'s series (eigenvalues within 20x: the series converges)', () => {
  const rnd = lcg(20261202);
  const cases: { l: number[]; b: number[]; x: number }[] = [];
  for (const d of [2, 3, 5, 10]) {
    for (let i = 0; i < 6; i++) {
      const l = Array.from({ length: d }, () => 0.1 * 20 ** rnd());
      const b = Array.from({ length: d }, () => (rnd() - 0.5) * 2.5);
      const x = as.wasm.backend.kernels.chiSquareUpperQuantile(d, [0.01, 0.3, 0.9][i % 3]) * (0.3 + rnd());
      cases.push({ l, b, x });
    }
  }
  it('agree within the sum of their error bounds; the inversion\'s bound is below 1e-9 (1e-8 at d = 2)', () => {
    let worst = 0;
    for (const { l, b, x } of cases) {
      const [pi, hi] = imhof(as.wasm, l, b, x);
      const [pr, hr] = viaTailMass(as.wasm, l, b, x);
      expect(hr, 'Ruben\'s bracket').toBeLessThan(1e-13); // the series, not the inversion, ran
      // d = 2 decays slowest (|phi(t)| ~ 1/t): a central case may reach the term cap a little short of 1e-9
      expect(hi, `d ${l.length}`).toBeLessThan(l.length === 2 ? 1e-8 : 1e-9);
      expect(Math.abs(pi - pr), `d ${l.length}: inversion ${pi} +- ${hi}, Ruben ${pr} +- ${hr}`).toBeLessThanOrEqual(hi + hr);
      worst = Math.max(worst, Math.abs(pi - pr));
    }
    console.log(`inversion vs Ruben: ${cases.length} cases, largest difference ${worst.toExponential(2)}`);
  });
  it('all-equal eigenvalues: s times a noncentral chi-square, the Poisson mixture of chi-square tails', () => {
    const k = as.wasm.backend.kernels;
    for (const [d, s, b] of [[2, 0.5, [0.3, -0.8]], [3, 1e-3, [0.05, 0.02, 0.03]], [5, 2, [1, 0, 0.5, -1, 0.2]]] as [number, number, number[]][]) {
      const x = k.chiSquareUpperQuantile(d, 0.01);
      // P(s chi2'_d(lambda) > x) = sum_k e^(-lambda/2) (lambda/2)^k / k! P(chi2_(d+2k) > x/s), lambda = sum b^2 / s
      const lam = b.reduce((t, v) => t + v * v, 0) / s;
      let w = Math.exp(-lam / 2);
      let ref = 0;
      for (let i = 0; i < 400; i++) {
        ref += w * k.chiSquareUpper(d + 2 * i, x / s);
        w *= lam / 2 / (i + 1);
      }
      const [p, h] = imhof(as.wasm, Array(d).fill(s), b, x);
      expect(h).toBeLessThan(1e-9);
      expect(Math.abs(p - ref), `d ${d}, s ${s}: ${p} +- ${h}, mixture ${ref}`).toBeLessThanOrEqual(h + 1e-14);
    }
  });
});

/**
 * d = 2 with l_2 tiny: P(Q > x) = E T(x - (sqrt(l_2) z + b_2)^2), T(y) the
 * 1-D noncentral tail P(l_1 (z + b_1/sqrt l_1)^2 > y) (two erfc's; 1 for y <= 0),
 * by the trapezoid rule over z in [-12, 12] (the integrand is smooth there:
 * its kink, y = 0, is beyond |z| = 90 for these cases; error far below 1e-13).
 */
function twoDimReference(a: Arena, l1: number, b1: number, l2: number, b2: number, x: number): number {
  const erfc = a.backend.kernels.erfc;
  const d1 = b1 / Math.sqrt(l1);
  const tail = (y: number) => (y <= 0 ? 1 : 0.5 * erfc((Math.sqrt(y / l1) - d1) / Math.SQRT2) + 0.5 * erfc((Math.sqrt(y / l1) + d1) / Math.SQRT2));
  const h = 1e-3;
  let s = 0;
  for (let i = -12000; i <= 12000; i++) {
    const z = i * h;
    const v = Math.sqrt(l2) * z + b2;
    s += Math.exp(-0.5 * z * z) * tail(x - v * v);
  }
  return (s * h) / Math.sqrt(2 * Math.PI);
}

describe('the inversion where Ruben\'s series cannot go (eigenvalues spread 1e3..1e6)', () => {
  const x2 = as.wasm.backend.kernels.chiSquareUpperQuantile(2, 0.01);
  const cases: [number, number, number, number][] = [];
  for (const l2 of [1e-3, 1e-4, 1e-6]) for (const [l1, b1, b2] of [[1, 0, 0], [2.5, 1.2, 0], [1, 0.5, 0.3], [3, 2, 1]]) cases.push([l1, b1, l2 * l1, b2]);
  it('d = 2, one tiny eigenvalue: within the bound of a quadrature over the 1-D noncentral closed form; bound below 1e-9', () => {
    let worst = 0;
    for (const [l1, b1, l2, b2] of cases) {
      const [p, h, terms] = imhof(as.wasm, [l1, l2], [b1, b2], x2);
      const ref = twoDimReference(as.wasm, l1, b1, l2, b2, x2);
      expect(h, `l = ${l1}, ${l2}; b = ${b1}, ${b2}: ${terms} terms`).toBeLessThan(1e-9);
      expect(Math.abs(p - ref), `l = ${l1}, ${l2}; b = ${b1}, ${b2}: ${p} +- ${h}, reference ${ref}`).toBeLessThanOrEqual(h + 1e-13);
      worst = Math.max(worst, Math.abs(p - ref));
    }
    console.log(`inversion vs quadrature, d = 2: ${cases.length} cases, largest difference ${worst.toExponential(2)}`);
  });
  it('gaussianTailMass uses it where the series gives up, with the same result', () => {
    const [l1, b1, l2, b2] = cases[5];
    const direct = imhof(as.wasm, [l1, l2], [b1, b2], x2);
    const via = viaTailMass(as.wasm, [l1, l2], [b1, b2], x2);
    expect(via).toEqual(direct);
  });
  it('gives the same bits on every backend', () => {
    const run = (a: Arena) => Float64Array.from(cases.flatMap(([l1, b1, l2, b2]) => imhof(a, [l1, l2], [b1, b2], x2)));
    const ref = run(as.js);
    for (const name of BACKEND_NAMES) expect(sameBits(run(as[name]), ref), name).toBe(true);
  });
});

describe('argument checks', () => {
  it('x <= 0: the mass is 1; no positive eigenvalue: a point mass at 0', () => {
    expect(imhof(as.wasm, [1, 2], [0, 0], 0)).toEqual([1, 0, 0]);
    expect(imhof(as.wasm, [0, 0], [0, 0], 1)).toEqual([0, 0, 0]);
  });
});

