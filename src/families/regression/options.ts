// Resolves `run regression` options into a RegressionConfig: types and ranges
// from the option table, then the checks that involve several options.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { regressionLayout } from './layout.js';
import type { RegressionConfig } from './types.js';

/** Options of `collapse-bench run regression`. */
export const REGRESSION_OPTIONS = [
  { name: 'dim', kind: 'int', min: 1, max: 256, default: 10, help: 'd, features of the linear model', arg: 'd', doc: 'features of the linear model' },
  { name: 'points', kind: 'int', min: 3, max: 10_000_000, default: 100, help: 'T, rows of the fixed design X (needs T > d + 1)', arg: 'T', docValues: 'integer 3..10^7, and T > d + 1', doc: 'rows of the fixed design X: the labels of each generation' },
  { name: 'noise', kind: 'number', min: 0, max: 1e6, minOpen: true, default: 1, help: 'sigma^2, variance of the label noise', arg: 'sigma2', doc: 'variance of the label noise' },
  { name: 'w-star', kind: 'enum', values: ['random', 'ones'], default: 'random', help: 'true weights: N(0, I) per replicate, or all ones' },
  { name: 'test-points', kind: 'int', min: 1, max: 1_000_000, default: 1000, help: 'noise-free test points x ~ N(0, I) for the test error', arg: 'n' },
  ...POLICY_OPTIONS,
  ...commonOptions({ generations: 20, replicates: 1000 }),
] as const satisfies readonly OptionSpec[];

export function resolveRegressionConfig(raw: RawOptions): { config: RegressionConfig; warnings: string[] } {
  const o = parseTypedOptions(REGRESSION_OPTIONS, raw);
  const d = o.dim;
  const t = o.points;

  if (d >= t - 1) {
    throw new UsageError(`--dim/--points: d = ${d} with T = ${t} points is not allowed; expected T > d + 1 (at least ${d + 2} points), since the expected error sigma^2 d / (T - d - 1) of OLS on a Gaussian design is finite only then`);
  }
  // a training set is T labels on the fixed design; under mix and fresh, round(g T) rows keep real labels
  const { policy, realFraction } = resolvePolicy(o, [t], t);

  const config: RegressionConfig = {
    ...commonConfig('regression', o),
    family: 'regression',
    dim: d,
    points: t,
    noise: o.noise,
    wStar: o['w-star'],
    testPoints: o['test-points'],
    policy,
    realFraction,
  };

  const bytes = plannedBytes((a) => regressionLayout(config, a));
  const subsample = policy === 'accumulate-subsample';
  checkKernelMemory(bytes, ['points', 'dim', 'test-points', ...(subsample ? ['generations'] : [])], subsample ? 'accumulate-subsample keeps every label' : '');
  return { config, warnings: [] };
}
