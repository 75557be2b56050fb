// `collapse-bench sweep GRID.json`: every cell of a grid (or a shard's slice
// of them), each cell's replicates in the worker pool, one JSONL per cell in
// --out DIR with the manifest, and the summary table. Ctrl-C keeps what
// finished; --resume skips finished cells and continues a cut one.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from '../config/spec.js';
import { OUTPUT_OPTIONS, workersOption } from '../config/common.js';
import { parseArgv } from '../config/argv.js';
import { UsageError } from '../util/errors.js';
import { runSimulation } from '../runner/run.js';
import { threadPool, defaultWorkers } from '../runner/thread-pool.js';
import { familyOf, type RunConfig } from '../families/index.js';
import type { SummaryBuilder } from '../results/summary.js';
import { readRunFile } from '../results/jsonl.js';
import { OutFile, hasHeaderLine } from '../results/out-file.js';
import { kernelBuild } from '../kernels/backend.js';
import { VERSION } from '../version.js';
import { parseGridText } from '../sweep/grid.js';
import { cellName } from '../sweep/grid.js';
import { configHash, replicateCost, resolveGrid } from '../sweep/cells.js';
import { parseShard, shardPieces, type Shard } from '../sweep/shard.js';
import { baseOf, manifestFile, manifestMismatch, readManifest, shardManifest, sweepManifest, writeJsonFile, SUMMARY, type ShardManifest, type SweepManifest } from '../sweep/manifest.js';
import { cellSummary, renderSweepSummary, sweepSummary, type SweepCellSummary, type SweepSummary } from '../sweep/summary.js';
import { optionsHelp } from './help.js';
import { progressPrinter } from './progress.js';

const EXIT_INTERRUPTED = 130;

const option = (name: string) => OUTPUT_OPTIONS.find((s) => s.name === name)!;

export const SWEEP_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', help: 'write one JSONL per cell, manifest.json and summary.json into DIR (created if missing)', arg: 'DIR' },
  { name: 'resume', kind: 'flag', help: 'continue the sweep in --out DIR: finished cells are skipped, a cut one continues' },
  { name: 'force', kind: 'flag', help: '--out may overwrite a sweep already in DIR' },
  { name: 'shard', kind: 'string', help: 'run slice i of n of the cells x replicates (1 <= i <= n), balanced by estimated cost; join with merge', arg: 'i/n' },
  option('workers'),
  option('quiet'),
  { name: 'json', kind: 'flag', help: 'print the summary as one JSON object instead of the table' },
];

export const SWEEP_USAGE = 'Usage: collapse-bench sweep GRID.json|GRID.yaml [--out DIR] [--resume] [--workers N] [--shard i/n]';

/** The cell's JSONL path, and whether the file already holds a run to continue. */
async function openCellFile(path: string, resume: boolean): Promise<boolean> {
  return resume && existsSync(path) && (await hasHeaderLine(path));
}

export async function cmdSweep(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(SWEEP_OPTIONS, argv, 'collapse-bench sweep --help');
  if (help) {
    console.log(`${SWEEP_USAGE}\n\nRuns every cell of a grid (docs/sweeps.md: the grid format, the order of cells, shards, merge, export).\n\nOptions:\n${optionsHelp(SWEEP_OPTIONS)}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`sweep: expected exactly one grid file\n${SWEEP_USAGE}`);
  const gridPath = positionals[0];
  const dir = values.out as string | undefined;
  const resume = Boolean(values.resume);
  const force = Boolean(values.force);
  const quiet = Boolean(values.quiet);
  if (resume && dir === undefined) throw new UsageError('--resume: give the sweep\'s directory with --out DIR');
  if (resume && force) throw new UsageError('--force with --resume: resume continues the files, force would overwrite them; choose one');
  const workers = workersOption(values.workers) ?? defaultWorkers();
  const shard = values.shard === undefined ? undefined : parseShard(String(values.shard));

  // everything is checked before anything runs: the grid, every cell, the directory
  let text: string;
  try {
    text = readFileSync(gridPath, 'utf8');
  } catch (e) {
    throw new UsageError(`sweep: cannot read ${gridPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const grid = parseGridText(text, gridPath);
  const { family, cells, warnings } = resolveGrid(grid, gridPath);
  const costs = cells.map((c) => replicateCost(family, c.config));
  const pieces = shardPieces(
    cells.map((c, i) => ({ replicates: c.config.replicates, cost: costs[i] })),
    shard ?? { index: 1, count: 1 },
  );
  const base = sweepManifest(grid, cells, costs, VERSION, kernelBuild);
  const manifest: SweepManifest | ShardManifest = shard ? shardManifest(base, shard, pieces) : base;
  const fileOf = (cell: number) => (shard ? (manifest as ShardManifest).pieces.find((p) => p.cell === cell)!.file : base.cells[cell].file);
  if (dir !== undefined) prepareDirectory(dir, manifest, pieces.map((p) => fileOf(p.cell)), resume, force, shard);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\ninterrupt: stopping after the current generation (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const summaries: SweepCellSummary[] = [];
  let aborted = false;
  // one progress line for the whole sweep: replicates over all its pieces, the cell running named
  const total = pieces.reduce((t, p) => t + p.to - p.from, 0);
  let before = 0;
  let label = '';
  const started = Date.now();
  const progress = progressPrinter(() => label, !quiet);
  try {
    for (const [k, piece] of pieces.entries()) {
      const cell = cells[piece.cell];
      const path = dir === undefined ? undefined : join(dir, fileOf(piece.cell));
      let resumed: SummaryBuilder | undefined;
      let file: OutFile | undefined;
      if (path !== undefined && (await openCellFile(path, resume))) {
        const contents = await readRunFile(path, (h) => familyOf(h.config.family), '--resume');
        checkCellFile(path, contents.header.version, contents.header.config, cell.configHash);
        resumed = contents.builder;
        if (!hasAll(resumed, piece.from, piece.to)) file = OutFile.append(path, contents.completeBytes, contents.needsNewline);
      } else if (path !== undefined) file = OutFile.create(path, true);
      label = `sweep${shard ? ` shard ${shard.index}/${shard.count}` : ''}, ${k + 1}/${pieces.length} ${cellName(cell)}`;
      const already = resumed ? piece.to - piece.from - [...resumed.missing()].filter((r) => r >= piece.from && r < piece.to).length : 0;
      let summary;
      try {
        if (resumed && !file) summary = resumed.finish(null);
        else {
          const outcome = await runSimulation(cell.config as RunConfig, {
            signal: controller.signal,
            resume: resumed,
            only: { from: piece.from, to: piece.to },
            workers,
            parallel: threadPool,
            onStart(header) {
              if (file && !resumed) file.write(JSON.stringify(header));
            },
            onReplicate(record) {
              file?.writeRecord(record);
            },
            onProgress: (p) => progress.update({ ...p, done: before + already + p.done, total, elapsedMs: Date.now() - started }),
          });
          summary = outcome.summary;
          aborted = outcome.aborted;
        }
      } finally {
        file?.close();
      }
      before += piece.to - piece.from;
      summaries.push(cellSummary(base, piece.cell, summary, grid.report));
      if (aborted || controller.signal.aborted) {
        aborted = true;
        break;
      }
    }
  } finally {
    progress.done();
    process.off('SIGINT', onSigint);
  }
  const result = sweepSummary(base, summaries);
  printSweepSummary(result, Boolean(values.json));
  // the summary of the whole sweep, the same bytes as merge writes (a shard's is partial: merge writes it)
  if (dir !== undefined && !shard && !aborted) writeJsonFile(dir, SUMMARY, result);
  if (aborted) {
    const again = `collapse-bench sweep ${gridPath}${shard ? ` --shard ${shard.index}/${shard.count}` : ''} --out ${dir ?? 'DIR'} --resume`;
    process.stderr.write(`interrupted: ${summaries.length - 1} of ${pieces.length} cells finished${dir !== undefined ? `, and the cut one's finished replicates are in ${dir}; continue with: ${again}` : ''}\n`);
    return EXIT_INTERRUPTED;
  }
  return 0;
}

export function printSweepSummary(s: SweepSummary, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(s, null, 1) + '\n');
  else console.log(renderSweepSummary(s));
}

/** True when the builder holds every replicate of [from, to). */
function hasAll(b: SummaryBuilder, from: number, to: number): boolean {
  for (let r = from; r < to; r++) if (!b.has(r)) return false;
  return true;
}

/** A cell file to continue must be this cell's config and this version's. */
function checkCellFile(path: string, version: string, config: unknown, hash: string): void {
  if (version !== VERSION) throw new UsageError(`--resume: ${path} was written by collapse-bench ${version}, this is ${VERSION}; its replicates would not match, start the sweep again (--force)`);
  if (configHash(config) !== hash) throw new UsageError(`--resume: ${path} holds another config than the grid's cell (was the grid edited?); start again with --force, or restore the grid`);
}

/**
 * The directory of a sweep: created; a sweep already in it is refused unless
 * --resume (then it must be the same sweep: grid, cells, version) or --force.
 * Its manifest is written before any cell runs.
 */
function prepareDirectory(dir: string, manifest: SweepManifest | ShardManifest, files: string[], resume: boolean, force: boolean, shard: Shard | undefined): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out: cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const name = manifestFile(shard);
  const path = join(dir, name);
  if (existsSync(path)) {
    if (resume) {
      const why = manifestMismatch(baseOf(readManifest(path)), baseOf(manifest), path, 'this grid');
      if (why) throw new UsageError(`--resume: ${why}; resume with the grid the sweep started with, or start again with --force`);
    } else if (!force) throw new UsageError(`--out: ${dir} already holds a sweep (${name}); add --resume to continue it, or --force to start it again`);
  } else if (!resume && !force) {
    const taken = files.find((f) => existsSync(join(dir, f)));
    if (taken) throw new UsageError(`--out: ${join(dir, taken)} exists; add --force to overwrite it`);
  }
  writeJsonFile(dir, name, manifest);
}
