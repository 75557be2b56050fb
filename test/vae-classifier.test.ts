// The VAE family's digit classifier (assembly/models/vae/classifier.ts: an
// MLP) and the Fréchet distance of its features (assembly/stats/frechet.ts):
// the classifier's gradient against finite differences, the entropy of class
// counts, the Fréchet distance against closed forms (two Gaussians in 2-D
// whose covariances do not commute; commuting ones in 6-D, one singular),
// FD(X, X) = 0 in 32-D, and the same bits on every backend.
import { describe, expect, it } from 'vitest';
import { arenas, sameBits, BACKEND_NAMES } from './helpers.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';
import { CLASSIFIER_HEADER_INTS, OPT_DOUBLES, classifierParamCount, classifierWorkDoubles } from '../src/families/vae/layout.js';

const all = await arenas();

describe('sizes', () => {
  it('the host and the kernels count the same classifier parameters and work doubles', () => {
    const k = all.wasm.backend.kernels;
    for (const [D, H, C, B] of [[196, 64, 10, 100], [3, 1, 2, 1]]) {
      expect(k.vaeClassifierParamCount(D, H, C)).toBe(classifierParamCount(D, H, C));
      expect(k.vaeClassifierWorkDoubles(B, D, H, C)).toBe(classifierWorkDoubles(B, D, H, C));
    }
  });
});

describe('the classifier', () => {
  it.each(BACKEND_NAMES)('%s: the cross-entropy gradient of every parameter against central differences (Adam with lr 0 leaves the weights)', (backend) => {
    const a = all[backend];
    const k = a.backend.kernels;
    const [D, H, C, n] = [5, 4, 3, 6];
    const P = classifierParamCount(D, H, C);
    const gen = allocGenerator(a);
    const cls = a.allocI32(CLASSIFIER_HEADER_INTS);
    const [params, grads, m, v] = [a.allocF64(P), a.allocF64(P), a.allocF64(P), a.allocF64(P)];
    const work = a.allocF64(classifierWorkDoubles(n, D, H, C));
    const opt = a.allocF64(OPT_DOUBLES);
    const data = a.allocF64(D * n);
    const labels = a.allocI32(n);
    const idx = a.allocI32(n);
    a.i32(cls, CLASSIFIER_HEADER_INTS).set([D, H, C, n, params, grads, m, v, work]);
    a.f64(opt, 4).set([0, 0.9, 0.999, 1e-8]);
    seedGenerator(a, gen.rng, gen.key, 'classifier');
    k.vaeClassifierInit(cls, opt, gen.rng);
    k.rngFillDouble(gen.rng, data, D * n);
    a.i32(labels, n).set([0, 1, 2, 2, 1, 0]);
    a.i32(idx, n).set([3, 0, 5, 1, 4, 2]);
    const p = a.f64(params, P);
    for (let i = 0; i < P; i++) if (p[i] === 0) p[i] = 0.05 * Math.cos(i + 1); // biases too
    const loss = () => k.vaeClassifierTrain(cls, opt, data, n, n, labels, idx, 0, 1);
    const before = p.slice();
    loss();
    expect(sameBits(a.f64(params, P).slice(), before), 'lr 0: the weights stay').toBe(true);
    const g = a.f64(grads, P).slice();
    const h = 1e-6;
    let worst = 0;
    for (let i = 0; i < P; i++) {
      const p0 = p[i];
      p[i] = p0 + h;
      const up = loss();
      p[i] = p0 - h;
      const down = loss();
      p[i] = p0;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[i]) / (1e-6 + Math.abs(fd)));
    }
    // central differences: error O(h^2) + rounding O(1e-16 / h); a wrong gradient is off by O(1)
    expect(worst).toBeLessThan(1e-5);
  });

  it('entropy of counts (1, 1, 2, 0) is -(2 (1/4) ln(1/4) + (1/2) ln(1/2))', () => {
    const a = all.wasm;
    const h = a.allocF64(4);
    a.f64(h, 4).set([1, 1, 2, 0]);
    expect(a.backend.kernels.countsEntropy(h, 4)).toBeCloseTo(-(0.5 * Math.log(0.25) + 0.5 * Math.log(0.5)), 14);
    a.f64(h, 4).set([0, 5, 0, 0]);
    expect(a.backend.kernels.countsEntropy(h, 4)).toBe(0);
  });
});

/** The Fréchet distance through the kernels: S1's square root, then the distance. */
function kernelFd(a: Arena, mu1: number[], s1: number[], mu2: number[], s2: number[]) {
  const k = a.backend.kernels;
  const d = mu1.length;
  const put = (x: number[]) => {
    const p = a.allocF64(x.length);
    a.f64(p, x.length).set(x);
    return p;
  };
  const root = a.allocF64(d * d);
  const work = a.allocF64(2 * d * d);
  k.symmetricSqrt(put(s1), d, root, work);
  let tr1 = 0;
  for (let i = 0; i < d; i++) tr1 += s1[i * d + i];
  const fd = k.frechetDistance(put(mu1), root, tr1, put(mu2), put(s2), d, work);
  return { fd, root: a.f64(root, d * d).slice() };
}

const matMul = (x: number[], y: number[], d: number) =>
  Array.from({ length: d * d }, (_, ij) => {
    const [i, j] = [Math.floor(ij / d), ij % d];
    let s = 0;
    for (let t = 0; t < d; t++) s += x[i * d + t] * y[t * d + j];
    return s;
  });
const transpose = (x: number[], d: number) => Array.from({ length: d * d }, (_, ij) => x[(ij % d) * d + Math.floor(ij / d)]);

describe('the Fréchet distance', () => {
  it('2-D, covariances that do not commute: tr (S1 S2)^{1/2} = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2)) for 2x2 matrices', () => {
    const s1 = [2, 0.6, 0.6, 1];
    const s2 = [0.5, -0.3, -0.3, 1.5];
    const [mu1, mu2] = [[0.3, -1], [1, 0.5]];
    const p = matMul(s1, s2, 2);
    const det = (s: number[]) => s[0] * s[3] - s[1] * s[2];
    const cross = Math.sqrt(p[0] + p[3] + 2 * Math.sqrt(det(s1) * det(s2)));
    const want = (mu1[0] - mu2[0]) ** 2 + (mu1[1] - mu2[1]) ** 2 + 3 + 2 - 2 * cross;
    for (const backend of BACKEND_NAMES) {
      const { fd, root } = kernelFd(all[backend], mu1, s1, mu2, s2);
      expect(Math.abs(fd - want) / want, backend).toBeLessThan(1e-13);
      // the square root squares back to S1
      matMul(Array.from(root), Array.from(root), 2).forEach((x, i) => expect(Math.abs(x - s1[i])).toBeLessThan(1e-14));
    }
  });

  it('6-D, commuting covariances R diag(a) R^T and R diag(b) R^T (S1 singular): |mu1 - mu2|^2 + sum (sqrt a - sqrt b)^2', () => {
    const d = 6;
    // R: a product of plane rotations, orthogonal to rounding
    let r: number[] = Array.from({ length: d * d }, (_, ij) => (ij % (d + 1) === 0 ? 1 : 0));
    for (let p = 0; p < d - 1; p++) {
      const t = 0.4 + 0.3 * p;
      const g: number[] = Array.from({ length: d * d }, (_, ij) => (ij % (d + 1) === 0 ? 1 : 0));
      g[p * d + p] = g[(p + 1) * d + p + 1] = Math.cos(t);
      g[p * d + p + 1] = -Math.sin(t);
      g[(p + 1) * d + p] = Math.sin(t);
      r = matMul(r, g, d);
    }
    const cov = (e: number[]) => matMul(matMul(r, e.flatMap((x, i) => Array.from({ length: d }, (_, j) => (i === j ? x : 0))), d), transpose(r, d), d);
    const ea = [3, 1, 0.5, 0.2, 0.05, 0];
    const eb = [0.1, 2, 0.5, 1, 4, 0.3];
    const mu1 = [0, 1, 2, 3, 4, 5];
    const mu2 = [0.5, 1, 1.5, 3, 4, 6];
    const want = mu1.reduce((s, x, i) => s + (x - mu2[i]) ** 2, 0) + ea.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(eb[i])) ** 2, 0);
    const { fd } = kernelFd(all.wasm, mu1, cov(ea), mu2, cov(eb));
    // the zero eigenvalue's square root is that of round-off (1e-16): about 1e-8 in the distance
    expect(Math.abs(fd - want)).toBeLessThan(1e-7);
  });

  it('FD(X, X) = 0 for 120 points in 32-D (sample moments against a direct computation), and the same bits on every backend', () => {
    const [n, d] = [120, 32];
    const results = BACKEND_NAMES.map((backend) => {
      const a = all[backend];
      const k = a.backend.kernels;
      const gen = allocGenerator(a);
      seedGenerator(a, gen.rng, gen.key, 'features');
      const f = a.allocF64(n * d);
      k.fillNormal(gen.rng, f, n * d, 0, 1);
      // correlated and of unequal scales: coordinate a gets a share of a - 1 and a scale of its own
      const x = a.f64(f, n * d);
      for (let c = 1; c < d; c++) for (let i = 0; i < n; i++) x[c * n + i] = (1 + c / 8) * x[c * n + i] + 0.5 * x[(c - 1) * n + i];
      const [mean, cov] = [a.allocF64(d), a.allocF64(d * d)];
      k.featureMoments(f, n, n, d, mean, cov);
      const m = a.f64(mean, d).slice();
      const s = Array.from(a.f64(cov, d * d));
      if (backend === 'js') {
        for (const [p, q] of [[0, 0], [3, 7], [31, 30]]) {
          let mp = 0, mq = 0, c = 0;
          for (let i = 0; i < n; i++) (mp += x[p * n + i] / n), (mq += x[q * n + i] / n);
          for (let i = 0; i < n; i++) c += (x[p * n + i] - mp) * (x[q * n + i] - mq);
          expect(Math.abs(s[p * d + q] - c / (n - 1))).toBeLessThan(1e-12 * (1 + Math.abs(c)));
          expect(Math.abs(m[p] - mp)).toBeLessThan(1e-14);
        }
      }
      const same = kernelFd(a, Array.from(m), s, Array.from(m), s).fd;
      let trace = 0;
      for (let i = 0; i < d; i++) trace += s[i * d + i];
      expect(same / trace, `${backend}: FD(X, X) relative to tr S`).toBeLessThan(1e-10);
      // shifted by 0.1 in every coordinate: FD = 32 (0.1)^2, to rounding
      const shifted = kernelFd(a, Array.from(m), s, Array.from(m, (u) => u + 0.1), s).fd;
      expect(Math.abs(shifted - 0.32) / trace).toBeLessThan(1e-10);
      return Float64Array.from([same, shifted, ...m, ...s]);
    });
    expect(sameBits(results[1], results[0]), 'wasm = js').toBe(true);
    expect(sameBits(results[2], results[0]), 'wasm-simd = js').toBe(true);
  });
});
