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
import { CLASSIFIER_HEADER_INTS, OPT_DOUBLES, classifierParamCount, classifierWorkFloats, pad4 } from '../src/families/vae/layout.js';

/** float32's unit roundoff (the classifier trains in float32, as the VAE). */
const U32 = 2 ** -24;

/** The mean cross-entropy of the classifier on images xs (labels ys), in double: W1[H][D] b1[H] W2[C][H] b2[C], each block padded to 4. */
function directCrossEntropy(p: Float64Array, D: number, H: number, C: number, xs: number[][], ys: number[]): number {
  let at = 0;
  const take = (n: number) => {
    const block = p.subarray(at, at + n);
    at += pad4(n);
    return block;
  };
  const [W1, b1, W2, b2] = [take(H * D), take(H), take(C * H), take(C)];
  let total = 0;
  xs.forEach((x, i) => {
    const h = Array.from({ length: H }, (_, o) => Math.max(0, x.reduce((s, xj, j) => s + W1[o * D + j] * xj, b1[o])));
    const t = Array.from({ length: C }, (_, c) => h.reduce((s, hj, j) => s + W2[c * H + j] * hj, b2[c]));
    const mx = Math.max(...t);
    total += Math.log(t.reduce((s, tc) => s + Math.exp(tc - mx), 0)) - (t[ys[i]] - mx);
  });
  return total / xs.length;
}

const all = await arenas();

describe('sizes', () => {
  it('the host and the kernels count the same classifier parameters and work floats', () => {
    const k = all.wasm.backend.kernels;
    for (const [D, H, C, B] of [[196, 64, 10, 100], [3, 1, 2, 1]]) {
      expect(k.vaeClassifierParamCount(D, H, C)).toBe(classifierParamCount(D, H, C));
      expect(k.vaeClassifierWorkFloats(B, D, H, C)).toBe(classifierWorkFloats(B, D, H, C));
      expect(classifierParamCount(D, H, C) % 4).toBe(0);
    }
  });
});

describe('the classifier', () => {
  // The kernel's float32 gradient against central differences (h = 1e-6, error about 1e-10) of the
  // cross-entropy computed in double at the same float weights and float-rounded inputs. The float
  // gradient's error: two layers of dots of at most 5 terms and the softmax step, each op off by at most
  // u = 2^-24, so about 2 x (5 + 4) u = 18 u times the sum of its terms' magnitudes, within a small factor of
  // the largest gradient G for this random network. Bound: |g - fd| <= 64 u (|fd| + 8 G) (4e-6 G); a wrong
  // gradient is off by O(G).
  it.each(BACKEND_NAMES)('%s: the cross-entropy gradient of every parameter against central differences (Adam with lr 0 leaves the weights)', (backend) => {
    const a = all[backend];
    const k = a.backend.kernels;
    const [D, H, C, n] = [5, 4, 3, 6];
    const P = classifierParamCount(D, H, C);
    const gen = allocGenerator(a);
    const cls = a.allocI32(CLASSIFIER_HEADER_INTS);
    const [params, grads, m, v] = [a.allocF32(P), a.allocF32(P), a.allocF32(P), a.allocF32(P)];
    const work = a.allocF32(classifierWorkFloats(n, D, H, C));
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
    const pf = a.f32(params, P);
    const weights = [[0, H * D], [pad4(H * D), H], [pad4(H * D) + pad4(H), C * H], [pad4(H * D) + pad4(H) + pad4(C * H), C]];
    for (const [at, size] of weights) for (let i = at; i < at + size; i++) if (pf[i] === 0) pf[i] = 0.05 * Math.cos(i + 1); // biases too
    const before = Float64Array.from(pf);
    const kernelLoss = k.vaeClassifierTrain(cls, opt, data, n, n, labels, idx, 0, 1);
    expect(sameBits(Float64Array.from(a.f32(params, P)), before), 'lr 0: the weights stay').toBe(true);
    const g = a.f32(grads, P).slice();
    // the minibatch is every image, in the order idx
    const cols = a.f64(data, D * n);
    const order = Array.from(a.i32(idx, n));
    const xs = order.map((img) => Array.from({ length: D }, (_, j) => Math.fround(cols[j * n + img])));
    const ys = order.map((img) => a.i32(labels, n)[img]);
    const p = before.slice();
    const loss = () => directCrossEntropy(p, D, H, C, xs, ys);
    expect(Math.abs(kernelLoss - loss()) / loss(), 'the loss').toBeLessThan(256 * U32);
    const h = 1e-6;
    const fd = new Float64Array(P);
    for (const [at, size] of weights) {
      for (let i = at; i < at + size; i++) {
        const p0 = p[i];
        p[i] = p0 + h;
        const up = loss();
        p[i] = p0 - h;
        const down = loss();
        p[i] = p0;
        fd[i] = (up - down) / (2 * h);
      }
    }
    const G = Math.max(...Array.from(fd, Math.abs));
    let worst = 0;
    for (let i = 0; i < P; i++) worst = Math.max(worst, Math.abs(fd[i] - g[i]) / (64 * U32 * (Math.abs(fd[i]) + 8 * G)));
    expect(worst).toBeLessThan(1);
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
