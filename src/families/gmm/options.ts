// Resolves `run gmm` options into a GmmConfig: types and ranges from the
// option table, then the true mixture (a preset or --mixture), the defaults
// that depend on --data, and the checks that involve several options.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { decimalNumber, parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { asymmetricEntry, isPositiveDefinite } from '../../config/matrix.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { gmmLayout } from './layout.js';
import type { GmmConfig, GmmDataName, MixtureSpec } from './types.js';

export const GMM_DATA: readonly GmmDataName[] = ['notebook', 'two-gaussians', 'grid25', 'custom'];

/** Options of `collapse-bench run gmm`. Defaults that depend on --data are filled in by resolveGmmConfig. */
export const GMM_OPTIONS = [
  { name: 'data', kind: 'enum', values: GMM_DATA, default: 'notebook', help: 'true mixture: notebook (one 2-D blob, std 1), two-gaussians (means (-2,0), (2,0), identity covariances, weights 1/2), grid25 (5 x 5 modes at -4..4 step 2, std 0.05), custom (--mixture)', doc: 'the true mixture (above)' },
  { name: 'mixture', kind: 'string', help: 'with --data custom: components "W:MEAN:COV | ...", MEAN d numbers split by ",", COV one variance v (v I), d variances (diagonal) or d rows split by ";"; e.g. "0.3:0,0:1 | 0.7:3,1:0.5,0.1;0.1,0.5"', arg: 'spec', doc: 'the true mixture for `--data custom` (format above)' },
  { name: 'components', kind: 'int', min: 1, max: 1000, help: 'K, components of the fitted mixture (default: 2 for notebook, as in the paper; else the true number)', arg: 'K', docValues: 'integer 1..1000, at most `--samples`', docDefault: '2 for notebook, else the true number', doc: 'components of every fitted mixture' },
  { name: 'covariance', kind: 'enum', values: ['full', 'diag', 'spherical'], default: 'full', help: 'covariance type of the fitted components', doc: 'covariance type of the fitted components (scikit-learn\'s, without `tied`)' },
  { name: 'tol', kind: 'number', min: 0, max: 1e6, minOpen: true, help: 'EM stops when the mean log-likelihood per point gains less than this (default 1e-3 as scikit-learn; 1e-5 with --data notebook, as the paper)', arg: 'tol', docDefault: '1e-3; 1e-5 for notebook', doc: 'EM stops when the mean log-likelihood per point gains less than this (scikit-learn\'s rule, absolute gain)' },
  { name: 'max-iter', kind: 'int', min: 1, max: 1_000_000, help: 'EM iterations at most per initialisation (default 100 as scikit-learn; 2000 with --data notebook, as the paper)', arg: 'n', docDefault: '100; 2000 for notebook', doc: 'EM iterations at most per initialisation' },
  { name: 'reg-covar', kind: 'number', min: 0, max: 1e6, default: 1e-6, help: 'added to the diagonal of every fitted covariance', arg: 'r' },
  { name: 'n-init', kind: 'int', min: 1, max: 1000, default: 1, help: 'initialisations per fit; the best final lower bound is kept', arg: 'n', doc: 'initialisations per fit; the one with the best final lower bound is kept' },
  { name: 'kmeans-iter', kind: 'int', min: 0, max: 100_000, default: 300, help: 'Lloyd rounds after k-means++ seeding, stopping early when no label changes (0: responsibilities from the nearest seed)', arg: 'n', doc: 'Lloyd rounds after k-means++ seeding, stopping when no label changes; 0 = responsibilities from the nearest seed' },
  { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 1000, help: 'M, points in each training set (generation 0: the real data)', arg: 'M', doc: 'points in each training set (generation 0: the real data)' },
  { name: 'holdout', kind: 'int', min: 1, max: 10_000_000, default: 1000, help: 'held-out real points per replicate, drawn once from the true mixture, for the held-out log-likelihood', arg: 'n', doc: 'held-out real points per replicate, drawn once from the true mixture' },
  ...POLICY_OPTIONS,
  { name: 'bias', kind: 'number', min: 0, max: 1, minOpen: true, default: 1, help: 'sampling bias lambda: component covariances scaled by lambda when sampling; 1 = unbiased', arg: 'lambda', doc: 'sampling bias: each component\'s covariance is scaled by lambda when sampling (MAD\'s lambda)' },
  { name: 'temperature', kind: 'number', min: 0.01, max: 100, default: 1, help: 'sampling temperature T on the weights: w_k^(1/T), renormalised; 1 = unchanged', arg: 'T', doc: 'sampling temperature on the weights: component k is drawn with probability w_k^(1/T) / sum_j w_j^(1/T)' },
  { name: 'cover-radius', kind: 'number', min: 0, max: 1e6, minOpen: true, help: 'a true mode is covered if a fitted mean lies within this distance (default 3 x the smallest true component std)', arg: 'r', docDefault: '3 x the smallest true component std', doc: 'a true mode is covered if a fitted mean lies within r of it ...' },
  { name: 'cover-weight', kind: 'number', min: 0, max: 1, maxOpen: true, default: 0.01, help: '... and that component weighs more than this', arg: 'w', doc: '... and that component\'s weight is above w' },
  ...commonOptions({ generations: 2000, replicates: 4 }),
] as const satisfies readonly OptionSpec[];

/** The preset true mixtures (all 2-D). */
export function presetMixture(data: Exclude<GmmDataName, 'custom'>): MixtureSpec {
  const eye = (v: number) => [v, 0, 0, v];
  switch (data) {
    case 'notebook':
      // make_blobs(n_samples=1000, centers=[[0, 0]], cluster_std=1): one isotropic blob
      return { weights: [1], means: [[0, 0]], covs: [eye(1)] };
    case 'two-gaussians':
      // the SI's "two artificial Gaussians": 4 standard deviations apart, equal weights
      return { weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [eye(1), eye(1)] };
    case 'grid25': {
      // the 25-mode grid of Alemohammad et al. (MAD): modes at {-4,-2,0,2,4}^2, std 0.05 (40 std apart)
      const means: number[][] = [];
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) means.push([-4 + 2 * i, -4 + 2 * j]);
      return { weights: Array(25).fill(1 / 25), means, covs: means.map(() => eye(0.05 ** 2)) };
    }
  }
}

export function resolveGmmConfig(raw: RawOptions): { config: GmmConfig; warnings: string[] } {
  const o = parseTypedOptions(GMM_OPTIONS, raw);
  const data = o.data;
  const warnings: string[] = [];

  let mixture: MixtureSpec;
  if (data === 'custom') {
    if (o.mixture === undefined) throw new UsageError('--data custom: needs --mixture "W:MEAN:COV | ..." (see --help)');
    mixture = parseMixture(o.mixture);
  } else {
    if (o.mixture !== undefined) throw new UsageError(`--mixture: applies only to --data custom, not ${data}`);
    mixture = presetMixture(data);
  }
  const d = mixture.means[0].length;
  const trueK = mixture.weights.length;
  const notebook = data === 'notebook';
  const components = o.components ?? (notebook ? 2 : trueK);
  const samples = o.samples;

  const { policy, realFraction } = resolvePolicy(o, [samples], samples);
  if (components > samples) {
    throw new UsageError(`--components: ${components} is more than the ${samples} points of a training set (--samples); EM needs K <= M`);
  }

  const config: GmmConfig = {
    ...commonConfig('gmm', o),
    family: 'gmm',
    data,
    mixture,
    dim: d,
    components,
    covariance: o.covariance,
    tol: o.tol ?? (notebook ? 1e-5 : 1e-3),
    maxIter: o['max-iter'] ?? (notebook ? 2000 : 100),
    regCovar: o['reg-covar'],
    nInit: o['n-init'],
    kmeansIter: o['kmeans-iter'],
    samples,
    holdout: o.holdout,
    policy,
    realFraction,
    bias: o.bias,
    temperature: o.temperature,
    coverRadius: o['cover-radius'] ?? defaultCoverRadius(mixture),
    coverWeight: o['cover-weight'],
  };

  const bytes = plannedBytes((a) => gmmLayout(config, a));
  checkKernelMemory(bytes, ['samples', 'generations', 'components'], policy.startsWith('accumulate') ? 'accumulate keeps every sample' : '');
  if (mixture.weights.some((w) => w <= config.coverWeight)) {
    warnings.push(`--cover-weight ${config.coverWeight}: some true weight is not above it, so even the true mixture does not cover all ${trueK} modes`);
  }
  if (config.regCovar === 0) {
    warnings.push('--reg-covar 0: a component on fewer than d + 1 distinct points has a singular covariance; it is then repaired by a small ridge (reported as an event)');
  }
  if (config.temperature !== 1 && components === 1) warnings.push('--temperature: has no effect with one component');
  return { config, warnings };
}

/** 3 x the smallest true component std (sqrt(tr Sigma_k / d)): --cover-radius's default. */
function defaultCoverRadius(mixture: MixtureSpec): number {
  const d = mixture.means[0].length;
  return 3 * mixture.covs.reduce((m, c) => Math.min(m, Math.sqrt(trace(c, d) / d)), Infinity);
}

function trace(c: number[], d: number): number {
  let t = 0;
  for (let a = 0; a < d; a++) t += c[a * d + a];
  return t;
}

const MIXTURE_FORMAT = 'W:MEAN:COV components split by "|", e.g. "0.5:-2,0:1 | 0.5:2,0:1,0.3;0.3,1"';

/**
 * Parses --mixture: components split by "|", each WEIGHT:MEAN:COV; MEAN is d
 * numbers split by ","; COV is one variance v (v I), d variances (diagonal)
 * or d rows split by ";" (full, symmetric positive definite). Weights must be
 * positive and sum to 1 (within 1e-6); they are then divided by their sum.
 */
export function parseMixture(text: string): MixtureSpec {
  const bad = (what: string): never => {
    throw new UsageError(`--mixture: ${what}; expected ${MIXTURE_FORMAT}`);
  };
  const num = (s: string, where: string): number => {
    const t = s.trim();
    const v = decimalNumber(t);
    if (!Number.isFinite(v)) bad(`${where}: "${t}" is not a finite number`);
    return v;
  };
  const parts = text.split('|');
  if (parts.length > 1000) bad(`${parts.length} components, at most 1000 allowed`);
  const weights: number[] = [];
  const means: number[][] = [];
  const covs: number[][] = [];
  let d = 0;
  parts.forEach((part, idx) => {
    const where = `component ${idx + 1}`;
    const fields = part.split(':');
    if (fields.length !== 3) bad(`${where} has ${fields.length} field${fields.length === 1 ? '' : 's'} ("${part.trim()}")`);
    const w = num(fields[0], `${where} weight`);
    if (!(w > 0)) bad(`${where} weight ${w} is not positive`);
    const mean = fields[1].split(',').map((s) => num(s, `${where} mean`));
    if (idx === 0) {
      d = mean.length;
      if (d > 16) bad(`dimension ${d} from the first mean, at most 16 allowed`);
    } else if (mean.length !== d) bad(`${where} mean has ${mean.length} coordinates, the first has ${d}`);
    if (mean.some((m) => Math.abs(m) > 1e6)) bad(`${where} mean has a coordinate outside [-1e6, 1e6]`);
    covs.push(parseCovariance(fields[2], d, where, num, bad));
    weights.push(w);
    means.push(mean);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) bad(`weights sum to ${total}, not 1`);
  return { weights: weights.map((w) => w / total), means, covs };
}

function parseCovariance(text: string, d: number, where: string, num: (s: string, w: string) => number, bad: (w: string) => never): number[] {
  const rows = text.split(';');
  const c = new Array(d * d).fill(0);
  if (rows.length === 1) {
    const v = rows[0].split(',').map((s) => num(s, `${where} covariance`));
    if (v.length !== 1 && v.length !== d) bad(`${where} covariance has ${v.length} numbers; give 1 (v I), ${d} (diagonal) or ${d} rows split by ";"`);
    for (let a = 0; a < d; a++) c[a * d + a] = v.length === 1 ? v[0] : v[a];
    if (v.some((x) => !(x > 0) || x > 1e12)) bad(`${where} variances must be in (0, 1e12]`);
    return c;
  }
  if (rows.length !== d) bad(`${where} covariance has ${rows.length} rows; expected ${d}`);
  rows.forEach((r, a) => {
    const v = r.split(',').map((s) => num(s, `${where} covariance`));
    if (v.length !== d) bad(`${where} covariance row ${a + 1} has ${v.length} entries; expected ${d}`);
    v.forEach((x, b) => (c[a * d + b] = x));
  });
  const asym = asymmetricEntry(c, d);
  if (asym) bad(`${where} covariance is not symmetric (entry ${asym.i},${asym.j} is ${asym.x} but ${asym.j},${asym.i} is ${asym.y})`);
  for (let a = 0; a < d; a++) if (c[a * d + a] > 1e12) bad(`${where} variances must be at most 1e12`);
  if (!isPositiveDefinite(c, d, 1e-14)) bad(`${where} covariance is not positive definite`);
  return c;
}

/** A header's options beside its fields (src/families/header.ts): a custom mixture back as --mixture's text; a preset's is not an option. */
export function gmmHeaderOptions(c: Record<string, unknown>): RawOptions {
  const preset = typeof c.data === 'string' && c.data !== 'custom' && GMM_DATA.includes(c.data as GmmDataName);
  // the default radius may lie above the option's range (variances up to 1e12): left to the default when it is one
  const radius = (m: MixtureSpec) => (c.coverRadius === defaultCoverRadius(m) ? { 'cover-radius': undefined } : {});
  if (c.data !== 'custom') return { mixture: undefined, ...(preset ? radius(presetMixture(c.data as Exclude<GmmDataName, 'custom'>)) : {}) };
  const m = c.mixture as Partial<MixtureSpec> | null | undefined;
  const numbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');
  const k = Array.isArray(m?.weights) ? m.weights.length : -1;
  if (!numbers(m?.weights) || !Array.isArray(m.means) || !Array.isArray(m.covs) || m.means.length !== k || m.covs.length !== k || !m.means.every(numbers) || !m.covs.every(numbers)) {
    throw new UsageError(`config.mixture: ${JSON.stringify(m)?.slice(0, 60) ?? 'missing'} is not allowed; expected { weights, means, covs } of K components (covs row-major d x d)`);
  }
  const rows = (c: number[]) => {
    const d = Math.round(Math.sqrt(c.length));
    if (d * d !== c.length) throw new UsageError(`config.mixture: a covariance of ${c.length} entries is not a square matrix`);
    return Array.from({ length: d }, (_, i) => c.slice(i * d, i * d + d).join(',')).join(';');
  };
  const mixture = m.weights.map((w, i) => `${w}:${m.means![i].join(',')}:${rows(m.covs![i])}`).join(' | ');
  return { mixture, ...(m.means.length > 0 && m.means[0].length > 0 ? radius(m as MixtureSpec) : {}) };
}
