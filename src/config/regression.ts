// Resolves `run regression` options into a RegressionConfig: types and ranges
// from the option table, then the checks that involve several options.
import type { CommonConfig, PolicyName } from '../results/types.js';
import type { OptionSpec } from './spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from './common.js';
import { parseOptions, UsageError, type RawOptions } from './validate.js';
import { planRegressionBuffers } from '../chain/regression-chain.js';

/** A resolved linear-regression run: every option with its value, after validation. */
export interface RegressionConfig extends CommonConfig {
  family: 'regression';
  /** d, the number of features (columns of the design). */
  dim: number;
  /** T, the rows of the fixed design X, i.e. the labels of each generation. */
  points: number;
  /** sigma^2, the variance of the label noise added to every label. */
  noise: number;
  /** How the true weights are chosen: N(0, I) per replicate, or all ones. */
  wStar: 'random' | 'ones';
  /** Noise-free test points x ~ N(0, I) per replicate for the test error. */
  testPoints: number;
  /** How each generation's training set is built (see docs/regression.md). */
  policy: PolicyName;
  /** Share g of rows with real labels (policies mix and fresh): round(g T) rows. */
  realFraction: number;
}

/** Options of `collapse-bench run regression`. */
export const REGRESSION_OPTIONS: readonly OptionSpec[] = [
  { name: 'dim', kind: 'int', min: 1, max: 256, default: 10, help: 'd, features of the linear model', arg: 'd', doc: 'features of the linear model' },
  { name: 'points', kind: 'int', min: 3, max: 10_000_000, default: 100, help: 'T, rows of the fixed design X (needs T > d + 1)', arg: 'T', docValues: 'integer 3..10^7, and T > d + 1', doc: 'rows of the fixed design X: the labels of each generation' },
  { name: 'noise', kind: 'number', min: 0, max: 1e6, minOpen: true, default: 1, help: 'sigma^2, variance of the label noise', arg: 'sigma2', doc: 'variance of the label noise' },
  { name: 'w-star', kind: 'enum', values: ['random', 'ones'], default: 'random', help: 'true weights: N(0, I) per replicate, or all ones' },
  { name: 'test-points', kind: 'int', min: 1, max: 1_000_000, default: 1000, help: 'noise-free test points x ~ N(0, I) for the test error', arg: 'n' },
  { name: 'policy', kind: 'enum', values: ['replace', 'accumulate', 'accumulate-subsample', 'mix', 'fresh'], default: 'replace', help: 'how each training set is built (see docs/regression.md)', doc: 'how each training set is built (above)' },
  { name: 'real-fraction', kind: 'number', min: 0, max: 1, maxOpen: true, help: 'share g of rows with real labels, for --policy mix (default 0.1) or fresh (default 0.5)', arg: 'g', docDefault: '0.1 for mix, 0.5 for fresh', doc: 'share of rows with real labels, round(g T); only with `mix` and `fresh`' },
  ...commonOptions({ generations: 20, replicates: 1000 }),
];

const DEFAULT_REAL_FRACTION: Partial<Record<PolicyName, number>> = { mix: 0.1, fresh: 0.5 };

export function resolveRegressionConfig(raw: RawOptions): { config: RegressionConfig; warnings: string[] } {
  const o = parseOptions(REGRESSION_OPTIONS, raw);
  const d = o.dim as number;
  const t = o.points as number;
  const policy = o.policy as PolicyName;

  if (d >= t - 1) {
    throw new UsageError(`--dim/--points: d = ${d} with T = ${t} points is not allowed; expected T > d + 1 (at least ${d + 2} points), since the expected error sigma^2 d / (T - d - 1) of OLS on a Gaussian design is finite only then`);
  }
  const usesRealFraction = policy === 'mix' || policy === 'fresh';
  if (o['real-fraction'] !== undefined && !usesRealFraction) {
    throw new UsageError(`--real-fraction: applies only to --policy mix or fresh, not ${policy}`);
  }
  const realFraction = usesRealFraction ? ((o['real-fraction'] as number | undefined) ?? DEFAULT_REAL_FRACTION[policy]!) : 0;
  if (usesRealFraction && t - Math.round(realFraction * t) < 1) {
    throw new UsageError(`--real-fraction: ${realFraction} of T = ${t} rows leaves no row with synthetic labels; use a smaller fraction`);
  }

  const config: RegressionConfig = {
    ...commonConfig('regression', o),
    family: 'regression',
    dim: d,
    points: t,
    noise: o.noise as number,
    wStar: o['w-star'] as RegressionConfig['wStar'],
    testPoints: o['test-points'] as number,
    policy,
    realFraction,
  };

  const bytes = planRegressionBuffers(config).bytes;
  const subsample = policy === 'accumulate-subsample';
  checkKernelMemory(bytes, ['points', 'dim', 'test-points', ...(subsample ? ['generations'] : [])], subsample ? 'accumulate-subsample keeps every label' : '');
  return { config, warnings: [] };
}
