// He, Xu & Cheng 2025 (arXiv 2502.18049), golden-ratio weighting: the
// fresh-data loop estimates w * (fresh real) + (1 - w) * (synthetic), equal
// parts. The stationary error of the mean, ((1-w)^2 + w^2) / (1 - (1-w)^2)
// tr Sigma_0 / k, is least at w = 1/phi = 0.618. As in their code, the error
// is averaged over a stationary window; every w runs the same seed, so the
// comparisons between weights are paired (common random numbers).
import type { ReplicateRecord } from '../../results/types.js';
import type { CheckResult, Preset, PresetRun, RunResult } from '../types.js';
import { inRange, meanAndSe, near, positive } from '../checks.js';

const PHI_INV = (Math.sqrt(5) - 1) / 2;
const WEIGHTS = [0.3, 0.5, PHI_INV, 0.7, 0.9];
const GENERATIONS = 200;
/** Generations from this one on are the stationary window (their code averages from round 150 of 200). */
const FROM = 100;
const EVERY = 10;
const K = 4;

const id = (w: number) => `w${w === PHI_INV ? '0.618' : w}`;

/** The recorded generations in the window, as indices into a record's metric arrays. */
const windowIndices = Array.from({ length: GENERATIONS / EVERY + 1 }, (_, i) => i).filter((i) => i * EVERY >= FROM);

function windowAverage(r: ReplicateRecord): Record<string, number> {
  const v = windowIndices.map((i) => r.metrics.meanSqError[i]);
  return { windowError: v.some((x) => x === null) ? NaN : (v as number[]).reduce((a, b) => a + b, 0) / v.length };
}

/** The closed form averaged over the same window. */
function windowTheory(r: RunResult): number | null {
  const t = r.summary.generations.filter((g) => g.n >= FROM).map((g) => g.metrics.meanSqError?.theoryMean);
  return t.length && t.every((x) => typeof x === 'number') ? (t as number[]).reduce((a, b) => a + b, 0) / t.length : null;
}

export const goldenRatio: Preset = {
  name: 'golden-ratio',
  paper: 'He, Xu & Cheng 2025, golden-ratio weighting of real and synthetic data (arXiv 2502.18049)',
  checks: 'Gaussian fresh-data loop with real weight w: stationary error per w against the closed form; least at w = 1/phi (closed form and paired simulation)',
  seed: 'golden-ratio',
  measured: { full: '6.5 s', quick: '3.1 s' },
  runs(quick) {
    return WEIGHTS.map(
      (w): PresetRun => ({
        id: id(w),
        family: 'gaussian',
        options: { policy: 'fresh', 'real-fraction': 0.5, 'real-weight': w, samples: 200, generations: GENERATIONS, every: EVERY, replicates: quick ? 300 : 1000 },
        perReplicate: windowAverage,
      }),
    );
  },
  evaluate(results) {
    const out: CheckResult[] = [];
    const avg: Record<string, { mean: number | null; theory: number | null; values: number[] }> = {};
    for (const w of WEIGHTS) {
      const r = results[id(w)];
      if (!r) continue;
      const values = r.scalars.windowError ?? [];
      const { mean, se } = meanAndSe(values);
      const theory = windowTheory(r);
      avg[id(w)] = { mean, theory, values };
      out.push(near(`w = ${w.toFixed(3)}: stationary E |mu - mu_0|^2 (n >= ${FROM})`, mean, se, theory ?? NaN, K, 'exact recursion of the blended estimate (gaussian theory.ts)'));
    }
    const best = avg[id(PHI_INV)];
    if (!best) return out;
    // the closed form is least at 1/phi: ((1-w)^2 + w^2) / (1 - (1-w)^2) per tr Sigma_0 / k
    const v = (w: number) => ((1 - w) ** 2 + w * w) / (1 - (1 - w) ** 2);
    const grid = Array.from({ length: 1001 }, (_, i) => i / 1000).filter((w) => w > 0);
    const argmin = grid.reduce((a, b) => (v(b) < v(a) ? b : a));
    out.push(inRange('argmin over w of the stationary factor', argmin, PHI_INV - 0.001, PHI_INV + 0.001, 'He, Xu & Cheng: w* = 1/phi = 0.618 (grid step 0.001)'));
    for (const w of [0.3, 0.5, 0.9]) {
      const other = avg[id(w)];
      if (!other) continue;
      const diff = meanAndSe(other.values.map((x, i) => x - best.values[i]));
      out.push(positive(`paired: error at w = ${w} minus at 1/phi`, diff.mean, diff.se, K, 'the simulated error dips at 1/phi (paired over replicates)'));
    }
    const simulatedBest = WEIGHTS.filter((w) => avg[id(w)]?.mean !== null && avg[id(w)]).reduce((a, b) => (avg[id(b)].mean! < avg[id(a)].mean! ? b : a));
    out.push(inRange('the weight with the least simulated error', simulatedBest, 0.6, 0.75, 'of 0.3, 0.5, 0.618, 0.7, 0.9: one of the two in the flat bottom around 1/phi (0.618: 0.618, 0.7: 0.637, 0.5: 0.667 tr Sigma_0 / k)'));
    return out;
  },
};
