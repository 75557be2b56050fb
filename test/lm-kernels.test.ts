// The n-gram kernels (assembly/models/lm.ts): interpolated Kneser-Ney against a
// hand-computed example and an independent reference, probabilities summing
// to 1, the sampler against the probabilities, and the same bits on every backend.
import { describe, expect, it } from 'vitest';
import { arenas, sameBits, BACKEND_NAMES } from './helpers.js';
import { allocNgram, decodeBytes, initNgram, LM_ENTRY_I32, LM_HEADER_I32 } from '../src/families/lm/ngram-buffers.js';
import { loadCorpus } from '../src/families/lm/corpus/load.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';

const all = await arenas();
const arena = all.wasm;

/** A model fitted to `text` (blocks of `block` tokens) in a fresh region of the arena. */
function fitted(a: Arena, text: ArrayLike<number>, block: number, order: number, vocab: number, modified = false, skip = 0) {
  const k = a.backend.kernels;
  const b = allocNgram(a, text.length, order, vocab, 'model');
  initNgram(k, b, order, vocab, modified);
  const t = a.allocI32(text.length);
  a.i32(t, text.length).set(text);
  expect(k.lmFit(b.header, t, text.length / block, block, skip)).toBeGreaterThan(0);
  const ctx = a.allocI32(8);
  const out = a.allocF64(vocab);
  return {
    k,
    b,
    text: t,
    probs(context: number[]): Float64Array {
      a.i32(ctx, context.length).set(context);
      k.lmProbabilities(b.header, ctx, context.length, out);
      return a.f64(out, vocab).slice();
    },
  };
}

it('header and entry sizes agree with the kernels', () => {
  expect(arena.backend.kernels.lmHeaderI32()).toBe(LM_HEADER_I32);
  expect(arena.backend.kernels.lmEntryI32()).toBe(LM_ENTRY_I32);
});

describe('interpolated Kneser-Ney on a toy corpus (hand-computed)', () => {
  // ids: 0 <s>, 1 </s>, 2 <unk>, 3 a, 4 b, 5 c; "a b a </s> b b c </s> a b </s>" as one block
  const text = [3, 4, 3, 1, 4, 4, 5, 1, 3, 4, 1];
  const m = fitted(arena, text, text.length, 2, 6);
  it('discounts: order 2 n1 = 7, n2 = 2; order 1 (continuation counts 2, 3, 3, 1) n1 = 1, n2 = 1', () => {
    expect(m.k.lmDiscount(m.b.header, 2, 1)).toBe(7 / 11);
    expect(m.k.lmDiscount(m.b.header, 1, 1)).toBe(1 / 3);
    expect(m.k.lmFallback(m.b.header)).toBe(0);
  });
  it('probabilities', () => {
    const near = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThan(1e-15);
    const uni = m.probs([]);
    [0, 44, 4, 29, 44, 14].forEach((v, w) => near(uni[w], v / 135));
    const afterB = m.probs([4]);
    near(afterB[3], 338 / 1485);
    near(afterB[5], 233 / 1485);
    near(afterB[2], 28 / 1485);
    near(m.probs([0])[3], 2431 / 4455);
    near(m.probs([3])[4], 2641 / 4455);
  });
  it('the perplexity of "a b </s>"', () => {
    const a = arena;
    const blk = a.allocI32(4);
    a.i32(blk, 3).set([3, 4, 1]);
    const out = a.allocF64(1);
    m.k.lmBlockLogProbs(m.b.header, blk, 1, 3, 0, out);
    m.k.lmPerplexities(out, 1, 3);
    const expected = Math.pow((2431 / 4455) * (2641 / 4455) * (443 / 1485), -1 / 3);
    expect(Math.abs(a.f64(out, 1)[0] / expected - 1)).toBeLessThan(1e-14);
  });
});

/**
 * Interpolated (modified) Kneser-Ney written directly from the formulas with
 * string-keyed maps: an independent check of the kernel's table.
 */
function referenceModel(text: Int32Array, block: number, N: number, vocab: number, modified: boolean, skip: number) {
  const raw = new Map<string, number>();
  const key = (g: number[]) => g.join(',');
  for (let b = 0; b < text.length; b += block) {
    let ctx = [0];
    for (let i = b; i < b + block; i++) {
      const w = text[i];
      for (let k = 1; k <= Math.min(N, ctx.length + 1) && i - b >= skip; k++) {
        const g = [...ctx.slice(ctx.length - (k - 1)), w];
        raw.set(key(g), (raw.get(key(g)) ?? 0) + 1);
      }
      ctx = w === 1 ? [0] : [...ctx, w].slice(-(N - 1) || 1e9);
      if (N === 1) ctx = [];
    }
  }
  const kn = new Map<string, number>();
  const cont = new Map<string, number>();
  for (const g of raw.keys()) {
    const t = g.split(',').map(Number);
    if (t.length >= 2) cont.set(key(t.slice(1)), (cont.get(key(t.slice(1))) ?? 0) + 1);
  }
  for (const [g, c] of raw) {
    const t = g.split(',').map(Number);
    kn.set(g, t.length === N || t[0] === 0 ? c : cont.get(g) ?? 0);
  }
  const D: number[][] = [[0, 0, 0, 0]];
  for (let k = 1; k <= N; k++) {
    const n = [0, 0, 0, 0, 0];
    for (const [g, c] of kn) if (g.split(',').length === k && c >= 1 && c <= 4) n[c]++;
    const y = n[1] / (n[1] + 2 * n[2]);
    D.push(modified ? [0, 1 - (2 * y * n[2]) / n[1], 2 - (3 * y * n[3]) / n[2], 3 - (4 * y * n[4]) / n[3]] : [0, y, y, y]);
  }
  const stats = new Map<string, { total: number; n: number[] }>();
  for (const [g, c] of kn) {
    const t = g.split(',').map(Number);
    if (c === 0 || (t.length === 1 && t[0] === 0)) continue;
    const h = key(t.slice(0, -1));
    const s = stats.get(h) ?? { total: 0, n: [0, 0, 0, 0] };
    s.total += c;
    s.n[Math.min(c, 3)]++;
    stats.set(h, s);
  }
  return (context: number[], w: number): number => {
    const ctx = context.slice(Math.max(0, context.length - (N - 1)));
    let p = 1 / (vocab - 1);
    for (let k = 1; k <= ctx.length + 1; k++) {
      const h = ctx.slice(ctx.length - (k - 1));
      const s = stats.get(key(h));
      if (!s) continue;
      const c = kn.get(key([...h, w])) ?? 0;
      const d = D[k];
      p = Math.max(c - (c ? d[Math.min(c, 3)] : 0), 0) / s.total + ((d[1] * s.n[1] + d[2] * s.n[2] + d[3] * s.n[3]) / s.total) * p;
    }
    return p;
  };
}

describe('on Brown text', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 64;
  const text = corpus.train.subarray(0, Math.floor(corpus.train.length / B) * B);
  const V = corpus.vocabulary.words.length;

  for (const [order, modified, skip] of [[3, false, 0], [3, true, 0], [5, true, 0], [1, false, 0], [3, true, 8]] as const) {
    it(`order ${order} ${modified ? 'modified ' : ''}Kneser-Ney${skip ? `, prompts of ${skip} not counted` : ''}: sums to 1 and equals the reference for contexts from the text`, () => {
      const m = fitted(arena, text, B, order, V, modified, skip);
      expect(m.k.lmFallback(m.b.header)).toBe(0);
      const ref = referenceModel(text, B, order, V, modified, skip);
      for (let j = 0; j < 40; j++) {
        // a context of real tokens (a sentence start for every 4th), and some unseen ones
        const at = 7 + j * 97;
        const ctx = j % 4 === 0 ? [0, text[at]] : j % 5 === 0 ? [V - 1, V - 2, V - 3] : Array.from(text.subarray(at, at + 4));
        const p = m.probs(ctx);
        let sum = 0;
        for (const x of p) sum += x;
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        for (const w of [1, 2, 3, text[at + 4], V - 1]) expect(Math.abs(p[w] / ref(ctx, w) - 1)).toBeLessThan(1e-12);
      }
    });
  }

  it('the sampler draws from the probabilities (chi-square over a fixed context)', () => {
    const m = fitted(arena, text, B, 3, V, true);
    const gen = allocGenerator(arena);
    seedGenerator(arena, gen.rng, gen.key, 'lm-sampler');
    // blocks of 2 tokens: prompt "the" (1 token), one draw after it
    const draws = 20000;
    const store = arena.allocI32(2 * (draws + 1));
    arena.i32(store, 2).set([3, 3]);
    m.k.lmGenerate(m.b.header, gen.rng, store, 2, 1, 1, 0, 1, draws, 1, 0, 1, 1, 1, 0);
    const seen = new Float64Array(V);
    const drawn = arena.i32(store, 2 * (draws + 1));
    for (let j = 1; j <= draws; j++) seen[drawn[2 * j + 1]]++;
    const p = m.probs([0, 3]);
    // Pearson's statistic over the cells with expected count >= 5, the rest pooled
    let x2 = 0;
    let cells = 0;
    let restE = 0;
    let restO = 0;
    for (let w = 1; w < V; w++) {
      const e = draws * p[w];
      if (e >= 5) {
        x2 += (seen[w] - e) ** 2 / e;
        cells++;
      } else {
        restE += e;
        restO += seen[w];
      }
    }
    x2 += (restO - restE) ** 2 / restE;
    const df = cells; // cells + 1 - 1
    // mean df, sd sqrt(2 df): 5 standard deviations
    expect(x2).toBeLessThan(df + 5 * Math.sqrt(2 * df));
    expect(cells).toBeGreaterThan(50);
  });
});

describe('decoded sampling (--temperature, --top-k, --top-p)', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 64;
  const text = corpus.train.subarray(0, Math.floor(corpus.train.length / B) * B);
  const V = corpus.vocabulary.words.length;
  const m = fitted(arena, text, B, 3, V, false);

  it('the whole-order distribution has the bits of p(w | h) one word at a time', () => {
    const ctx = arena.allocI32(4);
    const out = arena.allocF64(V);
    for (const c of [[], [0], [0, 3], [3, 4], [7, 8, 9], [V - 1, V - 2]]) {
      arena.i32(ctx, c.length).set(c);
      m.k.lmDistribution(m.b.header, ctx, c.length, out);
      expect(sameBits(arena.f64(out, V).slice(), m.probs(c))).toBe(true);
    }
  });

  it.each([
    [0.5, 0, 1],
    [1, 20, 1],
    [2, 100, 1],
    [1, 0, 0.9],
    [1, 0, 0.5],
    [0.7, 0, 0.8],
    [2, 100, 0.6],
  ])('temperature %d, top-k %d, top-p %d: draws follow p^(1/T) over the k most probable, then the nucleus, renormalised (chi-square)', (T, topK, topP) => {
    const gen = allocGenerator(arena);
    seedGenerator(arena, gen.rng, gen.key, `decoded-${T}-${topK}${topP < 1 ? `-${topP}` : ''}`);
    const draws = 20000;
    const store = arena.allocI32(2 * (draws + 1));
    arena.i32(store, 2).set([3, 3]);
    const work = arena.allocF64(decodeBytes(V, 2, 1) / 8);
    m.k.lmGenerate(m.b.header, gen.rng, store, 2, 1, 1, 0, 1, draws, T, topK, topP, 1, 1, work);
    const drawn = arena.i32(store, 2 * (draws + 1));
    const seen = new Float64Array(V);
    for (let j = 1; j <= draws; j++) seen[drawn[2 * j + 1]]++;
    const p = m.probs([0, 3]);
    const ranked = Array.from({ length: V - 1 }, (_, i) => i + 1).sort((a, b) => p[b] - p[a] || a - b);
    const kept = new Set(topK ? ranked.slice(0, topK) : ranked);
    const q = p.map((x, w) => (kept.has(w) ? x ** (1 / T) : 0));
    let z = q.reduce((a, b) => a + b, 0);
    if (topP < 1) {
      // the nucleus: the fewest of the kept ids, most probable first (ties: lower id), whose mass reaches topP z
      const byQ = [...kept].sort((a, b) => q[b] - q[a] || a - b);
      let acc = 0;
      let n = 0;
      while (acc < topP * z) acc += q[byQ[n++]];
      kept.clear();
      for (const w of byQ.slice(0, n)) kept.add(w);
      for (let w = 0; w < V; w++) if (!kept.has(w)) q[w] = 0;
      z = acc;
      expect(n).toBeLessThan(byQ.length);
    }
    let x2 = 0;
    let cells = 0;
    let restE = 0;
    let restO = 0;
    for (let w = 1; w < V; w++) {
      if (!kept.has(w)) expect(seen[w]).toBe(0);
      const e = (draws * q[w]) / z;
      if (e >= 5) {
        x2 += (seen[w] - e) ** 2 / e;
        cells++;
      } else {
        restE += e;
        restO += seen[w];
      }
    }
    if (restE > 0) x2 += (restO - restE) ** 2 / restE;
    else cells--;
    expect(cells).toBeGreaterThan(5);
    expect(x2).toBeLessThan(cells + 5 * Math.sqrt(2 * cells));
  });
});

it('fit, sampling and scoring give the same bits on every backend', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 32;
  const nBlocks = 60;
  const V = corpus.vocabulary.words.length;
  const results = BACKEND_NAMES.map((name) => {
    const a = all[name];
    const gen = allocGenerator(a);
    seedGenerator(a, gen.rng, gen.key, 'lm-backends');
    const m = fitted(a, corpus.train.subarray(0, nBlocks * B), B, 4, V, true);
    const store = a.allocI32(2 * nBlocks * B);
    a.i32(store, nBlocks * B).set(corpus.train.subarray(0, nBlocks * B));
    m.k.lmGenerate(m.b.header, gen.rng, store, B, 4, nBlocks, 0, nBlocks, nBlocks, 1, 0, 1, 1, 1, 0);
    // decoded: temperature 0.7, top 50, after the exact blocks
    const work = a.allocF64(decodeBytes(V, B, 1) / 8);
    m.k.lmGenerate(m.b.header, gen.rng, store, B, 4, nBlocks, 0, nBlocks, nBlocks >> 1, 0.7, 50, 1, 1, 1, work);
    // nucleus: top-p 0.9 after temperature 1.3
    m.k.lmGenerate(m.b.header, gen.rng, store, B, 4, nBlocks, 0, nBlocks + (nBlocks >> 1), 4, 1.3, 0, 0.9, 1, 1, work);
    const out = a.allocF64(nBlocks);
    m.k.lmBlockLogProbs(m.b.header, store + 4 * nBlocks * B, nBlocks, B, 4, out);
    return { tokens: a.i32(store, 2 * nBlocks * B).slice(), logp: a.f64(out, nBlocks).slice(), probs: m.probs([0, 3, 4]) };
  });
  for (const r of results.slice(1)) {
    expect(r.tokens).toEqual(results[0].tokens);
    expect(sameBits(r.logp, results[0].logp)).toBe(true);
    expect(sameBits(r.probs, results[0].probs)).toBe(true);
  }
});
