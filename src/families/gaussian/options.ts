// Resolves `run gaussian` options into a GaussianConfig: types and ranges from
// the option table, then the checks that involve several options at once.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { asymmetricEntry, isPositiveDefinite } from '../../config/matrix.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { realCount } from '../../chain/policies.js';
import { plannedBytes } from '../../chain/layout.js';
import { SCHEDULE_NAMES, samplesAt } from '../../chain/schedule.js';
import { gaussianLayout } from './layout.js';
import { chiSquareSurvival } from '../../theory/chi-square.js';
import type { GaussianConfig } from './types.js';

/** Options of `collapse-bench run gaussian`. */
export const GAUSSIAN_OPTIONS = [
  { name: 'dim', kind: 'int', min: 1, max: 64, default: 1, help: 'dimension d of the data', arg: 'd', doc: 'dimension of the data' },
  { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 100, help: 'M, samples in each training set (generation 0: the real data)', arg: 'M', doc: 'samples in each training set; generation 0\'s are the real data' },
  { name: 'schedule', kind: 'enum', values: SCHEDULE_NAMES, default: 'constant', help: 'growth of M_n: M, M(n+1) or M(n+1)^2', doc: 'M_n = M, M(n+1) or M(n+1)^2 (W2 stays finite only for superlinear growth)' },
  { name: 'estimator', kind: 'enum', values: ['unbiased', 'mle'], default: 'unbiased', help: 'covariance denominator: M - 1 (unbiased) or M (mle, as numpy.std)', doc: 'covariance denominator M-1 (the paper\'s theorem) or M (`numpy.std`, the paper\'s notebook)' },
  ...POLICY_OPTIONS,
  { name: 'real-weight', kind: 'number', min: 0, max: 1, help: 'policy fresh: estimate = w * (fit of the real part) + (1 - w) * (fit of the synthetic part), instead of one fit of both', arg: 'w', doc: 'policy `fresh` only: fit the real and the synthetic part apart and take w real + (1 - w) synthetic (below)' },
  { name: 'bias', kind: 'number', min: 0, max: 1, minOpen: true, default: 1, help: 'sampling bias lambda: draw from N(mu, lambda Sigma); 1 = unbiased', arg: 'lambda', doc: 'sampling bias: generated data come from N(mu, lambda Sigma)' },
  { name: 'mu0', kind: 'list', min: -1e6, max: 1e6, default: '0', help: 'original mean: one number, or d comma-separated', arg: 'list', docValues: 'a number or d comma-separated', doc: 'the original mean mu_0' },
  { name: 'sigma0', kind: 'list', min: 0, max: 1e6, minOpen: true, default: '1', help: 'original standard deviations: one number, or d comma-separated', arg: 'list', docValues: 'positive number(s)', doc: 'the original standard deviations (Sigma_0 diagonal)' },
  { name: 'cov0', kind: 'matrix', help: 'original covariance instead of --sigma0: rows split by ";", e.g. "1,0.5;0.5,2"', arg: 'matrix', doc: 'a full original covariance instead of `--sigma0` (symmetric, positive definite; entries within ±10^12, variances at least 10^-300, the range of `--sigma0` squared)' },
  ...commonOptions({ generations: 1000, replicates: 100 }),
] as const satisfies readonly OptionSpec[];

export function resolveGaussianConfig(raw: RawOptions): { config: GaussianConfig; warnings: string[] } {
  const o = parseTypedOptions(GAUSSIAN_OPTIONS, raw);
  const d = o.dim;
  const warnings: string[] = [];

  const mu0 = broadcast('mu0', o.mu0, d);
  let cov0: number[];
  if (o.cov0 !== undefined) {
    if (raw.sigma0 !== undefined) throw new UsageError('--cov0 and --sigma0: give one of them, not both');
    cov0 = checkCovariance(o.cov0, d);
  } else {
    const sd = broadcast('sigma0', o.sigma0, d);
    cov0 = Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? sd[i / (d + 1)] ** 2 : 0));
    const tiny = sd.find((s) => !(s * s > 0));
    if (tiny !== undefined) throw new UsageError(`--sigma0: ${tiny} squared underflows to 0 in doubles; give standard deviations above 1e-150`);
  }

  const generations = o.generations;
  const samples = o.samples;
  const schedule = o.schedule;
  const estimator = o.estimator;
  // the real share k_n = round(g M_n) is largest, and the synthetic share
  // M_n - k_n smallest relative to it, at the extremes of the schedule
  const extremes = [samplesAt(schedule, samples, 0), samplesAt(schedule, samples, generations)];
  const { policy, realFraction } = resolvePolicy(o, extremes, samples);
  const realWeight = o['real-weight'] ?? null;
  if (realWeight !== null) {
    if (policy !== 'fresh') throw new UsageError(`--real-weight: applies only to --policy fresh, not ${policy}`);
    // each part is fitted on its own: both need more points than ddof
    const least = estimator === 'unbiased' ? 2 : 1;
    for (const m of extremes) {
      const k = realCount(realFraction, m);
      if (k < least || m - k < least) {
        throw new UsageError(`--real-weight: needs at least ${least} real and ${least} synthetic points per training set, but --real-fraction ${realFraction} of ${m} gives ${k} and ${m - k}`);
      }
    }
  }

  const config: GaussianConfig = {
    ...commonConfig('gaussian', o),
    family: 'gaussian',
    dim: d,
    samples,
    schedule,
    estimator,
    policy,
    realFraction,
    realWeight,
    bias: o.bias,
    mu0,
    cov0,
  };

  const bytes = plannedBytes((a) => gaussianLayout(config, a));
  checkKernelMemory(bytes, ['samples', 'generations', 'dim'], policy === 'accumulate-subsample' ? 'accumulate-subsample keeps every sample' : '');
  if (d >= samples) {
    warnings.push(`dim ${d} >= samples ${samples}: every fitted covariance is singular (rank <= M - 1); log-determinants are -Infinity and samples stay in the span of the data`);
  }
  return { config, warnings };
}

function broadcast(name: string, values: number[], d: number): number[] {
  if (values.length === d) return values;
  if (values.length === 1) return Array(d).fill(values[0]);
  throw new UsageError(`--${name}: has ${values.length} entries; expected 1 or --dim (${d})`);
}

const MAX_COV_ENTRY = 1e12;
const MIN_COV_DIAGONAL = 1e-300;

/** Within --sigma0's range, symmetric and positive definite (checked on the host). */
function checkCovariance(rows: number[][], d: number): number[] {
  if (rows.length !== d) throw new UsageError(`--cov0: is ${rows.length} x ${rows.length}; expected ${d} x ${d} (--dim)`);
  const a = rows.flat();
  // the range --sigma0 allows, squared: variances whose sums and squares stay within the doubles
  const big = a.find((x) => !(Math.abs(x) <= MAX_COV_ENTRY));
  if (big !== undefined) throw new UsageError(`--cov0: entry ${big} is outside [-${MAX_COV_ENTRY}, ${MAX_COV_ENTRY}] (the variances --sigma0 allows, up to 10^6 squared)`);
  const tiny = a.findIndex((x, i) => i % (d + 1) === 0 && x > 0 && x < MIN_COV_DIAGONAL);
  if (tiny >= 0) throw new UsageError(`--cov0: variance ${a[tiny]} on the diagonal is below ${MIN_COV_DIAGONAL} (the variances --sigma0 allows, down to 10^-150 squared)`);
  const bad = asymmetricEntry(a, d);
  if (bad) throw new UsageError(`--cov0: not symmetric (entry ${bad.i},${bad.j} is ${bad.x} but ${bad.j},${bad.i} is ${bad.y})`);
  if (!isPositiveDefinite(a, d)) throw new UsageError('--cov0: not positive definite; the original covariance must have full rank');
  return a;
}

/** A header's options beside its fields (src/families/header.ts): cov0 is written flat, the option takes rows. */
export function gaussianHeaderOptions(c: Record<string, unknown>): RawOptions {
  const a = c.cov0;
  if (!Array.isArray(a) || !a.every((x) => typeof x === 'number')) throw new UsageError(`config.cov0: ${JSON.stringify(a)?.slice(0, 60) ?? 'missing'} is not allowed; expected the covariance as dim x dim numbers, row-major`);
  const d = Math.round(Math.sqrt(a.length));
  if (d * d !== a.length || d === 0) throw new UsageError(`config.cov0: has ${a.length} entries, not a square matrix; expected dim x dim numbers, row-major`);
  return { cov0: Array.from({ length: d }, (_, i) => a.slice(i * d, i * d + d).join(',')).join(';') };
}

/**
 * A header's facts that the theory reads (src/families/header.ts): the
 * eigenvalues of cov0 (their sum is its trace: Jacobi rotations keep it, to
 * rounding) and the tail band's chi2_(d, 0.99) (its upper tail is 0.01).
 */
export function checkGaussianFacts(facts: Record<string, unknown>, c: GaussianConfig): void {
  const eig = facts.sigma0Eigenvalues;
  let trace = 0;
  for (let a = 0; a < c.dim; a++) trace += c.cov0[a * c.dim + a];
  const sum = Array.isArray(eig) && eig.every((x) => typeof x === 'number' && Number.isFinite(x)) ? eig.reduce((s: number, x: number) => s + x, 0) : NaN;
  if (!Array.isArray(eig) || eig.length !== c.dim || !(Math.abs(sum - trace) <= 1e-9 * trace)) {
    throw new UsageError(`facts.sigma0Eigenvalues: ${JSON.stringify(eig)?.slice(0, 60) ?? 'missing'}; expected the ${c.dim} eigenvalues of config.cov0 (summing to its trace, ${trace})`);
  }
  const t = facts.tailThreshold;
  // absent in files of older versions: the tail theory is then left out
  if (t !== undefined && !(typeof t === 'number' && t > 0 && Math.abs(chiSquareSurvival(t, c.dim) / 0.01 - 1) <= 1e-6)) {
    throw new UsageError(`facts.tailThreshold: ${JSON.stringify(t)}; expected chi2_(${c.dim}, 0.99), the square of the tail band's radius`);
  }
}
