// Top-k and top-p (nucleus) sampling, exact and with the same bits as the
// plain O(V) method (sampleDecoded, below: the whole distribution, a heap of
// k, a heap for the nucleus, sums and the draw in id order), at the cost of
// the candidates:
//
// - top-k: the k best words are among the context's candidates (decode.ts)
//   and the first k other words by p1 (their p is monotone in p1; the walk
//   goes on through words of equal p); the k best of those by a heap. The
//   sums and the draw run over the kept ids sorted by id: adding the zeros of
//   the others changes no bit. O((candidates + k) log k) per token.
// - top-p alone: the nucleus is the best-first prefix whose mass reaches
//   p x total, total being the id-order sum over all V tempered masses. That
//   sum is what the fast path does not compute: it estimates it (the
//   candidates' masses, plus G^(1/T) times the others' share of
//   U = sum p1^(1/T), as sampleFast) with a bound E on the distance to the
//   id-order sum (below), walks best-first (a heap of the candidates, the
//   other words pushed in p1 order as they can come next) until the mass
//   reaches p (est - E), and keeps that cut when the mass also reaches
//   p (est + E): then it is the cut the id-order total gives. Otherwise (the
//   cut falls within E of the target, or round-off broke the order) it draws
//   by sampleDecoded; `truncateFallbacks` counts those draws. The nucleus's own
//   sum and the draw run over it in id order. O((candidates + nucleus) log)
//   per token.
//
// The bound E, in units u = 2^-53 of (the candidates' masses + G^(1/T) U):
// the id-order sum and our sums of the candidates each err by at most
// (V + n) u of the total (Higham, Accuracy and Stability of Numerical
// Algorithms, 2002, eq. 4.4); each other word's tempered mass, computed as
// exp(log(gamma... p1) / T) there and as G^(1/T) p1^(1/T) here, by at most
// (3 |log q| + 4 + 4/T) u relatively (log and exp within an ulp, four
// products), |log q| <= 745 for a normal q; the shares of U by the cumulative
// sum's round-off, at most (V + 4n + 2) u U. E takes 4 times the sum of those,
// 4 (2V + 6n + 8/T + 6000) u, plus 10^-300 for subnormal masses.
import { ldf, stf, ldi, sti } from "./../../platform";
import { rngDouble } from "./../../rng/xor4096";
import { exp, log } from "./../../detmath";
import { H_VOCAB, H_RANK } from "./table";
import { hd, fullDistribution } from "./table";
import { D_DIST, D_LIST, D_TCDF, D_CMARK, D_PMARK, D_SEEN, D_GAM, D_KEEP, D_CSTAMP, D_PSTAMP, D_NSEEN } from "./scratch";
import { wd, collectCandidates, candidateProbs, pickByMass, outsideProb, worse, siftDown, siftDownBest } from "./scratch";

/** The unit round-off, 2^-53. */
const U_ROUND: f64 = 1.1102230246251565e-16;

/** 1: every draw by sampleDecoded (tests compare the two paths; the bench times both). */
let referenceOnly: i32 = 0;
/** Draws the fast path left to sampleDecoded since the last reset. */
let fallbacks: i32 = 0;

/** Sets whether top-k/top-p draws go by the O(V) method only (1) or the fast path (0); resets the fallback count. */
export function truncateReference(on: i32): void {
  referenceOnly = on;
  fallbacks = 0;
}

/** Draws the fast path left to the O(V) method since truncateReference was last called. */
export function truncateFallbacks(): i32 {
  return fallbacks;
}

/** p raised to 1/T as sampleDecoded raises it. */
function tempered(p: f64, temperature: f64, invT: f64): f64 {
  if (temperature == 1.0) return p;
  return p > 0.0 ? exp(log(p) * invT) : 0.0;
}

/**
 * A draw of sampleDecoded's (same arguments, same bits, same generator
 * use) at the cost of the context's candidates; see the file's head.
 */
export function sampleTruncated(m: i32, rng: i32, kmax: i32, temperature: f64, topK: i32, topP: f64, penalty: f64, work: i32): i32 {
  const V = hd(m, H_VOCAB);
  const useK = topK > 0 && topK < V - 1;
  // no truncation at all (top-k covering the vocabulary): the O(V) method is the method
  if (referenceOnly != 0 || (!useK && topP >= 1.0)) return sampleDecoded(m, rng, kmax, temperature, topK, topP, penalty, work);
  let n = collectCandidates(m, work, kmax, penalty);
  const ps = wd(work, D_PSTAMP);
  const ng = candidateProbs(m, work, kmax, n);
  // the penalty on the candidates it touches (as penalise); <s> (id 0) is never drawn
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const pmark = wd(work, D_PMARK);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const w = ldi(list + (i << 2));
    if (w == 0) continue;
    if (penalty != 1.0 && ldi(pmark + (w << 2)) == ps) {
      const d = ldf(dist + (w << 3));
      stf(dist + (w << 3), d > 0.0 ? exp(log(d) * penalty) : 0.0);
    }
    sti(list + (j << 2), w);
    j++;
  }
  n = j;
  const w = useK ? topKDraw(m, rng, n, ng, temperature, topK, topP, work) : nucleusDraw(m, rng, n, ng, temperature, topP, work);
  if (w > 0) return w;
  fallbacks++;
  return sampleDecoded(m, rng, kmax, temperature, topK, topP, penalty, work);
}

/**
 * Top-k (then top-p) among the n candidates in D_LIST (their p', penalised,
 * in D_DIST) and the first words by p1. Always decides (returns an id).
 */
function topKDraw(m: i32, rng: i32, n0: i32, ng: i32, temperature: f64, topK: i32, topP: f64, work: i32): i32 {
  const V = hd(m, H_VOCAB);
  const rank = hd(m, H_RANK);
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const cmark = wd(work, D_CMARK);
  const keep = wd(work, D_KEEP);
  const cs = wd(work, D_CSTAMP);
  let n = n0;
  // the other words by p1 until topK are taken and the next is strictly less probable
  let taken = 0;
  let lastP = 0.0;
  for (let r = 0; r < V - 1; r++) {
    const w = ldi(rank + (r << 2));
    if (ldi(cmark + (w << 2)) == cs) continue;
    const p = outsideProb(m, work, ng, w);
    if (taken >= topK && p != lastP) break;
    sti(list + (n << 2), w);
    stf(dist + (w << 3), p);
    n++;
    taken++;
    lastP = p;
  }
  // the topK best of those (a heap, the worst at its root; ties: the lower id ranks higher)
  for (let i = 0; i < topK; i++) sti(keep + (i << 2), ldi(list + (i << 2)));
  for (let i = (topK >> 1) - 1; i >= 0; i--) siftDown(dist, keep, topK, i);
  for (let i = topK; i < n; i++) {
    const w = ldi(list + (i << 2));
    if (worse(dist, ldi(keep), w)) {
      sti(keep, w);
      siftDown(dist, keep, topK, 0);
    }
  }
  const invT = 1.0 / temperature;
  for (let i = 0; i < topK; i++) {
    const p = dist + (ldi(keep + (i << 2)) << 3);
    stf(p, tempered(ldf(p), temperature, invT));
  }
  sortIds(keep, topK);
  let total = 0.0;
  for (let i = 0; i < topK; i++) total += ldf(dist + (ldi(keep + (i << 2)) << 3));
  if (!(topP < 1.0)) return drawInIdOrder(rng, dist, keep, topK, total);
  // the nucleus among the kept, best first, as sampleDecoded pops it
  let h = 0;
  for (let i = 0; i < topK; i++) {
    const w = ldi(keep + (i << 2));
    if (ldf(dist + (w << 3)) > 0.0) {
      sti(list + (h << 2), w);
      h++;
    }
  }
  const cut = nucleusCut(dist, list, h, topP * total);
  const qCut = cut != 0 ? ldf(dist + (cut << 3)) : 0.0;
  let nk = 0;
  total = 0.0;
  for (let i = 0; i < topK; i++) {
    const w = ldi(keep + (i << 2));
    const q = ldf(dist + (w << 3));
    if (q < qCut || (q == qCut && w > cut)) continue;
    sti(keep + (nk << 2), w);
    nk++;
    total += q;
  }
  return drawInIdOrder(rng, dist, keep, nk, total);
}

/**
 * Top-p alone among the n candidates in D_LIST (their p', penalised, in
 * D_DIST) and the other words, which are pushed into the best-first heap
 * in p1 order only as they can come next. Returns -1 when it cannot be sure
 * of sampleDecoded's cut (the caller draws by that); nothing drawn then.
 */
function nucleusDraw(m: i32, rng: i32, n: i32, ng: i32, temperature: f64, topP: f64, work: i32): i32 {
  const V = hd(m, H_VOCAB);
  const rank = hd(m, H_RANK);
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const cmark = wd(work, D_CMARK);
  const keep = wd(work, D_KEEP);
  const tcdf = wd(work, D_TCDF);
  const cs = wd(work, D_CSTAMP);
  const invT = 1.0 / temperature;
  // the candidates' tempered masses, their sum and their share of U
  let massC = 0.0;
  let shareC = 0.0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const w = ldi(list + (i << 2));
    const q = tempered(ldf(dist + (w << 3)), temperature, invT);
    stf(dist + (w << 3), q);
    massC += q;
    shareC += ldf(tcdf + (w << 3)) - ldf(tcdf + ((w - 1) << 3));
    if (q > 0.0) {
      sti(keep + (h << 2), w);
      h++;
    }
  }
  const U = ldf(tcdf + ((V - 1) << 3));
  // the others' share of U: where it is mostly round-off, E covers it (its (V + 4n + 2) u U)
  let rest = U - shareC;
  if (!(rest > 0.0)) rest = 0.0;
  const gam = wd(work, D_GAM);
  let G = 1.0;
  for (let i = 0; i < ng; i++) G = ldf(gam + (i << 3)) * G;
  const gT = invT == 1.0 ? G : G > 0.0 ? exp(log(G) * invT) : 0.0;
  // the others' factor not a normal number: its relative error is unbounded
  if (!(gT > 1.0e-290)) return -1;
  const est = massC + gT * rest;
  const err = 4.0 * (2.0 * f64(V) + 6.0 * f64(n) + 8.0 * invT + 6000.0) * U_ROUND * (massC + gT * U) + 1.0e-300;
  const tLo = topP * (est - err);
  const tHi = topP * (est + err);
  for (let i = (h >> 1) - 1; i >= 0; i--) siftDownBest(dist, keep, h, i);
  // the next other word by p1 (nextW = 0: none left with a positive mass)
  let r = 0;
  let nextW = 0;
  let nextQ = 0.0;
  let prevQ = 2.0;
  let acc = 0.0;
  let cnt = 0;
  while (true) {
    // push the other words that could rank before the heap's best
    while (true) {
      if (nextW == 0) {
        while (r < V - 1) {
          const w = ldi(rank + (r << 2));
          r++;
          if (ldi(cmark + (w << 2)) == cs) continue;
          nextQ = tempered(outsideProb(m, work, ng, w), temperature, invT);
          // round-off broke the order of p1 (a non-monotone exp): no certainty
          if (nextQ > prevQ) return -1;
          prevQ = nextQ;
          if (nextQ > 0.0) nextW = w;
          else r = V - 1;
          break;
        }
        if (nextW == 0) break;
      }
      if (h > 0 && nextQ < ldf(dist + (ldi(keep) << 3))) break;
      stf(dist + (nextW << 3), nextQ);
      sti(keep + (h << 2), nextW);
      siftUpBest(dist, keep, h);
      h++;
      nextW = 0;
    }
    // every word taken before the target: sampleDecoded's round-off case
    if (h == 0) return -1;
    const w = ldi(keep);
    h--;
    sti(keep, ldi(keep + (h << 2)));
    siftDownBest(dist, keep, h, 0);
    sti(list + (cnt << 2), w);
    cnt++;
    acc += ldf(dist + (w << 3));
    if (acc >= tLo) break;
  }
  if (!(acc >= tHi)) return -1;
  sortIds(list, cnt);
  let total = 0.0;
  for (let i = 0; i < cnt; i++) total += ldf(dist + (ldi(list + (i << 2)) << 3));
  return drawInIdOrder(rng, dist, list, cnt, total);
}

/** Makes the n ids at `heap` a heap, best at its root, and pops them best first until their mass reaches `target`; returns the last popped (0 when none). */
function nucleusCut(dist: i32, heap: i32, n: i32, target: f64): i32 {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDownBest(dist, heap, n, i);
  let acc = 0.0;
  let cut = 0;
  while (n > 0) {
    cut = ldi(heap);
    acc += ldf(dist + (cut << 3));
    if (acc >= target) break;
    n--;
    sti(heap, ldi(heap + (n << 2)));
    siftDownBest(dist, heap, n, 0);
  }
  return cut;
}

/** One uniform's inverse CDF over the n ids at `ids` (in id order) with masses in dist, as sampleDecoded draws. */
function drawInIdOrder(rng: i32, dist: i32, ids: i32, n: i32, total: f64): i32 {
  return pickByMass(rngDouble(rng) * total, dist, ids, n);
}

/** Moves the id at heap slot i up to its place (the best at the root). */
function siftUpBest(dist: i32, heap: i32, from: i32): void {
  let i = from;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const hp = ldi(heap + (parent << 2));
    const hi = ldi(heap + (i << 2));
    if (!worse(dist, hp, hi)) return;
    sti(heap + (parent << 2), hi);
    sti(heap + (i << 2), hp);
    i = parent;
  }
}

/** Sorts n ids ascending (heapsort). */
function sortIds(a: i32, n: i32): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftIds(a, n, i);
  for (let end = n - 1; end > 0; end--) {
    const top = ldi(a);
    sti(a, ldi(a + (end << 2)));
    sti(a + (end << 2), top);
    siftIds(a, end, 0);
  }
}

function siftIds(a: i32, n: i32, from: i32): void {
  let i = from;
  while (true) {
    const l = (i << 1) + 1;
    if (l >= n) return;
    let c = l;
    if (l + 1 < n && ldi(a + ((l + 1) << 2)) > ldi(a + (l << 2))) c = l + 1;
    const vi = ldi(a + (i << 2));
    const vc = ldi(a + (c << 2));
    if (vc <= vi) return;
    sti(a + (i << 2), vc);
    sti(a + (c << 2), vi);
    i = c;
  }
}

/** Raises the penalised tokens' probabilities in `dist` (by id) to theta. */
function penalise(work: i32, dist: i32, theta: f64): void {
  const seen = wd(work, D_SEEN);
  const n = wd(work, D_NSEEN);
  for (let i = 0; i < n; i++) {
    const p = dist + (ldi(seen + (i << 2)) << 3);
    const d = ldf(p);
    stf(p, d > 0.0 ? exp(log(d) * theta) : 0.0);
  }
}

/**
 * Decoded sampling with --top-k or --top-p, in the order of Hugging Face's
 * logits processors and warpers: the full distribution, each token already in
 * the block raised to the repetition penalty (p^theta), kept to its topK most probable ids (ties: lower id first;
 * 0 = all), each kept p raised to 1/temperature (exp(log p / T)), then, with
 * topP < 1, kept to the fewest most probable of those (ties: lower id) whose
 * mass reaches topP of theirs (nucleus sampling, Holtzman et al. 2020); then
 * one uniform's inverse CDF over the ids in order. O(V) per token (heaps for
 * the selections: log k per id, log V per id the nucleus takes): the
 * definition sampleTruncated keeps to, and its fallback.
 */
function sampleDecoded(m: i32, rng: i32, kmax: i32, temperature: f64, topK: i32, topP: f64, penalty: f64, work: i32): i32 {
  const V = hd(m, H_VOCAB);
  const dist = wd(work, D_DIST);
  const heap = wd(work, D_LIST);
  fullDistribution(m, kmax, dist);
  if (penalty != 1.0) penalise(work, dist, penalty);
  let worst = 0;
  if (topK > 0 && topK < V - 1) {
    // a heap of the topK best ids so far, the worst at its root
    for (let i = 0; i < topK; i++) sti(heap + (i << 2), i + 1);
    for (let i = (topK >> 1) - 1; i >= 0; i--) siftDown(dist, heap, topK, i);
    for (let w = topK + 1; w < V; w++) {
      if (worse(dist, ldi(heap), w)) {
        sti(heap, w);
        siftDown(dist, heap, topK, 0);
      }
    }
    worst = ldi(heap);
  }
  // the worst kept probability, read before the loop below overwrites dist
  const pWorst = worst != 0 ? ldf(dist + (worst << 3)) : 0.0;
  const invT = 1.0 / temperature;
  let total = 0.0;
  for (let w = 1; w < V; w++) {
    let q = ldf(dist + (w << 3));
    if (worst != 0 && (q < pWorst || (q == pWorst && w > worst))) q = 0.0;
    else if (temperature != 1.0) q = q > 0.0 ? exp(log(q) * invT) : 0.0;
    stf(dist + (w << 3), q);
    total += q;
  }
  if (topP < 1.0) {
    // the kept ids in a heap, the best at its root; pop until the mass reaches topP of the total
    let n = 0;
    for (let w = 1; w < V; w++) {
      if (ldf(dist + (w << 3)) > 0.0) {
        sti(heap + (n << 2), w);
        n++;
      }
    }
    const cut = nucleusCut(dist, heap, n, topP * total);
    // keep the ids ranked at or above the last one popped (all of them if round-off never reached the target)
    const qCut = ldf(dist + (cut << 3));
    total = 0.0;
    for (let w = 1; w < V; w++) {
      const q = ldf(dist + (w << 3));
      if (q < qCut || (q == qCut && w > cut)) stf(dist + (w << 3), 0.0);
      else total += q;
    }
  }
  const t = rngDouble(rng) * total;
  let acc = 0.0;
  let last = 1;
  for (let w = 1; w < V; w++) {
    const q = ldf(dist + (w << 3));
    if (q > 0.0) {
      acc += q;
      last = w;
      if (t < acc) return w;
    }
  }
  return last;
}

