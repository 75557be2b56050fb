// Options that every family shares (generations, replicates, recording, seed,
// backend and output), and their resolution.
import { BACKEND_NAMES, type BackendName } from '../kernels/abi.js';
import type { OptionSpec } from './spec.js';
import { UsageError } from '../util/errors.js';
import { parseOption, type TypedOptions } from './validate.js';
import { MAX_MEMORY_BYTES, simdSupported } from '../kernels/backend.js';

/** Options every family has. */
export interface CommonConfig {
  /** The family's name, as `run <family>` takes it. */
  family: string;
  /** Generations after the real one: models 1..generations are fitted. */
  generations: number;
  /** Independent replicates of the whole chain. */
  replicates: number;
  /** Metrics are recorded at generations 0, every, 2 every, ... and always the last. */
  every: number;
  /** The run's seed: an int32 number or a string, as seedrandom takes it. */
  seed: number | string;
  /** Which engine runs the kernels. */
  backend: BackendName;
}

/**
 * The fastest backend this engine runs, with the same bits: on wasm-simd the
 * Gaussian, GMM, KDE, regression and VAE chains take 1.2x to 3x less time
 * than on wasm, the categorical and language-model ones about the same (CHANGELOG).
 */
export const DEFAULT_BACKEND: BackendName = simdSupported() ? 'wasm-simd' : 'wasm';

/** The shared options; typed per option (`as const`) so parseTypedOptions infers their values. */
export function commonOptions(defaults: { generations: number; replicates: number }) {
  return [
    { name: 'generations', kind: 'int', min: 1, max: 1_000_000, default: defaults.generations, help: 'generations to fit after the real data', arg: 'G', doc: 'models 1..G are fitted' },
    { name: 'replicates', kind: 'int', min: 1, max: 1_000_000, default: defaults.replicates, help: 'independent chains', arg: 'R' },
    { name: 'every', kind: 'int', min: 1, max: 1_000_000, default: 1, help: 'record metrics every k-th generation (and always the last)', arg: 'k', doc: 'record metrics at generations 0, k, 2k, ... and always the last' },
    { name: 'seed', kind: 'seed', default: '1', help: 'an int32 or any string; replicate r uses the seedrandom key "<seed>:<r>"', doc: 'replicate r draws from seedrandom\'s `xor4096("<seed>:<r>")`' },
    { name: 'backend', kind: 'enum', values: BACKEND_NAMES, default: DEFAULT_BACKEND, help: 'engine for the kernels; results do not depend on it', doc: 'which engine runs the kernels; results do not depend on it', docDefault: 'wasm-simd (wasm where the engine has no SIMD)' },
  ] as const satisfies readonly OptionSpec[];
}

/** Most workers --workers takes: more threads than this only add memory (each lays out its own chain). */
export const MAX_WORKERS = 64;

/**
 * Output and execution options, the same for every family; the CLI reads
 * them, the config does not keep them (results do not depend on them).
 */
export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', kind: 'flag', help: 'print one JSON object instead of the table', doc: 'print one JSON object (the summary) instead of the table' },
  { name: 'out', kind: 'string', help: 'write the run as JSONL: a header line and one line per replicate', arg: 'FILE.jsonl', docValues: 'file name' },
  { name: 'force', kind: 'flag', help: '--out may overwrite an existing file', doc: '`--out` may overwrite an existing file' },
  { name: 'resume', kind: 'string', help: 'continue the run in FILE.jsonl (config from its header): run the missing replicates and append them', arg: 'FILE.jsonl', docValues: 'file name', doc: 'continue an interrupted run in that file: its config, the missing replicates appended' },
  { name: 'quiet', kind: 'flag', help: 'no progress on stderr', doc: 'no progress on stderr' },
  {
    name: 'params',
    kind: 'flag',
    help: 'with --out: keep the fitted parameters at the recorded generations in the JSONL (for report figures)',
    doc: 'keep the fitted parameters at the recorded generations in the JSONL (Gaussian mu and Sigma; GMM weights, means, covariances; KDE the bandwidth and the first 200 centres; categorical the live probabilities; regression w; lm none); the digest and summary do not change',
  },
  { name: 'report', kind: 'string', help: 'at the end, write the SVG figures and an HTML report of the run into DIR', arg: 'DIR', docValues: 'directory', doc: 'write the run\'s figures (SVG) and a self-contained HTML report into that directory at the end (as `collapse-bench report`)' },
  {
    name: 'workers',
    kind: 'int',
    min: 1,
    max: MAX_WORKERS,
    help: 'replicates run at once, in this thread and N - 1 worker threads (default: the cores, at most the replicates); results do not depend on it',
    arg: 'N',
    doc: 'replicates run at once, in the main thread and N - 1 worker threads, each with its own kernel memory; the results, the file and the digest are the same for every N',
    docDefault: 'the cores, at most the replicates',
  },
];

/**
 * Recorded generations per replicate: a replicate's metrics are one JSONL
 * line (about 20 bytes per value, 8 or so metrics), written and read whole.
 */
/** --workers from the command line (checked against its entry in OUTPUT_OPTIONS); undefined when not given. */
export function workersOption(raw: unknown): number | undefined {
  return parseOption(OUTPUT_OPTIONS.find((s) => s.name === 'workers')!, raw) as number | undefined;
}

export const MAX_RECORDED_GENERATIONS = 100_001;

export function commonConfig(family: string, o: TypedOptions<ReturnType<typeof commonOptions>>): CommonConfig {
  const { generations, every } = o;
  const recorded = Math.ceil(generations / every) + 1;
  if (recorded > MAX_RECORDED_GENERATIONS) {
    throw new UsageError(
      `--generations/--every: recording ${recorded} generations makes each replicate's line of the results too long; record at most ${MAX_RECORDED_GENERATIONS} (--every ${Math.ceil(generations / (MAX_RECORDED_GENERATIONS - 1))} or more)`,
    );
  }
  return {
    family,
    generations,
    replicates: o.replicates,
    every,
    seed: o.seed,
    backend: o.backend,
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
