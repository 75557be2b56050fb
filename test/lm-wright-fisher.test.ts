// The unigram chain (--order 1, --prompt 0) against the Wright-Fisher theory.
// What is exact (docs/lm.md, "The unigram chain and Wright-Fisher"): given
// model n, the M tokens generation n writes are M independent draws from it,
// so their counts are Multinomial(M, p_n) and, with f the text's
// frequencies, E[f | p_n] = p_n and E[1 - sum f^2 | p_n] = (1 - 1/M)(1 - sum p_n^2),
// the Wright-Fisher step. Kneser-Ney's discount and uniform floor then make
// p_{n+1} a nonlinear function of f, so the n-step law (1 - 1/M)^n does not
// hold; the test checks the step at every generation of chains run as the
// family runs them (model n fitted to the text model n-1 wrote).
import { expect, it } from 'vitest';
import { arenas } from './helpers.js';
import { allocNgram, initNgram } from '../src/families/lm/ngram-buffers.js';
import { loadCorpus } from '../src/families/lm/corpus/load.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';

const arena = (await arenas()).wasm;
const k = arena.backend.kernels;

it('order 1: each generation is a Wright-Fisher step from its model (E[1 - sum f^2 | p] = (1 - 1/M)(1 - sum p^2), E f = p)', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const V = corpus.vocabulary.words.length;
  const B = 32;
  const N = 8; // blocks a generation writes: M = 256 tokens, so 1/M is visible
  const M = N * B;
  const R = 150;
  const G = 8;
  const model = allocNgram(arena, M, 1, V, 'model');
  initNgram(k, model, 1, V, false);
  const gen = allocGenerator(arena);
  const store = arena.allocI32(2 * M);
  const empty = arena.allocI32(1);
  const dist = arena.allocF64(V);
  const diffs: number[] = [];
  const naive: number[] = [];
  // E f = p, checked on the most frequent word's share (one number per step)
  const realCounts = new Float64Array(V);
  for (const w of corpus.train.subarray(0, M)) realCounts[w]++;
  let top = 1;
  for (let w = 1; w < V; w++) if (realCounts[w] > realCounts[top]) top = w;
  const freqDiffs: number[] = [];
  for (let r = 0; r < R; r++) {
    seedGenerator(arena, gen.rng, gen.key, `wright-fisher-${r}`);
    arena.i32(store, M).set(corpus.train.subarray(0, M));
    // models 0 and 1: the real text
    expect(k.lmFit(model.header, store, N, B, 0)).toBeGreaterThan(0);
    for (let g = 1; g <= G; g++) {
      k.lmDistribution(model.header, empty, 0, dist);
      const p = arena.f64(dist, V);
      let sumP2 = 0;
      for (let w = 1; w < V; w++) sumP2 += p[w] * p[w];
      const pTop = p[top];
      // prompt 0: every token of the N blocks is drawn from the model
      k.lmGenerate(model.header, gen.rng, store, B, 0, N, 0, N, N, 1, 0, 1, 1, 1, 0);
      const written = arena.i32(store + 4 * M, M);
      const counts = new Map<number, number>();
      for (const w of written) counts.set(w, (counts.get(w) ?? 0) + 1);
      let sumF2 = 0;
      for (const c of counts.values()) sumF2 += (c / M) ** 2;
      diffs.push(1 - sumF2 - (1 - 1 / M) * (1 - sumP2));
      naive.push(1 - sumF2 - (1 - sumP2));
      freqDiffs.push((counts.get(top) ?? 0) / M - pTop);
      // the next model: fitted to the text just written
      expect(k.lmFit(model.header, store + 4 * M, N, B, 0)).toBeGreaterThan(0);
    }
  }
  const meanSe = (x: number[]) => {
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
    return { m, se: Math.sqrt(v / x.length) };
  };
  // each difference has conditional mean 0 given the past (a martingale difference), so the SE is the sample one
  const h = meanSe(diffs);
  expect(Math.abs(h.m)).toBeLessThan(4 * h.se);
  // the test can tell the (1 - 1/M) factor: without it the mean is about -(1 - sum p^2)/M
  const n0 = meanSe(naive);
  expect(Math.abs(n0.m)).toBeGreaterThan(8 * n0.se);
  const f = meanSe(freqDiffs);
  expect(Math.abs(f.m)).toBeLessThan(4 * f.se);
  expect(f.se).toBeGreaterThan(0);
});
