// The categorical chain refitted by plug-in frequencies is the haploid
// neutral Wright-Fisher model with population M (papers file, section 4):
// heterozygosity (1 - 1/M)^n H_0 exactly, absorption in state i with
// probability p_0(i) (Shumailov et al. 2024, 2.1), mean absorption time
// -2M sum (1 - p_i) ln(1 - p_i) (Littler 1975, a diffusion approximation),
// surviving states within the bounds of Suresh et al. 2024 (Corollary 1).
import type { CheckResult, Preset, PresetRun } from '../types.js';
import { atLeast, atMost, inRange, meanMatchesTheory, metric, near, nearRelative } from '../checks.js';

const K = 4;

interface Setting {
  id: string;
  states: number;
  samples: number;
  replicates: number;
  /** The mean absorption time the papers file tabulates, where it does. */
  published?: number;
}

function settings(quick: boolean): Setting[] {
  if (quick) {
    return [
      { id: 'K6-M100', states: 6, samples: 100, replicates: 200, published: 182.3 },
      { id: 'K2-M100', states: 2, samples: 100, replicates: 200, published: 138.6 },
    ];
  }
  return [
    { id: 'K6-M1000', states: 6, samples: 1000, replicates: 100, published: 1823 },
    { id: 'K6-M100', states: 6, samples: 100, replicates: 1000, published: 182.3 },
    { id: 'K2-M100', states: 2, samples: 100, replicates: 1000, published: 138.6 },
  ];
}

interface Absorption {
  absorbed: number;
  replicates: number;
  chiSquare: { pValue: number } | null;
}

export const wrightFisher: Preset = {
  name: 'wright-fisher',
  paper: 'Shumailov et al. 2024 (2.1, discrete); Kazdan et al. 2024 (discrete, K = 6, M = 1000); Littler 1975; Suresh et al. 2024',
  checks: 'categorical replace until absorbed: heterozygosity (1 - 1/M)^n, absorbing state ~ p_0 (chi-square), mean absorption time, surviving states within the Suresh bounds',
  seed: 'wright-fisher',
  measured: { full: '3.1 s', quick: '1.7 s' },
  runs(quick) {
    return settings(quick).map(
      (s): PresetRun => ({
        id: s.id,
        family: 'categorical',
        options: { states: s.states, samples: s.samples, init: 'uniform', 'until-absorbed': true, generations: 40 * s.samples, replicates: s.replicates, every: s.samples / 10 },
      }),
    );
  },
  evaluate(results, quick) {
    const out: CheckResult[] = [];
    for (const set of settings(quick)) {
      const r = results[set.id];
      if (!r) continue;
      const s = r.summary;
      const M = set.samples;
      const label = `K=${set.states} M=${M}`;
      out.push(
        meanMatchesTheory(label, s, 'heterozygosity', M / 2, K, 'exact: (1 - 1/M)^n H_0 (Wright-Fisher)'),
        meanMatchesTheory(label, s, 'heterozygosity', M, K, 'exact: (1 - 1/M)^n H_0 (Wright-Fisher)'),
      );
      for (const n of [M / 10, M]) {
        const v = metric(s, 'survivors', n);
        if (v.theoryLower !== null) out.push(atLeast(`${label}: E survivors at n = ${n}, lower bound`, v.mean, v.theoryLower, v.se, K, 'Suresh et al. 2024, Corollary 1'));
        if (v.theoryUpper !== null) out.push(atMost(`${label}: E survivors at n = ${n}, upper bound`, v.mean, v.theoryUpper, v.se, K, 'Suresh et al. 2024, Corollary 1'));
      }
      const t = s.finals.absorptionGeneration;
      const ab = s.extras.absorption as Absorption | undefined;
      out.push(inRange(`${label}: replicates absorbed`, ab ? ab.absorbed / ab.replicates : null, 1, 1, 'every chain ends in a delta (Shumailov et al. 2.1); cap 40 M generations'));
      out.push(near(`${label}: E absorption generation`, t?.mean ?? null, t?.se ?? null, t?.theoryMean ?? NaN, K, 'Littler 1975: -2M sum (1 - p_i) ln(1 - p_i), a diffusion approximation'));
      if (set.published !== undefined) out.push(nearRelative(`${label}: Littler's value vs the papers file`, t?.theoryMean ?? null, set.published, 0.001, 'papers file, section 4 (rounding)'));
      out.push(inRange(`${label}: chi-square p, absorbing state ~ p_0`, ab?.chiSquare?.pValue ?? null, 0.001, 1, 'P(absorbed in i) = p_0(i) (Shumailov et al. 2.1); fails below p = 0.001'));
    }
    return out;
  },
};
