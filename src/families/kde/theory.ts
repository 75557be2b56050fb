// Closed forms for the KDE recursion, drawn beside the simulation.
//
// Notation: generation t's training set T_t has n points (accumulate: the
// pool of all N_t = n (t + 1) points); V_t is its per-dimension unbiased
// sample variance averaged over the d dimensions (kdeVariance); the next KDE
// puts N(0, h_t^2 I) on every point of T_t. sigma_0^2 = E V_0 is the true
// variance (trueVariance), rho = (n - 1)/n.
//
// The key step (derived here). The KDE of T is the equal-weight mixture of
// N(x_i, h^2 I); per dimension its mean is the sample mean and its variance
// is h^2 plus the spread of the centres, (1/n) sum_i (x_i - mean)^2:
//   sigma_K^2 = rho V + h^2.
// n i.i.d. draws from it have an unbiased sample variance with expectation
// sigma_K^2 and a mean with variance sigma_K^2 / n. So under replace
//   E[V_{t+1} | T_t] = rho V_t + h_t^2,
// and, averaged over replicates:
//   fixed h:      E V_t = V* + rho^t (sigma_0^2 - V*),  V* = h^2 / (1 - rho) = n h^2
//   frozen rule:  h^2 = c^2 V_0, so E[V_t | V_0] = V_0 (n c^2 + rho^t (1 - n c^2)),
//                 which is linear in V_0: E V_t = sigma_0^2 (n c^2 + rho^t (1 - n c^2))
//   recomputed:   h_t^2 = c^2 V_t, so E V_{t+1} = (rho + c^2) E V_t and
//                 E V_t = sigma_0^2 (rho + c^2)^t
// with c = bandwidthFactor(n, d, rule). The variance does not collapse to 0
// (it tends to n h^2, or grows), while the points resample like a
// Wright-Fisher population: modes drift and merge.
//
// Every other policy is linear in the same way (h^2 is a constant, c^2 V_0 or
// c^2 V of the fitted set), so expectations of the scatter S = sum (x - mean)^2
// and of squared mean offsets follow exact linear recursions; expectedVariances
// carries them out (the merge of two groups adds the squared mean difference
// times n_A n_B / (n_A + n_B), Chan, Golub & LeVeque 1979; a subsample of k
// of N points without replacement has E s^2 = S / (N - 1) and a mean with
// variance (S / (N - 1)) (1 - k/N) / k, Cochran 1977, Sampling Techniques, ch. 2).
import type { TheoryValue } from '../../theory/types.js';
import type { KdeConfig, BandwidthRule } from './types.js';
import { mixtureOf, trueVariance } from './datasets.js';
import { exp, log, pow, square } from '../../theory/det.js';

export type KdeMetric = 'nll' | 'tailShare' | 'variance' | 'bandwidth' | 'w2sq';
export type KdeTheoryRow = Partial<Record<KdeMetric, TheoryValue>>;

const none: TheoryValue = { mean: null, median: null };

/**
 * The rule-of-thumb factor c (h = c times the pooled standard deviation), as
 * in scipy.stats.gaussian_kde: Scott (1992) n^(-1/(d+4)); Silverman (1986)
 * (n (d + 2) / 4)^(-1/(d+4)). The kernel twin is kdeBandwidthFactor.
 */
export function bandwidthFactor(n: number, d: number, rule: BandwidthRule): number {
  const base = rule === 'scott' ? n : (n * (d + 2)) / 4;
  return pow(base, -1 / (d + 4));
}

/**
 * E V_t for t = 0..last, exact for every policy (see the header for the
 * steps). Entries that overflow are Infinity.
 */
export function expectedVariances(c: KdeConfig, last: number): number[] {
  const n = c.samples;
  const rho = (n - 1) / n;
  const v0 = trueVariance(c);
  const rule = c.bandwidth as BandwidthRule;
  /** E h^2 of the KDE fitted to a set of `size` points with E V = v. */
  const hh = (v: number, size: number): number => {
    if (c.bandwidthMode === 'fixed') return square(c.bandwidth as number);
    if (c.bandwidthMode === 'frozen') return square(bandwidthFactor(n, c.dim, rule)) * v0;
    return square(bandwidthFactor(size, c.dim, rule)) * v;
  };
  const out = [v0];
  if (c.policy === 'accumulate' || c.policy === 'accumulate-subsample') {
    // pool P_t: N points, E scatter S; the KDE is fitted to P_t (accumulate)
    // or to T_t, a subsample of n of its points (accumulate-subsample)
    let N = n;
    let S = (n - 1) * v0;
    for (let t = 1; t <= last; t++) {
      const vPool = S / (N - 1);
      let sigmaK2: number;
      let offset2: number; // E (new sample mean - pool mean)^2
      if (c.policy === 'accumulate') {
        sigmaK2 = S / N + hh(vPool, N);
        offset2 = sigmaK2 / n;
      } else {
        // E V(T) = vPool; E (mean T - mean P)^2 = vPool (1 - n/N) / n
        sigmaK2 = rho * vPool + hh(vPool, n);
        offset2 = sigmaK2 / n + (vPool * (1 - n / N)) / n;
      }
      S = S + (n - 1) * sigmaK2 + (offset2 * N * n) / (N + n);
      N += n;
      out.push(S / (N - 1));
    }
    return out;
  }
  // replace, mix, fresh: T_t = k real points + (n - k) drawn from the KDE of T_{t-1}
  // (replace: k = 0). D = E (mean T - reference)^2, the reference being the
  // real data's mean (mix: the same n real points every generation) or the
  // true mean (fresh: new real points).
  const k = c.policy === 'replace' ? 0 : Math.round(c.realFraction * n);
  let v = v0;
  let D = c.policy === 'fresh' ? v0 / n : 0;
  for (let t = 1; t <= last; t++) {
    const sigmaK2 = rho * v + hh(v, n);
    // E (real part's mean - reference)^2
    const er = k === 0 ? 0 : c.policy === 'mix' ? (v0 * (1 - k / n)) / k : v0 / k;
    const es = sigmaK2 / (n - k) + D;
    const scatter = Math.max(k - 1, 0) * v0 + (n - k - 1) * sigmaK2 + ((er + es) * k * (n - k)) / n;
    v = scatter / (n - 1);
    D = (k * k * er + (n - k) * (n - k) * es) / (n * n);
    out.push(v);
  }
  return out;
}

/** Theory for each recorded generation. */
export function kdeTheory(c: KdeConfig, generations: number[]): KdeTheoryRow[] {
  const ev = expectedVariances(c, generations.length ? generations[generations.length - 1] : 0);
  return generations.map((t) => {
    const v = ev[t];
    const row: KdeTheoryRow = {
      nll: none,
      variance: { mean: Number.isFinite(v) ? v : null, median: null },
      bandwidth: c.bandwidthMode === 'fixed' ? { mean: c.bandwidth as number, median: c.bandwidth as number } : none,
    };
    if (c.dim === 1) row.w2sq = t === 0 ? { mean: 0, median: 0 } : none;
    return row;
  });
}

/**
 * Differential entropy H(p) of the true distribution, where it can be had:
 * closed form for the Gaussian, quadrature for the mixtures, null for the
 * curves. By Gibbs' inequality E[-log q(Y)] >= H(p) for every density q, so
 * no KDE's expected held-out NLL goes below it.
 */
export function trueEntropy(c: KdeConfig): number | null {
  if (c.data === 'gaussian') return (c.dim / 2) * log(2 * Math.PI * Math.E * c.sigma0! * c.sigma0!);
  const mix = mixtureOf(c);
  if (!mix) return null;
  return mixtureEntropy(mix, c.dim);
}

/**
 * -integral p log p of an isotropic mixture in 1 or 2 dimensions by the
 * trapezoid rule on a grid covering every component to 12 standard
 * deviations; for smooth, rapidly decaying integrands the rule converges
 * faster than any power of the step (here 1/20 of the smallest sd).
 */
export function mixtureEntropy(mix: readonly { weight: number; sd: number; mean: number[] }[], d: number): number {
  const sdMin = Math.min(...mix.map((m) => m.sd));
  const step = sdMin / 20;
  const lo = Array.from({ length: d }, (_, a) => Math.min(...mix.map((m) => m.mean[a] - 12 * m.sd)));
  const hi = Array.from({ length: d }, (_, a) => Math.max(...mix.map((m) => m.mean[a] + 12 * m.sd)));
  const counts = lo.map((l, a) => Math.ceil((hi[a] - l) / step));
  const density = (x: number[]) => {
    let p = 0;
    for (const m of mix) {
      let q = 0;
      for (let a = 0; a < d; a++) q += square(x[a] - m.mean[a]);
      p += (m.weight * exp(-q / (2 * m.sd * m.sd))) / pow(2 * Math.PI * m.sd * m.sd, d / 2);
    }
    return p;
  };
  const term = (x: number[]) => {
    const p = density(x);
    return p > 0 ? -p * log(p) : 0;
  };
  let acc = 0;
  if (d === 1) {
    for (let i = 0; i <= counts[0]; i++) acc += term([lo[0] + i * step]);
    return acc * step; // the end terms are ~0, so trapezoid = plain sum
  }
  if (d !== 2) return NaN;
  for (let i = 0; i <= counts[0]; i++) for (let j = 0; j <= counts[1]; j++) acc += term([lo[0] + i * step, lo[1] + j * step]);
  return acc * step * step;
}

/** Limits that hold at every generation. */
export function kdeBounds(c: KdeConfig): Record<string, number> {
  const h = trueEntropy(c);
  return h === null ? {} : { nll: h };
}

/** Which closed forms apply, in words. */
export function kdeTheoryNotes(c: KdeConfig): string[] {
  const notes: string[] = [];
  if (c.policy === 'replace') {
    const form =
      c.bandwidthMode === 'fixed'
        ? 'n h^2 + ((n-1)/n)^t (Var_0 - n h^2)'
        : c.bandwidthMode === 'frozen'
          ? 'Var_0 (n c^2 + ((n-1)/n)^t (1 - n c^2)), h = c sd of the real data'
          : 'Var_0 (1 - 1/n + c^2)^t, h = c sd of each training set';
    notes.push(`variance: exact expectation E Var_t = ${form}.`);
  } else {
    notes.push(`variance: exact expectation, by the linear recursion of policy ${c.policy} (theory/kde.ts).`);
  }
  notes.push('nll: no closed form; bounded below by the entropy of the true distribution where it is known.');
  return notes;
}
