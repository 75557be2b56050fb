// The GMM kernels on their own (assembly/models/gmm.ts, gmm/em.ts) and the
// EM driver (src/families/gmm/em.ts): known answers, the kernel's EM loop
// against the per-iteration loop of E- and M-step calls, statistical recovery with tolerances
// derived from standard errors, EM's monotone likelihood, the closed-form L2
// distance against grid integration, k-means++ properties, and the three
// backends giving the same bits.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES, sameBits } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';
import { GmmEm, mixtureDoubles, workDoubles, type EmSettings } from '../src/families/gmm/em.js';
import type { Arena } from '../src/kernels/arena.js';
import type { MixtureSpec } from '../src/families/gmm/types.js';

const A = await arenas();
const wasm = A.wasm;

/** Writes weights, means and covariances into a mixture block and derives its factors. */
function putMixture(arena: Arena, spec: MixtureSpec): number {
  const K = spec.weights.length;
  const d = spec.means[0].length;
  const p = arena.allocF64(mixtureDoubles(K, d));
  const v = arena.f64(p, mixtureDoubles(K, d));
  spec.weights.forEach((w, k) => (v[k] = w));
  spec.means.forEach((m, k) => v.set(m, K + k * d));
  spec.covs.forEach((c, k) => v.set(c, K + K * d + k * d * d));
  expect(arena.backend.kernels.gmmPrepare(p, K, d, 0)).toBe(0);
  return p;
}

function readMixture(arena: Arena, p: number, K: number, d: number) {
  const v = arena.f64(p, mixtureDoubles(K, d));
  return {
    weights: Array.from(v.subarray(0, K)),
    means: Array.from({ length: K }, (_, k) => Array.from(v.subarray(K + k * d, K + (k + 1) * d))),
    covs: Array.from({ length: K }, (_, k) => Array.from(v.subarray(K + K * d + k * d * d, K + K * d + (k + 1) * d * d))),
  };
}

/** A generator state seeded with `key`. */
function rngOf(arena: Arena, key: string): number {
  const rng = arena.alloc(arena.backend.kernels.rngStateBytes());
  const chars = arena.allocI32(key.length + 1);
  seedGenerator(arena, rng, chars, key);
  return rng;
}

/** n points drawn from `mix` into a fresh column-major buffer. */
function draw(arena: Arena, rng: number, mix: number, K: number, d: number, n: number, scale = 1, invTemp = 1): number {
  const k = arena.backend.kernels;
  const x = arena.allocF64(d * n);
  k.gmmSample(rng, mix, K, d, scale, invTemp, arena.allocF64(K), arena.allocF64(k.gmmSampleScratch()), x, n, n);
  return x;
}

function settings(over: Partial<EmSettings> & { d: number; K: number; maxN: number }): EmSettings {
  return { covariance: 'full', tol: 1e-3, maxIter: 100, regCovar: 1e-6, floor: 1e-12, nInit: 1, kmeansIter: 300, ...over };
}

/** Host density of a mixture at a point, with Math (test-only reference). */
function hostDensity(spec: MixtureSpec, pt: number[]): number {
  const d = pt.length;
  let s = 0;
  spec.weights.forEach((w, k) => {
    const c = spec.covs[k];
    const m = spec.means[k];
    if (d === 1) {
      s += (w * Math.exp((-0.5 * (pt[0] - m[0]) ** 2) / c[0])) / Math.sqrt(2 * Math.PI * c[0]);
      return;
    }
    const det = c[0] * c[3] - c[1] * c[2];
    const dx = pt[0] - m[0];
    const dy = pt[1] - m[1];
    const q = (c[3] * dx * dx - 2 * c[1] * dx * dy + c[0] * dy * dy) / det;
    s += (w * Math.exp(-0.5 * q)) / (2 * Math.PI * Math.sqrt(det));
  });
  return s;
}

const TWO: MixtureSpec = {
  weights: [0.3, 0.7],
  means: [[-2, 0], [2, 1]],
  covs: [[1, 0.3, 0.3, 0.5], [0.5, -0.2, -0.2, 1]],
};

describe('EM fits what it should', () => {
  it('recovers a known two-component mixture from 20000 points, every parameter within 5 standard errors', async () => {
    // Standard errors of the MLE with the labels known (the components are
    // about 4 standard deviations apart, so the missing labels inflate them by
    // a few percent only): weight sqrt(w (1 - w) / N); mean coordinate
    // sqrt(C_aa / (N w)); covariance entry sqrt((C_aa C_bb + C_ab^2) / (N w))
    // (the variance of a Wishart entry). 5 se leaves room for that inflation
    // and for the 11 comparisons (P(|Z| > 5) = 6e-7 each).
    const N = 20000;
    const d = 2;
    const rng = rngOf(wasm, 'recover');
    const truth = putMixture(wasm, TWO);
    const x = draw(wasm, rng, truth, 2, d, N);
    const em = new GmmEm(wasm, settings({ d, K: 2, maxN: N, tol: 1e-9, maxIter: 1000, regCovar: 0 }));
    const res = await em.run(rng, x, N, N);
    expect(res.converged).toBe(true);
    const fit = readMixture(wasm, em.fit, 2, d);
    // labels are arbitrary: match each true component with the nearest fitted mean
    const order = fit.means[0][0] < fit.means[1][0] ? [0, 1] : [1, 0];
    TWO.weights.forEach((w, t) => {
      const j = order[t];
      const nw = N * w;
      expect(Math.abs(fit.weights[j] - w)).toBeLessThan(5 * Math.sqrt((w * (1 - w)) / N));
      const C = TWO.covs[t];
      for (let a = 0; a < d; a++) {
        expect(Math.abs(fit.means[j][a] - TWO.means[t][a])).toBeLessThan(5 * Math.sqrt(C[a * d + a] / nw));
        for (let b = 0; b < d; b++) {
          const se = Math.sqrt((C[a * d + a] * C[b * d + b] + C[a * d + b] ** 2) / nw);
          expect(Math.abs(fit.covs[j][a * d + b] - C[a * d + b])).toBeLessThan(5 * se);
        }
      }
    });
    // the kept mixture scored on its own data (sklearn's final E-step) is no worse than its last lower bound
    expect(em.trainLogLik(x, N, N)).toBeGreaterThanOrEqual(res.lowerBound - 1e-9);
  });

  it.each(['full', 'diag', 'spherical'] as const)('the log-likelihood never decreases between EM iterations (%s, reg-covar 0)', async (covariance) => {
    // With reg-covar 0 each M-step maximises the expected complete-data
    // log-likelihood exactly, so EM's mean log-likelihood is non-decreasing
    // (Dempster, Laird & Rubin 1977, Theorem 1). Slack for floating point: the
    // mean of N per-point values, each within a few ulp, is within
    // ~10 eps |LL| of the exact value; 1e-12 max(1, |LL|) is far above it.
    const N = 2000;
    const d = 2;
    const rng = rngOf(wasm, `monotone-${covariance}`);
    const truth = putMixture(wasm, TWO);
    const x = draw(wasm, rng, truth, 2, d, N);
    // K = 4 > 2 true components: a slow, long EM path
    const em = new GmmEm(wasm, settings({ d, K: 4, maxN: N, tol: 1e-13, maxIter: 300, regCovar: 0, covariance }));
    em.trace = [];
    await em.run(rng, x, N, N);
    const t = em.trace!;
    expect(t.length).toBeGreaterThan(10);
    for (let i = 1; i < t.length; i++) expect(t[i], `iteration ${i + 1}`).toBeGreaterThanOrEqual(t[i - 1] - 1e-12 * Math.max(1, Math.abs(t[i - 1])));
    expect(t[t.length - 1]).toBeGreaterThan(t[0]);
  });

  it('diag fits have zero off-diagonals and recover diagonal variances; spherical fits are v I with the right v', async () => {
    // se of a fitted variance C_aa of a component with N w points: C_aa sqrt(2 / (N w));
    // of the spherical v (the mean of d such variances, independent): v sqrt(2 / (d N w)).
    const N = 20000;
    const d = 2;
    const rng = rngOf(wasm, 'diag');
    const diagTruth: MixtureSpec = { weights: [0.4, 0.6], means: [[-3, 0], [3, 0]], covs: [[1, 0, 0, 0.25], [0.5, 0, 0, 2]] };
    const x = draw(wasm, rng, putMixture(wasm, diagTruth), 2, d, N);
    const em = new GmmEm(wasm, settings({ d, K: 2, maxN: N, tol: 1e-9, maxIter: 1000, regCovar: 0, covariance: 'diag' }));
    await em.run(rng, x, N, N);
    const fit = readMixture(wasm, em.fit, 2, d);
    const order = fit.means[0][0] < fit.means[1][0] ? [0, 1] : [1, 0];
    diagTruth.covs.forEach((C, t) => {
      const c = fit.covs[order[t]];
      expect(c[1]).toBe(0);
      expect(c[2]).toBe(0);
      for (let a = 0; a < d; a++) expect(Math.abs(c[a * d + a] - C[a * d + a])).toBeLessThan(5 * C[a * d + a] * Math.sqrt(2 / (N * diagTruth.weights[t])));
    });

    const sphTruth: MixtureSpec = { weights: [0.5, 0.5], means: [[-4, 0], [4, 0]], covs: [[0.5, 0, 0, 0.5], [2, 0, 0, 2]] };
    const y = draw(wasm, rng, putMixture(wasm, sphTruth), 2, d, N);
    const sph = new GmmEm(wasm, settings({ d, K: 2, maxN: N, tol: 1e-9, maxIter: 1000, regCovar: 0, covariance: 'spherical' }));
    await sph.run(rng, y, N, N);
    const g = readMixture(wasm, sph.fit, 2, d);
    const o2 = g.means[0][0] < g.means[1][0] ? [0, 1] : [1, 0];
    sphTruth.covs.forEach((C, t) => {
      const c = g.covs[o2[t]];
      expect([c[1], c[2]]).toEqual([0, 0]);
      expect(c[0]).toBe(c[3]);
      expect(Math.abs(c[0] - C[0])).toBeLessThan(5 * C[0] * Math.sqrt(2 / (d * N * sphTruth.weights[t])));
    });
  });

  it('the spherical M-step is the mean of the diag one, and every M-step matches the mixture moments to the data', () => {
    // Identities of the M-step for any responsibilities that sum to 1 per
    // point (the basis of the exact moment theory): mixture mean = data mean,
    // mixture covariance = MLE data covariance + reg I; for diag and
    // spherical the trace matches. Round-off tolerance 1e-12 relative.
    const k = wasm.backend.kernels;
    const N = 503; // not a multiple of 4: the reductions' tails too
    const d = 3;
    const K = 3;
    const reg = 1e-3;
    const rng = rngOf(wasm, 'moments');
    const x = wasm.allocF64(d * N);
    k.fillNormal(rng, x, d * N, 0.5, 2);
    const xs = wasm.f64(x, d * N);
    for (let i = 0; i < N; i++) xs[N + i] += 0.7 * xs[i]; // correlate two coordinates
    const resp = wasm.allocF64(K * N);
    k.rngFillDouble(rng, resp, K * N);
    const r = wasm.f64(resp, K * N);
    for (let i = 0; i < N; i++) {
      const s = r[i] + r[N + i] + r[2 * N + i];
      for (let j = 0; j < K; j++) r[j * N + i] /= s;
    }
    const scratch = wasm.allocF64(N);
    const blocks = [0, 1, 2].map((type) => {
      const mix = wasm.allocF64(mixtureDoubles(K, d));
      expect(k.gmmMStep(x, N, N, d, K, resp, type, reg, 1e-12, mix, scratch)).toBe(0);
      return readMixture(wasm, mix, K, d);
    });
    const xv = wasm.f64(x, d * N);
    const mean = [0, 1, 2].map((a) => xv.subarray(a * N, (a + 1) * N).reduce((s, v) => s + v, 0) / N);
    const cov = (a: number, b: number) => {
      let s = 0;
      for (let i = 0; i < N; i++) s += (xv[a * N + i] - mean[a]) * (xv[b * N + i] - mean[b]);
      return s / N;
    };
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want)));
    blocks.forEach((m, type) => {
      const mbar = [0, 1, 2].map((a) => m.weights.reduce((s, w, j) => s + w * m.means[j][a], 0));
      mbar.forEach((v, a) => close(v, mean[a]));
      const mixCov = (a: number, b: number) => m.weights.reduce((s, w, j) => s + w * (m.covs[j][a * d + b] + (m.means[j][a] - mbar[a]) * (m.means[j][b] - mbar[b])), 0);
      if (type === 0) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) close(mixCov(a, b), cov(a, b) + (a === b ? reg : 0));
      if (type === 1) for (let a = 0; a < d; a++) close(mixCov(a, a), cov(a, a) + reg);
      close([0, 1, 2].reduce((s, a) => s + mixCov(a, a), 0), [0, 1, 2].reduce((s, a) => s + cov(a, a) + reg, 0));
    });
    // spherical = mean of the diag variances (same responsibilities)
    for (let j = 0; j < K; j++) {
      const diagMean = (blocks[1].covs[j][0] + blocks[1].covs[j][4] + blocks[1].covs[j][8] - 3 * reg) / 3 + reg;
      close(blocks[2].covs[j][0], diagMean);
      expect(blocks[2].covs[j][4]).toBe(blocks[2].covs[j][0]);
      expect(blocks[2].covs[j][1]).toBe(0);
    }
  });

  it('a component on one point with reg-covar 0 is repaired by the ridge, never NaN', () => {
    const k = wasm.backend.kernels;
    const N = 20;
    const d = 2;
    const K = 2;
    const rng = rngOf(wasm, 'repair');
    const x = wasm.allocF64(d * N);
    k.fillNormal(rng, x, d * N, 0, 1);
    const resp = wasm.allocF64(K * N);
    const r = wasm.f64(resp, K * N);
    r.fill(0);
    for (let i = 0; i < N; i++) r[i === 7 ? N + i : i] = 1; // component 1 owns point 7 alone
    const mix = wasm.allocF64(mixtureDoubles(K, d));
    expect(k.gmmMStep(x, N, N, d, K, resp, 0, 0, 1e-9, mix, wasm.allocF64(N))).toBe(1);
    const all = Array.from(wasm.f64(mix, mixtureDoubles(K, d)));
    expect(all.every(Number.isFinite)).toBe(true);
    const lse = wasm.allocF64(N);
    expect(Number.isFinite(k.gmmScore(x, N, N, d, K, mix, lse, wasm.allocF64(workDoubles(K, d))))).toBe(true);
  });
});

describe('E-step and scoring', () => {
  it('per-point log-likelihoods and responsibilities equal a direct computation', () => {
    // Reference with Math.exp/log in double precision; the kernels' exp/log
    // are within 1 ulp and the log-sum-exp is rearranged, so 1e-12 relative.
    const k = wasm.backend.kernels;
    const d = 2;
    const N = 37;
    const rng = rngOf(wasm, 'estep');
    const mix = putMixture(wasm, TWO);
    const x = draw(wasm, rng, mix, 2, d, N, 1.5);
    const resp = wasm.allocF64(2 * N);
    const lse = wasm.allocF64(N);
    const work = wasm.allocF64(workDoubles(2, d));
    // the E-step's mean sums log s_i as logs of products (not per point): compared below
    const mean = k.gmmEStep(x, N, N, d, 2, mix, resp, lse, work);
    const scored = k.gmmScore(x, N, N, d, 2, mix, lse, work);
    const xv = Array.from(wasm.f64(x, d * N));
    const l = Array.from(wasm.f64(lse, N));
    const r = Array.from(wasm.f64(resp, 2 * N));
    let total = 0;
    for (let i = 0; i < N; i++) {
      const pt = [xv[i], xv[N + i]];
      const p = hostDensity(TWO, pt);
      total += Math.log(p);
      expect(Math.abs(l[i] - Math.log(p))).toBeLessThan(1e-12 * Math.max(1, Math.abs(Math.log(p))));
      const p0 = hostDensity({ weights: [TWO.weights[0]], means: [TWO.means[0]], covs: [TWO.covs[0]] }, pt);
      expect(Math.abs(r[i] - p0 / p)).toBeLessThan(1e-12);
      expect(Math.abs(r[i] + r[N + i] - 1)).toBeLessThan(4e-16);
    }
    expect(Math.abs(mean - total / N)).toBeLessThan(1e-12 * Math.abs(total / N));
    expect(Math.abs(scored - total / N)).toBeLessThan(1e-12 * Math.abs(total / N));
    // a product's rounding (< 64 half-ulps) moves each group's log by < 1e-14
    expect(Math.abs(mean - scored)).toBeLessThan(1e-14);
  });

  it('points far from every component give a finite log-likelihood (clamped), not -Infinity or NaN', () => {
    const k = wasm.backend.kernels;
    const mix = putMixture(wasm, { weights: [1], means: [[0]], covs: [[1e-300]] });
    const x = wasm.allocF64(2);
    wasm.f64(x, 2).set([1e200, -3]);
    const v = k.gmmScore(x, 2, 2, 1, 1, mix, wasm.allocF64(2), wasm.allocF64(workDoubles(1, 1)));
    expect(Number.isFinite(v)).toBe(true);
  });
});

describe('the closed-form L2 distance', () => {
  it('is exactly 0 between a mixture and itself, and symmetric', () => {
    const k = wasm.backend.kernels;
    const f = putMixture(wasm, TWO);
    const g = putMixture(wasm, { weights: [1], means: [[0, 0.5]], covs: [[2, 0.1, 0.1, 1]] });
    const work = wasm.allocF64(2 * 4 + 2);
    expect(k.gmmL2Sq(f, 2, f, 2, 2, work)).toBe(0);
    expect(k.gmmL2Sq(g, 1, g, 1, 2, work)).toBe(0);
    const fg = k.gmmL2Sq(f, 2, g, 1, 2, work);
    expect(fg).toBeGreaterThan(0);
    expect(Math.abs(k.gmmL2Sq(g, 1, f, 2, 2, work) - fg)).toBeLessThan(1e-14);
  });

  // Grid error bound for both cases: the trapezoid rule on a uniform grid of
  // step h integrates a Gaussian of variance s^2 with relative error about
  // 2 exp(-2 pi^2 s^2 / h^2) (Poisson summation); (f - g)^2 is a sum of
  // Gaussian products whose variances are >= (smallest component variance)/2,
  // here >= 0.15, so with h <= 0.04 that term is below e^-1800. The domain
  // cut leaves less than e^-30 of the mass. What remains is the rounding of
  // a sum of ~10^5 terms, ~1e-12 relative: the tolerance is 1e-9 relative.
  it('matches a numerical integration of (f - g)^2 on a fine grid in 1-D', () => {
    const k = wasm.backend.kernels;
    const F: MixtureSpec = { weights: [0.4, 0.6], means: [[-1], [1.5]], covs: [[0.5], [1.2]] };
    const G: MixtureSpec = { weights: [0.2, 0.5, 0.3], means: [[-2], [0], [2.5]], covs: [[0.3], [1], [0.8]] };
    const h = 0.01;
    let grid = 0;
    for (let t = -15; t <= 15 + 1e-9; t += h) grid += (hostDensity(F, [t]) - hostDensity(G, [t])) ** 2;
    grid *= h;
    const got = k.gmmL2Sq(putMixture(wasm, F), 2, putMixture(wasm, G), 3, 1, wasm.allocF64(3));
    expect(Math.abs(got - grid)).toBeLessThan(1e-9 * grid);
  });

  it('matches a numerical integration of (f - g)^2 on a fine grid in 2-D, full covariances', () => {
    const k = wasm.backend.kernels;
    const F: MixtureSpec = { weights: [0.5, 0.5], means: [[-1, 0], [1, 0.5]], covs: [[1, 0.3, 0.3, 0.6], [0.4, -0.1, -0.1, 0.8]] };
    const G: MixtureSpec = { weights: [1], means: [[0, 0.2]], covs: [[1.5, 0.2, 0.2, 1]] };
    const h = 0.04;
    let grid = 0;
    for (let i = -300; i <= 300; i++) for (let j = -300; j <= 300; j++) grid += (hostDensity(F, [i * h, j * h]) - hostDensity(G, [i * h, j * h])) ** 2;
    grid *= h * h;
    const got = k.gmmL2Sq(putMixture(wasm, F), 2, putMixture(wasm, G), 1, 2, wasm.allocF64(10));
    expect(Math.abs(got - grid)).toBeLessThan(1e-9 * grid);
  });
});

describe('k-means++ and Lloyd', () => {
  it('is deterministic for a seed and picks distinct centres, even when every point is the same', () => {
    const k = wasm.backend.kernels;
    const N = 200;
    const d = 2;
    const K = 12;
    const pick = (key: string, x: number) => {
      const rng = rngOf(wasm, key);
      const chosen = wasm.allocI32(K);
      k.gmmKmeansPlusPlus(rng, x, N, N, d, K, wasm.allocF64(K * d), chosen, wasm.allocF64(N));
      return Array.from(wasm.i32(chosen, K));
    };
    const x = draw(wasm, rngOf(wasm, 'pp-data'), putMixture(wasm, TWO), 2, d, N);
    const a = pick('pp', x);
    expect(pick('pp', x)).toEqual(a);
    expect(pick('pp2', x)).not.toEqual(a);
    expect(new Set(a).size).toBe(K);
    const same = wasm.allocF64(d * N);
    wasm.f64(same, d * N).fill(3);
    const b = pick('pp', same);
    expect(new Set(b).size).toBe(K);
    expect(b.every((i) => i >= 0 && i < N)).toBe(true);
  });

  it('draws the second centre with probability proportional to D^2', () => {
    // Points 0, 1, 3, 6 on a line: the first centre is uniform, the second is
    // j with probability (x_j - x_first)^2 / sum. Each count is binomial:
    // |count - T p| < 5 sqrt(T p (1 - p)).
    const k = wasm.backend.kernels;
    const xs = [0, 1, 3, 6];
    const x = wasm.allocF64(4);
    wasm.f64(x, 4).set(xs);
    const rng = rngOf(wasm, 'd2');
    const chosen = wasm.allocI32(2);
    const centres = wasm.allocF64(2);
    const dist = wasm.allocF64(4);
    const counts = xs.map(() => xs.map(() => 0));
    const T = 40000;
    for (let t = 0; t < T; t++) {
      k.gmmKmeansPlusPlus(rng, x, 4, 4, 1, 2, centres, chosen, dist);
      const [f, s] = wasm.i32(chosen, 2);
      counts[f][s]++;
    }
    xs.forEach((xf, f) => {
      const n = counts[f].reduce((a, b) => a + b, 0);
      expect(Math.abs(n - T / 4)).toBeLessThan(5 * Math.sqrt((T * 3) / 16));
      const w = xs.map((xj) => (xj - xf) ** 2);
      const tot = w.reduce((a, b) => a + b, 0);
      w.forEach((wj, j) => {
        const p = wj / tot;
        expect(Math.abs(counts[f][j] - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)));
      });
    });
  });

  it('Lloyd converges to the cluster means on separated clusters; 0 rounds label by the nearest seed', () => {
    const k = wasm.backend.kernels;
    const N = 300;
    const d = 2;
    const K = 3;
    const spec: MixtureSpec = { weights: [1 / 3, 1 / 3, 1 / 3], means: [[-10, 0], [0, 10], [10, 0]], covs: [[1, 0, 0, 1], [1, 0, 0, 1], [1, 0, 0, 1]] };
    const rng = rngOf(wasm, 'lloyd');
    const x = draw(wasm, rng, putMixture(wasm, spec), K, d, N);
    const centres = wasm.allocF64(K * d);
    const chosen = wasm.allocI32(K);
    const labels = wasm.allocI32(N);
    const sums = wasm.allocF64(K * (d + 1));
    const resp = wasm.allocF64(K * N);
    const rounds = k.gmmInitResp(rng, x, N, N, d, K, 100, centres, chosen, wasm.allocF64(N), labels, sums, resp);
    expect(rounds).toBeGreaterThanOrEqual(1);
    expect(rounds).toBeLessThan(100);
    const xv = wasm.f64(x, d * N);
    const lab = Array.from(wasm.i32(labels, N));
    const c = wasm.f64(centres, K * d);
    for (let j = 0; j < K; j++) {
      const mine = lab.map((l, i) => (l === j ? i : -1)).filter((i) => i >= 0);
      expect(mine.length).toBeGreaterThan(50); // one cluster each: the clusters are 10 sd apart
      for (let a = 0; a < d; a++) {
        const m = mine.reduce((s, i) => s + xv[a * N + i], 0) / mine.length;
        expect(Math.abs(c[j * d + a] - m)).toBeLessThan(1e-12 * Math.max(1, Math.abs(m)));
      }
      const r = wasm.f64(resp + 8 * j * N, N);
      lab.forEach((l, i) => expect(r[i]).toBe(l === j ? 1 : 0));
    }
    // with 0 rounds every label is the nearest seed (a chosen point)
    k.gmmInitResp(rngOf(wasm, 'lloyd0'), x, N, N, d, K, 0, centres, chosen, wasm.allocF64(N), labels, sums, resp);
    const seeds = wasm.f64(centres, K * d);
    const ch = Array.from(wasm.i32(chosen, K));
    ch.forEach((i, j) => expect([xv[i], xv[N + i]]).toEqual([seeds[j * d], seeds[j * d + 1]]));
    wasm.i32(labels, N).forEach((l, i) => {
      const dist = (j: number) => (xv[i] - seeds[j * d]) ** 2 + (xv[N + i] - seeds[j * d + 1]) ** 2;
      for (let j = 0; j < K; j++) expect(dist(l)).toBeLessThanOrEqual(dist(j));
    });
  });
});

describe('sampling', () => {
  it('draws components by w^(1/T) renormalised, and scales covariances by the bias', () => {
    // Components 20 sd apart: the sign of a draw tells its component. Counts are
    // binomial: |count - N p| < 5 sqrt(N p (1 - p)). The variance of one
    // component's draws has se sigma^2 sqrt(2 / n).
    const N = 40000;
    const spec: MixtureSpec = { weights: [0.2, 0.8], means: [[-10], [10]], covs: [[1], [1]] };
    const mix = putMixture(wasm, spec);
    for (const T of [1, 0.5, 2]) {
      const rng = rngOf(wasm, `temp-${T}`);
      const x = draw(wasm, rng, mix, 2, 1, N, 1, 1 / T);
      const v = wasm.f64(x, N);
      const neg = v.filter((t) => t < 0).length;
      const w = spec.weights.map((wk) => wk ** (1 / T));
      const p = w[0] / (w[0] + w[1]);
      expect(Math.abs(neg - N * p), `T = ${T}`).toBeLessThan(5 * Math.sqrt(N * p * (1 - p)));
    }
    const lambda = 0.3;
    const one = putMixture(wasm, { weights: [1], means: [[0, 0]], covs: [[2, 0.5, 0.5, 1]] });
    const y = draw(wasm, rngOf(wasm, 'bias'), one, 1, 2, N, Math.sqrt(lambda));
    const yv = wasm.f64(y, 2 * N);
    const m0 = yv.subarray(0, N).reduce((s, t) => s + t, 0) / N;
    const var0 = yv.subarray(0, N).reduce((s, t) => s + (t - m0) ** 2, 0) / N;
    expect(Math.abs(var0 - 2 * lambda)).toBeLessThan(5 * 2 * lambda * Math.sqrt(2 / N));
  });
});

describe('sampling in bulk', () => {
  const SPECS: Record<number, MixtureSpec> = {
    3: {
      weights: [0.5, 0.3, 0.2],
      means: [[0, 1, 2], [-3, 0, 1], [5, 5, -5]],
      covs: [[2, 0.5, 0, 0.5, 1, 0.2, 0, 0.2, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1], [0.5, 0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1, 0.5]],
    },
    // d = 2: the SIMD build's whole-point step (uniform and both draws from six outputs)
    2: { weights: [0.6, 0.4], means: [[0, 1], [-3, 2]], covs: [[2, 0.5, 0.5, 1], [0.3, 0, 0, 0.7]] },
  };
  it.each(BACKEND_NAMES.flatMap((name) => [[name, 3], [name, 2]] as const))('%s: gmmSample gives the bits of one rngDouble() and d normal() per point, across chunks, and leaves the generator there (d = %i)', (name, d) => {
    const arena = A[name];
    const k = arena.backend.kernels;
    const spec = SPECS[d];
    const K = spec.weights.length;
    const n = 600; // past two chunks of 256
    const ld = n + 7;
    const mix = putMixture(arena, spec);
    const scale = 0.9;
    const x = arena.allocF64(d * ld);
    const a = rngOf(arena, 'bulk sampling');
    const b = rngOf(arena, 'bulk sampling');
    k.gmmSample(a, mix, K, d, scale, 1, arena.allocF64(K), arena.allocF64(k.gmmSampleScratch()), x, ld, n);
    const got = arena.f64(x, d * ld).slice();
    // the reference: the draws one by one, the transform on the host
    const v = arena.f64(mix, mixtureDoubles(K, d));
    const chol = (c: number, i: number, j: number) => v[K + K * d + K * d * d + c * d * d + i * d + j];
    const z = arena.allocF64(d);
    const sums = spec.weights.map((_, c) => spec.weights.slice(0, c + 1).reduce((t, w) => t + w, 0));
    const cum = sums.map((t) => t / sums[K - 1]);
    const bad: number[] = [];
    for (let i = 0; i < n; i++) {
      const u = k.rngDouble(b);
      let c = 0;
      while (c < K - 1 && u >= cum[c]) c++;
      k.fillNormalOneByOne(b, z, d);
      const zv = arena.f64(z, d);
      for (let r = 0; r < d; r++) {
        let acc = 0;
        for (let q = 0; q <= r; q++) acc += chol(c, r, q) * zv[q];
        if (!Object.is(got[r * ld + i], spec.means[c][r] + scale * acc)) bad.push(i);
      }
    }
    expect(bad.slice(0, 5), `${bad.length} coordinates differ`).toEqual([]);
    expect(k.rngNextInt32(a)).toBe(k.rngNextInt32(b));
  });
});

describe('EM in the kernel (gmmEmRun)', () => {
  /**
   * EM one kernel call per step, as the host ran it before gmmEmRun: the
   * first M-step, then gmmEStep, gmmMStep and |gain| < tol until max-iter.
   */
  async function stepwise(arena: Arena, s: EmSettings, rng: number, x: number, n: number) {
    const k = arena.backend.kernels;
    const em = new GmmEm(arena, s);
    const b = em.buffers;
    const cov = { full: 0, diag: 1, spherical: 2 }[s.covariance];
    k.gmmInitResp(rng, x, n, n, s.d, s.K, s.kmeansIter, b.centres, b.chosen, b.dist, b.labels, b.sums, b.resp);
    let repaired = k.gmmMStep(x, n, n, s.d, s.K, b.resp, cov, s.regCovar, s.floor, b.cur, b.scratch);
    let lowerBound = -Infinity;
    let it = 0;
    const trace: number[] = [];
    let converged = false;
    while (it < s.maxIter) {
      it++;
      const previous = lowerBound;
      lowerBound = k.gmmEStep(x, n, n, s.d, s.K, b.cur, b.resp, b.lse, b.work);
      repaired += k.gmmMStep(x, n, n, s.d, s.K, b.resp, cov, s.regCovar, s.floor, b.cur, b.scratch);
      trace.push(lowerBound);
      if (Math.abs(lowerBound - previous) < s.tol) {
        converged = true;
        break;
      }
    }
    return { it, converged, trace, repaired, mix: arena.f64(b.cur, mixtureDoubles(s.K, s.d)).slice() };
  }

  it.each(BACKEND_NAMES)('gives the bits and iteration counts of the per-iteration loop, in one call or one iteration per call (%s)', async (name) => {
    const arena = A[name];
    const truth = putMixture(arena, TWO);
    for (const [covariance, n, maxIter] of [['full', 301, 200], ['diag', 298, 200], ['spherical', 203, 200], ['full', 250, 7]] as const) {
      const s = settings({ d: 2, K: 3, maxN: n, covariance, tol: 1e-9, maxIter, regCovar: covariance === 'spherical' ? 0 : 1e-6 });
      const x = draw(arena, rngOf(arena, `em-${covariance}-${n}`), truth, 2, 2, n, 1.2);
      const want = await stepwise(arena, s, rngOf(arena, 'em-init'), x, n);
      // one call, a few iterations per call (n K 16 = 14448 units each at n = 301), one per call
      for (const callWork of [GmmEm.callWork, 50_000, 1]) {
        const saved = GmmEm.callWork;
        GmmEm.callWork = callWork;
        try {
          const em = new GmmEm(arena, s);
          em.trace = callWork === 1 ? [] : null;
          const r = await em.run(rngOf(arena, 'em-init'), x, n, n);
          expect(r.iterations, `${covariance} n = ${n}`).toBe(want.it);
          expect(r.converged).toBe(want.converged);
          expect(r.repaired).toBe(want.repaired);
          expect(Object.is(r.lowerBound, want.trace[want.trace.length - 1])).toBe(true);
          expect(sameBits(arena.f64(em.fit, mixtureDoubles(3, 2)).slice(), want.mix)).toBe(true);
          if (em.trace) expect(sameBits(Float64Array.from(em.trace), Float64Array.from(want.trace))).toBe(true);
        } finally {
          GmmEm.callWork = saved;
        }
      }
      expect(want.it).toBeGreaterThan(maxIter === 7 ? 6 : 10); // a long path: many iterations compared
    }
  });
});

describe('backends agree bit for bit on the GMM kernels', () => {
  it('sampling, k-means++, Lloyd, EM, scoring and L2 give identical bits on js, wasm and wasm-simd', async () => {
    const results = [];
    for (const name of BACKEND_NAMES) results.push(await (async () => {
      const arena = A[name];
      const k = arena.backend.kernels;
      const acc: number[] = [];
      const truth = putMixture(arena, TWO);
      // K = 2 takes the fused d = 2 E-step: odd blocks whose last point ends a group of
      // the lower bound's products (n = 7, 61, 321) or starts one (65, 257: 256 + 1)
      for (const [n, K] of [[5, 3], [6, 3], [7, 3], [8, 3], [61, 3], [250, 3], [7, 2], [61, 2], [65, 2], [250, 2], [257, 2], [321, 2]] as const) {
        const rng = rngOf(arena, `parity-${n}-${K}`);
        const x = draw(arena, rng, truth, 2, 2, n, 0.9, 1 / 1.3);
        acc.push(...arena.f64(x, 2 * n));
        for (const covariance of ['full', 'diag', 'spherical'] as const) {
          const em = new GmmEm(arena, settings({ d: 2, K, maxN: n, covariance, nInit: 2, tol: 1e-6, maxIter: 50 }));
          const r = await em.run(rng, x, n, n);
          acc.push(r.iterations, r.lowerBound, em.trainLogLik(x, n, n), ...arena.f64(em.fit, mixtureDoubles(K, 2)), ...arena.f64(em.buffers.resp, K * n), ...arena.i32(em.buffers.chosen, K), ...arena.i32(em.buffers.labels, n));
          acc.push(k.gmmL2Sq(truth, 2, em.fit, K, 2, arena.allocF64(10)));
          acc.push(k.gmmScore(x, n, n, 2, K, em.fit, arena.allocF64(n), arena.allocF64(workDoubles(K, 2))));
        }
        // Lloyd stopped early (0 rounds: the seeds' labels; 1 round): the SIMD build's
        // d = 2, K = 2 pass keeps its labels as masks until the last round
        for (const kmeansIter of [0, 1]) {
          const em = new GmmEm(arena, settings({ d: 2, K, maxN: n, covariance: 'diag', kmeansIter, tol: 1e-6, maxIter: 5 }));
          const r = await em.run(rng, x, n, n);
          acc.push(r.iterations, r.lowerBound, ...arena.f64(em.fit, mixtureDoubles(K, 2)), ...arena.i32(em.buffers.labels, n), ...arena.f64(em.buffers.centres, 2 * K));
        }
      }
      return new Float64Array(acc);
    })());
    expect(sameBits(results[0], results[1])).toBe(true);
    expect(sameBits(results[0], results[2])).toBe(true);
  });
});
