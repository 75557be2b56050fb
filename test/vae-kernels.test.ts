// The VAE kernels (assembly/models/vae/): every layer's gradient against
// finite differences (Bernoulli and Gaussian pixels), one Adam step by hand,
// the ELBO of a tiny model against a direct computation (both likelihoods), the importance-weighted bound tightening with K, and
// the same bits on every backend.
//
// The network trains in float32 (f32): the kernels' numbers are floats, every
// float op rounded to float. The references here are double-precision JS
// (Math) computations of the same model at the same float weights, inputs and
// normals; the tolerances come from float32's unit roundoff u = 2^-24 (see each).
import { describe, expect, it } from 'vitest';
import { arenas, sameBits, BACKEND_NAMES } from './helpers.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';
import { HEADER_INTS, LIKELIHOOD_DOUBLES, OPT_DOUBLES, pad4, paramCount, workFloats } from '../src/families/vae/layout.js';

/** float32's unit roundoff. */
const U32 = 2 ** -24;

const all = await arenas();

/** A tiny network in `a`: D pixels, H hidden, L latent, minibatches of B, and n random images in [0, 1] (column-major). */
function tinyNet(a: Arena, D: number, H: number, L: number, B: number, n: number, key = 'net', likelihood: [number, number] = [0, 0.1]) {
  const k = a.backend.kernels;
  const P = paramCount(D, H, L);
  const gen = allocGenerator(a);
  const net = a.allocI32(HEADER_INTS);
  const opt = a.allocF64(OPT_DOUBLES);
  const params = a.allocF32(P);
  const grads = a.allocF32(P);
  const m = a.allocF32(P);
  const v = a.allocF32(P);
  const work = a.allocF32(workFloats(B, D, H, L));
  const data = a.allocF64(D * n);
  const out = a.allocF64(n);
  const lik = a.allocF64(LIKELIHOOD_DOUBLES);
  a.f64(lik, LIKELIHOOD_DOUBLES).set(likelihood);
  a.i32(net, HEADER_INTS).set([D, H, L, B, params, grads, m, v, work, lik]);
  a.f64(opt, 4).set([1e-3, 0.9, 0.999, 1e-8]);
  const seed = (key: string) => seedGenerator(a, gen.rng, gen.key, key);
  seed(key);
  k.vaeInit(net, opt, gen.rng);
  // biases away from 0 too, so every parameter's gradient is exercised (the blocks' padding stays 0)
  const p = a.f32(params, P);
  for (const [, at, size] of blocks(D, H, L)) for (let i = at; i < at + size; i++) if (p[i] === 0) p[i] = 0.05 * Math.sin(i + 1);
  k.rngFillDouble(gen.rng, data, D * n);
  return { k, P, gen, net, opt, params, grads, m, v, work, data, out, seed, p, g: () => a.f32(grads, P) };
}

describe('sizes', () => {
  it('the host and the kernels count the same parameters and work floats, a multiple of 4', () => {
    const k = all.wasm.backend.kernels;
    for (const [D, H, L, B] of [[196, 128, 8, 64], [3, 1, 1, 1], [784, 7, 20, 5]]) {
      expect(k.vaeParamCount(D, H, L)).toBe(paramCount(D, H, L));
      expect(k.vaeWorkFloats(B, D, H, L)).toBe(workFloats(B, D, H, L));
      expect(paramCount(D, H, L) % 4).toBe(0);
    }
    // unpadded when every block is a multiple of 4 floats
    expect(paramCount(196, 128, 8)).toBe(128 * 196 + 128 + 16 * 128 + 16 + 128 * 8 + 128 + 196 * 128 + 196);
  });
});

/** The parameter blocks in layout order: name, offset (floats) and size; each block starts on a multiple of 4 floats. */
function blocks(D: number, H: number, L: number): [string, number, number][] {
  const sizes: [string, number][] = [
    ['W1 (encoder hidden)', H * D], ['b1', H], ['We (mu, log var)', 2 * L * H], ['be', 2 * L],
    ['Wd (decoder hidden)', H * L], ['bd', H], ['Wo (logits)', D * H], ['bo', D],
  ];
  let at = 0;
  return sizes.map(([name, size]) => {
    const b: [string, number, number] = [name, at, size];
    at += pad4(size);
    return b;
  });
}

/** The pixel likelihoods as the kernels take them: [mode, sd]. */
const LIKELIHOODS: Record<string, [number, number]> = { bernoulli: [0, 0.1], gaussian: [1, 0.3] };
const cases = BACKEND_NAMES.flatMap((backend) => Object.keys(LIKELIHOODS).map((lik) => [backend, lik] as const));

describe('gradients against central finite differences', () => {
  // The kernel's float32 gradient of the minibatch's mean negative ELBO is compared with central
  // differences of the direct double-precision computation (directNegElbo) at the same float weights,
  // inputs (the kernels round the grey levels to float) and normals, with h = 1e-6: their error,
  // h^2 |L'''| / 6 + 1e-16 |L| / h, is about 1e-10, far below the float gradient's own. That one: each
  // gradient is a sum over a short chain of float ops (at most 4 layers, dots of at most 6 terms here), each
  // op off by at most u = 2^-24 relative, so |error| <= c u S with c about 4 layers x (6 + 4) ops = 40 and
  // S the sum of the magnitudes of the terms behind it, which for these tiny random networks is within a
  // small factor of the block's largest gradient G. The bound used: |g - fd| <= 64 u (|fd| + 8 G), about
  // 4e-6 G, while a wrong gradient (a term, a factor, an index) is off by O(G).
  it.each(cases)('%s, %s pixels: every parameter of every layer, a minibatch of 3 (eps fixed by reseeding)', (backend, lik) => {
    const a = all[backend];
    const [D, H, L, B] = [6, 5, 2, 3];
    const t = tinyNet(a, D, H, L, B, B, 'net', LIKELIHOODS[lik]);
    t.seed('eps');
    t.k.vaeBatchGrad(t.net, t.gen.rng, t.data, B, -1, 0, B);
    const g = t.g().slice();
    // the same normals in double (fillNormal: the bits of the draws the kernel rounds to float)
    t.seed('eps');
    const epsBuf = a.allocF64(B * L);
    t.k.fillNormal(t.gen.rng, epsBuf, B * L, 0, 1);
    const eps = Array.from(a.f64(epsBuf, B * L), Math.fround);
    const cols = a.f64(t.data, D * B);
    const xs = Array.from({ length: B }, (_, i) => Array.from({ length: D }, (_, j) => Math.fround(cols[j * B + i])));
    const sd = lik === 'gaussian' ? LIKELIHOODS[lik][1] : undefined;
    const p = Float64Array.from(t.p);
    const loss = () => xs.reduce((s, x, i) => s + directNegElbo(p, D, H, L, x, eps.slice(i * L, (i + 1) * L), sd), 0) / B;
    const h = 1e-6;
    for (const [name, at, size] of blocks(D, H, L)) {
      const fd = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        const p0 = p[at + i];
        p[at + i] = p0 + h;
        const up = loss();
        p[at + i] = p0 - h;
        const down = loss();
        p[at + i] = p0;
        fd[i] = (up - down) / (2 * h);
      }
      const G = Math.max(...Array.from(fd, Math.abs));
      expect(G, name).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(fd[i] - g[at + i]) / (64 * U32 * (Math.abs(fd[i]) + 8 * G)));
      expect(worst, name).toBeLessThan(1);
    }
    // the padding's gradient is 0
    const inBlocks = new Set(blocks(D, H, L).flatMap(([, at, size]) => Array.from({ length: size }, (_, i) => at + i)));
    for (let i = 0; i < t.P; i++) if (!inBlocks.has(i)) expect(g[i], `padding ${i}`).toBe(0);
  });
});

describe('Adam', () => {
  it('two steps equal the hand computation of Kingma & Ba (2015), Algorithm 1, in float32 (each op rounded to float)', () => {
    const a = all.wasm;
    const t = tinyNet(a, 2, 1, 1, 1, 1);
    const P = t.P;
    const f = Math.fround;
    const p0 = Float32Array.from({ length: P }, (_, i) => 0.3 - 0.1 * i);
    const grads = [Float32Array.from({ length: P }, (_, i) => (i % 2 ? -1 : 1) * (0.5 + i)), Float32Array.from({ length: P }, (_, i) => 0.25 - 0.2 * i)];
    t.p.set(p0);
    a.f32(t.m, P).fill(0);
    a.f32(t.v, P).fill(0);
    a.f64(t.opt, OPT_DOUBLES).set([0.01, 0.9, 0.999, 1e-8, 1, 1]);
    const m = new Float32Array(P);
    const v = new Float32Array(P);
    const p = p0.slice();
    // the settings rounded to float; the bias corrections 1 - b^t from b^t in double, then rounded
    const [lr, b1, b2, a1, a2, eps] = [f(0.01), f(0.9), f(0.999), f(1 - 0.9), f(1 - 0.999), f(1e-8)];
    for (let step = 1; step <= 2; step++) {
      const g = grads[step - 1];
      t.g().set(g);
      t.k.vaeAdamStep(t.net, t.opt);
      const c1 = f(1 - (step === 1 ? 0.9 : 0.9 * 0.9));
      const c2 = f(1 - (step === 1 ? 0.999 : 0.999 * 0.999));
      for (let i = 0; i < P; i++) {
        m[i] = f(f(b1 * m[i]) + f(a1 * g[i]));
        v[i] = f(f(b2 * v[i]) + f(f(a2 * g[i]) * g[i]));
        p[i] = f(p[i] - f(f(lr * f(m[i] / c1)) / f(f(Math.sqrt(f(v[i] / c2))) + eps)));
      }
      expect(sameBits(Float64Array.from(a.f32(t.params, P)), Float64Array.from(p)), `step ${step}`).toBe(true);
      expect(sameBits(Float64Array.from(a.f32(t.m, P)), Float64Array.from(m)), `m, step ${step}`).toBe(true);
      expect(sameBits(Float64Array.from(a.f32(t.v, P)), Float64Array.from(v)), `v, step ${step}`).toBe(true);
    }
    expect(a.f64(t.opt, OPT_DOUBLES)[4]).toBe(0.9 * 0.9);
    // the first step moves each parameter by about lr against the sign of its gradient (m-hat = g, v-hat = g^2),
    // up to float rounding: a few ulps of 0.01 plus the ulp of the parameter (below 2^-24 x 2)
    const first = p0.map((x, i) => f(x - f(f(lr * f(f(a1 * grads[0][i]) / f(1 - 0.9))) / f(f(Math.sqrt(f(f(f(a2 * grads[0][i]) * grads[0][i]) / f(1 - 0.999)))) + eps))));
    for (let i = 0; i < P; i++) expect(Math.abs(first[i] - (p0[i] - 0.01 * Math.sign(grads[0][i])))).toBeLessThan(1e-6);
  });
});

/** The negative ELBO of image x computed directly from the parameters (row-major blocks, each padded to 4), in double with Math; sd: Gaussian pixels of that sd, else Bernoulli. */
function directNegElbo(p: Float64Array, D: number, H: number, L: number, x: number[], eps: number[], sd?: number): number {
  let at = 0;
  const take = (n: number) => {
    const block = p.subarray(at, at + n);
    at += pad4(n);
    return block;
  };
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
    const p = Float64Array.from(t.p);
    // the same normals: n L draws in image order
    t.seed('elbo');
    const epsBuf = a.allocF64(n * L);
    t.k.fillNormal(t.gen.rng, epsBuf, n * L, 0, 1);
    // the kernel rounds the normals and the grey levels to float
    const eps = a.f64(epsBuf, n * L).map(Math.fround);
    const cols = a.f64(t.data, D * n);
    const per = a.f64(t.out, n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = Array.from({ length: D }, (_, j) => Math.fround(cols[j * n + i]));
      const want = directNegElbo(p, D, H, L, x, Array.from(eps.subarray(i * L, (i + 1) * L)), lik === 'gaussian' ? LIKELIHOODS[lik][1] : undefined);
      // the kernel's network runs in float: each logit, mu and log variance comes through at most 4 layers of
      // float dots of at most 5 terms, each op off by at most u = 2^-24, so about 4 x (5 + 2) u = 28 u relative to
      // the sum of its terms' magnitudes (within a small factor of the value for these random networks);
      // the NLL and KL move by at most that times their inputs' sizes (|d NLL / d t| <= 1 per pixel for
      // Bernoulli, <= 1 / (4 sd^2) = 2.8 for the Gaussian of sd 0.3): 256 u (1.5e-5) relative allows a factor 8 of growth over 28 u; a wrong formula is off by
      // far more (one pixel of five, a missing KL term: 1e-1 and above). Measured: at most 2 u.
      expect(Math.abs(per[i] - want) / Math.abs(want), `image ${i}`).toBeLessThan(256 * U32);
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

describe('the training loss', () => {
  it.each(cases)('%s, %s pixels: training without the loss (its logs skipped) leaves the same weights and generator; with it, the sum of vaeBatchGrad\'s means', (backend, lik) => {
    const a = all[backend];
    const [D, H, L, B, n] = [10, 7, 3, 4, 30];
    const train = (wantLoss: 0 | 1) => {
      const t = tinyNet(a, D, H, L, B, n, 'loss', LIKELIHOODS[lik]);
      const order = a.allocI32(n);
      t.k.vaeShuffle(t.gen.rng, order, n);
      const loss = t.k.vaeTrain(t.net, t.opt, t.gen.rng, t.data, n, n, order, B, 0, 8, wantLoss);
      return { loss, state: Float64Array.from([...a.f32(t.params, t.P), ...a.f32(t.m, t.P), ...a.f32(t.v, t.P), t.k.rngDouble(t.gen.rng)]) };
    };
    const on = train(1);
    const off = train(0);
    expect(off.loss).toBe(0);
    expect(Number.isFinite(on.loss) && on.loss > 0).toBe(true);
    expect(sameBits(off.state, on.state)).toBe(true);
    // the loss returned is the sum of the minibatches' means: one minibatch by vaeBatchGrad gives the same first term
    const t = tinyNet(a, D, H, L, B, n, 'loss', LIKELIHOODS[lik]);
    const order = a.allocI32(n);
    t.k.vaeShuffle(t.gen.rng, order, n);
    const first = t.k.vaeBatchGrad(t.net, t.gen.rng, t.data, n, order, 0, B);
    const t2 = tinyNet(a, D, H, L, B, n, 'loss', LIKELIHOODS[lik]);
    const order2 = a.allocI32(n);
    t2.k.vaeShuffle(t2.gen.rng, order2, n);
    expect(t2.k.vaeTrain(t2.net, t2.opt, t2.gen.rng, t2.data, n, n, order2, B, 0, 1, 1)).toBe(first);
  });
});

describe('a long step or bound in calls', () => {
  it.each(cases)('%s, %s pixels: a minibatch step in parts (vaeStepPart, ranges of every size) and an importance-weighted bound in ranges of samples (vaeIwSamples) give the bits of vaeTrain and vaeIwBound', (backend, lik) => {
    const a = all[backend];
    // odd sizes: rows, outputs and blocks of four parameters split anywhere; K > B: the samples' chunks too
    const [D, H, L, B, n, K] = [13, 9, 5, 7, 19, 17];
    const run = (step: number) => {
      const t = tinyNet(a, D, H, L, B, n, 'parts', LIKELIHOODS[lik]);
      const order = a.allocI32(n);
      const w = a.allocF64(K);
      t.k.vaeShuffle(t.gen.rng, order, n);
      let loss = 0;
      for (let batch = 0; batch * B < n; batch++) {
        const from = batch * B;
        const nb = Math.min(B, n - from);
        if (step === 0) {
          loss += t.k.vaeTrain(t.net, t.opt, t.gen.rng, t.data, n, n, order, B, batch, 1, 1);
          continue;
        }
        let acc = 0;
        for (let part = 0; part < t.k.vaeStepParts(); part++) {
          const units = t.k.vaeStepUnits(t.net, nb, part);
          for (let u = 0; u < units; u += step) acc = t.k.vaeStepPart(t.net, t.opt, t.gen.rng, t.data, n, order, from, nb, part, u, Math.min(units, u + step), acc, 1);
        }
        loss += 0 + acc * (1 / nb);
      }
      if (step === 0) t.k.vaeIwBound(t.net, t.gen.rng, t.data, n, n, K, w, t.out);
      else {
        for (let i = 0; i < n; i++) {
          for (let k0 = 0; k0 < K; k0 += step) t.k.vaeIwSamples(t.net, t.gen.rng, t.data, n, i, k0, Math.min(K, k0 + step), w);
          t.k.vaeIwFinish(K, w, t.out + 8 * i);
        }
      }
      return Float64Array.from([loss, ...a.f32(t.params, t.P), ...a.f32(t.m, t.P), ...a.f32(t.v, t.P), ...a.f64(t.out, n), t.k.rngDouble(t.gen.rng)]);
    };
    const whole = run(0);
    for (const step of [1, 2, 3, 5, 1000]) expect(sameBits(run(step), whole), `units per call ${step}`).toBe(true);
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
      const loss = t.k.vaeTrain(t.net, t.opt, t.gen.rng, t.data, n, n, order, B, 0, 8, 1);
      const elbo = t.k.vaeNegElbo(t.net, t.gen.rng, t.data, n, n, t.out);
      const iw = t.k.vaeIwBound(t.net, t.gen.rng, t.data, n, n, 5, w, t.out);
      t.k.vaeDecode(t.net, t.gen.rng, 1, imgs, 9, 9);
      return Float64Array.from([loss, elbo, iw, ...a.f32(t.params, t.P), ...a.f32(t.m, t.P), ...a.f32(t.v, t.P), ...a.f64(imgs, D * 9)]);
    });
    expect(sameBits(results[1], results[0]), 'wasm = js').toBe(true);
    expect(sameBits(results[2], results[0]), 'wasm-simd = js').toBe(true);
  });
});

