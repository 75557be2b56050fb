// The KDE family's starting distributions (--data): their definitions, their
// true per-dimension variance (the theory's Var_0), and the kernel call that
// draws from each. Every draw is a kernel (assembly/models/kde/datasets.ts);
// the host only lays out the mixture tables (cumulative weights by +).
import type { KernelExports } from '../../kernels/abi.js';

export type KdeDataName = 'gaussian' | 'gmm1d' | 'gmm2d' | 'rings' | 'moons';
export const KDE_DATA_NAMES: readonly KdeDataName[] = ['gaussian', 'gmm1d', 'gmm2d', 'rings', 'moons'];

/** One isotropic component: weight, standard deviation, mean. */
export interface MixtureComponent {
  weight: number;
  sd: number;
  mean: number[];
}

/** gmm1d: three modes, the middle one wider: 0.3 N(-3, 0.5^2) + 0.4 N(0, 0.7^2) + 0.3 N(3, 0.5^2). */
export const GMM1D: readonly MixtureComponent[] = [
  { weight: 0.3, sd: 0.5, mean: [-3] },
  { weight: 0.4, sd: 0.7, mean: [0] },
  { weight: 0.3, sd: 0.5, mean: [3] },
];

/**
 * gmm2d: four blobs at (+-2, +-2), standard deviation 0.5, with unequal
 * weights 0.4, 0.3, 0.2, 0.1, so that the light blob can be lost.
 */
export const GMM2D: readonly MixtureComponent[] = [
  { weight: 0.4, sd: 0.5, mean: [-2, -2] },
  { weight: 0.3, sd: 0.5, mean: [2, -2] },
  { weight: 0.2, sd: 0.5, mean: [-2, 2] },
  { weight: 0.1, sd: 0.5, mean: [2, 2] },
];

/** The fixed dimension of a data set; null for gaussian (--dim chooses). */
export function fixedDim(data: KdeDataName): number | null {
  switch (data) {
    case 'gaussian':
      return null;
    case 'gmm1d':
      return 1;
    default:
      return 2;
  }
}

/** What a draw needs to know about the data set. */
export interface DataSpec {
  data: KdeDataName;
  dim: number;
  /** gaussian: the standard deviation of every coordinate (mean 0). */
  sigma0: number | null;
  /** rings, moons: standard deviation of the added noise. */
  noise: number | null;
  /** rings: radius of the inner circle (the outer one has radius 1). */
  factor: number | null;
}

/** The mixture behind gaussian, gmm1d and gmm2d; null for the curves. */
export function mixtureOf(s: DataSpec): readonly MixtureComponent[] | null {
  switch (s.data) {
    case 'gaussian':
      return [{ weight: 1, sd: s.sigma0!, mean: Array(s.dim).fill(0) }];
    case 'gmm1d':
      return GMM1D;
    case 'gmm2d':
      return GMM2D;
    default:
      return null;
  }
}

/** The kernel's mixture table: per component, cumulative weight, sd, mean (2 + d doubles). */
export function mixtureTable(components: readonly MixtureComponent[], d: number): Float64Array {
  const t = new Float64Array(components.length * (2 + d));
  let cum = 0;
  components.forEach((c, i) => {
    cum += c.weight;
    t[i * (2 + d)] = i === components.length - 1 ? 1 : cum;
    t[i * (2 + d) + 1] = c.sd;
    t.set(c.mean, i * (2 + d) + 2);
  });
  return t;
}

/**
 * The true variance per dimension, averaged over the d dimensions (tr Sigma / d):
 * the expectation of generation 0's kdeVariance.
 *   mixture: Var X_a = sum_k w_k (sd_k^2 + mu_ka^2) - (sum_k w_k mu_ka)^2
 *   rings:   X = R (cos T, sin T) + noise, E cos^2 T = 1/2, E R^2 = (1 + f^2)/2,
 *            so Var X_a = (1 + f^2)/4 + noise^2
 *   moons:   x: E x = 1/2, E x^2 = (1/2)(1/2) + (1/2) E(1 - cos T)^2 = 1, Var = 3/4;
 *            y: E sin T = 2/pi on [0, pi], E y = 1/4,
 *            E y^2 = (1/2)(1/2) + (1/2) E(1/2 - sin T)^2 = 5/8 - 1/pi, Var = 9/16 - 1/pi;
 *            plus noise^2 on each.
 */
export function trueVariance(s: DataSpec): number {
  const mix = mixtureOf(s);
  if (mix) {
    let total = 0;
    for (let a = 0; a < s.dim; a++) {
      let m1 = 0;
      let m2 = 0;
      for (const c of mix) {
        m1 += c.weight * c.mean[a];
        m2 += c.weight * (c.sd * c.sd + c.mean[a] * c.mean[a]);
      }
      total += m2 - m1 * m1;
    }
    return total / s.dim;
  }
  const noise2 = s.noise! * s.noise!;
  if (s.data === 'rings') return (1 + s.factor! * s.factor!) / 4 + noise2;
  return (3 / 4 + (9 / 16 - 1 / Math.PI)) / 2 + noise2;
}

/**
 * Draws `count` points of the data set into `out` (column-major, leading
 * dimension ld) with one kernel call. `table` holds mixtureTable(...) for the
 * mixtures (ignored by the curves).
 */
export function drawData(k: KernelExports, rng: number, s: DataSpec, table: number, components: number, out: number, ld: number, count: number): void {
  if (count <= 0) return;
  switch (s.data) {
    case 'rings':
      k.ringsSample(rng, s.factor!, s.noise!, out, ld, count);
      return;
    case 'moons':
      k.moonsSample(rng, s.noise!, out, ld, count);
      return;
    default:
      k.mixtureSample(rng, table, components, s.dim, out, ld, count);
  }
}
