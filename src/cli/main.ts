// The command line: parse, validate, run, print. Bad input is one line and
// exit code 2; Ctrl-C stops between generations and keeps what finished.
import { SHOW_OPTIONS } from '../config/spec.js';
import { OUTPUT_OPTIONS, workersOption } from '../config/common.js';
import { UsageError } from '../util/errors.js';
import { prepareDir } from '../util/directories.js';
import type { RawOptions } from '../config/validate.js';
import { parseArgv } from '../config/argv.js';
import { didYouMean } from '../config/suggest.js';
import { runSimulation, type RunOutcome } from '../runner/run.js';
import { replicatePool } from '../runner/replicate-pool.js';
import { defaultWorkers } from '../runner/thread-boot.js';
import { FAMILIES, familyOf } from '../families/index.js';
import { familyOfHeader } from '../families/header.js';
import type { Family } from '../families/family.js';
import type { RunHeader, RunSummary } from '../results/types.js';
import type { RunConfig } from '../families/index.js';
import { readRunFile, type RunFileContents } from '../results/jsonl.js';
import { OutFile, hasHeaderLine } from '../results/out-file.js';
import { renderSummary } from '../report/table.js';
import { writeSummaryJson } from '../report/json.js';
import { KernelError } from '../kernels/backend.js';
import { MAIN_HELP, optionsHelp } from './help.js';
import { progressPrinter } from './progress.js';
import { runDemo } from './demo.js';
import { cmdBenchCompare } from './bench-compare.js';
import type { ReportCollector } from '../report/figures/collect.js';
import { VERSION } from '../version.js';
import { EXIT_INTERRUPTED, interruptOnCtrlC } from './interrupt.js';

const EXIT_USAGE = 2;
const COMMANDS = ['run', 'show', 'report', 'reproduce', 'sweep', 'merge', 'export', 'demo', 'bench', 'help', '--help', '--version'];

/** One line per family: name and summary. */
function familyLines(): string {
  return Object.values(FAMILIES)
    .map((f) => `  ${f.name.padEnd(12)}${f.summary}`)
    .join('\n');
}

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
  const { json, out, quiet: quietFlag, force, resume, workers, params: paramsFlag, report: reportDir, ...modelOptions } = values;
  const quiet = Boolean(quietFlag);
  const resumeFile = resume as string | undefined;
  const workerCount = workersOption(workers);
  if (resumeFile !== undefined && out !== undefined && out !== resumeFile) throw new UsageError(`--out ${out} with --resume ${resumeFile}: a resumed run appends to its own file; drop --out`);
  if (resumeFile !== undefined && force) throw new UsageError('--force with --resume: resume appends to the file, force would overwrite it; choose one');
  const params = Boolean(paramsFlag);
  if (params && out === undefined && resume === undefined && reportDir === undefined) throw new UsageError('--params keeps the fitted parameters in the JSONL file or the report: give --out FILE.jsonl or --report DIR');
  if (reportDir !== undefined && (typeof reportDir !== 'string' || reportDir === '')) throw new UsageError('--report: expected a directory');

  // the file first, so that a refusal comes before any work
  let config: RunConfig;
  let warnings: string[] = [];
  let resumed: RunFileContents | undefined;
  let file: OutFile | undefined;
  const outFile = resumeFile ?? (out as string | undefined);
  if (resumeFile !== undefined && (await hasHeaderLine(resumeFile))) {
    resumed = await readRunFile(resumeFile, (h) => familyOfHeader(h, true), '--resume');
    config = checkResumable(family, resumed.header, modelOptions, resumeFile);
    if (params && !resumed.header.params) throw new UsageError(`--params: ${resumeFile} was written without --params; a resumed run keeps its records alike (drop --params, or start a new run)`);
    file = OutFile.append(resumeFile, resumed.completeBytes, resumed.needsNewline);
    if (resumed.notes.length) process.stderr.write(`warning: ${resumeFile}: a cut last line was dropped; its replicate runs again\n`);
  } else {
    // a new run, or a resumed one killed before its header was written: the options say what to run
    if (resumeFile !== undefined && !Object.values(modelOptions).some((v) => v !== undefined)) {
      throw new UsageError(`--resume: ${resumeFile} has no complete header line (the run was stopped before it started); give the run's options to start it again`);
    }
    ({ config, warnings } = family.resolve(modelOptions));
    if (outFile !== undefined) file = resumeFile !== undefined ? OutFile.create(outFile, true) : OutFile.create(outFile, Boolean(force));
  }
  // the report's modules only when a report is asked for: start-up stays fast
  const report = reportDir !== undefined ? await import('./report.js') : undefined;
  if (reportDir !== undefined) prepareDir(reportDir, '--report');
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const interrupt = interruptOnCtrlC();
  const progress = progressPrinter(`${family.name} ${config.backend}${resumed ? ` (resuming ${resumed.builder.count} done)` : ''}`, !quiet);
  // without a file, the report's data are gathered as the records pass
  let collector: ReportCollector | undefined;
  let outcome: RunOutcome;
  try {
    outcome = await runSimulation(config, {
      params,
      // where the run's time went, in the summary (bench:peers asks for it)
      timing: process.env.COLLAPSE_BENCH_TIMING === '1',
      signal: interrupt.signal,
      resume: resumed?.builder,
      // the runner takes no more than there are replicates to run
      workers: workerCount ?? defaultWorkers(),
      parallel: replicatePool,
      onStart(header) {
        if (file && !resumed) file.write(JSON.stringify(header));
        if (report && !outFile) collector = new report.ReportCollector(header);
      },
      onReplicate(record) {
        file?.writeRecord(record);
        collector?.add(record);
      },
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.done();
    interrupt.dispose();
    try {
      file?.close();
    } catch (e) {
      // the records are written; a failing close must not cost the summary
      process.stderr.write(`warning: closing ${outFile}: ${(e as Error).message}\n`);
    }
  }
  print(outcome.summary, Boolean(json));
  if (report && outcome.completed > 0) {
    // from the file when there is one (a resumed run's earlier replicates included)
    const data = outFile ? await report.readRunReport(outFile, '--report') : collector!.finish(outcome.summary, '');
    const written = await report.writeReport([data], [], reportDir as string, '--report');
    process.stderr.write(`report: ${written.svgs.length} figures; open ${written.html}
`);
  }
  if (outcome.aborted) {
    process.stderr.write(`interrupted: ${outcome.completed} of ${config.replicates} replicates finished${outFile ? `; they are in ${outFile} (continue with --resume ${outFile})` : ''}\n`);
    return EXIT_INTERRUPTED;
  }
  return 0;
}

/**
 * The config of a run to resume: its header's, after checking it is this
 * family's and this version's, and that options given on the command line
 * agree with it (each differing option named).
 */
function checkResumable(family: Family<RunConfig>, header: RunHeader, given: RawOptions, path: string): RunConfig {
  const c = header.config as RunConfig;
  if (c.family !== family.name) throw new UsageError(`--resume: ${path} is a ${c.family} run, not ${family.name}; resume it with run ${c.family} --resume ${path}`);
  if (header.version !== VERSION) throw new UsageError(`--resume: ${path} was written by collapse-bench ${header.version}, this is ${VERSION}; its replicates would not match, start a new run`);
  const explicit = Object.keys(given).filter((k) => given[k] !== undefined);
  if (!explicit.length) return c;
  const mine = family.resolve(given).config as unknown as Record<string, unknown>;
  let defaults: Record<string, unknown> = {};
  try {
    defaults = family.resolve({}).config as unknown as Record<string, unknown>;
  } catch {
    // a family without a default config: only the options named are compared
  }
  const camel = (o: string) => o.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const kebab = (k: string) => k.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase());
  // the fields the given options set: named ones, and any that moved off their default
  const fields = new Set([...explicit.map(camel).filter((k) => k in mine), ...Object.keys(mine).filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(defaults[k]))]);
  const theirs = c as unknown as Record<string, unknown>;
  for (const k of fields) {
    if (JSON.stringify(mine[k]) !== JSON.stringify(theirs[k])) {
      throw new UsageError(`--resume: --${kebab(k)} ${JSON.stringify(mine[k])} differs from ${path}'s ${JSON.stringify(theirs[k])}; a resumed run keeps its config (drop the option, or start a new run)`);
    }
  }
  return c;
}

function print(summary: RunSummary, json: boolean): void {
  if (json) writeSummaryJson(summary, (text) => process.stdout.write(text));
  else console.log(renderSummary(summary, familyOf(summary.config.family)));
}

async function cmdShow(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(SHOW_OPTIONS, argv, 'collapse-bench show --help');
  if (help) {
    console.log(`Usage: collapse-bench show FILE.jsonl [--json]\n\n${optionsHelp(SHOW_OPTIONS)}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('show: expected exactly one FILE.jsonl');
  const file = positionals[0];
  // streamed: a file of any size, in bounded memory
  const { builder, notes } = await readRunFile(file, familyOfHeader);
  for (const n of notes) process.stderr.write(`warning: ${n}\n`);
  print(builder.finish(null, notes), Boolean(values.json));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'show':
        return await cmdShow(rest);
      case 'report':
        return await (await import('./report.js')).cmdReport(rest);
      case 'reproduce':
        // imported when used: `run` starts without the presets
        return await (await import('./reproduce.js')).cmdReproduce(rest);
      // loaded when used: their libraries (yaml, the Parquet writer) would slow every run's start
      case 'sweep':
        return await (await import('./sweep.js')).cmdSweep(rest);
      case 'merge':
        return await (await import('./merge.js')).cmdMerge(rest);
      case 'export':
        return await (await import('./export.js')).cmdExport(rest);
      case 'demo':
        return await runDemo(rest);
      case 'bench':
        return await cmdBenchCompare(rest);
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
