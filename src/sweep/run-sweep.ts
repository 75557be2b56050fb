// Running a sweep: its cells (or a shard's pieces of them) one after
// another, each cell's replicates through the runner (and its worker pool),
// each piece into its own JSONL in the directory, and the sweep's summary.
// The CLI (src/cli/sweep.ts) and the `reproduce` presets call it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { makeOutDirectory } from '../util/directories.js';
import { runSimulation, type Progress } from '../runner/run.js';
import type { ExecutorFactory } from '../runner/executor.js';
import { familyOf, type RunConfig } from '../families/index.js';
import { familyOfHeader } from '../families/header.js';
import type { SummaryBuilder } from '../results/summary.js';
import { readRunFile } from '../results/jsonl.js';
import { OutFile, hasHeaderLine } from '../results/out-file.js';
import { kernelBuild } from '../kernels/backend.js';
import { VERSION } from '../version.js';
import { cellName, parseGridText, type Grid } from './grid.js';
import { configHash, resolveGrid, type ResolvedCell } from './cells.js';
import { replicateCost } from './cost.js';
import { shardPieces, type Piece, type Shard } from './shard.js';
import { cellFile, manifestFile, manifestMismatch, readManifest, shardManifest, sweepManifest, writeJsonFile, SUMMARY, type ShardManifest, type SweepManifest } from './manifest.js';
import { cellSummary, sweepSummary, type SweepCellSummary, type SweepSummary } from './summary.js';

/** A grid checked whole, every cell resolved, ready to run (nothing has run). */
export interface PlannedSweep {
  grid: Grid;
  cells: ResolvedCell[];
  /** The warnings of the cells' resolve, each said once. */
  warnings: string[];
  manifest: SweepManifest;
  shard?: Shard;
  /** What this run does: every cell whole, or the shard's slice. */
  pieces: (Piece & { file: string })[];
}

/** Reads a grid file (JSON or YAML) and plans it; any bad input is a UsageError naming the file, the cell and the option. */
export function planSweepFile(path: string, shard?: Shard): PlannedSweep {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`sweep: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return planSweep(parseGridText(text, path), path, shard);
}

export function planSweep(grid: Grid, at: string, shard?: Shard): PlannedSweep {
  const { family, cells, warnings } = resolveGrid(grid, at);
  const costs = cells.map((c) => replicateCost(family, c.config));
  const slice = shardPieces(
    cells.map((c, i) => ({ replicates: c.config.replicates, cost: costs[i] })),
    shard ?? { index: 1, count: 1 },
  );
  const manifest = sweepManifest(grid, cells, costs, VERSION, kernelBuild);
  const pieces = slice.map((p) => ({ ...p, file: cellFile(p.cell, manifest.cells.length, shard) }));
  return { grid, cells, warnings, manifest, shard, pieces };
}

export interface SweepProgress extends Progress {
  /** The piece running (0-based) and how many there are. */
  piece: number;
  pieces: number;
  cell: string;
}

export interface SweepHooks {
  /** The directory of the files (none: nothing is written). */
  dir?: string;
  /** Continue the sweep in `dir`: finished pieces are skipped, a cut one continues. */
  resume?: boolean;
  /** Overwrite a sweep already in `dir`. */
  force?: boolean;
  workers?: number;
  parallel?: ExecutorFactory;
  signal?: AbortSignal;
  onProgress?(p: SweepProgress): void;
  /**
   * How the caller's command starts the sweep again, for the messages that
   * refuse to resume (default: sweep's "start again with --force"; reproduce
   * has no --force).
   */
  restart?: string;
}

export interface SweepOutcome {
  summary: SweepSummary;
  /** True when the signal stopped it: the summary has the pieces run so far, the last one cut. */
  aborted: boolean;
}

/**
 * Runs a planned sweep. With a directory: its manifest first (checked
 * against the one there when resuming), then a JSONL per piece, and at the
 * end of an unsharded sweep summary.json (a shard's summary is partial: merge writes the whole one).
 */
export async function runSweep(plan: PlannedSweep, hooks: SweepHooks = {}): Promise<SweepOutcome> {
  const { dir, resume = false, force = false, restart = 'start again with --force' } = hooks;
  const { manifest, pieces, shard, cells } = plan;
  if (resume && dir === undefined) throw new UsageError("--resume: give the sweep's directory with --out DIR");
  if (resume && force) throw new UsageError('--force with --resume: resume continues the files, force would overwrite them; choose one');
  if (dir !== undefined) prepareDirectory(dir, shard ? shardManifest(manifest, shard, pieces) : manifest, pieces.map((p) => p.file), resume, force, shard, restart);

  const summaries: SweepCellSummary[] = [];
  let aborted = false;
  const total = pieces.reduce((t, p) => t + p.to - p.from, 0);
  const costOf = (p: Piece) => manifest.cells[p.cell].cost;
  const workTotal = pieces.reduce((t, p) => t + (p.to - p.from) * costOf(p), 0);
  let before = 0;
  let workBefore = 0;
  // the work the files held when this session started (finished and cut pieces come first)
  let workAtStart = 0;
  const started = Date.now();
  for (const [k, piece] of pieces.entries()) {
    const cell = cells[piece.cell];
    const path = dir === undefined ? undefined : join(dir, piece.file);
    let resumed: SummaryBuilder | undefined;
    let file: OutFile | undefined;
    if (path !== undefined && resume && existsSync(path) && (await hasHeaderLine(path))) {
      const contents = await readRunFile(path, (h) => familyOfHeader(h, true), '--resume');
      checkCellFile(path, contents.header.version, contents.header.config, cell.configHash, restart);
      resumed = contents.builder;
      if (!holdsAll(resumed, piece)) file = OutFile.append(path, contents.completeBytes, contents.needsNewline);
    } else if (path !== undefined) file = OutFile.create(path, true);
    const already = resumed ? countHeld(resumed, piece) : 0;
    const cost = costOf(piece);
    workAtStart += already * cost;
    let summary;
    try {
      if (resumed && !file) summary = resumed.finish(null);
      else {
        const outcome = await runSimulation(cell.config as RunConfig, {
          signal: hooks.signal,
          resume: resumed,
          only: { from: piece.from, to: piece.to },
          workers: hooks.workers,
          parallel: hooks.parallel,
          onStart(header) {
            if (file && !resumed) file.write(JSON.stringify(header));
          },
          onReplicate(record) {
            file?.writeRecord(record);
          },
          onProgress: (p) =>
            hooks.onProgress?.({
              ...p,
              done: before + already + p.done,
              total,
              elapsedMs: Date.now() - started,
              work: { done: workBefore + (already + p.done + p.partial) * cost, total: workTotal, atStart: workAtStart },
              piece: k,
              pieces: pieces.length,
              cell: cellName(cell),
            }),
        });
        summary = outcome.summary;
        aborted = outcome.aborted;
      }
    } finally {
      file?.close();
    }
    before += piece.to - piece.from;
    workBefore += (piece.to - piece.from) * cost;
    summaries.push(cellSummary(manifest, piece.cell, summary, plan.grid.report));
    if (aborted || hooks.signal?.aborted) {
      aborted = true;
      break;
    }
  }
  const summary = sweepSummary(manifest, summaries);
  if (dir !== undefined && !shard && !aborted) writeJsonFile(dir, SUMMARY, summary);
  return { summary, aborted };
}

function countHeld(b: SummaryBuilder, p: Piece): number {
  let n = 0;
  for (let r = p.from; r < p.to; r++) if (b.has(r)) n++;
  return n;
}

const holdsAll = (b: SummaryBuilder, p: Piece): boolean => countHeld(b, p) === p.to - p.from;

/** A cell file to continue must be this cell's config and this version's. */
function checkCellFile(path: string, version: string, config: unknown, hash: string, restart: string): void {
  if (version !== VERSION) throw new UsageError(`--resume: ${path} was written by collapse-bench ${version}, this is ${VERSION}; its replicates would not match, ${restart}`);
  if (configHash(config) !== hash) throw new UsageError(`--resume: ${path} holds another config than the grid's cell (was the grid edited?); ${restart}, or restore the grid`);
}

/**
 * The directory of a sweep: created; a sweep already in it is refused unless
 * --resume (then it must be the same sweep: grid, cells, version) or --force.
 * Its manifest is written before any cell runs.
 */
function prepareDirectory(dir: string, manifest: SweepManifest | ShardManifest, files: string[], resume: boolean, force: boolean, shard: Shard | undefined, restart: string): void {
  makeOutDirectory(dir);
  const name = manifestFile(shard);
  const path = join(dir, name);
  if (existsSync(path)) {
    if (resume) {
      const why = manifestMismatch(readManifest(path), manifest, path, 'this grid');
      if (why) throw new UsageError(`--resume: ${why}; resume with the grid the sweep started with, or ${restart}`);
    } else if (!force) throw new UsageError(`--out: ${dir} already holds a sweep (${name}); add --resume to continue it, or --force to start it again`);
  } else if (!resume && !force) {
    const taken = files.find((f) => existsSync(join(dir, f)));
    if (taken) throw new UsageError(`--out: ${join(dir, taken)} exists; add --force to overwrite it`);
  }
  writeJsonFile(dir, name, manifest);
}
