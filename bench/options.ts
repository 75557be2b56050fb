// Command-line options of `npm run bench`.
import { KERNELS } from './cases.js';
import type { WarmSettings } from './warm.js';

export interface Options {
  quick: boolean;
  only?: string;
  out?: string;
  warm: WarmSettings;
  coldReps: number;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only ${KERNELS.join('|')}] [--out file.json]`;

// Full: a round is 3 x (warm-up + time) ~ 0.75 s, so a case spans ~10 s of
// the machine's fast/slow drift; 10 cases ~ 100 s, plus cold starts, plus up
// to 7 re-run rounds per case when other processes compete for the CPU.
const FULL = { warm: { rounds: 13, extraRounds: 7, time: 200, warmupTime: 50, warmupIterations: 5, iterations: 10 }, coldReps: 10 };
// Quick: a ~20 s smoke run; the figures are rougher.
const QUICK = { warm: { rounds: 5, extraRounds: 3, time: 100, warmupTime: 30, warmupIterations: 3, iterations: 5 }, coldReps: 5 };

/** Parses argv (without node and the script); throws UsageError on bad input. */
export function parseOptions(argv: string[]): Options {
  let quick = false;
  let only: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') {
      const v = argv[++i];
      if (v === undefined || !KERNELS.includes(v)) throw new UsageError(`--only needs one of ${KERNELS.join(', ')}${v === undefined ? '' : `, not '${v}'`}`);
      only = v;
    } else if (arg === '--out') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--') || v === '') throw new UsageError('--out needs a file name');
      out = v;
    } else if (arg === '--help' || arg === '-h') throw new UsageError('', 0);
    else throw new UsageError(`unknown option '${arg}'`);
  }
  const base = quick ? QUICK : FULL;
  return { quick, only, out, warm: { ...base.warm }, coldReps: base.coldReps };
}

export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
