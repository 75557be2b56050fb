// The options every family shares for its data policy, declared once with
// the rules that tie them together.
import type { OptionSpec } from '../config/spec.js';
import { UsageError, type TypedOptions } from '../config/validate.js';
import { POLICY_NAMES, realCount, type PolicyName } from './policies.js';

export const POLICY_OPTIONS = [
  { name: 'policy', kind: 'enum', values: POLICY_NAMES, default: 'replace', help: 'how each training set is built from the real data, the history and new samples (see README)', doc: 'how each training set is built (README: the chain and the policies)' },
  {
    name: 'real-fraction', kind: 'number', min: 0, max: 1, maxOpen: true, arg: 'g',
    help: 'share of real data in each training set, for --policy mix (default 0.1) or fresh (default 0.5)',
    docDefault: '0.1 for mix, 0.5 for fresh',
    doc: 'share of real data in each training set, round(g M); only with `mix` and `fresh`',
  },
] as const satisfies readonly OptionSpec[];

const DEFAULT_REAL_FRACTION: Partial<Record<PolicyName, number>> = { mix: 0.1, fresh: 0.5 };

export interface PolicyConfig {
  /** How each training set is built from the real data, the history and new samples. */
  policy: PolicyName;
  /** Fraction of each training set that is real data (policies mix and fresh; 0 otherwise). */
  realFraction: number;
}

/**
 * The policy and its real fraction, checked against the training-set sizes
 * the run will see (`sizes`: the smallest and largest M_n) and the size of the
 * real data (`realSize`) that `mix` resamples from.
 */
export function resolvePolicy(o: TypedOptions<typeof POLICY_OPTIONS>, sizes: number[], realSize: number): PolicyConfig {
  const policy = o.policy;
  const usesRealFraction = policy === 'mix' || policy === 'fresh';
  if (o['real-fraction'] !== undefined && !usesRealFraction) {
    throw new UsageError(`--real-fraction: applies only to --policy mix or fresh, not ${policy}`);
  }
  const realFraction = usesRealFraction ? (o['real-fraction'] ?? DEFAULT_REAL_FRACTION[policy]!) : 0;
  if (usesRealFraction) {
    for (const m of sizes) {
      const k = realCount(realFraction, m);
      if (m - k < 1) throw new UsageError(`--real-fraction: ${realFraction} leaves no synthetic samples in a training set of ${m}; use a smaller fraction`);
      if (policy === 'mix' && k > realSize) {
        throw new UsageError(`--real-fraction: ${realFraction} of a training set of ${m} needs ${k} real points, but the real data has only ${realSize}; use a smaller fraction or --schedule constant`);
      }
    }
  }
  return { policy, realFraction };
}
