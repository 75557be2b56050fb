// The command line: parse, validate, run, print. Bad input is one line and
// exit code 2; Ctrl-C stops between generations and keeps what finished.
import { openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { SHOW_OPTIONS } from '../config/spec.js';
import { OUTPUT_OPTIONS } from '../config/common.js';
import { UsageError } from '../util/errors.js';
import { parseArgv } from '../config/argv.js';
import { didYouMean } from '../config/suggest.js';
import { runSimulation, type RunOutcome } from '../runner/run.js';
import { FAMILIES, familyOf } from '../families/index.js';
import { summarize } from '../results/summary.js';
import { parseRunFile } from '../results/jsonl.js';
import { renderSummary } from '../report/table.js';
import { KernelError } from '../kernels/backend.js';
import { MAIN_HELP, optionsHelp } from './help.js';
import { progressPrinter } from './progress.js';
import { runDemo } from './demo.js';
import { VERSION } from '../version.js';

const EXIT_USAGE = 2;
const COMMANDS = ['run', 'show', 'demo', 'help', '--help', '--version'];

/** One line per family: name and summary. */
function familyLines(): string {
  return Object.values(FAMILIES)
    .map((f) => `  ${f.name.padEnd(12)}${f.summary}`)
    .join('\n');
}
const EXIT_INTERRUPTED = 130;

async function cmdRun(argv: string[]): Promise<number> {
  const [name = '', ...rest] = argv[0]?.startsWith('-') ? ['', ...argv] : argv;
  if (name === '') {
    if (argv.includes('--help') || argv.includes('-h')) {
      const families = Object.values(FAMILIES)
        .map((f) => `${f.name}: ${f.summary}\n${optionsHelp([...f.options, ...OUTPUT_OPTIONS])}`)
        .join('\n\n');
      console.log(`Usage: collapse-bench run <family> [options]\n\n${families}`);
      return 0;
    }
    // no family: a short usage on stderr, as for any bad input
    console.error(`collapse-bench run: which family?\nUsage: collapse-bench run <family> [options]\n\n${familyLines()}\n\ncollapse-bench run <family> --help lists a family's options.`);
    return EXIT_USAGE;
  }
  if (!Object.hasOwn(FAMILIES, name)) {
    throw new UsageError(`run: unknown family '${name}'${didYouMean(name, Object.keys(FAMILIES))}; available: ${Object.keys(FAMILIES).join(', ')}`);
  }
  const family = familyOf(name);
  const table = [...family.options, ...OUTPUT_OPTIONS];
  const { values, positionals, help } = parseArgv(table, rest, `collapse-bench run ${family.name} --help`);
  if (help) {
    console.log(`Usage: collapse-bench run ${family.name} [options]\n\n${family.summary}\n\nOptions:\n${optionsHelp(table)}`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`run ${family.name}: unexpected argument '${positionals[0]}'`);
  const { json, out, quiet: quietFlag, ...modelOptions } = values;
  const { config, warnings } = family.resolve(modelOptions);
  const quiet = Boolean(quietFlag);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\ninterrupt: stopping after the current generation (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const outFile = out as string | undefined;
  let fd: number | undefined;
  const progress = progressPrinter(`${family.name} ${config.backend}`, !quiet);
  let outcome: RunOutcome;
  try {
    outcome = await runSimulation(config, {
      signal: controller.signal,
      onStart(header) {
        if (outFile === undefined) return;
        try {
          fd = openSync(outFile, 'w');
        } catch (e) {
          throw new UsageError(`--out: cannot write ${outFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        writeSync(fd, JSON.stringify(header) + '\n');
      },
      onReplicate(record) {
        if (fd !== undefined) writeSync(fd, JSON.stringify(record) + '\n');
      },
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.done();
    process.off('SIGINT', onSigint);
    if (fd !== undefined) closeSync(fd);
  }
  print(outcome.summary, Boolean(json));
  if (outcome.aborted) {
    process.stderr.write(`interrupted: ${outcome.replicates.length} of ${config.replicates} replicates finished${outFile ? `; they are in ${outFile}` : ''}\n`);
    return EXIT_INTERRUPTED;
  }
  return 0;
}

function print(summary: ReturnType<typeof summarize>, json: boolean): void {
  console.log(json ? JSON.stringify(summary, null, 2) : renderSummary(summary, familyOf(summary.config.family)));
}

function cmdShow(argv: string[]): number {
  const { values, positionals, help } = parseArgv(SHOW_OPTIONS, argv, 'collapse-bench show --help');
  if (help) {
    console.log(`Usage: collapse-bench show FILE.jsonl [--json]\n\n${optionsHelp(SHOW_OPTIONS)}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('show: expected exactly one FILE.jsonl');
  const file = positionals[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`show: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const { header, replicates } = parseRunFile(text, file);
  print(summarize(header, replicates, null), Boolean(values.json));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'show':
        return cmdShow(rest);
      case 'demo':
        return await runDemo(rest);
      case '--version':
        console.log(VERSION);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        console.log(`${MAIN_HELP}\n\nFamilies:\n${familyLines()}`);
        return cmd === undefined ? EXIT_USAGE : 0;
      default: {
        const hint = Object.hasOwn(FAMILIES, cmd) ? `; did you mean run ${cmd}?` : didYouMean(cmd, COMMANDS);
        throw new UsageError(`unknown command '${cmd}'${hint}; see collapse-bench --help`);
      }
    }
  } catch (e) {
    // only UsageError is bad input; a RangeError from a finished run is a failure
    if (e instanceof UsageError) {
      console.error(`collapse-bench: ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof KernelError) {
      console.error(`collapse-bench: ${e.message}`);
      return 1;
    }
    console.error(`collapse-bench: ${(e as Error).message ?? e}${process.env.DEBUG ? '\n' + (e as Error).stack : ' (DEBUG=1 shows the stack)'}`);
    return 1;
  }
}
