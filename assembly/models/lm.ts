// The language-model family: an n-gram model (orders 1..5) with interpolated
// Kneser-Ney smoothing (Chen & Goodman 1998; one discount per order, or the
// modified three), counted, fitted, sampled and scored here.
//
// Tokens are i32 ids: 0 is <s> (a context only, never predicted), 1 is </s>,
// 2 is <unk>, words from 3; a model predicts ids 1..V-1. A text is a run of
// blocks of B tokens (no <s> in it): the context starts afresh (<s>) at
// every block start and after every </s>, as KenLM pads each sentence with one <s>.
//
// The counts live in an open-addressing hash table keyed by (history entry,
// token): an n-gram is its history's child, so a key is two i32 whatever the
// order, and entries are numbered in insertion order (iteration is
// deterministic). Entry 0 is the root (the empty history). A model is a
// header of i32 at `m` (below) pointing at its buffers; the host lays them out
// (src/families/lm/layout.ts) and calls lmInit once.
import { ldf, stf, ldi, sti } from "./../platform";
import { sampleIndices } from "./../distributions/subsample";
import { exp, log } from "./../detmath";
import { H_ENTRIES, H_SLOTS, H_MASK, H_CAP, H_COUNT, H_ORDER, H_VOCAB, H_BOS, H_DISC, H_CDF, H_MKN, H_FALLBACK, H_KIDS, H_CUM, H_P1, H_RANK, H_HIST, H_PREV, H_CUR, LM_HEADER_I32 } from "./lm/table";
import { E_PARENT, E_TOKEN, E_ORDER, E_RAW, E_KN, E_SUFFIX, E_FIRST, E_NEXT, E_TOTAL, E_N1, E_N2, E_N3, E_BOS, E_MAXKN, LM_ENTRY_I32 } from "./lm/table";
import { hd, hset, ef, eset, slotOf, find, discount, gammaOf, resetContext, advance, setContext, fullDistribution, prob, sampleNext } from "./lm/table";
import { decodeBytes, decodeStart, decodeBlock, unigramLevel, probBound } from "./lm/decode";
import { truncateReference, truncateFallbacks } from "./lm/truncate";

// The header, the entry fields and the lookups are in lm/table.ts; decoding
// (beam search, tempered and penalised sampling) in lm/decode.ts.

/** i32 slots of a model header. */
export function lmHeaderI32(): i32 {
  return LM_HEADER_I32;
}

/** i32 per entry. */
export function lmEntryI32(): i32 {
  return LM_ENTRY_I32;
}

/** Lays a model's header over buffers the host allocated (slots: a power of two). */
export function lmInit(m: i32, entries: i32, capacity: i32, slots: i32, slotCount: i32, order: i32, vocab: i32, disc: i32, cdf: i32, modified: i32, kids: i32, cum: i32, p1: i32, rank: i32): void {
  hset(m, H_P1, p1);
  hset(m, H_RANK, rank);
  hset(m, H_KIDS, kids);
  hset(m, H_CUM, cum);
  hset(m, H_ENTRIES, entries);
  hset(m, H_SLOTS, slots);
  hset(m, H_MASK, slotCount - 1);
  hset(m, H_CAP, capacity);
  hset(m, H_COUNT, 1);
  hset(m, H_ORDER, order);
  hset(m, H_VOCAB, vocab);
  hset(m, H_BOS, 0);
  hset(m, H_DISC, disc);
  hset(m, H_CDF, cdf);
  hset(m, H_MKN, modified);
  hset(m, H_FALLBACK, 0);
}

/** The entry of (parent, token), inserted (order, suffix) when new; -1 when the table is full. */
function findOrInsert(m: i32, parent: i32, token: i32, order: i32, suffix: i32): i32 {
  const slots = hd(m, H_SLOTS);
  const mask = hd(m, H_MASK);
  let i = slotOf(parent, token, mask);
  while (true) {
    const e = ldi(slots + (i << 2));
    if (e == 0) break;
    if (ef(m, e, E_PARENT) == parent && ef(m, e, E_TOKEN) == token) return e;
    i = (i + 1) & mask;
  }
  const n = hd(m, H_COUNT);
  if (n >= hd(m, H_CAP)) return -1;
  hset(m, H_COUNT, n + 1);
  sti(slots + (i << 2), n);
  const p = hd(m, H_ENTRIES) + ((n << 4) << 2);
  for (let f = 0; f < LM_ENTRY_I32; f++) sti(p + (f << 2), 0);
  eset(m, n, E_PARENT, parent);
  eset(m, n, E_TOKEN, token);
  eset(m, n, E_ORDER, order);
  eset(m, n, E_SUFFIX, suffix);
  return n;
}

/** Empties the table: the root alone, then the unigram <s>. */
function clear(m: i32): void {
  const slots = hd(m, H_SLOTS);
  const n = hd(m, H_MASK) + 1;
  for (let i = 0; i < n; i++) sti(slots + (i << 2), 0);
  const p = hd(m, H_ENTRIES);
  for (let f = 0; f < LM_ENTRY_I32; f++) sti(p + (f << 2), 0);
  hset(m, H_COUNT, 1);
  hset(m, H_BOS, findOrInsert(m, 0, 0, 1, 0));
}

/** Copies blocks of B tokens, in the order of the ids at `list`, from the store into one text. */
export function lmGather(store: i32, list: i32, count: i32, block: i32, text: i32): void {
  const bytes = block << 2;
  let q = text;
  for (let b = 0; b < count; b++) {
    const p = store + ldi(list + (b << 2)) * bytes;
    for (let i = 0; i < block; i++) sti(q + (i << 2), ldi(p + (i << 2)));
    q += bytes;
  }
}

/**
 * Counts the n-grams of a text (nBlocks blocks of B tokens), orders 1..N,
 * each with its history: at a position with k - 1 tokens of context
 * available (<s> included), the n-grams of orders 1..k end there. Positions
 * before `skip` in a block (a prompt) are context only: their n-grams get
 * entries (they are histories) with count 0. Adds to the counts since
 * lmFitStart, so a long text can be counted in slices of blocks. Returns the
 * entries used, or -1 when the table is too small.
 */
export function lmCount(m: i32, text: i32, nBlocks: i32, block: i32, skip: i32): i32 {
  const N = hd(m, H_ORDER);
  const bos = hd(m, H_BOS);
  const prev = m + (H_PREV << 2);
  const cur = m + (H_CUR << 2);
  const top = N - 1 < 1 ? N - 1 : 1; // context tokens after a reset: <s> (none at N = 1)
  sti(prev, 0);
  sti(cur, 0);
  let p = text;
  for (let b = 0; b < nBlocks; b++) {
    sti(prev + 4, bos);
    let have = top;
    for (let i = 0; i < block; i++) {
      const w = ldi(p);
      p += 4;
      const kmax = have + 1;
      for (let k = 1; k <= kmax; k++) {
        const x = findOrInsert(m, ldi(prev + ((k - 1) << 2)), w, k, ldi(cur + ((k - 1) << 2)));
        if (x < 0) return -1;
        if (i >= skip) eset(m, x, E_RAW, ef(m, x, E_RAW) + 1);
        sti(cur + (k << 2), x);
      }
      if (w == 1) {
        sti(prev + 4, bos);
        have = top;
      } else {
        have = kmax < N - 1 ? kmax : N - 1;
        for (let k = 1; k <= have; k++) sti(prev + (k << 2), ldi(cur + (k << 2)));
      }
    }
  }
  return hd(m, H_COUNT);
}

/**
 * Discounts of order k from the count-of-counts n_r of its kn counts:
 * Y = n1 / (n1 + 2 n2); Kneser-Ney D = Y; modified Kneser-Ney
 * D1 = 1 - 2 Y n2/n1, D2 = 2 - 3 Y n3/n2, D3+ = 3 - 4 Y n4/n3 (Chen & Goodman
 * 1998, as KenLM's adjust_counts.cc). Where KenLM would stop (an n_r = 0, a
 * D_j outside [0, j]) a chain cannot: Y = 0.5 when n1 = 0, and modified falls
 * back to D = Y for all three; the fallback is flagged.
 */
function discounts(m: i32): void {
  const N = hd(m, H_ORDER);
  const n = hd(m, H_COUNT);
  const d = hd(m, H_DISC);
  for (let k = 1; k <= N; k++) {
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    let n4 = 0;
    for (let e = 1; e < n; e++) {
      if (ef(m, e, E_ORDER) != k) continue;
      const c = ef(m, e, E_KN);
      if (c == 1) n1++;
      else if (c == 2) n2++;
      else if (c == 3) n3++;
      else if (c == 4) n4++;
    }
    let y = 0.5;
    if (n1 > 0) y = f64(n1) / (f64(n1) + 2.0 * f64(n2));
    else hset(m, H_FALLBACK, 1);
    let d1 = y;
    let d2 = y;
    let d3 = y;
    if (hd(m, H_MKN) != 0) {
      if (n1 > 0 && n2 > 0 && n3 > 0 && n4 > 0) {
        d1 = 1.0 - 2.0 * y * f64(n2) / f64(n1);
        d2 = 2.0 - 3.0 * y * f64(n3) / f64(n2);
        d3 = 3.0 - 4.0 * y * f64(n4) / f64(n3);
      }
      if (!(n1 > 0 && n2 > 0 && n3 > 0 && n4 > 0) || d1 < 0.0 || d1 > 1.0 || d2 < 0.0 || d2 > 2.0 || d3 < 0.0 || d3 > 3.0) {
        d1 = y;
        d2 = y;
        d3 = y;
        hset(m, H_FALLBACK, 1);
      }
    }
    const p = d + ((k << 2) << 3);
    stf(p, 0.0);
    stf(p + 8, d1);
    stf(p + 16, d2);
    stf(p + 24, d3);
  }
}

/** Empties the model before lmCount. */
export function lmFitStart(m: i32): void {
  clear(m);
  hset(m, H_FALLBACK, 0);
}

/** The whole fit of a text in one call: lmFitStart, lmCount, lmFitFinish. */
export function lmFit(m: i32, text: i32, nBlocks: i32, block: i32, skip: i32): i32 {
  lmFitStart(m);
  if (lmCount(m, text, nBlocks, block, skip) < 0) return -1;
  return lmFitFinish(m);
}

/**
 * Fits the model to the counts: continuation counts, each history's c(h .)
 * and N1/N2/N3+, the discounts, the child lists (in insertion order) and the
 * cumulative unigram masses the sampler searches. Returns the entries used.
 */
export function lmFitFinish(m: i32): i32 {
  const N = hd(m, H_ORDER);
  const n = hd(m, H_COUNT);
  const bos = hd(m, H_BOS);
  // continuation counts: each distinct n-gram of order k + 1 counts once for its suffix
  // (an n-gram seen only in prompts, count 0, was never observed: it extends nothing)
  for (let e = 1; e < n; e++) {
    if (ef(m, e, E_ORDER) >= 2 && ef(m, e, E_RAW) > 0) {
      const s = ef(m, e, E_SUFFIX);
      eset(m, s, E_KN, ef(m, s, E_KN) + 1);
    }
  }
  // the count each entry uses, and its history's totals (a parent comes before its children)
  for (let e = 1; e < n; e++) {
    const k = ef(m, e, E_ORDER);
    const b = k == 1 ? (ef(m, e, E_TOKEN) == 0 ? 1 : 0) : ef(m, ef(m, e, E_PARENT), E_BOS);
    eset(m, e, E_BOS, b);
    let c = ef(m, e, E_KN);
    if (e == bos) c = 0; // <s> is never predicted
    else if (k == N || b != 0) c = ef(m, e, E_RAW);
    eset(m, e, E_KN, c);
    if (c > 0) {
      const h = ef(m, e, E_PARENT);
      eset(m, h, E_TOTAL, ef(m, h, E_TOTAL) + c);
      if (c == 1) eset(m, h, E_N1, ef(m, h, E_N1) + 1);
      else if (c == 2) eset(m, h, E_N2, ef(m, h, E_N2) + 1);
      else eset(m, h, E_N3, ef(m, h, E_N3) + 1);
    }
  }
  discounts(m);
  // children grouped by history (a counting sort: each group in insertion order),
  // with their cumulative discounted masses, which the sampler searches
  const kids = hd(m, H_KIDS);
  const cum = hd(m, H_CUM);
  for (let e = 1; e < n; e++) {
    const h = ef(m, e, E_PARENT);
    eset(m, h, E_NEXT, ef(m, h, E_NEXT) + 1);
  }
  let start = 0;
  for (let h = 0; h < n; h++) {
    eset(m, h, E_FIRST, start);
    start += ef(m, h, E_NEXT);
    eset(m, h, E_NEXT, 0);
  }
  for (let e = 1; e < n; e++) {
    const h = ef(m, e, E_PARENT);
    const at = ef(m, h, E_FIRST) + ef(m, h, E_NEXT);
    sti(kids + (at << 2), e);
    eset(m, h, E_NEXT, ef(m, h, E_NEXT) + 1);
  }
  for (let h = 0; h < n; h++) {
    const first = ef(m, h, E_FIRST);
    const end = first + ef(m, h, E_NEXT);
    const total = f64(ef(m, h, E_TOTAL));
    const k = ef(m, h, E_ORDER) + 1;
    let acc = 0.0;
    let most = 0;
    for (let i = first; i < end; i++) {
      const c = ef(m, ldi(kids + (i << 2)), E_KN);
      if (c > 0) {
        const a = f64(c) - discount(m, k, c);
        if (a > 0.0) acc += a / total;
      }
      if (c > most) most = c;
      stf(cum + (i << 3), acc);
    }
    eset(m, h, E_MAXKN, most);
  }
  // cumulative discounted unigram masses in id order: cdf[w] = sum_{v <= w} max(kn(v) - D, 0) / c(.)
  const V = hd(m, H_VOCAB);
  const cdf = hd(m, H_CDF);
  const total = f64(ef(m, 0, E_TOTAL));
  let acc = 0.0;
  stf(cdf, 0.0);
  for (let w = 1; w < V; w++) {
    const e = find(m, 0, w);
    if (e > 0) {
      const c = ef(m, e, E_KN);
      const a = f64(c) - discount(m, 1, c);
      if (a > 0.0) acc += a / total;
    }
    stf(cdf + (w << 3), acc);
  }
  unigramLevel(m);
  return n;
}

/** Entries in use; 1 when some order's discounts fell back (see discounts). */
export function lmEntries(m: i32): i32 {
  return hd(m, H_COUNT);
}
export function lmFallback(m: i32): i32 {
  return hd(m, H_FALLBACK);
}
/** D_j of order k, for tests and the report. */
export function lmDiscount(m: i32, k: i32, j: i32): f64 {
  return ldf(hd(m, H_DISC) + (((k << 2) + j) << 3));
}

/** lmProbabilities computed a whole order at a time, as the decoding sampler does (the same bits). */
export function lmDistribution(m: i32, ctx: i32, len: i32, out: i32): void {
  fullDistribution(m, setContext(m, ctx, len) + 1, out);
}

/**
 * The next-token distribution after `len` context tokens at `ctx` (the first
 * may be 0, <s>; only the last N - 1 count): out[w] = p(w | context) for
 * w = 0..V-1 (out[0] = 0: <s> is never predicted).
 */
export function lmProbabilities(m: i32, ctx: i32, len: i32, out: i32): void {
  const use = setContext(m, ctx, len);
  const V = hd(m, H_VOCAB);
  stf(out, 0.0);
  for (let w = 1; w < V; w++) stf(out + (w << 3), prob(m, use + 1, w));
}

/**
 * Log-probabilities of texts: for each of nBlocks blocks of B tokens, the sum
 * of log p(token | context) over positions skip..B-1 (the context starts at
 * the block's start) goes to out[b].
 */
export function lmBlockLogProbs(m: i32, text: i32, nBlocks: i32, block: i32, skip: i32, out: i32): void {
  let p = text;
  for (let b = 0; b < nBlocks; b++) {
    let have = resetContext(m);
    let s = 0.0;
    for (let i = 0; i < block; i++) {
      const w = ldi(p + (i << 2));
      if (i >= skip) s += log(prob(m, have + 1, w));
      have = advance(m, have, w);
    }
    stf(out + (b << 3), s);
    p += block << 2;
  }
}

/** out[b] = exp(-out[b] / tokens): a block's perplexity from its log-probability sum. */
export function lmPerplexities(buf: i32, n: i32, tokens: i32): void {
  const t = f64(tokens);
  for (let i = 0; i < n; i++) stf(buf + (i << 3), exp(-ldf(buf + (i << 3)) / t));
}

/** The bound of p(w | context) over w that tempered sampling uses (lm/decode.ts), for tests. */
export function lmProbBound(m: i32, ctx: i32, len: i32): f64 {
  return probBound(m, setContext(m, ctx, len) + 1);
}

/**
 * Top-k/top-p draws by the O(V) method only (1) or by the fast path (0, the
 * default; lm/truncate.ts), for tests and the bench; resets the count below.
 */
export function lmTruncateReference(on: i32): void {
  truncateReference(on);
}

/** Top-k/top-p draws the fast path left to the O(V) method since lmTruncateReference. */
export function lmTruncateFallbacks(): i32 {
  return truncateFallbacks();
}

/** Bytes of the decoding scratch lmGenerate takes (lm/decode.ts). */
export function lmDecodeBytes(vocab: i32, block: i32, beams: i32): i32 {
  return decodeBytes(vocab, block, beams);
}

/**
 * Writes k blocks of B tokens into the store at block slots dst, dst+1, ...:
 * each starts with the first P tokens of a real block (src, src+1, ...
 * cycling through the nReal real blocks at the store's start), and the model
 * writes the rest: by exact sampling (sampleNext, one draw per token), or,
 * with a temperature other than 1, topK > 0, topP < 1, a repetition penalty
 * other than 1 or beams >= 2, by lm/decode.ts (`work`: lmDecodeBytes of
 * scratch). Block after block from one stream, so a run split in slices
 * writes the same tokens.
 */
export function lmGenerate(m: i32, rng: i32, store: i32, block: i32, prompt: i32, nReal: i32, src: i32, dst: i32, k: i32, temperature: f64, topK: i32, topP: f64, beams: i32, penalty: f64, work: i32): void {
  const bytes = block << 2;
  const plain = temperature == 1.0 && topK == 0 && topP >= 1.0 && penalty == 1.0 && beams < 2;
  if (!plain) decodeStart(m, work, block, beams, temperature);
  let s = src;
  for (let j = 0; j < k; j++) {
    const from = store + s * bytes;
    const to = store + (dst + j) * bytes;
    if (plain) {
      let have = resetContext(m);
      for (let i = 0; i < block; i++) {
        const w = i < prompt ? ldi(from + (i << 2)) : sampleNext(m, rng, have + 1);
        sti(to + (i << 2), w);
        have = advance(m, have, w);
      }
    } else {
      for (let i = 0; i < prompt; i++) sti(to + (i << 2), ldi(from + (i << 2)));
      decodeBlock(m, rng, to, block, prompt, temperature, topK, topP, beams, penalty, work);
    }
    s++;
    if (s == nReal) s = 0;
  }
}

/**
 * Draws k of the ids 0..n-1 without replacement into list[at..at+k)
 * (`idx`: scratch for n i32), in draw order.
 */
export function lmPickBlocks(rng: i32, n: i32, k: i32, idx: i32, list: i32): void {
  sampleIndices(rng, idx, n, k);
  for (let i = 0; i < k; i++) sti(list + (i << 2), ldi(idx + (i << 2)));
}

/**
 * Facts of a text's positions skip..B-1 of each block: out[0] = distinct
 * tokens, out[1] = tokens flagged in `rare` (V i32), out[2] = tokens looked
 * at. `mark` is scratch for V i32.
 */
export function lmTextStats(text: i32, nBlocks: i32, block: i32, skip: i32, vocab: i32, rare: i32, mark: i32, out: i32): void {
  for (let w = 0; w < vocab; w++) sti(mark + (w << 2), 0);
  let types = 0;
  let rareTokens = 0;
  let tokens = 0;
  let p = text;
  for (let b = 0; b < nBlocks; b++) {
    for (let i = skip; i < block; i++) {
      const w = ldi(p + (i << 2));
      if (ldi(mark + (w << 2)) == 0) {
        sti(mark + (w << 2), 1);
        types++;
      }
      rareTokens += ldi(rare + (w << 2));
      tokens++;
    }
    p += block << 2;
  }
  stf(out, f64(types));
  stf(out + 8, f64(rareTokens));
  stf(out + 16, f64(tokens));
}
