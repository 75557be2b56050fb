// The golden-ratio sweep of He, Xu & Cheng (arXiv 2502.18049): the fresh-data
// loop with the estimate w * real + (1 - w) * synthetic, swept over w. The
// stationary error of the mean is least near w = 1/phi = 0.618 when the real
// and synthetic parts have the same size. Every w runs the same seed, so the
// comparison between weights uses common random numbers.
import { resolveGaussianConfig } from '../families/gaussian/options.js';
import { runAndCollect } from './run.js';
import { describe } from '../util/stats.js';

export interface SweepPoint {
  w: number;
  /** Mean over replicates of each replicate's average ||mu_n - mu_0||^2 over the stationary window. */
  mean: number;
  se: number;
  /** The same average of the closed form. */
  theory: number;
  /** Per-replicate averages, for paired comparisons between weights. */
  perReplicate: number[];
}

export interface SweepOptions {
  weights: number[];
  samples: number;
  generations: number;
  /** Generations from this one on form the stationary window. */
  from: number;
  replicates: number;
  seed: number | string;
  backend?: 'js' | 'wasm' | 'wasm-simd';
}

export async function sweepRealWeight(o: SweepOptions): Promise<SweepPoint[]> {
  const out: SweepPoint[] = [];
  for (const w of o.weights) {
    const { config } = resolveGaussianConfig({
      policy: 'fresh',
      'real-fraction': 0.5,
      'real-weight': w,
      samples: o.samples,
      generations: o.generations,
      replicates: o.replicates,
      every: 10,
      seed: o.seed,
      backend: o.backend ?? 'wasm',
    });
    const { header, replicates, summary } = await runAndCollect(config);
    const window = header.recorded.map((n, i) => [n, i]).filter(([n]) => n >= o.from).map(([, i]) => i);
    const perReplicate = replicates.map((r) => window.reduce((a, i) => a + r.metrics.meanSqError[i]!, 0) / window.length);
    const theory = window.reduce((a, i) => a + summary.generations[i].metrics.meanSqError.theoryMean!, 0) / window.length;
    const d = describe(perReplicate);
    out.push({ w, mean: d.mean!, se: d.se!, theory, perReplicate });
  }
  return out;
}
