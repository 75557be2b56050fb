// Decoding of the n-gram model (assembly/models/lm/decode.ts): beam search
// against a plain reference that scores every word of the vocabulary and
// against brute force over all sequences, the repetition penalty against a
// hand computation, the fast tempered sampler against p^(1/T) over the whole
// vocabulary, and the same bits on every backend.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES } from './helpers.js';
import { allocNgram, decodeBytes, initNgram } from '../src/families/lm/ngram-buffers.js';
import { loadCorpus } from '../src/families/lm/corpus/load.js';
import { resolveLmConfig } from '../src/families/lm/options.js';
import { UsageError } from '../src/config/validate.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';

const all = await arenas();
const arena = all.wasm;

/** A model fitted to `text` (blocks of `block` tokens), with the calls the tests need. */
function fitted(a: Arena, text: ArrayLike<number>, block: number, order: number, vocab: number, modified = false) {
  const k = a.backend.kernels;
  const b = allocNgram(a, text.length, order, vocab, 'model');
  initNgram(k, b, order, vocab, modified);
  const t = a.allocI32(text.length);
  a.i32(t, text.length).set(text);
  expect(k.lmFit(b.header, t, text.length / block, block, 0)).toBeGreaterThan(0);
  const ctx = a.allocI32(4096);
  const out = a.allocF64(vocab);
  const gen = allocGenerator(a);
  return {
    k,
    b,
    /** p(w | context) for every w: the context as the sampler sees it, after the last </s>, from <s>. */
    probs(tokens: number[]): Float64Array {
      let start = 0;
      tokens.forEach((w, i) => w === 1 && (start = i + 1));
      const c = [0, ...tokens.slice(start)];
      a.i32(ctx, c.length).set(c);
      k.lmProbabilities(b.header, ctx, c.length, out);
      return a.f64(out, vocab).slice();
    },
    /** Blocks written by lmGenerate after the given prompts (all of one length P), one per prompt. */
    generate(prompts: number[][], B: number, opts: { T?: number; topK?: number; topP?: number; beams?: number; penalty?: number; seed?: string }): number[][] {
      const P = prompts[0].length;
      const n = prompts.length;
      const store = a.allocI32(2 * n * B);
      const v = a.i32(store, 2 * n * B);
      prompts.forEach((p, j) => v.set(p, j * B));
      const beams = opts.beams ?? 1;
      const work = a.allocF64(decodeBytes(vocab, B, beams) / 8);
      seedGenerator(a, gen.rng, gen.key, opts.seed ?? 'decode');
      k.lmGenerate(b.header, gen.rng, store, B, P, n, 0, n, n, opts.T ?? 1, opts.topK ?? 0, opts.topP ?? 1, beams, opts.penalty ?? 1, work);
      const w = a.i32(store, 2 * n * B);
      return Array.from({ length: n }, (_, j) => Array.from(w.subarray((n + j) * B, (n + j + 1) * B)));
    },
  };
}

type Model = ReturnType<typeof fitted>;

/** The step score the kernel uses: log p', p' = p or, for a token already in the block, exp(theta log p) (the kernels' exp and log). */
function stepScore(m: Model, p: number, penalised: boolean, theta: number): [number, number] {
  const q = penalised && theta !== 1 ? (p > 0 ? m.k.exp(m.k.log(p) * theta) : 0) : p;
  return [m.k.log(q), q];
}

/** Beam search written plainly: every word of the vocabulary scored for every prefix, the same order and ties as the kernel. */
function referenceBeam(m: Model, prompt: number[], B: number, beams: number, theta: number, V: number): number[] {
  let prefixes: { tokens: number[]; score: number }[] = [{ tokens: [], score: 0 }];
  for (let i = prompt.length; i < B; i++) {
    const pairs: { s: number; j: number; p: number; w: number }[] = [];
    prefixes.forEach((pre, j) => {
      const seq = [...prompt, ...pre.tokens];
      const p = m.probs(seq);
      const seen = new Set(seq);
      for (let w = 1; w < V; w++) {
        const [l, q] = stepScore(m, p[w], seen.has(w), theta);
        pairs.push({ s: pre.score + l, j, p: q, w });
      }
    });
    pairs.sort((a, b) => (a.s !== b.s ? b.s - a.s : a.j !== b.j ? a.j - b.j : a.p !== b.p ? b.p - a.p : a.w - b.w));
    prefixes = pairs.slice(0, beams).map((x) => ({ tokens: [...prefixes[x.j].tokens, x.w], score: x.s }));
  }
  return [...prompt, ...prefixes[0].tokens];
}

// ids: 0 <s>, 1 </s>, 2 <unk>, 3 a, 4 b, 5 c; "a b a </s> b b c </s> a b </s>" as one block
const TOY = [3, 4, 3, 1, 4, 4, 5, 1, 3, 4, 1];

it('the scratch size: the kernels and the layout agree', () => {
  const k = arena.backend.kernels;
  for (const [V, B, beams] of [[6, 11, 1], [4686, 64, 5], [24420, 4096, 64]]) expect(k.lmDecodeBytes(V, B, beams)).toBe(decodeBytes(V, B, beams));
});

describe('beam search', () => {
  const toy = fitted(arena, TOY, TOY.length, 2, 6);

  it('on the toy model: the plain reference, with and without the penalty', () => {
    const prompts = [[3, 4], [4, 4], [5, 1], [1, 3]];
    for (const beams of [2, 3, 5])
      for (const theta of [1, 2, 3]) {
        const got = toy.generate(prompts, 7, { beams, penalty: theta });
        prompts.forEach((p, j) => expect(got[j], `beams ${beams} theta ${theta} prompt ${p}`).toEqual(referenceBeam(toy, p, 7, beams, theta, 6)));
      }
  });

  it('with as many beams as prefixes it finds the best of all 5^3 sequences (brute force)', () => {
    for (const theta of [1, 2.5]) {
      const prompt = [3, 4];
      const [got] = toy.generate([prompt], 5, { beams: 25, penalty: theta });
      let best = -Infinity;
      const score = (seq: number[]) => {
        let s = 0;
        for (let i = prompt.length; i < seq.length; i++) s += stepScore(toy, toy.probs(seq.slice(0, i))[seq[i]], seq.slice(0, i).includes(seq[i]), theta)[0];
        return s;
      };
      for (let x = 1; x < 6; x++) for (let y = 1; y < 6; y++) for (let z = 1; z < 6; z++) best = Math.max(best, score([...prompt, x, y, z]));
      expect(score(got)).toBe(best);
    }
  });

  it('on Brown (order 3, V in the thousands): the reference, which scores all V words per prefix', () => {
    const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
    const B = 64;
    const text = corpus.train.subarray(0, Math.floor(corpus.train.length / B) * B);
    const V = corpus.vocabulary.words.length;
    const m = fitted(arena, text, B, 3, V, true);
    const len = 14;
    const prompts = [0, 1, 2].map((j) => Array.from(text.subarray(j * 300, j * 300 + 4)));
    for (const [beams, theta] of [[5, 1], [5, 3], [2, 2]]) {
      const got = m.generate(prompts, len, { beams, penalty: theta });
      prompts.forEach((p, j) => expect(got[j]).toEqual(referenceBeam(m, p, len, beams, theta, V)));
    }
  });
});

/** Pearson's statistic of draws against probabilities q (by id), cells of expected count >= 5, the rest pooled; below mean + 5 sd. */
function expectFits(seen: Float64Array, q: number[], draws: number, minCells = 3) {
  const z = q.reduce((a, b) => a + b, 0);
  let x2 = 0;
  let cells = 0;
  let restE = 0;
  let restO = 0;
  for (let w = 1; w < q.length; w++) {
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
  expect(cells).toBeGreaterThanOrEqual(minCells);
  expect(x2).toBeLessThan(cells + 5 * Math.sqrt(2 * cells));
}

describe('the repetition penalty (hand-computed on the toy model)', () => {
  const toy = fitted(arena, TOY, TOY.length, 2, 6);
  // after "a b": p(. | b) = 1/11 + 7/11 p1, p1 = (0, 44, 4, 29, 44, 14)/135; a and b are in the block
  const p = [0, 443, 28, 338, 443, 233].map((x) => x / 1485);
  const draws = 20000;
  const counts = (opts: Parameters<Model['generate']>[2]) => {
    const seen = new Float64Array(6);
    for (const block of toy.generate(Array.from({ length: draws }, () => [3, 4]), 3, opts)) seen[block[2]]++;
    return seen;
  };
  it.each([
    [2, 1, 0],
    [3, 1, 0],
    [2, 0.5, 0],
    [2, 1, 5],
  ])('theta %d, temperature %d, top-k %d: q = p^(theta/T) for a and b, p^(1/T) else, renormalised', (theta, T, topK) => {
    const q = p.map((x, w) => x ** ((w === 3 || w === 4 ? theta : 1) / T));
    expectFits(counts({ penalty: theta, T, topK, seed: `penalty-${theta}-${T}-${topK}` }), q, draws);
  });
  it('beam search sums theta log p for the repeated tokens', () => {
    // one token after "a b": b and </s> tie at 443/1485 and </s> wins by its id; penalised, b falls further behind
    expect(toy.generate([[3, 4]], 3, { beams: 2 })[0][2]).toBe(1);
    expect(toy.generate([[3, 4]], 3, { beams: 2, penalty: 2 })[0][2]).toBe(1);
    // after "c c": the best by theta log p for c, log p for the others
    const pc = toy.probs([5]);
    const [got] = toy.generate([[5, 5]], 3, { beams: 3, penalty: 5 });
    const best = [1, 2, 3, 4, 5].map((w) => [stepScore(toy, pc[w], w === 5, 5)[0], w]).sort((x, y) => y[0] - x[0] || x[1] - y[1])[0][1];
    expect(got[2]).toBe(best);
  });
});

it('the bound tempered sampling divides by is at least every p(w | context) (orders 3 and 5, kn and mkn)', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const text = corpus.train.subarray(0, Math.floor(corpus.train.length / 64) * 64);
  const V = corpus.vocabulary.words.length;
  const ctx = arena.allocI32(8);
  for (const [order, modified] of [[3, false], [5, true]] as const) {
    const m = fitted(arena, text, 64, order, V, modified);
    for (let j = 0; j < 60; j++) {
      const c = [0, ...Array.from(text.subarray(j * 311, j * 311 + (j % 5))).filter((w) => w !== 1)];
      const p = m.probs(c.slice(1));
      arena.i32(ctx, c.length).set(c);
      const bound = m.k.lmProbBound(m.b.header, ctx, c.length);
      expect(bound).toBeGreaterThanOrEqual(Math.max(...p));
      expect(bound).toBeLessThanOrEqual(1);
    }
  }
});

describe('the fast tempered sampler draws from p^(1/T) over the whole vocabulary (chi-square)', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 64;
  const text = corpus.train.subarray(0, Math.floor(corpus.train.length / B) * B);
  const V = corpus.vocabulary.words.length;
  const m = fitted(arena, text, B, 3, V);
  const draws = 20000;
  // contexts after "<s> the" and after tokens of the text; T = 0.15 puts nearly all of p1^(1/T) on the candidates (the
  // exact sum of the rest, the redraws); at T = 0.3 after one token only two words have 5 expected draws
  it.each([
    [[3], 0.5, 1],
    [Array.from(text.subarray(2000, 2001)), 0.3, 1, 1],
    [Array.from(text.subarray(500, 502)), 3, 1],
    [Array.from(text.subarray(900, 902)), 0.15, 1],
    [Array.from(text.subarray(1300, 1302)), 0.8, 2],
  ])('context %j, temperature %d, penalty %d', (prompt, T, theta, minCells = 3) => {
    const got = m.generate(Array.from({ length: draws }, () => prompt), prompt.length + 1, { T, penalty: theta, seed: `fast-${T}` });
    const seen = new Float64Array(V);
    for (const b of got) seen[b[prompt.length]]++;
    const p = m.probs(prompt);
    const q = Array.from(p, (x, w) => x ** ((prompt.includes(w) ? theta : 1) / T));
    expectFits(seen, q, draws, minCells);
  });
});

it('beam search, the penalty and the fast tempered sampler give the same bits on every backend', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 32;
  const nBlocks = 12;
  const V = corpus.vocabulary.words.length;
  const text = corpus.train.subarray(0, nBlocks * B);
  const prompts = Array.from({ length: nBlocks }, (_, j) => Array.from(text.subarray(j * B, j * B + 4)));
  const results = BACKEND_NAMES.map((name) => {
    const m = fitted(all[name], text, B, 4, V, true);
    return [m.generate(prompts, B, { beams: 3, penalty: 2 }), m.generate(prompts, B, { T: 0.7, penalty: 1.5 }), m.generate(prompts, B, { T: 1.4 }), m.generate(prompts, B, { T: 0.9, topK: 30, penalty: 3 })];
  });
  for (const r of results.slice(1)) expect(r).toEqual(results[0]);
});

describe('options', () => {
  it('--beams with sampling options is refused, naming them', () => {
    for (const extra of [{ temperature: 0.7 }, { 'top-k': 40 }, { 'top-p': 0.9 }]) {
      expect(() => resolveLmConfig({ documents: 10, beams: 5, ...extra })).toThrow(UsageError);
      expect(() => resolveLmConfig({ documents: 10, beams: 5, ...extra })).toThrow(/--beams 5.*--(temperature|top-k|top-p)/);
    }
  });
  it('ranges', () => {
    expect(() => resolveLmConfig({ documents: 10, beams: 0 })).toThrow(/--beams/);
    expect(() => resolveLmConfig({ documents: 10, beams: 65 })).toThrow(/--beams/);
    expect(() => resolveLmConfig({ documents: 10, 'repetition-penalty': 0.5 })).toThrow(/--repetition-penalty/);
    expect(resolveLmConfig({ documents: 10, beams: 5, 'repetition-penalty': 3 }).config).toMatchObject({ beams: 5, repetitionPenalty: 3 });
  });
});
