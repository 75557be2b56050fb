// The buffers of one n-gram model in kernel memory (assembly/models/lm.ts),
// sized for a text of at most `tokens` tokens.
import type { Allocator } from '../../chain/layout.js';
import type { KernelExports } from '../../kernels/abi.js';

/** i32 per model header and per table entry (assembly/models/lm.ts: lmHeaderI32, lmEntryI32). */
export const LM_HEADER_I32 = 40;
export const LM_ENTRY_I32 = 16;

export interface NgramBuffers {
  header: number;
  entries: number;
  /** Entries the table holds: the root, <s>, and at most N n-grams per token. */
  capacity: number;
  slots: number;
  /** Hash slots: a power of two, at least twice the capacity (linear probing stays short). */
  slotCount: number;
  discounts: number;
  cdf: number;
  /** The entries grouped by history, and their cumulative masses (the sampler's search). */
  kids: number;
  cum: number;
  /** Decoding (assembly/models/lm/decode.ts): p(w) at the unigram level, and the ids ranked by it. */
  p1: number;
  rank: number;
}

export function ngramCapacity(tokens: number, order: number): number {
  return 2 + tokens * order;
}

export function allocNgram(a: Allocator, tokens: number, order: number, vocab: number, what: string): NgramBuffers {
  const capacity = ngramCapacity(tokens, order);
  let slotCount = 16;
  while (slotCount < 2 * capacity) slotCount *= 2;
  return {
    header: a.allocI32(LM_HEADER_I32, `${what} header`),
    entries: a.allocI32(capacity * LM_ENTRY_I32, `${what} n-gram table`),
    capacity,
    slots: a.allocI32(slotCount, `${what} hash slots`),
    slotCount,
    discounts: a.allocF64(4 * 6, `${what} discounts`),
    cdf: a.allocF64(vocab, `${what} unigram masses`),
    kids: a.allocI32(capacity, `${what} children`),
    cum: a.allocF64(capacity, `${what} cumulative masses`),
    p1: a.allocF64(vocab, `${what} unigram level`),
    rank: a.allocI32(vocab, `${what} unigram ranks`),
  };
}

export function initNgram(k: KernelExports, b: NgramBuffers, order: number, vocab: number, modified: boolean): void {
  k.lmInit(b.header, b.entries, b.capacity, b.slots, b.slotCount, order, vocab, b.discounts, b.cdf, modified ? 1 : 0, b.kids, b.cum, b.p1, b.rank);
}

/**
 * Bytes of decoding scratch (assembly/models/lm/decode.ts, decodeBytes: the
 * kernels' lmDecodeBytes, checked equal in test/lm-decode.test.ts).
 */
export function decodeBytes(vocab: number, block: number, beams: number): number {
  return 8 * (16 + 6 * vocab + block + 8 + 2 * beams * block + 26 * beams);
}
