// Top-k/top-p sampling (assembly/models/lm/truncate.ts): the fast path, which
// works on the context's candidates, against the O(V) method it must equal bit
// for bit (the whole distribution, heaps, sums in id order), on Brown models
// with and without zero-count words (ties at the unigram floor), on a toy model
// full of ties, and on every backend.
import { describe, expect, it } from 'vitest';
import { arenas, BACKEND_NAMES } from './helpers.js';
import { allocNgram, decodeBytes, initNgram } from '../src/families/lm/ngram-buffers.js';
import { loadCorpus } from '../src/families/lm/corpus/load.js';
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';
import { allocGenerator } from '../src/chain/layout.js';

const all = await arenas();

type Opts = { T?: number; topK?: number; topP?: number; penalty?: number };

/** A model fitted to `text` (blocks of B) with a vocabulary of V ids, and a writer of blocks after prompts. */
function fitted(a: Arena, text: ArrayLike<number>, B: number, order: number, V: number) {
  const k = a.backend.kernels;
  const b = allocNgram(a, text.length, order, V, 'model');
  initNgram(k, b, order, V, true);
  const t = a.allocI32(text.length);
  a.i32(t, text.length).set(text);
  k.lmFit(b.header, t, text.length / B, B, 0);
  const gen = allocGenerator(a);
  const work = a.allocF64(decodeBytes(V, B, 1) / 8);
  return {
    /** The written blocks (prompts of length P, n of them) and how many draws the fast path left to the O(V) method. */
    write(prompts: number[][], opts: Opts, reference: boolean): { blocks: number[][]; fallbacks: number } {
      const n = prompts.length;
      const store = a.allocI32(2 * n * B);
      const v = a.i32(store, 2 * n * B);
      prompts.forEach((p, j) => v.set(p, j * B));
      seedGenerator(a, gen.rng, gen.key, `truncate-${JSON.stringify(opts)}`);
      k.lmTruncateReference(reference ? 1 : 0);
      k.lmGenerate(b.header, gen.rng, store, B, prompts[0].length, n, 0, n, n, opts.T ?? 1, opts.topK ?? 0, opts.topP ?? 1, 1, opts.penalty ?? 1, work);
      const fallbacks = k.lmTruncateFallbacks();
      k.lmTruncateReference(0);
      const w = a.i32(store, 2 * n * B);
      return { blocks: Array.from({ length: n }, (_, j) => Array.from(w.subarray((n + j) * B, (n + j + 1) * B))), fallbacks };
    },
  };
}

const SETTINGS: Opts[] = [
  { topK: 1 },
  { topK: 40, T: 0.7 },
  { topK: 5, penalty: 3 },
  { topK: 300, topP: 0.8, T: 1.3, penalty: 2 },
  { topP: 0.9 },
  { topP: 0.5, T: 0.5 },
  { topP: 0.95, T: 2, penalty: 3 },
  { topP: 0.999, T: 3 },
  { topP: 0.3, T: 0.05 },
];

describe('top-k/top-p: the fast path equals the O(V) method bit for bit', () => {
  const corpus = loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });
  const B = 32;
  const V = corpus.vocabulary.words.length;
  const text = corpus.train.subarray(0, Math.floor(corpus.train.length / B) * B);
  const prompts = Array.from({ length: 6 }, (_, j) => Array.from(text.subarray(j * 640, j * 640 + 4)));
  // order 3 on all the text, and order 4 on 20 blocks (most words then have no count: a large tie at the unigram floor)
  const models = { 'order 3': fitted(all.wasm, text, B, 3, V), 'order 4, 20 blocks': fitted(all.wasm, text.subarray(0, 20 * B), B, 4, V) };
  for (const [name, m] of Object.entries(models))
    it.each(SETTINGS.map((s) => [JSON.stringify(s), s] as const))(`${name}: %s`, (_, opts) => {
      const fast = m.write(prompts, opts, false);
      const ref = m.write(prompts, opts, true);
      expect(fast.blocks).toEqual(ref.blocks);
      expect(ref.fallbacks).toBe(0);
      // the fast path decides nearly every draw itself
      expect(fast.fallbacks).toBeLessThanOrEqual(Math.ceil(0.01 * prompts.length * (B - 4)));
    });

  it('on a toy model full of ties (V = 6)', () => {
    // ids: 0 <s>, 1 </s>, 2 <unk>, 3 a, 4 b, 5 c
    const toy = [3, 4, 3, 1, 4, 4, 5, 1, 3, 4, 1, 5];
    const m = fitted(all.wasm, toy, 12, 2, 6);
    const ps = [[3], [4], [5], [1]];
    for (const opts of [{ topK: 1 }, { topK: 2 }, { topK: 3, T: 2 }, { topK: 4, topP: 0.5 }, { topP: 0.6 }, { topP: 0.9, T: 0.3, penalty: 2 }, { topP: 0.2 }])
      expect(m.write(ps, opts, false).blocks, JSON.stringify(opts)).toEqual(m.write(ps, opts, true).blocks);
  });

  it('the same bits on every backend', () => {
    const small = text.subarray(0, 60 * B);
    const results = BACKEND_NAMES.map((name) => {
      const m = fitted(all[name], small, B, 3, V);
      // (small: the js backend takes about 0.1 s per token here, with a nucleus of hundreds of words)
      return [m.write(prompts.slice(0, 2), { topP: 0.5, T: 1.2, penalty: 2 }, false).blocks, m.write(prompts.slice(0, 2), { topK: 20, topP: 0.7 }, false).blocks];
    });
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});
