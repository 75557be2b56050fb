// Resolves `run kde` options into a KdeConfig: types and ranges from the
// option table, then the checks that involve several options at once.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { decimalNumber, parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { KDE_DATA_NAMES, fixedDim, trueVariance, type KdeDataName } from './datasets.js';
import { bandwidthFactor } from './theory.js';
import { log, square } from '../../theory/det.js';
import { kdeLayout } from './layout.js';
import type { BandwidthMode, BandwidthRule, KdeConfig } from './types.js';

/** Options of `collapse-bench run kde`. */
export const KDE_OPTIONS = [
  { name: 'data', kind: 'enum', values: KDE_DATA_NAMES, default: 'gmm1d', help: 'true distribution (see docs/kde.md)', doc: 'the true distribution (below): generation 0\'s data, the held-out points, and `fresh` real data' },
  { name: 'dim', kind: 'int', min: 1, max: 64, help: 'dimension d, for --data gaussian (default 1); the other data sets fix it (gmm1d 1, the rest 2)', arg: 'd', docDefault: '1', doc: 'dimension, for `gaussian` only; the other data sets fix it (gmm1d 1, the rest 2), and a different `--dim` is an error' },
  { name: 'sigma0', kind: 'number', min: 1e-150, max: 1e6, default: 1, help: 'standard deviation of every coordinate, for --data gaussian', arg: 'sigma', doc: '`gaussian`: the standard deviation of every coordinate (mean 0)' },
  { name: 'noise', kind: 'number', min: 0, max: 100, default: 0.1, help: 'standard deviation of the noise, for --data rings and moons', arg: 's', doc: '`rings`, `moons`: the standard deviation of the added Gaussian noise' },
  { name: 'factor', kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, default: 0.5, help: 'radius of the inner ring (outer = 1), for --data rings', arg: 'f', doc: '`rings`: radius of the inner circle (the outer one has radius 1)' },
  { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 100, help: 'n, points in every training set (generation 0: the real data)', arg: 'n', doc: 'points in every training set; generation 0\'s are the real data' },
  { name: 'bandwidth', kind: 'string', help: 'kernel standard deviation h: a number in [1e-150, 1000000], or the rule silverman or scott (default scott)', arg: 'h|rule', docValues: 'a number in [10^-150, 10^6], `scott`, `silverman`', docDefault: 'scott', doc: 'a fixed kernel standard deviation h, or the rule of thumb that computes it' },
  { name: 'bandwidth-mode', kind: 'enum', values: ['recompute', 'frozen'], default: 'frozen', help: 'for a rule: recompute on each training set, or compute once on the real data and keep', doc: 'for a rule: recompute h from every training set, or compute it once from the real data and keep it. With a numeric `--bandwidth` this is an error: h is fixed' },
  { name: 'holdout', kind: 'int', min: 1, max: 1_000_000, default: 500, help: 'm, held-out real points per replicate for the log-likelihood', arg: 'm', doc: 'held-out real points per replicate, drawn once, for the log-likelihood' },
  ...POLICY_OPTIONS,
  ...commonOptions({ generations: 100, replicates: 20 }),
] as const satisfies readonly OptionSpec[];

const MAX_BANDWIDTH = 1e6;
/** h^2 and sigma0^2 stay above the smallest normal double (below, the kernel's exponent divides by 0). */
const MIN_BANDWIDTH = 1e-150;

/** --bandwidth: a positive number or a rule name. */
function parseBandwidth(raw: unknown): number | BandwidthRule {
  if (raw === undefined) return 'scott';
  if (raw === 'silverman' || raw === 'scott') return raw;
  const v = decimalNumber(raw);
  if (!Number.isFinite(v) || !(v >= MIN_BANDWIDTH) || v > MAX_BANDWIDTH) {
    throw new UsageError(`--bandwidth: ${JSON.stringify(raw)} is not allowed; expected a number in [${MIN_BANDWIDTH}, ${MAX_BANDWIDTH}], silverman or scott`);
  }
  return v;
}

export function resolveKdeConfig(raw: RawOptions): { config: KdeConfig; warnings: string[] } {
  // the table types --bandwidth as a string; a number from the API is the same value
  const bandwidthRaw = raw.bandwidth;
  const o = parseTypedOptions(KDE_OPTIONS, { ...raw, bandwidth: typeof bandwidthRaw === 'number' ? String(bandwidthRaw) : bandwidthRaw });
  const data = o.data;
  const samples = o.samples;
  const { policy, realFraction } = resolvePolicy(o, [samples], samples);
  const warnings: string[] = [];

  const fixed = fixedDim(data);
  const dimGiven = o.dim;
  if (fixed !== null && dimGiven !== undefined && dimGiven !== fixed) {
    throw new UsageError(`--dim: ${dimGiven} does not match --data ${data}, which is ${fixed}-D; --dim chooses only for --data gaussian`);
  }
  const dim = fixed ?? dimGiven ?? 1;
  const onlyFor = (name: 'sigma0' | 'noise' | 'factor', allowed: KdeDataName[]) => {
    if (raw[name] !== undefined && !allowed.includes(data)) throw new UsageError(`--${name}: applies only to --data ${allowed.join(' or ')}, not ${data}`);
    return allowed.includes(data) ? o[name] : null;
  };
  const sigma0 = onlyFor('sigma0', ['gaussian']);
  const noise = onlyFor('noise', ['rings', 'moons']);
  const factor = onlyFor('factor', ['rings']);

  const bandwidth = parseBandwidth(bandwidthRaw);
  if (typeof bandwidth === 'number' && raw['bandwidth-mode'] !== undefined) {
    throw new UsageError(`--bandwidth-mode: applies only to --bandwidth silverman or scott; a numeric bandwidth (${bandwidth}) is fixed`);
  }
  const bandwidthMode: BandwidthMode = typeof bandwidth === 'number' ? 'fixed' : o['bandwidth-mode'];


  const config: KdeConfig = {
    ...commonConfig('kde', o),
    family: 'kde',
    data,
    dim,
    sigma0,
    noise,
    factor,
    samples,
    bandwidth,
    bandwidthMode,
    holdout: o.holdout,
    policy,
    realFraction,
  };

  const n = config.samples;
  const bytes = plannedBytes((a) => kdeLayout(config, a));
  checkKernelMemory(bytes, ['samples', 'generations', 'holdout', 'dim'], policy === 'accumulate' || policy === 'accumulate-subsample' ? `${policy} keeps every sample` : '');

  if (bandwidthMode === 'recompute' && policy === 'replace') {
    // E Var_t = Var_0 (1 - 1/n + c^2)^t (theory/kde.ts): say when that leaves the doubles
    const growth = 1 - 1 / n + square(bandwidthFactor(n, dim, bandwidth as BandwidthRule));
    const overflowAt = Math.floor((log(Number.MAX_VALUE) - log(trueVariance(config))) / log(growth));
    if (config.generations >= overflowAt) {
      warnings.push(`--bandwidth-mode recompute: E Var_t grows by ${growth.toPrecision(4)} per generation and passes the largest double near generation ${overflowAt}; a chain whose variance overflows is reported as null from there`);
    }
  }
  return { config, warnings };
}

/**
 * A header's options beside its fields (src/families/header.ts): the
 * bandwidth is a number or a rule's name, and a numeric one's mode 'fixed'
 * is not an option's value.
 */
export function kdeHeaderOptions(c: Record<string, unknown>): RawOptions {
  const h = c.bandwidth;
  return {
    bandwidth: typeof h === 'number' || typeof h === 'string' ? h : h === null || h === undefined ? undefined : JSON.stringify(h),
    'bandwidth-mode': c.bandwidthMode === 'fixed' ? undefined : (c.bandwidthMode as string | undefined),
  };
}
