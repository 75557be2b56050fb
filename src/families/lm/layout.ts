// Every buffer of an lm run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import { allocNgram, decodeBytes } from './ngram-buffers.js';
import type { LmConfig } from './types.js';

/** Doubles written by lmTextStats. */
export const STATS_OUT = 3;

/** Blocks in the store: the real ones, then room for one generation's (or, pooling, every generation's). */
export function lmSizes(c: LmConfig) {
  const N = c.trainBlocks;
  const pools = c.policy === 'accumulate' || c.policy === 'accumulate-subsample';
  const storeBlocks = pools ? N * (c.generations + 1) : 2 * N;
  // the largest training set: accumulate trains on the pool
  const trainMax = c.policy === 'accumulate' ? storeBlocks : N;
  return { N, storeBlocks, trainMax };
}

export function lmLayout(c: LmConfig, a: Allocator) {
  const { N, storeBlocks, trainMax } = lmSizes(c);
  const B = c.block;
  const V = c.vocabulary;
  return {
    model0: allocNgram(a, N * B, c.order, V, 'model 0'),
    model: allocNgram(a, trainMax * B, c.order, V, 'model'),
    store: a.allocI32(storeBlocks * B, 'text blocks'),
    list: a.allocI32(trainMax, 'training blocks'),
    pick: a.allocI32(storeBlocks, 'block draw scratch'),
    // the training text, hashed as f64 pairs: a pad slot that stays 0
    text: a.allocI32(trainMax * B + 1, 'training text'),
    test: a.allocI32(c.testTokens, 'test text'),
    perBlock: a.allocF64(trainMax, 'per-block perplexities'),
    rare: a.allocI32(V, 'rare-token flags'),
    mark: a.allocI32(V, 'type marks'),
    // decoding (--beams, --temperature, --top-k, --top-p, --repetition-penalty): candidates, beams, marks
    decode: a.allocF64(decodeBytes(V, B, c.beams) / 8, 'decoding scratch'),
    out: a.allocF64(Math.max(STATS_OUT, 1), 'metric scratch'),
  };
}

export type LmBuffers = ReturnType<typeof lmLayout>;
