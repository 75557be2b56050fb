// Options that every family shares (generations, replicates, recording, seed,
// backend and output), and their resolution.
import { BACKEND_NAMES, type BackendName } from '../kernels/abi.js';
import type { OptionSpec } from './spec.js';
import type { CommonConfig, FamilyName } from '../results/types.js';
import { UsageError } from '../util/errors.js';
import type { ParsedValue } from './validate.js';
import { MAX_MEMORY_BYTES } from '../kernels/backend.js';

/** The shared options; typed per option (`as const`) so parseTypedOptions infers their values. */
export function commonOptions(defaults: { generations: number; replicates: number }) {
  return [
    { name: 'generations', kind: 'int', min: 1, max: 1_000_000, default: defaults.generations, help: 'generations to fit after the real data', arg: 'G', doc: 'models 1..G are fitted' },
    { name: 'replicates', kind: 'int', min: 1, max: 1_000_000, default: defaults.replicates, help: 'independent chains', arg: 'R' },
    { name: 'every', kind: 'int', min: 1, max: 1_000_000, default: 1, help: 'record metrics every k-th generation (and always the last)', arg: 'k', doc: 'record metrics at generations 0, k, 2k, ... and always the last' },
    { name: 'seed', kind: 'seed', default: '1', help: 'an int32 or any string; replicate r uses the seedrandom key "<seed>:<r>"', doc: 'replicate r draws from seedrandom\'s `xor4096("<seed>:<r>")`' },
    { name: 'backend', kind: 'enum', values: BACKEND_NAMES, default: 'wasm', help: 'engine for the kernels; results do not depend on it', doc: 'which engine runs the kernels; results do not depend on it' },
  ] as const satisfies readonly OptionSpec[];
}

/** Output options, the same for every family; the CLI reads them, the config does not keep them. */
export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', kind: 'flag', help: 'print one JSON object instead of the table', doc: 'print one JSON object (the summary) instead of the table' },
  { name: 'out', kind: 'string', help: 'write the run as JSONL: a header line and one line per replicate', arg: 'FILE.jsonl', docValues: 'file name' },
  { name: 'quiet', kind: 'flag', help: 'no progress on stderr', doc: 'no progress on stderr' },
];

/**
 * Recorded generations x replicates the summary may hold: every recorded value
 * of every replicate stays in memory until the run ends (medians need them
 * all), about 10 metrics of 8 bytes each per cell.
 */
export const MAX_RECORDED_CELLS = 20_000_000;

export function commonConfig(family: FamilyName, o: Record<string, ParsedValue>): CommonConfig {
  const generations = o.generations as number;
  const every = o.every as number;
  const replicates = o.replicates as number;
  const cells = (Math.ceil(generations / every) + 1) * replicates;
  if (cells > MAX_RECORDED_CELLS) {
    throw new UsageError(
      `--generations/--every/--replicates: recording ${Math.ceil(generations / every) + 1} generations of ${replicates} replicates keeps ${cells.toExponential(2)} values per metric in memory, above ${MAX_RECORDED_CELLS.toExponential(0)}; record less often with a larger --every`,
    );
  }
  return {
    family,
    generations: o.generations as number,
    replicates: o.replicates as number,
    every: o.every as number,
    seed: o.seed as number | string,
    backend: o.backend as BackendName,
  };
}

/**
 * Refuses a run whose buffers would not fit in the memory kernels can address,
 * naming the options that size them (and why a policy makes it large).
 */
export function checkKernelMemory(bytes: number, options: string[], why = ''): void {
  if (bytes <= MAX_MEMORY_BYTES) return;
  const mib = Math.ceil(bytes / 2 ** 20);
  throw new UsageError(`${options.map((o) => '--' + o).join('/')}: this run would need ${mib} MiB of kernel memory, above the 2048 MiB limit; reduce them${why ? ` (${why})` : ''}`);
}
