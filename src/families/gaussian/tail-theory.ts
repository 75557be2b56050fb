// The expected tail mass of the 1-D Gaussian chain under `replace`, computed
// numerically (derived for this project; derivation, error and cost in
// docs/gaussian-tail-theory.md).
//
// Model n is N(mu_n, s_n^2); its tail mass is its mass outside the original's
// central 99%, |x - mu_0| > z s_0 (z^2 = chi2_(1, 0.99)). Given the path of the
// variances, mu_n - mu_0 ~ N(0, V_n), V_n = sum_(i<n) lambda_i s_i^2 / M_i, and
// integrating the drift out gives E[mass_n | path] = g(T_n),
//   g(y) = 2 Q(z / sqrt(y)),  T_n = (s_n^2 + V_n) / s_0^2.
// With b_i = s_(i+1)^2 / s_i^2 = lambda_i W_i / den_i (W_i ~ chi2_(M_i - 1),
// independent of everything before) and c_i = lambda_i / M_i,
//   T_n = c_0 + b_0 (c_1 + b_1 (... (c_(n-1) + b_(n-1) * 1))),
// so F_0 = g, F_k(x) = E F_(k-1)(c_(k-1) + b_(k-1) x) gives E mass_n = F_n(1):
// one forward pass over k gives every generation.
//
// Numerics: F_k lives on a uniform grid in u = ln x (x spans decades as the
// chain collapses), read between grid points by 6-point Lagrange
// interpolation; the expectation over W is the trapezoidal rule in ln W
// (exponentially convergent for this smooth, fast-decaying integrand). Every
// transcendental call goes through ../../theory/det.js, so the values are the
// same bits in every engine.
import { exp, log } from '../../theory/det.js';
import { normalTail } from '../../theory/special.js';

/** Grid step in u = ln x; the test measures the error against h/2 (see TAIL_THEORY_ERROR). */
export const TAIL_GRID_STEP = 0.1;
/**
 * The grid ends at x = e^20: beyond it F_k is taken as its value there. The
 * inner perpetuity c_k + b_k (c_(k+1) + ...) has a tail P(X > x) ~ C / x^kappa
 * with kappa >= 1 (Kesten: E b^kappa = 1, and E b <= 1 here), and F_k(x)
 * approaches its limit like x^-1/2 (g(y) = 1 - z sqrt(2/(pi y)) + ...), so
 * each step adds an error of order e^-30.
 */
const GRID_TOP = 20;
/** Quadrature cut-offs: where the density of ln W falls to e^-32 of its mode. */
const DENSITY_CUT = 32;
/** Below this c / (b x), ln(1 + c / (b x)) is summed as a series (log1pSmall). */
const SMALL = 1 / 1024;
/** Stop iterating once no grid value moves by more than this in a step (the chain has converged in law). */
const CONVERGED = 1e-15;

/** One generation's refit: s_(i+1)^2 = s_i^2 * scale * W, W ~ chi2_dof; the drift adds c s_i^2. */
export interface TailStep {
  dof: number;
  /** lambda_i / den_i (den = M or M - 1). */
  scale: number;
  /** lambda_i / M_i. */
  c: number;
}

/** Nodes t_q = ln W_q and normalised weights of the trapezoidal rule for E f(ln W), W ~ chi2_dof. */
export function logChiSquareRule(dof: number): { t: Float64Array; w: Float64Array } {
  const a = dof / 2;
  const mode = log(dof); // of ln W: the density is prop. to exp(a t - e^t / 2)
  // log density relative to the mode, in s = t - mode: a (s - e^s + 1) <= 0
  const rel = (s: number) => a * (s - exp(s) + 1);
  const cut = (dir: number) => {
    let lo = 0;
    let hi = dir;
    while (rel(hi) > -DENSITY_CUT) hi *= 2;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (rel(mid) > -DENSITY_CUT) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  const left = cut(-1);
  const right = cut(1);
  // the density is near-normal with sd 1/sqrt(a) for large a; the trapezoid
  // error is then about exp(-2 pi^2 sd^2 / h^2) = e^-31 here. For small a the
  // integrand is analytic in the strip |Im t| < pi/2, error ~ exp(-pi^2 / h).
  // test/gaussian-tail-theory.test.ts checks the moments of W.
  const h = Math.min(0.4, 0.8 / Math.sqrt(a));
  const count = Math.ceil((right - left) / h) + 1;
  const t = new Float64Array(count);
  const w = new Float64Array(count);
  let sum = 0;
  for (let q = 0; q < count; q++) {
    const s = left + q * h;
    t[q] = mode + s;
    w[q] = exp(rel(s));
    sum += w[q];
  }
  for (let q = 0; q < count; q++) w[q] /= sum;
  return { t, w };
}

/** The grid u_j = u0 + j h, with u = 0 (x = 1) a grid point. */
interface Grid {
  h: number;
  u0: number;
  n: number;
  x: Float64Array;
  /** index of u = 0 */
  one: number;
}

function makeGrid(xLow: number, h: number): Grid {
  const below = Math.ceil(-log(Math.min(xLow, 1)) / h) + 2;
  const n = below + Math.ceil(GRID_TOP / h) + 1;
  const u0 = -below * h;
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = exp(u0 + j * h);
  return { h, u0, n, x, one: below };
}

/** F_(k+1) = A F_k for one step, as a banded matrix: row j has coefficients at columns start[j] ... */
interface Stencil {
  start: Int32Array;
  offset: Int32Array;
  coef: Float64Array;
}

function makeStencil(g: Grid, step: TailStep): Stencil {
  const { t, w } = logChiSquareRule(step.dof);
  const b = Array.from(t, (tq) => step.scale * exp(tq));
  const logScale = log(step.scale);
  const start = new Int32Array(g.n);
  const offset = new Int32Array(g.n + 1);
  const rows: Float64Array[] = [];
  const row = new Float64Array(g.n);
  let total = 0;
  const xTop = g.x[g.n - 1];
  for (let j = 0; j < g.n; j++) {
    let lo = g.n;
    let hi = -1;
    for (let q = 0; q < b.length; q++) {
      const xNext = step.c + b[q] * g.x[j];
      if (xNext >= xTop) {
        // beyond the grid: F_k(x) taken as its value at the top (GRID_TOP says why that is safe)
        row[g.n - 1] += w[q];
        lo = Math.min(lo, g.n - 1);
        hi = g.n - 1;
        continue;
      }
      // ln(c + b x) = ln b + u_j + ln(1 + c / (b x)): a log call only where c / (b x) is not small
      const r = step.c / (b[q] * g.x[j]);
      const lnNext = r < SMALL ? logScale + t[q] + (g.u0 + j * g.h) + log1pSmall(r) : log(xNext);
      const p = (lnNext - g.u0) / g.h;
      // the 6 points i-2 .. i+3 around p, kept inside the grid
      const i = Math.max(2, Math.min(g.n - 4, Math.floor(p)));
      lagrange6(p - i, w[q], row, i - 2);
      lo = Math.min(lo, i - 2);
      hi = Math.max(hi, i + 3);
    }
    start[j] = lo;
    const r = row.slice(lo, hi + 1);
    row.fill(0, lo, hi + 1);
    rows.push(r);
    offset[j] = total;
    total += r.length;
  }
  offset[g.n] = total;
  const coef = new Float64Array(total);
  rows.forEach((r, j) => coef.set(r, offset[j]));
  return { start, offset, coef };
}

/**
 * Adds weight * (the Lagrange weights of the nodes -2 .. 3 at f) to row[at ..
 * at + 5]: quintic interpolation, error O(h^6) for a function smooth in u.
 */
function lagrange6(f: number, weight: number, row: Float64Array, at: number): void {
  // prod_(m != k) (f - node_m) / (node_k - node_m), by prefix and suffix products;
  // the denominators are -120, 24, -12, 12, -24, 120
  const d0 = f + 2;
  const d1 = f + 1;
  const d2 = f;
  const d3 = f - 1;
  const d4 = f - 2;
  const d5 = f - 3;
  const p01 = d0 * d1;
  const p012 = p01 * d2;
  const s45 = d4 * d5;
  const s345 = d3 * s45;
  row[at] += (weight * (d1 * d2 * s345)) / -120;
  row[at + 1] += (weight * (d0 * d2 * s345)) / 24;
  row[at + 2] += (weight * (p01 * s345)) / -12;
  row[at + 3] += (weight * (p012 * s45)) / 12;
  row[at + 4] += (weight * (p012 * d3 * d5)) / -24;
  row[at + 5] += (weight * (p012 * d3 * d4)) / 120;
}

/** ln(1 + r) for 0 <= r < 2^-10 by its series to r^6 (the next term is below 2^-70 r). */
function log1pSmall(r: number): number {
  return r * (1 - r * (1 / 2 - r * (1 / 3 - r * (1 / 4 - r * (1 / 5 - r / 6)))));
}

/**
 * out = the stencil applied to f; returns max_j |out_j - f_j|. The arrays are
 * read into locals and the change is taken in the same loop: a fresh process
 * runs this in the interpreter and baseline code for a good part of its
 * ~1000 calls, where each property load and extra loop costs (the 1-D
 * Gaussian summary's theory at M = 1000, 1000 generations: 59 to 42 ms in
 * a fresh process, median of 8; 28 to 17 ms warm).
 */
function apply(s: Stencil, f: Float64Array, out: Float64Array): number {
  const n = f.length;
  const { coef, start, offset } = s;
  let moved = 0;
  let m = offset[0];
  for (let j = 0; j < n; j++) {
    const end = offset[j + 1];
    const base = start[j] - m;
    let acc = 0;
    for (let q = m; q < end; q++) acc += coef[q] * f[base + q];
    out[j] = acc;
    moved = Math.max(moved, Math.abs(acc - f[j]));
    m = end;
  }
  return moved;
}

/**
 * E mass_n for n = 0 .. last (index n), where step(i) describes the refit
 * from model i to model i+1 and zSquared is the band's z^2. Steps with equal
 * parameters share one stencil.
 */
export function expectedTailMass(zSquared: number, step: (i: number) => TailStep, last: number, h = TAIL_GRID_STEP): number[] {
  const steps = Array.from({ length: last }, (_, i) => step(i));
  const xLow = steps.reduce((m, s) => Math.min(m, s.c), 1);
  const g = makeGrid(xLow, h);
  let f = new Float64Array(g.n);
  for (let j = 0; j < g.n; j++) f[j] = 2 * normalTail(Math.sqrt(zSquared / g.x[j]));
  let next = new Float64Array(g.n);
  const out = [f[g.one]];
  const cache = new Map<string, Stencil>();
  let previous: TailStep | undefined;
  let settled = false;
  for (const s of steps) {
    // a constant step whose fixed point is reached: every later F_k is the same
    if (settled && previous && s.dof === previous.dof && s.scale === previous.scale && s.c === previous.c) {
      out.push(f[g.one]);
      continue;
    }
    const key = `${s.dof} ${s.scale} ${s.c}`;
    let st = cache.get(key);
    if (!st) {
      if (cache.size > 8) cache.clear(); // schedules: every step differs
      st = makeStencil(g, s);
      cache.set(key, st);
    }
    settled = apply(st, f, next) <= CONVERGED;
    previous = s;
    [f, next] = [next, f];
    out.push(f[g.one]);
  }
  return out;
}

const memo = new Map<string, number[]>();

/**
 * expectedTailMass for the 1-D `replace` chain with sizes M_i = samplesAt(i),
 * bias lambda (lambda_0 = 1: generation 0's data are real) and the MLE (den =
 * M) or unbiased (den = M - 1) variance, memoised: a summary asks again at
 * every refresh, and a longer run extends a shorter one's values.
 */
export function replaceTailMass(zSquared: number, mle: boolean, bias: number, samplesAt: (n: number) => number, last: number): number[] {
  const sizes = Array.from({ length: last }, (_, i) => samplesAt(i));
  const key = `${zSquared} ${mle} ${bias} ${sizes.map((m) => `${m},`).join('')}`; // a prefix of a longer run's key
  for (const [k, v] of memo) if (v.length > last && k.startsWith(key)) return v.slice(0, last + 1);
  const values = expectedTailMass(
    zSquared,
    (i) => {
      const lambda = i === 0 ? 1 : bias;
      const m = sizes[i];
      return { dof: m - 1, scale: lambda / (mle ? m : m - 1), c: lambda / m };
    },
    last,
  );
  if (memo.size >= 8) memo.delete(memo.keys().next().value!);
  memo.set(key, values);
  return values;
}
