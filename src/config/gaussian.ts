// Resolves `run gaussian` options into a GaussianConfig: types and ranges from
// the option table, then the checks that involve several options at once.
import type { GaussianConfig, PolicyName } from '../results/types.js';
import type { OptionSpec } from './spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from './common.js';
import { parseOptions, UsageError, type RawOptions } from './validate.js';
import { asymmetricEntry, isPositiveDefinite } from './matrix.js';
import { samplesAt } from '../chain/schedule.js';
import { planGaussianBuffers } from '../chain/gaussian-chain.js';

/** Options of `collapse-bench run gaussian`. */
export const GAUSSIAN_OPTIONS: readonly OptionSpec[] = [
  { name: 'dim', kind: 'int', min: 1, max: 64, default: 1, help: 'dimension d of the data', arg: 'd', doc: 'dimension of the data' },
  { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 100, help: 'M, samples in each training set (generation 0: the real data)', arg: 'M', doc: 'samples in each training set; generation 0\'s are the real data' },
  { name: 'schedule', kind: 'enum', values: ['constant', 'linear', 'quadratic'], default: 'constant', help: 'growth of M_n: M, M(n+1) or M(n+1)^2', doc: 'M_n = M, M(n+1) or M(n+1)^2 (W2 stays finite only for superlinear growth)' },
  { name: 'estimator', kind: 'enum', values: ['unbiased', 'mle'], default: 'unbiased', help: 'covariance denominator: M - 1 (unbiased) or M (mle, as numpy.std)', doc: 'covariance denominator M-1 (the paper\'s theorem) or M (`numpy.std`, the paper\'s notebook)' },
  { name: 'policy', kind: 'enum', values: ['replace', 'accumulate', 'accumulate-subsample', 'mix', 'fresh'], default: 'replace', help: 'how each training set is built (see README)', doc: 'how each training set is built (below)' },
  { name: 'real-fraction', kind: 'number', min: 0, max: 1, maxOpen: true, help: 'share of real data in each training set, for --policy mix (default 0.1) or fresh (default 0.5)', arg: 'g', docDefault: '0.1 for mix, 0.5 for fresh', doc: 'share of real data in each training set; only with `mix` and `fresh`' },
  { name: 'real-weight', kind: 'number', min: 0, max: 1, help: 'policy fresh: estimate = w * (fit of the real part) + (1 - w) * (fit of the synthetic part), instead of one fit of both', arg: 'w', doc: 'policy `fresh` only: fit the real and the synthetic part apart and take w real + (1 - w) synthetic (below)' },
  { name: 'bias', kind: 'number', min: 0, max: 1, minOpen: true, default: 1, help: 'sampling bias lambda: draw from N(mu, lambda Sigma); 1 = unbiased', arg: 'lambda', doc: 'sampling bias: generated data come from N(mu, lambda Sigma)' },
  { name: 'mu0', kind: 'list', min: -1e6, max: 1e6, default: '0', help: 'original mean: one number, or d comma-separated', arg: 'list', docValues: 'a number or d comma-separated', doc: 'the original mean mu_0' },
  { name: 'sigma0', kind: 'list', min: 0, max: 1e6, minOpen: true, default: '1', help: 'original standard deviations: one number, or d comma-separated', arg: 'list', docValues: 'positive number(s)', doc: 'the original standard deviations (Sigma_0 diagonal)' },
  { name: 'cov0', kind: 'matrix', help: 'original covariance instead of --sigma0: rows split by ";", e.g. "1,0.5;0.5,2"', arg: 'matrix', doc: 'a full original covariance instead of `--sigma0` (symmetric, positive definite)' },
  ...commonOptions({ generations: 1000, replicates: 100 }),
];

export interface ResolvedGaussian {
  config: GaussianConfig;
  /** Settings that are valid but degenerate, said once before the run. */
  warnings: string[];
}

const DEFAULT_REAL_FRACTION: Partial<Record<PolicyName, number>> = { mix: 0.1, fresh: 0.5 };

export function resolveGaussianConfig(raw: RawOptions): ResolvedGaussian {
  const o = parseOptions(GAUSSIAN_OPTIONS, raw);
  const d = o.dim as number;
  const policy = o.policy as PolicyName;
  const warnings: string[] = [];

  const mu0 = broadcast('mu0', o.mu0 as number[], d);
  let cov0: number[];
  if (o.cov0 !== undefined) {
    if (raw.sigma0 !== undefined) throw new UsageError('--cov0 and --sigma0: give one of them, not both');
    cov0 = checkCovariance(o.cov0 as number[][], d);
  } else {
    const sd = broadcast('sigma0', o.sigma0 as number[], d);
    cov0 = Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? sd[i / (d + 1)] ** 2 : 0));
  }

  const usesRealFraction = policy === 'mix' || policy === 'fresh';
  if (o['real-fraction'] !== undefined && !usesRealFraction) {
    throw new UsageError(`--real-fraction: applies only to --policy mix or fresh, not ${policy}`);
  }
  const realFraction = usesRealFraction ? ((o['real-fraction'] as number | undefined) ?? DEFAULT_REAL_FRACTION[policy]!) : 0;
  const realWeight = (o['real-weight'] as number | undefined) ?? null;
  if (realWeight !== null && policy !== 'fresh') throw new UsageError(`--real-weight: applies only to --policy fresh, not ${policy}`);

  const config: GaussianConfig = {
    ...commonConfig('gaussian', o),
    family: 'gaussian',
    dim: d,
    samples: o.samples as number,
    schedule: o.schedule as GaussianConfig['schedule'],
    estimator: o.estimator as GaussianConfig['estimator'],
    policy,
    realFraction,
    realWeight,
    bias: o.bias as number,
    mu0,
    cov0,
  };

  if (usesRealFraction) {
    // the real share k_n = round(g M_n) is largest, and the synthetic share
    // M_n - k_n smallest relative to it, at the extremes of the schedule
    for (const n of [0, config.generations]) {
      const m = samplesAt(config.schedule, config.samples, n);
      const k = Math.round(realFraction * m);
      if (realWeight !== null) {
        // each part is fitted on its own: both need more points than ddof
        const least = config.estimator === 'unbiased' ? 2 : 1;
        if (k < least || m - k < least) {
          throw new UsageError(`--real-weight: needs at least ${least} real and ${least} synthetic points per training set, but --real-fraction ${realFraction} of M_${n} = ${m} gives ${k} and ${m - k}`);
        }
      }
      if (m - k < 1) throw new UsageError(`--real-fraction: ${realFraction} leaves no synthetic samples in a training set of ${m}; use a smaller fraction`);
      if (policy === 'mix' && k > config.samples) {
        throw new UsageError(`--real-fraction: ${realFraction} of M_${n} = ${m} needs ${k} real points, but the real data has only --samples ${config.samples}; use a smaller fraction or --schedule constant`);
      }
    }
  }

  const bytes = planGaussianBuffers(config).bytes;
  checkKernelMemory(bytes, ['samples', 'generations', 'dim'], config.policy === 'accumulate-subsample' ? 'accumulate-subsample keeps every sample' : '');
  if (d >= config.samples) {
    warnings.push(`dim ${d} >= samples ${config.samples}: every fitted covariance is singular (rank <= M - 1); log-determinants are -Infinity and samples stay in the span of the data`);
  }
  return { config, warnings };
}

function broadcast(name: string, values: number[], d: number): number[] {
  if (values.length === d) return values;
  if (values.length === 1) return Array(d).fill(values[0]);
  throw new UsageError(`--${name}: has ${values.length} entries; expected 1 or --dim (${d})`);
}

/** Symmetric and positive definite (checked on the host). */
function checkCovariance(rows: number[][], d: number): number[] {
  if (rows.length !== d) throw new UsageError(`--cov0: is ${rows.length} x ${rows.length}; expected ${d} x ${d} (--dim)`);
  const a = rows.flat();
  const bad = asymmetricEntry(a, d);
  if (bad) throw new UsageError(`--cov0: not symmetric (entry ${bad.i},${bad.j} is ${bad.x} but ${bad.j},${bad.i} is ${bad.y})`);
  if (!isPositiveDefinite(a, d)) throw new UsageError('--cov0: not positive definite; the original covariance must have full rank');
  return a;
}
