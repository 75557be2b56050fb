// Resolves `run categorical` options into a CategoricalConfig: types and
// ranges from the option table, then the checks that involve several options.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { initialProbabilities } from './initial.js';
import { littlerAbsorptionTime } from './theory.js';
import { categoricalLayout } from './layout.js';
import type { CategoricalConfig, CategoricalInit } from './types.js';

/** States: counts times K must stay exact in f64 (K < 2^22), and the tables fit in memory. */
export const MAX_STATES = 1_000_000;
const I32_MAX = 2 ** 31 - 1;

/** Options of `collapse-bench run categorical`. */
export const CATEGORICAL_OPTIONS = [
  { name: 'states', kind: 'int', min: 2, max: MAX_STATES, default: 6, help: 'K, the number of states (not with --probs)', arg: 'K', doc: 'number of states (not with `--probs`)' },
  { name: 'init', kind: 'enum', values: ['uniform', 'zipf', 'given'], default: 'uniform', help: 'the original distribution p_0 (given: from --probs)', docDefault: 'uniform (given when `--probs` is set)', doc: 'the original distribution p_0' },
  { name: 'zipf-a', kind: 'number', min: 0, max: 100, default: 1, help: 'Zipf exponent a in p_i ~ 1/(i+b)^a, i = 1..K (--init zipf)', arg: 'a', doc: 'Zipf: p_i proportional to 1/(i + b)^a for ranks i = 1..K (Suresh et al.\'s a = 1, b = 2.7); only with `--init zipf`' },
  { name: 'zipf-b', kind: 'number', min: 0, max: 1e6, default: 2.7, help: 'Zipf offset b (--init zipf)', arg: 'b', doc: 'the offset b of the Zipf law above; only with `--init zipf`' },
  { name: 'probs', kind: 'list', min: 0, max: 1, minOpen: true, help: 'p_0 itself: positive, summing to 1 (within 1e-9); K is its length', arg: 'list', docValues: 'positive numbers summing to 1 within 1e-9', doc: 'p_0 itself, e.g. "0.5,0.3,0.2"; K is its length (divided by its sum, so it is exact)' },
  { name: 'samples', kind: 'int', min: 1, max: 10_000_000, default: 100, help: 'M, samples in each training set (generation 0: the real data)', arg: 'M', doc: 'samples in each training set; generation 0\'s are the real data' },
  ...POLICY_OPTIONS,
  { name: 'until-absorbed', kind: 'flag', help: 'stop each replicate once one state is left (policy replace); --generations is the cap', doc: 'stop each replicate once one state is left (replace only); `--generations` is the cap' },
  { name: 'tail-quantile', kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, default: 0.1, help: 'tailMass is the mass of the ceil(q K) initially rarest states', arg: 'q', doc: '`tailMass` follows the ceil(qK) states with the smallest p_0' },
  ...commonOptions({ generations: 1000, replicates: 100 }),
] as const satisfies readonly OptionSpec[];

export function resolveCategoricalConfig(raw: RawOptions): { config: CategoricalConfig; warnings: string[] } {
  const o = parseTypedOptions(CATEGORICAL_OPTIONS, raw);
  const samples = o.samples;
  const { policy, realFraction } = resolvePolicy(o, [samples], samples);
  const warnings: string[] = [];

  // p_0: --probs alone means --init given
  const given = o.probs;
  const init: CategoricalInit = raw.init !== undefined ? o.init : given ? 'given' : 'uniform';
  if (given !== undefined) {
    if (init !== 'given') throw new UsageError(`--probs: gives p_0 itself; it cannot be combined with --init ${init}`);
    if (raw.states !== undefined) throw new UsageError('--probs and --states: give one of them, not both (K is the length of --probs)');
  } else if (init === 'given') {
    throw new UsageError('--init given: needs --probs "p1,p2,..."');
  }
  if ((raw['zipf-a'] !== undefined || raw['zipf-b'] !== undefined) && init !== 'zipf') {
    throw new UsageError(`--${raw['zipf-a'] !== undefined ? 'zipf-a' : 'zipf-b'}: applies only to --init zipf, not ${init}`);
  }
  let probs: number[] | null = null;
  if (given !== undefined) {
    if (given.length < 2) throw new UsageError(`--probs: has ${given.length} entry; expected at least 2 states`);
    if (given.length > MAX_STATES) throw new UsageError(`--probs: has ${given.length} entries; expected at most ${MAX_STATES} states`);
    const total = given.reduce((s, x) => s + x, 0);
    if (Math.abs(total - 1) > 1e-9) throw new UsageError(`--probs: sums to ${Number(total.toPrecision(12))}; expected probabilities summing to 1 (within 1e-9)`);
    probs = given.map((x) => x / total);
  }

  const untilAbsorbed = o['until-absorbed'] === true;
  if (untilAbsorbed && policy !== 'replace') {
    throw new UsageError(`--until-absorbed: applies only to --policy replace; under ${policy} a lost state can come back, so one state left is not the end`);
  }

  const config: CategoricalConfig = {
    ...commonConfig('categorical', o),
    family: 'categorical',
    states: probs ? probs.length : o.states,
    init,
    zipfA: init === 'zipf' ? o['zipf-a'] : null,
    zipfB: init === 'zipf' ? o['zipf-b'] : null,
    probs,
    samples,
    policy,
    realFraction,
    untilAbsorbed,
    tailQuantile: o['tail-quantile'],
  };

  const m = config.samples;
  const g = config.generations;
  // counts are i32: model G is fitted to M G pooled samples (accumulate: counts; accumulate-subsample: labels)
  if ((policy === 'accumulate' || policy === 'accumulate-subsample') && m * g > I32_MAX) {
    throw new UsageError(`--samples/--generations: ${policy} pools M G = ${m * g} samples, above the 2^31 - 1 that i32 counts and indices hold; reduce them`);
  }
  const bytes = plannedBytes((a) => categoricalLayout(config, a));
  checkKernelMemory(bytes, ['samples', 'generations', 'states'], policy === 'accumulate-subsample' ? 'accumulate-subsample keeps every sample' : '');

  if (untilAbsorbed) {
    const expected = littlerAbsorptionTime(initialProbabilities(config), m);
    if (g < 5 * expected) {
      warnings.push(`--until-absorbed with --generations ${g}: the mean time until one state is left is about ${Math.round(expected)} (Littler 1975), so some replicates may reach the cap; they report absorptionGeneration null`);
    }
  }
  return { config, warnings };
}

/** A header's options beside its fields (src/families/header.ts): with probs, K is their length, and --states is not given. */
export function categoricalHeaderOptions(c: Record<string, unknown>): RawOptions {
  return c.probs !== null && c.probs !== undefined ? { states: undefined } : {};
}

/** A header's facts that the theory reads (src/families/header.ts): the tail mass of p_0, a probability. */
export function checkCategoricalFacts(facts: Record<string, unknown>): void {
  const m = facts.tailMass0;
  if (!(typeof m === 'number' && m >= 0 && m <= 1)) throw new UsageError(`facts.tailMass0: ${JSON.stringify(m) ?? 'missing'}; expected the tail mass of p_0, in [0, 1]`);
}
