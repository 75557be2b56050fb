// The VAE kernels (assembly/models/vae/): every layer's gradient against
// finite differences (Bernoulli and Gaussian pixels), one Adam step by hand,
// the ELBO of a tiny model against a direct computation (both likelihoods), the importance-weighted bound tightening with K, and
// the same bits on every backend.
import { describe, expect, it } from 'vitest';
import { arenas, sameBits, BACKEND_NAMES } from './helpers.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';
import { HEADER_INTS, LIKELIHOOD_DOUBLES, OPT_DOUBLES, paramCount, workDoubles } from '../src/families/vae/layout.js';

const all = await arenas();

/** A tiny network in `a`: D pixels, H hidden, L latent, minibatches of B, and n random images in [0, 1] (column-major). */
function tinyNet(a: Arena, D: number, H: number, L: number, B: number, n: number, key = 'net', likelihood: [number, number] = [0, 0.1]) {
  const k = a.backend.kernels;
  const P = paramCount(D, H, L);
  const gen = allocGenerator(a);
  const net = a.allocI32(HEADER_INTS);
  const opt = a.allocF64(OPT_DOUBLES);
  const params = a.allocF64(P);
  const grads = a.allocF64(P);
  const m = a.allocF64(P);
  const v = a.allocF64(P);
  const work = a.allocF64(workDoubles(B, D, H, L));
  const data = a.allocF64(D * n);
  const out = a.allocF64(n);
  const lik = a.allocF64(LIKELIHOOD_DOUBLES);
  a.f64(lik, LIKELIHOOD_DOUBLES).set(likelihood);
  a.i32(net, HEADER_INTS).set([D, H, L, B, params, grads, m, v, work, lik]);
  a.f64(opt, 4).set([1e-3, 0.9, 0.999, 1e-8]);
  const seed = (key: string) => seedGenerator(a, gen.rng, gen.key, key);
  seed(key);
  k.vaeInit(net, opt, gen.rng);
  // biases away from 0 too, so every parameter's gradient is exercised
  const p = a.f64(params, P);
  for (let i = 0; i < P; i++) if (p[i] === 0) p[i] = 0.05 * Math.sin(i + 1);
  k.rngFillDouble(gen.rng, data, D * n);
  return { k, P, gen, net, opt, params, grads, m, v, work, data, out, seed, p, g: () => a.f64(grads, P) };
}

describe('sizes', () => {
  it('the host and the kernels count the same parameters and work doubles', () => {
    const k = all.wasm.backend.kernels;
    for (const [D, H, L, B] of [[196, 128, 8, 64], [3, 1, 1, 1], [784, 7, 20, 5]]) {
      expect(k.vaeParamCount(D, H, L)).toBe(paramCount(D, H, L));
      expect(k.vaeWorkDoubles(B, D, H, L)).toBe(workDoubles(B, D, H, L));
    }
  });
});

// the parameter blocks in layout order, with their sizes
const blocks = (D: number, H: number, L: number): [string, number][] => [
  ['W1 (encoder hidden)', H * D], ['b1', H], ['We (mu, log var)', 2 * L * H], ['be', 2 * L],
  ['Wd (decoder hidden)', H * L], ['bd', H], ['Wo (logits)', D * H], ['bo', D],
];

/** The pixel likelihoods as the kernels take them: [mode, sd]. */
const LIKELIHOODS: Record<string, [number, number]> = { bernoulli: [0, 0.1], gaussian: [1, 0.3] };
const cases = BACKEND_NAMES.flatMap((backend) => Object.keys(LIKELIHOODS).map((lik) => [backend, lik] as const));

describe('gradients against central finite differences', () => {
  it.each(cases)('%s, %s pixels: every parameter of every layer, a minibatch of 3 (eps fixed by reseeding)', (backend, lik) => {
    const a = all[backend];
    const [D, H, L, B] = [6, 5, 2, 3];
    const t = tinyNet(a, D, H, L, B, B, 'net', LIKELIHOODS[lik]);
    const loss = () => {
      t.seed('eps');
      return t.k.vaeBatchGrad(t.net, t.gen.rng, t.data, B, -1, 0, B);
    };
    loss();
    const g = t.g().slice();
    const h = 1e-6;
    let at = 0;
    for (const [name, size] of blocks(D, H, L)) {
      let worst = 0;
      for (let i = at; i < at + size; i++) {
        const p0 = t.p[i];
        t.p[i] = p0 + h;
        const up = loss();
        t.p[i] = p0 - h;
        const down = loss();
        t.p[i] = p0;
        const fd = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - g[i]) / (1e-6 + Math.abs(fd)));
      }
      // central differences: error O(h^2) + rounding O(1e-16 / h); a wrong gradient is off by O(1)
      expect(worst, name).toBeLessThan(1e-5);
      at += size;
    }
    expect(at).toBe(t.P);
  });
});

describe('Adam', () => {
  it('two steps equal the hand computation of Kingma & Ba (2015), Algorithm 1', () => {
    const a = all.wasm;
    const t = tinyNet(a, 2, 1, 1, 1, 1);
    const P = t.P;
    const p0 = Float64Array.from({ length: P }, (_, i) => 0.3 - 0.1 * i);
    const grads = [Float64Array.from({ length: P }, (_, i) => (i % 2 ? -1 : 1) * (0.5 + i)), Float64Array.from({ length: P }, (_, i) => 0.25 - 0.2 * i)];
    t.p.set(p0);
    a.f64(t.m, P).fill(0);
    a.f64(t.v, P).fill(0);
    a.f64(t.opt, OPT_DOUBLES).set([0.01, 0.9, 0.999, 1e-8, 1, 1]);
    const m = new Float64Array(P);
    const v = new Float64Array(P);
    const p = p0.slice();
    for (let step = 1; step <= 2; step++) {
      const g = grads[step - 1];
      t.g().set(g);
      t.k.vaeAdamStep(t.net, t.opt);
      const b1t = 0.9 ** step; // 0.9, 0.81: exact as the kernel's repeated product for these two steps
      const b2t = step === 1 ? 0.999 : 0.999 * 0.999;
      for (let i = 0; i < P; i++) {
        m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
        v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i];
        p[i] = p[i] - (0.01 * (m[i] / (1 - (step === 1 ? 0.9 : 0.9 * 0.9)))) / (Math.sqrt(v[i] / (1 - b2t)) + 1e-8);
      }
      expect(b1t).toBeCloseTo(step === 1 ? 0.9 : 0.81, 15);
      expect(sameBits(a.f64(t.params, P).slice(), p), `step ${step}`).toBe(true);
    }
    // the first step moves each parameter by lr against the sign of its gradient (m-hat = g, v-hat = g^2)
    for (let i = 0; i < P; i++) {
      const first = p0[i] - 0.01 * Math.sign(grads[0][i]);
      expect(Math.abs(first - (p0[i] - (0.01 * grads[0][i]) / (Math.abs(grads[0][i]) + 1e-8)))).toBeLessThan(1e-9);
    }
  });
});

/** The negative ELBO of image i computed directly from the parameters (row-major blocks), with Math; sd: Gaussian pixels of that sd, else Bernoulli. */
function directNegElbo(p: Float64Array, D: number, H: number, L: number, x: number[], eps: number[], sd?: number): number {
  let at = 0;
  const take = (n: number) => p.subarray(at, (at += n));
  const [W1, b1, We, be, Wd, bd, Wo, bo] = [take(H * D), take(H), take(2 * L * H), take(2 * L), take(H * L), take(H), take(D * H), take(D)];
  const dense = (W: Float64Array, b: Float64Array, inp: number[], nout: number) =>
    Array.from({ length: nout }, (_, o) => b[o] + inp.reduce((s, xi, j) => s + W[o * inp.length + j] * xi, 0));
  const relu = (v: number[]) => v.map((u) => Math.max(u, 0));
  const e = dense(We, be, relu(dense(W1, b1, x, H)), 2 * L);
  const mu = e.slice(0, L);
  const lv = e.slice(L);
  const z = mu.map((m, l) => m + Math.exp(lv[l] / 2) * eps[l]);
  const logits = dense(Wo, bo, relu(dense(Wd, bd, z, H)), D);
  // -log p(x|z) for Bernoulli pixels with probability sigmoid(t)
  const nll =
    sd === undefined
      ? logits.reduce((s, t, j) => s - (x[j] * Math.log(1 / (1 + Math.exp(-t))) + (1 - x[j]) * Math.log(1 - 1 / (1 + Math.exp(-t)))), 0)
      : // Gaussian pixels: -log N(x; sigmoid(t), sd^2)
        logits.reduce((s, t, j) => s + (x[j] - 1 / (1 + Math.exp(-t))) ** 2 / (2 * sd * sd) + Math.log(sd * Math.sqrt(2 * Math.PI)), 0);
  const kl = 0.5 * mu.reduce((s, m, l) => s + m * m + Math.exp(lv[l]) - 1 - lv[l], 0);
  return nll + kl;
}

describe('the ELBO', () => {
  it.each(Object.keys(LIKELIHOODS))('of a tiny model equals the direct computation, image by image (%s pixels)', (lik) => {
    const a = all.wasm;
    const [D, H, L, B, n] = [5, 4, 3, 2, 5];
    const t = tinyNet(a, D, H, L, B, n, 'net', LIKELIHOODS[lik]);
    t.seed('elbo');
    const mean = t.k.vaeNegElbo(t.net, t.gen.rng, t.data, n, n, t.out);
    // the same normals: n L draws in image order
    t.seed('elbo');
    const epsBuf = a.allocF64(n * L);
    t.k.fillNormal(t.gen.rng, epsBuf, n * L, 0, 1);
    const eps = a.f64(epsBuf, n * L);
    const cols = a.f64(t.data, D * n);
    const per = a.f64(t.out, n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: D }, (_, j) => cols[j * n + i]);
      const want = directNegElbo(t.p, D, H, L, x, Array.from(eps.subarray(i * L, (i + 1) * L)), lik === 'gaussian' ? LIKELIHOODS[lik][1] : undefined);
      expect(Math.abs(per[i] - want) / Math.abs(want), `image ${i}`).toBeLessThan(1e-12);
      total += per[i];
    }
    expect(mean).toBeCloseTo(total / n, 12);
  });

  it('the importance-weighted bound tightens with K (Burda et al. 2016): K = 64 below K = 1 by many standard errors', () => {
    const a = all.wasm;
    const [D, H, L, B, n] = [8, 6, 2, 16, 200];
    const t = tinyNet(a, D, H, L, B, n, 'iw');
    const bound = (K: number) => {
      const w = a.allocF64(K);
      t.seed(`iw${K}`);
      t.k.vaeIwBound(t.net, t.gen.rng, t.data, n, n, K, w, t.out);
      return a.f64(t.out, n).slice();
    };
    const b1 = bound(1);
    const b64 = bound(64);
    const d = b1.map((x, i) => x - b64[i]);
    const mean = d.reduce((s, x) => s + x, 0) / n;
    const se = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) / n);
    expect(mean).toBeGreaterThan(4 * se);
    // and each is an upper bound on -log p(x): K = 64 is never far below K = 1's mean either way
    expect(b64.every(Number.isFinite)).toBe(true);
  });
});

describe('same bits on every backend', () => {
  it.each(Object.keys(LIKELIHOODS))('%s pixels: 8 minibatches of training, then the bounds and a Bernoulli decode', (lik) => {
    const results = BACKEND_NAMES.map((backend) => {
      const a = all[backend];
      const [D, H, L, B, n] = [10, 7, 3, 4, 30];
      const t = tinyNet(a, D, H, L, B, n, 'bits', LIKELIHOODS[lik]);
      const order = a.allocI32(n);
      const w = a.allocF64(5);
      const imgs = a.allocF64(D * 9);
      t.k.vaeShuffle(t.gen.rng, order, n);
      const loss = t.k.vaeTrain(t.net, t.opt, t.gen.rng, t.data, n, n, order, B, 0, 8);
      const elbo = t.k.vaeNegElbo(t.net, t.gen.rng, t.data, n, n, t.out);
      const iw = t.k.vaeIwBound(t.net, t.gen.rng, t.data, n, n, 5, w, t.out);
      t.k.vaeDecode(t.net, t.gen.rng, 1, imgs, 9, 9);
      return Float64Array.from([loss, elbo, iw, ...a.f64(t.params, t.P), ...a.f64(imgs, D * 9)]);
    });
    expect(sameBits(results[1], results[0]), 'wasm = js').toBe(true);
    expect(sameBits(results[2], results[0]), 'wasm-simd = js').toBe(true);
  });
});

