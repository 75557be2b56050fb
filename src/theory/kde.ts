// Closed forms for the KDE recursion, drawn beside the simulation.
//
// Notation: generation t's training set T_t has n points; V_t is its
// per-dimension unbiased sample variance averaged over the d dimensions
// (kdeVariance); the next KDE puts N(0, h_t^2 I) on every point of T_t.
//
// The variance recursion under replace (derived here). The KDE of T_t is the
// equal-weight mixture of N(x_i, h^2 I); per dimension its mean is the sample
// mean and its variance is the within-component h^2 plus the spread of the
// centres, (1/n) sum_i (x_i - mean)^2 = ((n - 1)/n) s_t^2. Generation t+1 is n
// i.i.d. draws from it, and an unbiased sample variance has the variance of
// the distribution as expectation, so
//   E[V_{t+1} | T_t] = rho V_t + h_t^2,   rho = (n - 1)/n.
// Averaged over replicates, with E V_0 = sigma_0^2 (the true variance,
// averaged over dimensions):
//   fixed h:      E V_t = V* + rho^t (sigma_0^2 - V*),  V* = h^2 / (1 - rho) = n h^2
//   frozen rule:  h^2 = c^2 V_0, so E[V_t | V_0] = V_0 (n c^2 + rho^t (1 - n c^2)),
//                 which is linear in V_0: E V_t = sigma_0^2 (n c^2 + rho^t (1 - n c^2))
//   recomputed:   h_t^2 = c^2 V_t, so E V_{t+1} = (rho + c^2) E V_t and
//                 E V_t = sigma_0^2 (rho + c^2)^t
// with c = bandwidthFactor(n, d, rule). All three are exact. The variance
// does not collapse to 0 (it tends to n h^2, or grows), while the points
// resample like a Wright-Fisher population: modes drift and merge.
import type { TheoryValue } from '../families/family.js';
import type { KdeConfig, BandwidthRule } from '../config/kde.js';
import { mixtureOf, trueVariance } from '../chain/kde-datasets.js';

export type KdeMetric = 'nll' | 'variance' | 'bandwidth' | 'w2sq';
export type KdeTheoryRow = Partial<Record<KdeMetric, TheoryValue>>;

const none: TheoryValue = { mean: null, median: null };

/**
 * The rule-of-thumb factor c (h = c times the pooled standard deviation), as
 * in scipy.stats.gaussian_kde: Scott (1992) n^(-1/(d+4)); Silverman (1986)
 * (n (d + 2) / 4)^(-1/(d+4)). The kernel twin is kdeBandwidthFactor.
 */
export function bandwidthFactor(n: number, d: number, rule: BandwidthRule): number {
  const base = rule === 'scott' ? n : (n * (d + 2)) / 4;
  return Math.pow(base, -1 / (d + 4));
}

/** E V_t under replace for t = 0..: exact (see the derivation above); null for other policies. */
export function expectedVariance(c: KdeConfig, t: number): number | null {
  if (c.policy !== 'replace') return null;
  const n = c.samples;
  const rho = (n - 1) / n;
  const v0 = trueVariance(c);
  if (c.bandwidthMode === 'fixed') {
    const h = c.bandwidth as number;
    const vStar = n * h * h;
    return vStar + Math.pow(rho, t) * (v0 - vStar);
  }
  const f = bandwidthFactor(n, c.dim, c.bandwidth as BandwidthRule);
  const c2 = f * f;
  if (c.bandwidthMode === 'frozen') return v0 * (n * c2 + Math.pow(rho, t) * (1 - n * c2));
  return v0 * Math.pow(rho + c2, t);
}

/** Theory for each recorded generation. */
export function kdeTheory(c: KdeConfig, generations: number[]): KdeTheoryRow[] {
  return generations.map((t) => {
    const v = expectedVariance(c, t);
    const row: KdeTheoryRow = {
      nll: none,
      variance: { mean: v !== null && Number.isFinite(v) ? v : null, median: null },
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
  if (c.data === 'gaussian') return (c.dim / 2) * Math.log(2 * Math.PI * Math.E * c.sigma0! * c.sigma0!);
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
      for (let a = 0; a < d; a++) q += (x[a] - m.mean[a]) ** 2;
      p += (m.weight * Math.exp(-q / (2 * m.sd * m.sd))) / Math.pow(2 * Math.PI * m.sd * m.sd, d / 2);
    }
    return p;
  };
  const term = (x: number[]) => {
    const p = density(x);
    return p > 0 ? -p * Math.log(p) : 0;
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
    notes.push(`policy ${c.policy}: no closed form for the variance; only the simulation is shown.`);
  }
  notes.push('nll: no closed form; bounded below by the entropy of the true distribution where it is known.');
  return notes;
}
