// The n-gram model's memory layout and what reading it needs: the header and
// entry fields, the hash lookup, the Kneser-Ney pieces (discounts, gamma), the
// context (the history entries of the last tokens) and the whole next-token
// distribution, p(w | context) and the exact sampler. Shared by the fit and scoring (../lm.ts) and decoding (decode.ts).
import { ldf, stf, ldi, sti } from "./../../platform";
import { rngDouble } from "./../../rng/xor4096";

// header fields (i32 slots of the model header)
export const H_ENTRIES = 0; // entry table: STRIDE i32 per entry
export const H_SLOTS = 1; // hash slots: entry index, 0 = empty
export const H_MASK = 2; // slots - 1 (a power of two)
export const H_CAP = 3; // entries the table holds
export const H_COUNT = 4; // entries in use (the root included)
export const H_ORDER = 5; // N
export const H_VOCAB = 6; // V, <s> included
export const H_BOS = 7; // the entry of the unigram <s>
export const H_DISC = 8; // f64 discounts: [4 k + j] = D_j of order k (j = 1..3)
export const H_CDF = 9; // f64 cumulative unigram masses over ids 0..V-1
export const H_MKN = 10; // 1: modified Kneser-Ney (three discounts)
export const H_FALLBACK = 11; // set by a fit: some order had count-of-counts the discounts could not use
export const H_KIDS = 12; // i32 per entry: the entries grouped by history, each group in insertion order
export const H_CUM = 13; // f64 per entry: at a child's place in H_KIDS, the cumulative discounted mass of its group up to it
export const H_P1 = 14; // f64 per id: p(w) at the unigram level (the floor included), as fullDistribution's first order
export const H_RANK = 15; // i32 per rank: the ids 1..V-1 by decreasing H_P1 (ties: lower id first)
export const H_HIST = 16; // scratch: the history entries of the current context, [k] = last k tokens
export const H_PREV = 24; // scratch for counting
export const H_CUR = 32;
/** i32 slots of a model header. */
export const LM_HEADER_I32 = 40;

// entry fields (i32)
export const E_PARENT = 0; // the history: the n-gram without its last token
export const E_TOKEN = 1; // the last token
export const E_ORDER = 2; // n
export const E_RAW = 3; // occurrences in the text
export const E_KN = 4; // the count Kneser-Ney uses: raw at the top order and for n-grams that start with <s>, else the continuation count N1+(. u w)
export const E_SUFFIX = 5; // the n-gram without its first token
export const E_FIRST = 6; // as a history: where its children (the n-grams it is the history of) start in H_KIDS
export const E_NEXT = 7; // as a history: how many children it has
export const E_TOTAL = 8; // as a history: c(h .) = sum of the children's kn
export const E_N1 = 9; // children with kn = 1, 2, >= 3
export const E_N2 = 10;
export const E_N3 = 11;
export const E_BOS = 12; // 1 if the n-gram starts with <s>
export const E_MAXKN = 13; // as a history: the largest kn of its children (a bound for decoding)
/** i32 per entry. */
export const LM_ENTRY_I32 = 16;

export function hd(m: i32, f: i32): i32 {
  return ldi(m + (f << 2));
}

export function hset(m: i32, f: i32, v: i32): void {
  sti(m + (f << 2), v);
}

export function ef(m: i32, e: i32, f: i32): i32 {
  return ldi(hd(m, H_ENTRIES) + (((e << 4) + f) << 2));
}

export function eset(m: i32, e: i32, f: i32, v: i32): void {
  sti(hd(m, H_ENTRIES) + (((e << 4) + f) << 2), v);
}

/** Hash of a key: xorshift rounds only (shifts and xors have the same bits in JS and WASM). */
export function slotOf(parent: i32, token: i32, mask: i32): i32 {
  let x = parent ^ ((token << 16) | (token >>> 16)) ^ 0x5bd1e995;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  x ^= x >>> 11;
  x ^= x << 7;
  return x & mask;
}

/** The entry of (parent, token), or -1. */
export function find(m: i32, parent: i32, token: i32): i32 {
  const slots = hd(m, H_SLOTS);
  const mask = hd(m, H_MASK);
  let i = slotOf(parent, token, mask);
  while (true) {
    const e = ldi(slots + (i << 2));
    if (e == 0) return -1;
    if (ef(m, e, E_PARENT) == parent && ef(m, e, E_TOKEN) == token) return e;
    i = (i + 1) & mask;
  }
  return -1;
}

/** The discount of a count c at order k. */
export function discount(m: i32, k: i32, c: i32): f64 {
  const j = c < 3 ? c : 3;
  return ldf(hd(m, H_DISC) + (((k << 2) + j) << 3));
}

/** gamma(h): the mass the discounts of history h's children leave to the lower order. */
export function gammaOf(m: i32, h: i32, k: i32): f64 {
  const d = hd(m, H_DISC) + ((k << 2) << 3);
  return (ldf(d + 8) * f64(ef(m, h, E_N1)) + ldf(d + 16) * f64(ef(m, h, E_N2)) + ldf(d + 24) * f64(ef(m, h, E_N3))) / f64(ef(m, h, E_TOTAL));
}

/** Starts a context (<s>); returns the context tokens available (N - 1 at most). */
export function resetContext(m: i32): i32 {
  const hist = m + (H_HIST << 2);
  sti(hist, 0);
  const N = hd(m, H_ORDER);
  if (N < 2) return 0;
  sti(hist + 4, hd(m, H_BOS));
  return 1;
}

/** Moves the context past token w; returns the context tokens now available. */
export function advance(m: i32, have: i32, w: i32): i32 {
  if (w == 1) return resetContext(m);
  const hist = m + (H_HIST << 2);
  const N = hd(m, H_ORDER);
  const next = have + 1 < N - 1 ? have + 1 : N - 1;
  for (let k = next; k >= 1; k--) {
    const h = ldi(hist + ((k - 1) << 2));
    sti(hist + (k << 2), h >= 0 ? find(m, h, w) : -1);
  }
  return next;
}

/** Sets the header's history entries to the last tokens of a context; returns how many count. */
export function setContext(m: i32, ctx: i32, len: i32): i32 {
  const hist = m + (H_HIST << 2);
  const N = hd(m, H_ORDER);
  const use = len < N - 1 ? len : N - 1;
  sti(hist, 0);
  for (let k = 1; k <= use; k++) {
    let h = 0;
    for (let j = len - k; j < len && h >= 0; j++) h = find(m, h, ldi(ctx + (j << 2)));
    sti(hist + (k << 2), h);
  }
  return use;
}

/**
 * p(w | context) for every w at once (dist[0] = 0): the uniform floor, then
 * per order dist = gamma(h) dist + the discounted masses of h's children
 * (O(V) per order plus the children); the same operations per w as prob(),
 * so the same bits.
 */
export function fullDistribution(m: i32, kmax: i32, dist: i32): void {
  const hist = m + (H_HIST << 2);
  const V = hd(m, H_VOCAB);
  const kids = hd(m, H_KIDS);
  const u = 1.0 / f64(V - 1);
  stf(dist, 0.0);
  for (let w = 1; w < V; w++) stf(dist + (w << 3), u);
  for (let k = 1; k <= kmax; k++) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) break;
    const total = ef(m, h, E_TOTAL);
    if (total == 0) continue;
    const g = gammaOf(m, h, k);
    for (let w = 1; w < V; w++) stf(dist + (w << 3), g * ldf(dist + (w << 3)));
    const first = ef(m, h, E_FIRST);
    const end = first + ef(m, h, E_NEXT);
    for (let i = first; i < end; i++) {
      const x = ldi(kids + (i << 2));
      const c = ef(m, x, E_KN);
      let a = 0.0;
      if (c > 0) {
        a = f64(c) - discount(m, k, c);
        if (a < 0.0) a = 0.0;
      }
      const p = dist + (ef(m, x, E_TOKEN) << 3);
      stf(p, a / f64(total) + ldf(p));
    }
  }
}

/**
 * p(w | context), the context given by the history entries in the header's
 * scratch ([k] = the entry of the last k context tokens, -1 when unseen), up
 * to kmax - 1 tokens. Interpolated from the bottom: p_0 = 1/(V - 1), then
 * p_k = max(c(hw) - D(c), 0)/c(h .) + gamma(h) p_{k-1}, skipping orders whose
 * history was never followed (c(h .) = 0).
 */
export function prob(m: i32, kmax: i32, w: i32): f64 {
  const hist = m + (H_HIST << 2);
  let p = 1.0 / f64(hd(m, H_VOCAB) - 1);
  for (let k = 1; k <= kmax; k++) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) break;
    const total = ef(m, h, E_TOTAL);
    if (total == 0) continue;
    const x = find(m, h, w);
    const c = x > 0 ? ef(m, x, E_KN) : 0;
    let a = 0.0;
    if (c > 0) {
      a = f64(c) - discount(m, k, c);
      if (a < 0.0) a = 0.0;
    }
    p = a / f64(total) + gammaOf(m, h, k) * p;
  }
  return p;
}

/**
 * Draws the next token from the interpolated distribution, as a mixture:
 * one uniform t below 1 - gamma (the top order's discounted mass) picks a
 * successor by binary search of their cumulative masses (insertion order); t in [1 - gamma, 1) is rescaled by
 * gamma and goes down an order; the unigram level searches its cumulative
 * masses in id order, and the uniform floor takes the rest. Exact sampling of
 * p(w | context) with + - * / and comparisons only.
 */
export function sampleNext(m: i32, rng: i32, kmax: i32): i32 {
  const hist = m + (H_HIST << 2);
  const V = hd(m, H_VOCAB);
  let t = rngDouble(rng);
  for (let k = kmax; k >= 2; k--) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) continue;
    const total = ef(m, h, E_TOTAL);
    if (total == 0) continue;
    const tf = f64(total);
    const g = gammaOf(m, h, k);
    // the successors' discounted masses sum to 1 - gamma: walk them only when t falls among them
    const seenMass = 1.0 - g;
    if (t < seenMass) {
      // the first child whose cumulative mass passes t (children of zero mass never do)
      const cum = hd(m, H_CUM);
      let lo = ef(m, h, E_FIRST);
      let hi = lo + ef(m, h, E_NEXT) - 1;
      if (t < ldf(cum + (hi << 3))) {
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (t < ldf(cum + (mid << 3))) hi = mid;
          else lo = mid + 1;
        }
        return ef(m, ldi(hd(m, H_KIDS) + (lo << 2)), E_TOKEN);
      }
      // round-off put t past the last child's cumulative mass: go down with t = 0
      t = 0.0;
      continue;
    }
    t = (t - seenMass) / g;
  }
  const cdf = hd(m, H_CDF);
  const seen = ldf(cdf + ((V - 1) << 3));
  if (t < seen) {
    let lo = 1;
    let hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t < ldf(cdf + (mid << 3))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  const root = f64(ef(m, 0, E_TOTAL));
  const g = root > 0.0 ? gammaOf(m, 0, 1) : 1.0;
  if (g > 0.0) t = (t - seen) / g;
  let w = 1 + i32(Math.floor(t * f64(V - 1)));
  if (w > V - 1) w = V - 1;
  return w;
}
