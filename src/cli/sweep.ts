// `collapse-bench sweep GRID.json`: every cell of a grid (or a shard's slice
// of them), each cell's replicates in the worker pool, one JSONL per cell in
// --out DIR with the manifest, and the summary table. Ctrl-C keeps what
// finished; --resume skips finished cells and continues a cut one.
import type { OptionSpec } from '../config/spec.js';
import { OUTPUT_OPTIONS, workersOption } from '../config/common.js';
import { parseArgv } from '../config/argv.js';
import { UsageError } from '../util/errors.js';
import { prepareDir } from '../util/directories.js';
import { replicatePool } from '../runner/replicate-pool.js';
import { defaultWorkers } from '../runner/thread-boot.js';
import { parseShard } from '../sweep/shard.js';
import { longSweepSeconds } from '../sweep/cost.js';
import { planSweepFile, runSweep } from '../sweep/run-sweep.js';
import { renderSweepSummary, type SweepSummary } from '../sweep/summary.js';
import { optionsHelp } from './help.js';
import { duration, progressPrinter } from './progress.js';
import { EXIT_INTERRUPTED, interruptOnCtrlC } from './interrupt.js';


const option = (name: string) => OUTPUT_OPTIONS.find((s) => s.name === name)!;

export const SWEEP_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', help: 'write one JSONL per cell, manifest.json and summary.json into DIR (created if missing)', arg: 'DIR' },
  { name: 'resume', kind: 'flag', help: 'continue the sweep in --out DIR: finished cells are skipped, a cut one continues' },
  { name: 'force', kind: 'flag', help: '--out may overwrite a sweep already in DIR' },
  { name: 'shard', kind: 'string', help: 'run slice i of n of the cells x replicates (1 <= i <= n), balanced by estimated cost; join with merge', arg: 'i/n' },
  option('workers'),
  option('quiet'),
  { name: 'json', kind: 'flag', help: 'print the summary as one JSON object instead of the table' },
  { name: 'report', kind: 'string', help: "write the sweep's figures and index.html into DIR at the end (as report SWEEP_DIR --out DIR)", arg: 'DIR' },
];

export const SWEEP_USAGE = 'Usage: collapse-bench sweep GRID.json|GRID.yaml [--out DIR] [--resume] [--workers N] [--shard i/n] [--report DIR]';

export async function cmdSweep(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(SWEEP_OPTIONS, argv, 'collapse-bench sweep --help');
  if (help) {
    console.log(`${SWEEP_USAGE}\n\nRuns every cell of a grid (docs/sweeps.md: the grid format, the order of cells, shards, merge, export).\n\nOptions:\n${optionsHelp(SWEEP_OPTIONS)}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`sweep: expected exactly one grid file\n${SWEEP_USAGE}`);
  const gridPath = positionals[0];
  const dir = values.out as string | undefined;
  const workers = workersOption(values.workers) ?? defaultWorkers();
  const shard = values.shard === undefined ? undefined : parseShard(String(values.shard));
  const reportDir = values.report as string | undefined;
  if (reportDir !== undefined && shard) throw new UsageError('--report with --shard: a shard holds part of the cells; merge the shards, then run report on the merged directory');
  if (reportDir === '') throw new UsageError('--report: give a directory for the figures and index.html');
  // a shard's files are what merge joins: without a directory the shard's work would be thrown away
  if (shard && dir === undefined) throw new UsageError(`--shard: give --out DIR; a shard's cell files are kept there for merge, and without it the shard's work would be lost`);
  // everything is checked before anything runs: the grid, every cell (then the directory, in runSweep)
  const plan = planSweepFile(gridPath, shard);
  for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`);
  // a grid far too large (a typo of a few zeros) is said before it starts, not found in the progress line's time left
  const cost = plan.pieces.reduce((t, p) => t + (p.to - p.from) * plan.manifest.cells[p.cell].cost, 0);
  const long = longSweepSeconds(cost, workers);
  if (long !== undefined) {
    process.stderr.write(
      `warning: this ${shard ? 'shard' : 'sweep'} is ${cost.toExponential(1)} units of work by the cost model (docs/sweeps.md): at least ${duration(long)} with ${workers} worker${workers > 1 ? 's' : ''} at the fastest rate measured; the progress line gives the time left as it runs (Ctrl-C stops it and keeps what finished)\n`,
    );
  }
  if (reportDir !== undefined) prepareDir(reportDir, '--report');

  const interrupt = interruptOnCtrlC();
  // one progress line for the whole sweep: replicates over all its pieces, the cell running named
  let label = '';
  const progress = progressPrinter(() => label, !values.quiet);
  let outcome;
  try {
    outcome = await runSweep(plan, {
      dir,
      resume: Boolean(values.resume),
      force: Boolean(values.force),
      workers,
      parallel: replicatePool,
      signal: interrupt.signal,
      onProgress(p) {
        label = `sweep${shard ? ` shard ${shard.index}/${shard.count}` : ''}, ${p.piece + 1}/${p.pieces} ${p.cell}`;
        progress.update(p);
      },
    });
  } finally {
    progress.done();
    interrupt.dispose();
  }
  printSweepSummary(outcome.summary, Boolean(values.json));
  if (outcome.aborted) {
    const again = `collapse-bench sweep ${gridPath}${shard ? ` --shard ${shard.index}/${shard.count}` : ''} --out ${dir ?? 'DIR'} --resume`;
    const finished = outcome.summary.cells.length - 1;
    process.stderr.write(`interrupted: ${finished} of ${plan.pieces.length} cells finished${dir !== undefined ? `, and the cut one's finished replicates are in ${dir}; continue with: ${again}` : ''}\n`);
    return EXIT_INTERRUPTED;
  }
  if (reportDir !== undefined) {
    // vega loads only now, when a report is asked for
    const { sweepSection, writeReport } = await import('./report.js');
    const written = await writeReport([], [], reportDir, '--report', (line) => process.stderr.write(values.quiet ? '' : `report: ${line}\n`), [sweepSection(plan.manifest, outcome.summary, dir ?? gridPath)]);
    process.stderr.write(values.quiet ? '' : `report: ${written.svgs.length} figures in ${reportDir}; open ${written.html}\n`);
  }
  return 0;
}

export function printSweepSummary(s: SweepSummary, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(s, null, 1) + '\n');
  else console.log(renderSweepSummary(s));
}
