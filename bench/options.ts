// Command-line options of `npm run bench`.
import { SELECTABLE } from './cases.js';
import type { WarmSettings } from './warm.js';
import type { OptionSpec } from '../src/config/spec.js';
import { parseArgv } from '../src/config/argv.js';
import { parseTypedOptions } from '../src/config/validate.js';
import { UsageError } from '../src/util/errors.js';

export { UsageError };

export interface Options {
  quick: boolean;
  smoke: boolean;
  only?: string;
  out?: string;
  warm: WarmSettings;
  coldReps: number;
}

export const USAGE = `usage: npm run bench -- [--quick | --smoke] [--only ${SELECTABLE.join('|')}] [--out file.json]`;

// Full: a round is 3 x (warm-up + time) ~ 0.75 s, so a case spans ~10 s of
// the machine's fast/slow drift; 10 cases ~ 100 s, plus cold starts, plus up
// to 7 re-run rounds per case when other processes compete for the CPU.
const FULL = { warm: { rounds: 13, extraRounds: 7, time: 200, warmupTime: 50, warmupIterations: 5, iterations: 10 }, coldReps: 10 };
// Quick: a ~20 s smoke run; the figures are rougher.
const QUICK = { warm: { rounds: 5, extraRounds: 3, time: 100, warmupTime: 30, warmupIterations: 3, iterations: 5 }, coldReps: 5 };
// Smoke: a few seconds, each family's first case, 2 short rounds: tests the machinery (bench:matrix --quick).
const SMOKE = { warm: { rounds: 2, extraRounds: 0, time: 10, warmupTime: 5, warmupIterations: 2, iterations: 2 }, coldReps: 1 };

/** The options of `npm run bench`, parsed by the CLI's argv parser. */
export const BENCH_OPTIONS = [
  { name: 'quick', kind: 'flag', help: 'a ~20 s run; the figures are rougher' },
  { name: 'smoke', kind: 'flag', help: 'a few seconds: each family\'s first case, 2 short rounds (tests the machinery, not a measurement)' },
  { name: 'only', kind: 'enum', values: SELECTABLE, help: 'time one kernel only, or one family\'s kernels' },
  { name: 'out', kind: 'string', help: 'where to write the JSON record', arg: 'file.json' },
] as const satisfies readonly OptionSpec[];

/**
 * Parses argv (without node and the script): the options, or 'help' for
 * --help/-h; throws UsageError on bad input.
 */
export function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals, help } = parseArgv(BENCH_OPTIONS, argv, 'npm run bench -- --help');
  if (help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { quick, smoke, only, out } = parseTypedOptions(BENCH_OPTIONS, values);
  if (quick && smoke) throw new UsageError('--quick with --smoke: choose one');
  const base = smoke ? SMOKE : quick ? QUICK : FULL;
  return { quick, smoke, only, out, warm: { ...base.warm }, coldReps: base.coldReps };
}
