// The manifest of a sweep's directory: the grid, every cell with its config
// and config hash, the version and the kernel build. It is written before the
// first cell runs, has no time in it, and is the same bytes for an unsharded
// run and for a merge of shards. A shard's manifest lists only the cells it
// runs (a whole copy per shard came to 531 MB for a 90,000-cell grid, in each
// of 1,000 shards), with the hash of every cell's config hash in order and the
// cell count, so that resume and merge still compare whole sweeps; the shards
// of a sweep list every cell between them (each cell has a replicate in some
// shard), from which merge puts the whole manifest together. Resume and merge
// compare manifests, never guess.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import type { RunConfig } from '../families/index.js';
import type { Grid, GridValue } from './grid.js';
import type { ResolvedCell } from './cells.js';
import { shardTag, type Piece, type Shard } from './shard.js';
import { canonicalJson, configHash } from './cells.js';

export interface ManifestCell {
  index: number;
  /** The swept options' values. */
  varied: Record<string, GridValue>;
  /** The resolved config (the JSONL header's). */
  config: RunConfig;
  configHash: string;
  /** Estimated cost of one replicate (src/sweep/shard.ts). */
  cost: number;
  /** The cell's JSONL file in the directory of an unsharded run or a merge. */
  file: string;
}

export interface SweepManifest {
  tool: 'collapse-bench';
  kind: 'sweep';
  format: 1;
  version: string;
  kernels: unknown;
  /** SHA-256 of the grid as canonical JSON. */
  gridHash: string;
  grid: Grid;
  cells: ManifestCell[];
}

/** A shard's manifest: the sweep's, with `cells` only those the shard runs (in index order). */
export interface ShardManifest extends SweepManifest {
  /** The sweep's cells. */
  cellCount: number;
  /** cellsHash of the sweep's cells. */
  cellsHash: string;
  shard: Shard;
  /** What this shard runs: a range of replicates of some cells, each in its own file. */
  pieces: (Piece & { file: string })[];
}

export const MANIFEST = 'manifest.json';
export const SUMMARY = 'summary.json';

/** A cell's file: `cell-007.jsonl`, or `cell-007.shard-2-of-8.jsonl` for a shard's piece of it. */
export function cellFile(index: number, count: number, shard?: Shard): string {
  const digits = Math.max(3, String(count - 1).length);
  return `cell-${String(index).padStart(digits, '0')}${shard ? '.' + shardTag(shard) : ''}.jsonl`;
}

/** The manifest file of a shard (or of the whole sweep). */
export const manifestFile = (shard?: Shard): string => (shard ? `${shardTag(shard)}.json` : MANIFEST);

export function sweepManifest(grid: Grid, cells: ResolvedCell[], costs: number[], version: string, kernels: unknown): SweepManifest {
  return {
    tool: 'collapse-bench',
    kind: 'sweep',
    format: 1,
    version,
    kernels,
    gridHash: configHash(grid),
    grid,
    cells: cells.map((c, i) => ({ index: c.index, varied: c.varied, config: c.config, configHash: c.configHash, cost: costs[i], file: cellFile(c.index, cells.length) })),
  };
}

/** SHA-256 of the cells' config hashes in order: one sweep's cells, whether a manifest lists them all or not. */
export const cellsHash = (cells: readonly ManifestCell[]): string => configHash(cells.map((c) => c.configHash));

const isShard = (m: SweepManifest | ShardManifest): m is ShardManifest => 'shard' in m;
const cellCountOf = (m: SweepManifest | ShardManifest): number => (isShard(m) ? m.cellCount : m.cells.length);
/** A whole sweep's cells hash, worked out once per manifest (a merge compares every shard with the first). */
const wholeCellsHash = new WeakMap<SweepManifest, string>();
function cellsHashOf(m: SweepManifest | ShardManifest): string {
  if (isShard(m)) return m.cellsHash;
  let h = wholeCellsHash.get(m);
  if (h === undefined) wholeCellsHash.set(m, (h = cellsHash(m.cells)));
  return h;
}

export function shardManifest(m: SweepManifest, shard: Shard, pieces: Piece[]): ShardManifest {
  const runs = new Set(pieces.map((p) => p.cell));
  return {
    ...m,
    cells: m.cells.filter((c) => runs.has(c.index)),
    cellCount: m.cells.length,
    cellsHash: cellsHash(m.cells),
    shard,
    pieces: pieces.map((p) => ({ ...p, file: cellFile(p.cell, m.cells.length, shard) })),
  };
}

/**
 * The whole sweep's manifest from manifests of one sweep (checked by
 * manifestMismatch) that list its cells between them: what an unsharded run
 * writes, the same bytes. Else a cell none of them lists, or (edited files)
 * cells whose config hashes are not the sweep's.
 */
export function wholeManifest(parts: readonly (SweepManifest | ShardManifest)[]): SweepManifest | { missing: number } | { differs: true } {
  const { tool, kind, format, version, kernels, gridHash, grid } = parts[0];
  const cells: ManifestCell[] = new Array(cellCountOf(parts[0]));
  for (const m of parts) for (const c of m.cells) cells[c.index] ??= c;
  for (let i = 0; i < cells.length; i++) if (!cells[i]) return { missing: i };
  if (cellsHash(cells) !== cellsHashOf(parts[0])) return { differs: true };
  return { tool, kind, format, version, kernels, gridHash, grid, cells };
}

/** Written whole or not at all (a temporary file renamed). */
export function writeJsonFile(dir: string, name: string, value: unknown): void {
  const path = join(dir, name);
  try {
    writeFileSync(path + '.tmp', JSON.stringify(value, null, 1) + '\n');
    renameSync(path + '.tmp', path);
  } catch (e) {
    throw new UsageError(`--out: cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function readManifest(path: string): SweepManifest | ShardManifest {
  let m: SweepManifest | ShardManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code ? `cannot read (${code})` : 'not valid JSON'}`);
  }
  if (m?.tool !== 'collapse-bench' || m.kind !== 'sweep' || !Array.isArray(m.cells)) throw new UsageError(`${path}: not a collapse-bench sweep manifest`);
  if (m.format !== 1) throw new UsageError(`${path}: manifest format ${m.format} is not supported; this version reads format 1`);
  if (isShard(m)) {
    if (!Array.isArray(m.pieces)) throw new UsageError(`${path}: a shard manifest without its pieces`);
    // an earlier build's shard manifest lists every cell
    if (m.cellsHash === undefined) Object.assign(m, { cellCount: m.cells.length, cellsHash: cellsHash(m.cells) });
  }
  return m;
}

/**
 * Why two manifests (a sweep's or a shard's) are not of one sweep (null when
 * they are): another version or kernel build, another grid, a cell's config.
 * `a` and `b` name them.
 */
export function manifestMismatch(x: SweepManifest | ShardManifest, y: SweepManifest | ShardManifest, a: string, b: string): string | null {
  if (x.version !== y.version) return `${a} was written by collapse-bench ${x.version}, ${b} by ${y.version}; their replicates would not match`;
  if (canonicalJson(x.kernels) !== canonicalJson(y.kernels)) return `${a} and ${b} were run by different kernel builds (${canonicalJson(x.kernels).slice(0, 80)}... differs); their replicates would not match`;
  if (x.gridHash !== y.gridHash) return `${a} and ${b} are of different grids (grid hashes ${x.gridHash.slice(0, 12)} and ${y.gridHash.slice(0, 12)})`;
  if (cellCountOf(x) !== cellCountOf(y)) return `${a} has ${cellCountOf(x)} cells, ${b} ${cellCountOf(y)}`;
  // a cell both list, named; else the cells one of them does not list differ
  const theirs = new Map(y.cells.map((c) => [c.index, c.configHash]));
  const c = x.cells.find((c) => theirs.has(c.index) && theirs.get(c.index) !== c.configHash);
  if (c) return `cell ${c.index}'s config differs between ${a} and ${b} (hashes ${c.configHash.slice(0, 12)} and ${theirs.get(c.index)!.slice(0, 12)})`;
  const [hx, hy] = [cellsHashOf(x), cellsHashOf(y)];
  if (hx !== hy) return `the cells' configs differ between ${a} and ${b} (cells hashes ${hx.slice(0, 12)} and ${hy.slice(0, 12)})`;
  return null;
}
