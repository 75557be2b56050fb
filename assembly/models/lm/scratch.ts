// The decoding scratch (one region of decodeBytes(V, B, beams) bytes: a header
// of pointers and stamps, then its arrays) and what decode.ts and truncate.ts
// both use on it: the marks, the candidates of a context and their
// probabilities (see decode.ts), and the ranking of ids by probability.
//
// Marks: a word is marked when its mark equals the current stamp, so a new
// set costs no clearing.
import { ldf, stf, ldi, sti } from "./../../platform";
import { H_HIST, H_KIDS, H_P1, E_TOKEN, E_KN, E_FIRST, E_NEXT, E_TOTAL } from "./table";
import { hd, ef, discount, gammaOf } from "./table";

// the scratch's header (i32 slots)
export const D_DIST = 0; // f64 per id: the candidates' probabilities (or the whole distribution)
export const D_LIST = 1; // i32 per id: the candidates (or a heap or list of ids)
export const D_TCDF = 2; // f64 per id: cumulative p1(w)^(1/T)
export const D_CMARK = 3; // i32 per id: candidate marks
export const D_PMARK = 4; // i32 per id: penalty marks
export const D_SEEN = 5; // i32 per position: the block's distinct tokens (sampling)
export const D_GAM = 6; // f64 x 8: the gammas of the context's orders >= 2, lowest first
export const D_BTOK = 7; // i32 per position, 2 beams x B slots: each beam's tokens
export const D_BHIST = 8; // i32 x 8 per slot: each beam's history entries
export const D_BHAVE = 9; // i32 per slot: each beam's context length
export const D_BSCORE = 10; // f64 per slot: each beam's summed log-probability
export const D_SELW = 11; // i32 x beams: one beam's best words
export const D_SELP = 12; // f64 x beams: their probabilities
export const D_GS = 13; // f64 x beams: the step's best (score, p, beam, word), best first
export const D_GP = 14;
export const D_GJ = 15;
export const D_GW = 16;
export const D_CSTAMP = 17;
export const D_PSTAMP = 18;
export const D_NSEEN = 19;
export const D_BLOCK = 20;
export const D_KEEP = 21; // i32 per id: the top-k and nucleus selections (heaps, lists of ids)
/** 8-byte slots of the scratch's header. */
export const D_HEADER_SLOTS = 16;

/** Bytes of decoding scratch for V ids, blocks of B tokens and `beams` beams (every array in 8-byte slots). */
export function decodeBytes(vocab: i32, block: i32, beams: i32): i32 {
  return (D_HEADER_SLOTS + 6 * vocab + block + 8 + 2 * beams * block + 26 * beams) << 3;
}

export function wd(work: i32, f: i32): i32 {
  return ldi(work + (f << 2));
}
export function wset(work: i32, f: i32, v: i32): void {
  sti(work + (f << 2), v);
}
/** A new stamp for the marks at field f. */
export function stamp(work: i32, f: i32): i32 {
  const s = wd(work, f) + 1;
  wset(work, f, s);
  return s;
}

/** Carves the scratch into its arrays and clears the marks (O(V)). */
export function carveScratch(work: i32, V: i32, block: i32, beams: i32): void {
  let p = work + (D_HEADER_SLOTS << 3);
  wset(work, D_DIST, p);
  p += V << 3;
  wset(work, D_LIST, p);
  p += V << 3;
  wset(work, D_TCDF, p);
  p += V << 3;
  wset(work, D_CMARK, p);
  p += V << 3;
  wset(work, D_PMARK, p);
  p += V << 3;
  wset(work, D_KEEP, p);
  p += V << 3;
  wset(work, D_SEEN, p);
  p += block << 3;
  wset(work, D_GAM, p);
  p += 64;
  wset(work, D_BTOK, p);
  p += (2 * beams * block) << 3;
  wset(work, D_BHIST, p);
  p += (16 * beams) << 3;
  wset(work, D_BHAVE, p);
  p += (2 * beams) << 3;
  wset(work, D_BSCORE, p);
  p += (2 * beams) << 3;
  wset(work, D_SELW, p);
  p += beams << 3;
  wset(work, D_SELP, p);
  p += beams << 3;
  wset(work, D_GS, p);
  p += beams << 3;
  wset(work, D_GP, p);
  p += beams << 3;
  wset(work, D_GJ, p);
  p += beams << 3;
  wset(work, D_GW, p);
  wset(work, D_CSTAMP, 0);
  wset(work, D_PSTAMP, 0);
  wset(work, D_BLOCK, block);
  const cmark = wd(work, D_CMARK);
  const pmark = wd(work, D_PMARK);
  for (let w = 0; w < V; w++) {
    sti(cmark + (w << 2), 0);
    sti(pmark + (w << 2), 0);
  }
}

/** Adds w to the candidates (stamp cs) with dist[w] = p1(w), unless it is one; returns the count. */
export function addCandidate(m: i32, work: i32, cs: i32, n: i32, w: i32): i32 {
  const cm = wd(work, D_CMARK) + (w << 2);
  if (ldi(cm) == cs) return n;
  sti(cm, cs);
  sti(wd(work, D_LIST) + (n << 2), w);
  stf(wd(work, D_DIST) + (w << 3), ldf(hd(m, H_P1) + (w << 3)));
  return n + 1;
}

/** The children of the context's histories of orders 2..kmax that count (as fullDistribution: up to the first unseen one, skipping those never followed). */
export function collectChildren(m: i32, work: i32, cs: i32, kmax: i32): i32 {
  const hist = m + (H_HIST << 2);
  const kids = hd(m, H_KIDS);
  let n = 0;
  for (let k = 2; k <= kmax; k++) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) break;
    if (ef(m, h, E_TOTAL) == 0) continue;
    const first = ef(m, h, E_FIRST);
    const end = first + ef(m, h, E_NEXT);
    for (let i = first; i < end; i++) n = addCandidate(m, work, cs, n, ef(m, ldi(kids + (i << 2)), E_TOKEN));
  }
  return n;
}

/** The inverse CDF at t over the n ids at `ids`, in their order, with masses in dist (the last id with mass when round-off leaves t past the sum). */
export function pickByMass(t: f64, dist: i32, ids: i32, n: i32): i32 {
  let acc = 0.0;
  let last = 1;
  for (let i = 0; i < n; i++) {
    const w = ldi(ids + (i << 2));
    const q = ldf(dist + (w << 3));
    if (q > 0.0) {
      acc += q;
      last = w;
      if (t < acc) return w;
    }
  }
  return last;
}

/** The candidates of a sampled token under a fresh stamp: the context's children, and with a penalty the tokens seen in the block. */
export function collectCandidates(m: i32, work: i32, kmax: i32, penalty: f64): i32 {
  const cs = stamp(work, D_CSTAMP);
  let n = collectChildren(m, work, cs, kmax);
  if (penalty != 1.0) {
    const seen = wd(work, D_SEEN);
    const ns = wd(work, D_NSEEN);
    for (let i = 0; i < ns; i++) n = addCandidate(m, work, cs, n, ldi(seen + (i << 2)));
  }
  return n;
}

/**
 * p(w) for the n candidates (dist[w] holds p1(w)), an order at a time with
 * fullDistribution's operations (the same bits); the gammas used go to D_GAM,
 * lowest order first. Returns how many.
 */
export function candidateProbs(m: i32, work: i32, kmax: i32, n: i32): i32 {
  const hist = m + (H_HIST << 2);
  const kids = hd(m, H_KIDS);
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const gam = wd(work, D_GAM);
  let ng = 0;
  for (let k = 2; k <= kmax; k++) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) break;
    const total = ef(m, h, E_TOTAL);
    if (total == 0) continue;
    const g = gammaOf(m, h, k);
    stf(gam + (ng << 3), g);
    ng++;
    for (let i = 0; i < n; i++) {
      const p = dist + (ldi(list + (i << 2)) << 3);
      stf(p, g * ldf(p));
    }
    const first = ef(m, h, E_FIRST);
    const end = first + ef(m, h, E_NEXT);
    for (let i = first; i < end; i++) {
      const x = ldi(kids + (i << 2));
      const c = ef(m, x, E_KN);
      if (c <= 0) continue;
      let a = f64(c) - discount(m, k, c);
      if (a < 0.0) a = 0.0;
      const p = dist + (ef(m, x, E_TOKEN) << 3);
      stf(p, a / f64(total) + ldf(p));
    }
  }
  return ng;
}

/** p(w) of a word outside the candidates: p1(w) times the gammas, as fullDistribution multiplies them. */
export function outsideProb(m: i32, work: i32, ng: i32, w: i32): f64 {
  const gam = wd(work, D_GAM);
  let p = ldf(hd(m, H_P1) + (w << 3));
  for (let i = 0; i < ng; i++) p = ldf(gam + (i << 3)) * p;
  return p;
}

/** Whether id a ranks below id b: a smaller probability, or the same and a higher id. */
export function worse(dist: i32, a: i32, b: i32): bool {
  const pa = ldf(dist + (a << 3));
  const pb = ldf(dist + (b << 3));
  return pa < pb || (pa == pb && a > b);
}

export function siftDown(dist: i32, heap: i32, n: i32, from: i32): void {
  let i = from;
  while (true) {
    const l = (i << 1) + 1;
    if (l >= n) return;
    let c = l;
    if (l + 1 < n && worse(dist, ldi(heap + ((l + 1) << 2)), ldi(heap + (l << 2)))) c = l + 1;
    const hi = ldi(heap + (i << 2));
    const hc = ldi(heap + (c << 2));
    if (!worse(dist, hc, hi)) return;
    sti(heap + (i << 2), hc);
    sti(heap + (c << 2), hi);
    i = c;
  }
}

/** siftDown with the best id at the root (the top-p selection). */
export function siftDownBest(dist: i32, heap: i32, n: i32, from: i32): void {
  let i = from;
  while (true) {
    const l = (i << 1) + 1;
    if (l >= n) return;
    let c = l;
    if (l + 1 < n && worse(dist, ldi(heap + (l << 2)), ldi(heap + ((l + 1) << 2)))) c = l + 1;
    const hi = ldi(heap + (i << 2));
    const hc = ldi(heap + (c << 2));
    if (!worse(dist, hi, hc)) return;
    sti(heap + (i << 2), hc);
    sti(heap + (c << 2), hi);
    i = c;
  }
}
