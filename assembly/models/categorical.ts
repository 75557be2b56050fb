// The categorical family: K states, refitted by counting (plug-in
// frequencies p_i = count_i / N), sampled through an alias table. This is the
// discrete case of Shumailov et al. (Nature 631, 2024, sec. 3.1) and, as a
// Markov chain, the haploid neutral Wright-Fisher model with population M.
//
// Layout: counts and labels are i32 arrays, probabilities f64 arrays, all at
// byte offsets into the flat memory (see platform.ts). A K-state model costs
// O(K) to turn into an alias table and O(1) per draw, so a generation of M
// samples is O(M + K) (Walker 1977; Vose 1991), never O(M log K).
import { ldf, stf, ldi, sti } from "./../platform";
import { rngBelow, rngDouble } from "./../rng/xor4096";
import { exp, log } from "./../detmath";
import { multinomialAddLive } from "./../distributions/binomial";

/**
 * Vose's alias construction (M. D. Vose, IEEE Trans. Software Eng. 17(9),
 * 1991) on scaled weights s_i = w_i K held in `work` (overwritten), against
 * the threshold `total` = sum w_i, so "s_i < total" means p_i < 1/K.
 * Column j keeps itself with probability prob[j] and gives alias[j] otherwise.
 *
 * When the w_i are integers (counts) and s_i < 2^53, every step below is exact
 * integer arithmetic in f64: the table represents count_i / N exactly (up to
 * the final rounding of prob = s / total), and no column is left over with
 * s < total. With real weights the leftovers get prob 1, Vose's own fix for
 * round-off. `stack` holds K i32: the small stack grows from its start, the
 * large one from its end (together they never hold more than K).
 */
function voseBuild(k: i32, total: f64, work: i32, prob: i32, alias: i32, stack: i32): void {
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < k; i++) {
    if (ldf(work + (i << 3)) < total) {
      sti(stack + (ns << 2), i);
      ns++;
    } else {
      nl++;
      sti(stack + ((k - nl) << 2), i);
    }
  }
  while (ns > 0 && nl > 0) {
    ns--;
    const l = ldi(stack + (ns << 2));
    const g = ldi(stack + ((k - nl) << 2));
    nl--;
    const sl = ldf(work + (l << 3));
    stf(prob + (l << 3), sl / total);
    sti(alias + (l << 2), g);
    // Vose's order, (s_g + s_l) - total, keeps the round-off small for real weights
    const sg = (ldf(work + (g << 3)) + sl) - total;
    stf(work + (g << 3), sg);
    if (sg < total) {
      sti(stack + (ns << 2), g);
      ns++;
    } else {
      nl++;
      sti(stack + ((k - nl) << 2), g);
    }
  }
  while (nl > 0) {
    const g = ldi(stack + ((k - nl) << 2));
    nl--;
    stf(prob + (g << 3), 1.0);
    sti(alias + (g << 2), g);
  }
  while (ns > 0) {
    ns--;
    const l = ldi(stack + (ns << 2));
    stf(prob + (l << 3), 1.0);
    sti(alias + (l << 2), l);
  }
}

/**
 * Alias table of the distribution count_i / sum(count) over k states (i32
 * counts at `counts`; their sum must stay below 2^31 and count_i k below 2^53).
 * `work` is scratch for k f64, `stack` for k i32. Returns how many states have
 * a positive count. A state with count 0 is never drawn: its column always
 * passes to a live alias.
 */
export function aliasFromCounts(counts: i32, k: i32, prob: i32, alias: i32, work: i32, stack: i32): i32 {
  const kf = f64(k);
  let total: f64 = 0.0;
  let live = 0;
  for (let i = 0; i < k; i++) {
    const c = ldi(counts + (i << 2));
    total += f64(c);
    if (c > 0) live++;
    stf(work + (i << 3), f64(c) * kf);
  }
  voseBuild(k, total, work, prob, alias, stack);
  return live;
}

/** Alias table of the non-negative real weights w_i at `w` (k f64), normalised by their sum. */
export function aliasFromWeights(w: i32, k: i32, prob: i32, alias: i32, work: i32, stack: i32): void {
  const kf = f64(k);
  let total: f64 = 0.0;
  for (let i = 0; i < k; i++) {
    const x = ldf(w + (i << 3));
    total += x;
    stf(work + (i << 3), x * kf);
  }
  voseBuild(k, total, work, prob, alias, stack);
}

/** One draw from an alias table: a uniform column, then keep it or take its alias. */
function aliasDraw(rng: i32, prob: i32, alias: i32, k: i32): i32 {
  const j = rngBelow(rng, k);
  const u = rngDouble(rng);
  return u < ldf(prob + (j << 3)) ? j : ldi(alias + (j << 2));
}

/** Adds m draws from the alias table to the i32 counts at `counts` (not cleared first). */
export function aliasAddCounts(rng: i32, prob: i32, alias: i32, k: i32, m: i32, counts: i32): void {
  for (let t = 0; t < m; t++) {
    const p = counts + (aliasDraw(rng, prob, alias, k) << 2);
    sti(p, (ldi(p) + 1) | 0);
  }
}

/** Writes m draws from the alias table as i32 state labels at `labels`. */
export function aliasDrawLabels(rng: i32, prob: i32, alias: i32, k: i32, m: i32, labels: i32): void {
  for (let t = 0; t < m; t++) sti(labels + (t << 2), aliasDraw(rng, prob, alias, k));
}

/** Adds the n i32 labels at `labels` to the counts at `counts`. */
export function addLabelCounts(labels: i32, n: i32, counts: i32): void {
  for (let t = 0; t < n; t++) {
    const p = counts + (ldi(labels + (t << 2)) << 2);
    sti(p, (ldi(p) + 1) | 0);
  }
}

/**
 * Draws m of the n labels at `labels` without replacement and adds them to
 * `counts`: a partial Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P)
 * done in place on the labels, so it costs O(m), not O(n). The labels stay the
 * same multiset, only reordered, and a partial shuffle picks a uniform m-subset
 * whatever the order it starts from.
 */
export function subsampleLabelsAddCounts(rng: i32, labels: i32, n: i32, m: i32, counts: i32): void {
  for (let t = 0; t < m; t++) {
    const j = t + rngBelow(rng, n - t);
    const pick = ldi(labels + (j << 2));
    sti(labels + (j << 2), ldi(labels + (t << 2)));
    sti(labels + (t << 2), pick);
    const p = counts + (pick << 2);
    sti(p, (ldi(p) + 1) | 0);
  }
}

/** Number of states with a positive count among the k at `counts`. */
/**
 * The states of the k i32 `counts` with a positive count, as i32 pairs
 * (state, count) in state order from `live` + 8, after a header pair
 * (their number, 0); returns their number. It is what the model draws from
 * (multinomialAddLive) and what enters the digest: 8 bytes per live state,
 * self-delimiting, where the full counts would be 4 K bytes per generation.
 */
export function liveCounts(counts: i32, k: i32, live: i32): i32 {
  let n = 0;
  for (let i = 0; i < k; i++) {
    const c = ldi(counts + (i << 2));
    if (c > 0) {
      const at = live + 8 + (n << 3);
      sti(at, i);
      sti(at + 4, c);
      n++;
    }
  }
  sti(live, n);
  sti(live + 4, 0);
  return n;
}

/**
 * liveCounts when the counts' support is known to lie within the states of
 * the list at `live` (a model's training set drawn from that model alone):
 * the list is compacted in place, in O(its length) instead of O(k). Returns
 * the number of live states; the list is the one liveCounts would write.
 */
export function liveCountsIn(counts: i32, live: i32): i32 {
  const n = ldi(live);
  let kept = 0;
  for (let e = 0; e < n; e++) {
    const j = ldi(live + 8 + (e << 3));
    const c = ldi(counts + (j << 2));
    if (c > 0) {
      const at = live + 8 + (kept << 3);
      sti(at, j);
      sti(at + 4, c);
      kept++;
    }
  }
  sti(live, kept);
  return kept;
}

/**
 * Up to `gens` generations of the `replace` chain in one call, each what the
 * host's generation does (fit, digest, build): list the live states of the
 * counts (liveCountsIn: the counts must lie within the list at `live`),
 * append that list (its header pair and (state, count) pairs, as i32) to the
 * digest bytes at `hashOut` + 8, zero the counts of those states (the only
 * ones above 0) and add Multinomial(m, count / total) to them by conditional
 * binomials; `total` is the first model's sample size, m the later ones'.
 * Stops before a generation whose list would pass `hashCap` doubles, or
 * whose model has one live state when `stopAtOne` is 1 (the host notes the
 * absorption), leaving that generation's list at `live` (liveCountsIn again
 * gives the same). Writes the doubles appended as an i32 at `hashOut`;
 * returns the generations run. One call per span keeps the host's
 * per-generation cost (calls, views, hashing calls) off small generations.
 */
export function categoricalReplaceSpan(rng: i32, counts: i32, live: i32, total: f64, m: i32, gens: i32, stopAtOne: i32, hashOut: i32, hashCap: i32): i32 {
  let used = 0;
  let done = 0;
  let t = total;
  while (done < gens) {
    const n = liveCountsIn(counts, live);
    if (n == 1 && stopAtOne != 0) break;
    if (used + n + 1 > hashCap) break;
    // the list as the host hashes it (copied as i32 words: bits kept exactly)
    const to = hashOut + 8 + (used << 3);
    const words = (n + 1) << 1;
    for (let w = 0; w < words; w++) sti(to + (w << 2), ldi(live + (w << 2)));
    used += n + 1;
    for (let e = 0; e < n; e++) sti(counts + (ldi(live + 8 + (e << 3)) << 2), 0);
    multinomialAddLive(rng, live + 8, n, t, m, counts);
    t = f64(m);
    done++;
  }
  sti(hashOut, used);
  return done;
}

export function liveStates(counts: i32, k: i32): i32 {
  let live = 0;
  for (let i = 0; i < k; i++) if (ldi(counts + (i << 2)) > 0) live++;
  return live;
}

/**
 * One whole generation of the `replace` recursion: the model is counts / m;
 * draw m samples from it and overwrite `counts` with theirs. Returns how many
 * states survive (1 = absorbed: every later generation is the same).
 */
export function categoricalReplaceStep(rng: i32, counts: i32, k: i32, m: i32, prob: i32, alias: i32, work: i32, stack: i32): i32 {
  aliasFromCounts(counts, k, prob, alias, work, stack);
  for (let i = 0; i < k; i++) sti(counts + (i << 2), 0);
  aliasAddCounts(rng, prob, alias, k, m, counts);
  return liveStates(counts, k);
}

/**
 * Zipf probabilities p_i proportional to 1 / (i + b)^a for ranks i = 1..k
 * (the form Suresh et al. 2024 simulate, with a = 1, b = 2.7), written
 * normalised to `out`. The power is exp(-a log(i + b)) with detmath, so
 * every backend gets the same bits.
 */
export function zipfProbabilities(k: i32, a: f64, b: f64, out: i32): void {
  let total: f64 = 0.0;
  for (let i = 0; i < k; i++) {
    const w = exp(-a * log(f64(i + 1) + b));
    stf(out + (i << 3), w);
    total += w;
  }
  for (let i = 0; i < k; i++) stf(out + (i << 3), ldf(out + (i << 3)) / total);
}

/**
 * Metrics of the model p_i = w_i / total against the original p0 (k f64 at
 * `p0`, with log p0 at `logP0`), written to `out`:
 *   out[0] entropy -sum p ln p (nats)      out[1] survivors #{p_i > 0}
 *   out[2] heterozygosity 1 - sum p^2      out[3] total variation (1/2) sum |p - p0|
 *   out[4] KL(p0 || p), +Infinity when a state with p0 > 0 has p = 0
 *   out[5] tail mass: sum of p over the tailN state indices at `tail`
 *   out[6] index of the last state with p > 0 (the absorbing state when out[1] = 1)
 * The weights are i32 counts, or f64 when `weightsF64` is 1 (for p0 itself).
 */
export function categoricalMetrics(w: i32, weightsF64: i32, total: f64, p0: i32, logP0: i32, k: i32, tail: i32, tailN: i32, out: i32): void {
  let entropy: f64 = 0.0;
  let squares: f64 = 0.0;
  let tv: f64 = 0.0;
  let kl: f64 = 0.0;
  let lost = false;
  let live = 0;
  let last = -1;
  for (let i = 0; i < k; i++) {
    const p = (weightsF64 != 0 ? ldf(w + (i << 3)) : f64(ldi(w + (i << 2)))) / total;
    const q = ldf(p0 + (i << 3));
    if (p > 0.0) {
      const lp = log(p);
      entropy -= p * lp;
      if (q > 0.0) kl += q * (ldf(logP0 + (i << 3)) - lp);
      live++;
      last = i;
    } else if (q > 0.0) {
      lost = true;
    }
    squares += p * p;
    tv += Math.abs(p - q);
  }
  let tailMass: f64 = 0.0;
  for (let t = 0; t < tailN; t++) {
    const i = ldi(tail + (t << 2));
    tailMass += (weightsF64 != 0 ? ldf(w + (i << 3)) : f64(ldi(w + (i << 2)))) / total;
  }
  stf(out, entropy);
  stf(out + 8, f64(live));
  stf(out + 16, 1.0 - squares);
  stf(out + 24, 0.5 * tv);
  stf(out + 32, lost ? Infinity : kl);
  stf(out + 40, tailMass);
  stf(out + 48, f64(last));
}
