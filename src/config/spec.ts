// Options as data: one table per command gives each option's type, range or
// allowed values, default and help. The parser, the validator and `--help`
// all read it, so they cannot disagree.
import { BACKEND_NAMES } from '../kernels/abi.js';

export type OptionSpec =
  | { name: string; kind: 'int'; min: number; max: number; default?: number; help: string; arg?: string }
  | { name: string; kind: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; default?: number; help: string; arg?: string }
  | { name: string; kind: 'enum'; values: readonly string[]; default?: string; help: string }
  | { name: string; kind: 'list'; min: number; max: number; minOpen?: boolean; default?: string; help: string; arg?: string }
  | { name: string; kind: 'matrix'; help: string; arg?: string }
  | { name: string; kind: 'seed'; default: string; help: string }
  | { name: string; kind: 'string'; help: string; arg?: string }
  | { name: string; kind: 'flag'; help: string };

/** Options of `collapse-bench run gaussian`. */
export const GAUSSIAN_OPTIONS: readonly OptionSpec[] = [
  { name: 'dim', kind: 'int', min: 1, max: 64, default: 1, help: 'dimension d of the data', arg: 'd' },
  { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 100, help: 'M, samples in each training set (generation 0: the real data)', arg: 'M' },
  { name: 'schedule', kind: 'enum', values: ['constant', 'linear', 'quadratic'], default: 'constant', help: 'growth of M_n: M, M(n+1) or M(n+1)^2' },
  { name: 'generations', kind: 'int', min: 1, max: 1_000_000, default: 1000, help: 'generations to fit after the real data', arg: 'G' },
  { name: 'replicates', kind: 'int', min: 1, max: 1_000_000, default: 100, help: 'independent chains', arg: 'R' },
  { name: 'estimator', kind: 'enum', values: ['unbiased', 'mle'], default: 'unbiased', help: 'covariance denominator: M - 1 (unbiased) or M (mle, as numpy.std)' },
  { name: 'policy', kind: 'enum', values: ['replace', 'accumulate', 'accumulate-subsample', 'mix', 'fresh'], default: 'replace', help: 'how each training set is built (see README)' },
  { name: 'real-fraction', kind: 'number', min: 0, max: 1, maxOpen: true, help: 'share of real data in each training set, for --policy mix (default 0.1) or fresh (default 0.5)', arg: 'g' },
  { name: 'bias', kind: 'number', min: 0, max: 1, minOpen: true, default: 1, help: 'sampling bias lambda: draw from N(mu, lambda Sigma); 1 = unbiased', arg: 'lambda' },
  { name: 'mu0', kind: 'list', min: -1e6, max: 1e6, default: '0', help: 'original mean: one number, or d comma-separated', arg: 'list' },
  { name: 'sigma0', kind: 'list', min: 0, max: 1e6, minOpen: true, default: '1', help: 'original standard deviations: one number, or d comma-separated', arg: 'list' },
  { name: 'cov0', kind: 'matrix', help: 'original covariance instead of --sigma0: rows split by ";", e.g. "1,0.5;0.5,2"', arg: 'matrix' },
  { name: 'every', kind: 'int', min: 1, max: 1_000_000, default: 1, help: 'record metrics every k-th generation (and always the last)', arg: 'k' },
  { name: 'seed', kind: 'seed', default: '1', help: 'an int32 or any string; replicate r uses the seedrandom key "<seed>:<r>"' },
  { name: 'backend', kind: 'enum', values: BACKEND_NAMES, default: 'wasm', help: 'engine for the kernels; results do not depend on it' },
  { name: 'json', kind: 'flag', help: 'print one JSON object instead of the table' },
  { name: 'out', kind: 'string', help: 'write the run as JSONL: a header line and one line per replicate', arg: 'FILE.jsonl' },
  { name: 'quiet', kind: 'flag', help: 'no progress on stderr' },
];

/** Options of `collapse-bench show`. */
export const SHOW_OPTIONS: readonly OptionSpec[] = [{ name: 'json', kind: 'flag', help: 'print one JSON object instead of the table' }];
