// Decoding: how a model writes a block after its prompt when it does not
// simply sample itself (that is sampleNext in table.ts).
//
// - Beam search (--beams B >= 2): the B best prefixes by summed log-probability.
// - Tempered or penalised sampling without --top-k/--top-p, exact and fast:
//   at T <= 1 by rejection from the model's own sampler (sampleCold), at T > 1
//   by the candidates below and the unigram level for the rest (sampleFast).
// - With --top-k or --top-p: truncate.ts (the candidates again, plus the
//   first words by p1; O(V) only where an exact tie of round-off needs it).
//
// The candidates of a context. A word that follows none of the context's
// histories of order >= 2 (not one of their children) has
// p(w) = gamma_N (... (gamma_2 p1(w))), with p1 the unigram level (H_P1): the
// same factors for every such word, so they rank as p1 ranks (H_RANK) and their
// tempered masses are those of p1^(1/T) times one factor. The candidates are
// the children of those histories, the tokens the repetition penalty touches
// and (beam search) the first B other words by p1: the B best words of a
// context are among them, whatever the vocabulary (research D, exact pruning).
//
// The repetition penalty (--repetition-penalty theta) is transformers'
// RepetitionPenaltyLogitsProcessor on log-probabilities: every token already in
// the block, the prompt included, scores theta log p (p^theta, unnormalised);
// sampling renormalises, beam search sums the scores as they are.
//
// Scratch: scratch.ts (its layout, the marks, the candidates' code).
import { ldf, stf, ldi, sti } from "./../../platform";
import { rngDouble } from "./../../rng/xor4096";
import { exp, log } from "./../../detmath";
import { H_VOCAB, H_HIST, H_KIDS, H_P1, H_RANK, E_TOKEN, E_KN, E_FIRST, E_NEXT, E_TOTAL, E_MAXKN } from "./table";
import { hd, ef, gammaOf, discount, resetContext, advance, prob, sampleNext } from "./table";
import { D_DIST, D_LIST, D_TCDF, D_CMARK, D_PMARK, D_SEEN, D_GAM, D_BTOK, D_BHIST, D_BHAVE, D_BSCORE, D_SELW, D_SELP, D_GS, D_GP, D_GJ, D_GW, D_CSTAMP, D_PSTAMP, D_NSEEN, D_BLOCK } from "./scratch";
import { wd, wset, stamp, carveScratch, addCandidate, collectChildren, collectCandidates, candidateProbs, pickByMass, outsideProb, siftDown } from "./scratch";
import { sampleTruncated } from "./truncate";
export { decodeBytes } from "./scratch";

/**
 * Carves the scratch and clears its marks; for tempered sampling, the
 * cumulative p1(w)^(1/T). Once per lmGenerate call (O(V)).
 */
export function decodeStart(m: i32, work: i32, block: i32, beams: i32, temperature: f64): void {
  const V = hd(m, H_VOCAB);
  carveScratch(work, V, block, beams);
  if (beams >= 2) return;
  const p1 = hd(m, H_P1);
  const tcdf = wd(work, D_TCDF);
  const invT = 1.0 / temperature;
  let acc = 0.0;
  stf(tcdf, 0.0);
  for (let w = 1; w < V; w++) {
    const q = ldf(p1 + (w << 3));
    acc += invT == 1.0 ? q : exp(log(q) * invT);
    stf(tcdf + (w << 3), acc);
  }
}

/**
 * The unigram level of a fitted model, for decoding: H_P1[w] as
 * fullDistribution's first order computes it (the same bits), and H_RANK, the
 * ids 1..V-1 by decreasing p1 (ties: lower id first), by heapsort.
 */
export function unigramLevel(m: i32): void {
  const V = hd(m, H_VOCAB);
  const p1 = hd(m, H_P1);
  const rank = hd(m, H_RANK);
  const u = 1.0 / f64(V - 1);
  const total = ef(m, 0, E_TOTAL);
  const g = total > 0 ? gammaOf(m, 0, 1) : 1.0;
  stf(p1, 0.0);
  for (let w = 1; w < V; w++) stf(p1 + (w << 3), total > 0 ? g * u : u);
  if (total > 0) {
    const kids = hd(m, H_KIDS);
    const first = ef(m, 0, E_FIRST);
    const end = first + ef(m, 0, E_NEXT);
    for (let i = first; i < end; i++) {
      const x = ldi(kids + (i << 2));
      const w = ef(m, x, E_TOKEN);
      const c = ef(m, x, E_KN);
      if (w == 0 || c <= 0) continue;
      let a = f64(c) - discount(m, 1, c);
      if (a < 0.0) a = 0.0;
      const p = p1 + (w << 3);
      stf(p, a / f64(total) + ldf(p));
    }
  }
  // heapsort with the worst at the root: the array ends best first
  const n = V - 1;
  for (let i = 0; i < n; i++) sti(rank + (i << 2), i + 1);
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(p1, rank, n, i);
  for (let end = n - 1; end > 0; end--) {
    const top = ldi(rank);
    sti(rank, ldi(rank + (end << 2)));
    sti(rank + (end << 2), top);
    siftDown(p1, rank, end, 0);
  }
}

/** Marks token w as in the block (penalty stamp ps), listing it once. */
function markSeen(work: i32, ps: i32, w: i32): void {
  const pm = wd(work, D_PMARK) + (w << 2);
  if (ldi(pm) == ps) return;
  sti(pm, ps);
  const n = wd(work, D_NSEEN);
  sti(wd(work, D_SEEN) + (n << 2), w);
  wset(work, D_NSEEN, n + 1);
}

/**
 * Tempered and penalised sampling without top-k/top-p, exact: q(w) is
 * proportional to p(w)^(e/T), e = theta for the penalised tokens and 1 else.
 * The candidates' q are computed; every other word has
 * q(w) = G^(1/T) p1(w)^(1/T), G the product of the gammas, so their total is
 * G^(1/T) (U - the candidates' share of U), U = sum of p1^(1/T). One uniform
 * picks the candidates' side or the rest; the rest draws from p1^(1/T) by
 * binary search and redraws a candidate (at most 64 times, then one walk over
 * the ids: still exact). O(children of the context) per token plus log V per draw.
 */
function sampleFast(m: i32, rng: i32, kmax: i32, invT: f64, penalty: f64, work: i32): i32 {
  const V = hd(m, H_VOCAB);
  const n = collectCandidates(m, work, kmax, penalty);
  const cs = wd(work, D_CSTAMP);
  const ps = wd(work, D_PSTAMP);
  const ng = candidateProbs(m, work, kmax, n);
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const tcdf = wd(work, D_TCDF);
  const pmark = wd(work, D_PMARK);
  const cmark = wd(work, D_CMARK);
  let massC = 0.0;
  let shareC = 0.0;
  for (let i = 0; i < n; i++) {
    const w = ldi(list + (i << 2));
    const p = dist + (w << 3);
    const e = penalty != 1.0 && ldi(pmark + (w << 2)) == ps ? penalty * invT : invT;
    const d = ldf(p);
    const q = e == 1.0 ? d : d > 0.0 ? exp(log(d) * e) : 0.0;
    stf(p, q);
    massC += q;
    shareC += ldf(tcdf + (w << 3)) - ldf(tcdf + ((w - 1) << 3));
  }
  const U = ldf(tcdf + ((V - 1) << 3));
  let rest = U - shareC;
  if (!(rest > U * 1.0e-6)) {
    // the candidates hold nearly all of U: the difference would be mostly round-off, so sum the rest
    rest = 0.0;
    for (let w = 1; w < V; w++) if (ldi(cmark + (w << 2)) != cs) rest += ldf(tcdf + (w << 3)) - ldf(tcdf + ((w - 1) << 3));
  }
  const gam = wd(work, D_GAM);
  let G = 1.0;
  for (let i = 0; i < ng; i++) G = ldf(gam + (i << 3)) * G;
  const gT = invT == 1.0 ? G : G > 0.0 ? exp(log(G) * invT) : 0.0;
  const massR = gT * rest;
  const t = rngDouble(rng) * (massC + massR);
  if (t < massC || !(massR > 0.0)) return pickByMass(t, dist, list, n);
  for (let tries = 0; tries < 64; tries++) {
    const u = rngDouble(rng) * U;
    let lo = 1;
    let hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < ldf(tcdf + (mid << 3))) hi = mid;
      else lo = mid + 1;
    }
    if (ldi(cmark + (lo << 2)) != cs) return lo;
  }
  const u = rngDouble(rng) * rest;
  let acc = 0.0;
  let last = 1;
  for (let w = 1; w < V; w++) {
    if (ldi(cmark + (w << 2)) == cs) continue;
    const q = ldf(tcdf + (w << 3)) - ldf(tcdf + ((w - 1) << 3));
    if (q > 0.0) {
      acc += q;
      last = w;
      if (u < acc) return w;
    }
  }
  return last;
}

/**
 * An upper bound of p(w | context) over all w: from the unigram level's
 * largest p1 up, per order the largest child count over c(h .) plus gamma
 * times the bound below (the discounts only lower a count).
 */
export function probBound(m: i32, kmax: i32): f64 {
  const hist = m + (H_HIST << 2);
  let b = ldf(hd(m, H_P1) + (ldi(hd(m, H_RANK)) << 3));
  for (let k = 2; k <= kmax; k++) {
    const h = ldi(hist + ((k - 1) << 2));
    if (h < 0) break;
    const total = ef(m, h, E_TOTAL);
    if (total == 0) continue;
    b = f64(ef(m, h, E_MAXKN)) / f64(total) + gammaOf(m, h, k) * b;
  }
  return b < 1.0 ? b : 1.0;
}

/**
 * Tempered (T <= 1) and penalised sampling by rejection, exact: w drawn from
 * the model itself (sampleNext) is kept with probability
 * (p(w) / bound)^(1/T - 1), times p(w)^((theta - 1)/T) for a penalised token,
 * which is q(w) / (p(w) bound^(1/T - 1)) <= 1: the kept draws follow
 * q = p^(1/T) (p^(theta/T) penalised). O(log) per try plus one exp and log;
 * after 256 rejections sampleFast draws instead (the result is still exact:
 * the tries are independent of what they would have drawn).
 */
function sampleCold(m: i32, rng: i32, kmax: i32, invT: f64, penalty: f64, work: i32): i32 {
  const e = invT - 1.0;
  const bound = probBound(m, kmax);
  const ps = wd(work, D_PSTAMP);
  const pmark = wd(work, D_PMARK);
  const penalised = (penalty - 1.0) * invT;
  for (let tries = 0; tries < 256; tries++) {
    const w = sampleNext(m, rng, kmax);
    const p = prob(m, kmax, w);
    let la = e == 0.0 ? 0.0 : log(p / bound) * e;
    if (penalty != 1.0 && ldi(pmark + (w << 2)) == ps) la += log(p) * penalised;
    if (rngDouble(rng) < (la < 0.0 ? exp(la) : 1.0)) return w;
  }
  return sampleFast(m, rng, kmax, invT, penalty, work);
}

/**
 * Writes positions prompt..B-1 of the block at `to` (its prompt already
 * there) by sampling: sampleTruncated with top-k or top-p, else sampleCold at
 * T <= 1 and sampleFast above.
 * The tokens of the block so far are the penalised ones.
 */
function sampleBlock(m: i32, rng: i32, to: i32, block: i32, prompt: i32, temperature: f64, topK: i32, topP: f64, penalty: f64, work: i32): void {
  const ps = stamp(work, D_PSTAMP);
  wset(work, D_NSEEN, 0);
  const invT = 1.0 / temperature;
  const full = topK > 0 || topP < 1.0;
  let have = resetContext(m);
  for (let i = 0; i < block; i++) {
    let w = 0;
    if (i < prompt) w = ldi(to + (i << 2));
    else {
      if (full) w = sampleTruncated(m, rng, have + 1, temperature, topK, topP, penalty, work);
      else w = temperature <= 1.0 ? sampleCold(m, rng, have + 1, invT, penalty, work) : sampleFast(m, rng, have + 1, invT, penalty, work);
      sti(to + (i << 2), w);
    }
    if (penalty != 1.0) markSeen(work, ps, w);
    have = advance(m, have, w);
  }
}

/** Whether (score sa, beam ja, p pa, word wa) ranks before (sb, jb, pb, wb): a higher score; ties: the better-ranked beam, then the higher p, then the lower id. */
function before(sa: f64, ja: i32, pa: f64, wa: i32, sb: f64, jb: i32, pb: f64, wb: i32): bool {
  if (sa != sb) return sa > sb;
  if (ja != jb) return ja < jb;
  if (pa != pb) return pa > pb;
  return wa < wb;
}

/** Saves the header's context (have, history entries) into beam slot s. */
function saveBeam(m: i32, work: i32, s: i32, have: i32): void {
  const hist = m + (H_HIST << 2);
  const to = wd(work, D_BHIST) + (s << 5);
  for (let k = 0; k < 8; k++) sti(to + (k << 2), ldi(hist + (k << 2)));
  sti(wd(work, D_BHAVE) + (s << 2), have);
}

/** Loads beam slot s's context into the header; returns its length. */
function loadBeam(m: i32, work: i32, s: i32): i32 {
  const hist = m + (H_HIST << 2);
  const from = wd(work, D_BHIST) + (s << 5);
  for (let k = 0; k < 8; k++) sti(hist + (k << 2), ldi(from + (k << 2)));
  return ldi(wd(work, D_BHAVE) + (s << 2));
}

function beamTokens(work: i32, s: i32): i32 {
  return wd(work, D_BTOK) + ((s * wd(work, D_BLOCK)) << 2);
}

/**
 * Beam search over positions prompt..B-1 of the block at `to`: the `beams`
 * best prefixes by summed log p' (p' = p, or p^theta for a token already in
 * the prompt or the prefix; transformers' beam scores, without renormalising),
 * the best written. Each step ranks (prefix, word) pairs by the new score;
 * ties: the better-ranked prefix, the higher p', the lower id. Per prefix only
 * its candidates (collectChildren, the penalised tokens, and the first words
 * by p1 until `beams` of them are taken and the next is strictly less
 * probable) are scored: no other word can be among its `beams` best. No
 * random draws.
 */
function beamBlock(m: i32, to: i32, block: i32, prompt: i32, beams: i32, penalty: f64, work: i32): void {
  const V = hd(m, H_VOCAB);
  const rank = hd(m, H_RANK);
  const dist = wd(work, D_DIST);
  const list = wd(work, D_LIST);
  const cmark = wd(work, D_CMARK);
  const pmark = wd(work, D_PMARK);
  const bscore = wd(work, D_BSCORE);
  const selW = wd(work, D_SELW);
  const selP = wd(work, D_SELP);
  const gS = wd(work, D_GS);
  const gP = wd(work, D_GP);
  const gJ = wd(work, D_GJ);
  const gW = wd(work, D_GW);
  let have = resetContext(m);
  for (let i = 0; i < prompt; i++) have = advance(m, have, ldi(to + (i << 2)));
  let cur = 0;
  let nxt = beams;
  saveBeam(m, work, cur, have);
  stf(bscore + (cur << 3), 0.0);
  let nb = 1;
  for (let i = prompt; i < block; i++) {
    let ng = 0;
    for (let j = 0; j < nb; j++) {
      const s = cur + j;
      const toks = beamTokens(work, s);
      const kmax = loadBeam(m, work, s) + 1;
      const cs = stamp(work, D_CSTAMP);
      let n = collectChildren(m, work, cs, kmax);
      let ps = 0;
      if (penalty != 1.0) {
        ps = stamp(work, D_PSTAMP);
        for (let q = 0; q < i; q++) {
          const w = q < prompt ? ldi(to + (q << 2)) : ldi(toks + (q << 2));
          sti(pmark + (w << 2), ps);
          n = addCandidate(m, work, cs, n, w);
        }
      }
      const gams = candidateProbs(m, work, kmax, n);
      // the first words by p1 outside the candidates, until `beams` are taken and the next is less probable
      let taken = 0;
      let lastP = 0.0;
      for (let r = 0; r < V - 1; r++) {
        const w = ldi(rank + (r << 2));
        if (ldi(cmark + (w << 2)) == cs) continue;
        const p = outsideProb(m, work, gams, w);
        if (taken >= beams && p != lastP) break;
        sti(cmark + (w << 2), cs);
        sti(list + (n << 2), w);
        stf(dist + (w << 3), p);
        n++;
        taken++;
        lastP = p;
      }
      // this prefix's best words by p' (ties: lower id), best first
      let sn = 0;
      for (let c = 0; c < n; c++) {
        const w = ldi(list + (c << 2));
        let p = ldf(dist + (w << 3));
        if (ps != 0 && ldi(pmark + (w << 2)) == ps) p = p > 0.0 ? exp(log(p) * penalty) : 0.0;
        if (sn == beams) {
          const lp = ldf(selP + ((sn - 1) << 3));
          if (!(p > lp || (p == lp && w < ldi(selW + ((sn - 1) << 2))))) continue;
          sn--;
        }
        let at = sn;
        while (at > 0) {
          const bp = ldf(selP + ((at - 1) << 3));
          if (!(p > bp || (p == bp && w < ldi(selW + ((at - 1) << 2))))) break;
          stf(selP + (at << 3), bp);
          sti(selW + (at << 2), ldi(selW + ((at - 1) << 2)));
          at--;
        }
        stf(selP + (at << 3), p);
        sti(selW + (at << 2), w);
        sn++;
      }
      // into the step's best pairs
      const base = ldf(bscore + (s << 3));
      for (let r = 0; r < sn; r++) {
        const p = ldf(selP + (r << 3));
        const w = ldi(selW + (r << 2));
        const sc = base + log(p);
        if (ng == beams) {
          const l = ng - 1;
          if (!before(sc, j, p, w, ldf(gS + (l << 3)), ldi(gJ + (l << 2)), ldf(gP + (l << 3)), ldi(gW + (l << 2)))) break;
          ng--;
        }
        let at = ng;
        while (at > 0) {
          const l = at - 1;
          if (!before(sc, j, p, w, ldf(gS + (l << 3)), ldi(gJ + (l << 2)), ldf(gP + (l << 3)), ldi(gW + (l << 2)))) break;
          stf(gS + (at << 3), ldf(gS + (l << 3)));
          stf(gP + (at << 3), ldf(gP + (l << 3)));
          sti(gJ + (at << 2), ldi(gJ + (l << 2)));
          sti(gW + (at << 2), ldi(gW + (l << 2)));
          at--;
        }
        stf(gS + (at << 3), sc);
        stf(gP + (at << 3), p);
        sti(gJ + (at << 2), j);
        sti(gW + (at << 2), w);
        ng++;
      }
    }
    // the next prefixes, best first
    for (let r = 0; r < ng; r++) {
      const src = cur + ldi(gJ + (r << 2));
      const dst = nxt + r;
      const w = ldi(gW + (r << 2));
      const a = beamTokens(work, src);
      const b = beamTokens(work, dst);
      for (let q = prompt; q < i; q++) sti(b + (q << 2), ldi(a + (q << 2)));
      sti(b + (i << 2), w);
      saveBeam(m, work, dst, advance(m, loadBeam(m, work, src), w));
      stf(bscore + (dst << 3), ldf(gS + (r << 3)));
    }
    const t = cur;
    cur = nxt;
    nxt = t;
    nb = ng;
  }
  const best = beamTokens(work, cur);
  for (let q = prompt; q < block; q++) sti(to + (q << 2), ldi(best + (q << 2)));
}

/**
 * Writes positions prompt..B-1 of the block at `to` (its prompt already
 * there), after decodeStart: beam search with beams >= 2, else sampling.
 */
export function decodeBlock(m: i32, rng: i32, to: i32, block: i32, prompt: i32, temperature: f64, topK: i32, topP: f64, beams: i32, penalty: f64, work: i32): void {
  if (beams >= 2) beamBlock(m, to, block, prompt, beams, penalty, work);
  else sampleBlock(m, rng, to, block, prompt, temperature, topK, topP, penalty, work);
}

