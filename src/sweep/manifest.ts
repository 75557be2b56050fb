// The manifest of a sweep's directory: the grid, every cell with its config
// and config hash, the version and the kernel build. It is written before the
// first cell runs, has no time in it, and is the same bytes for an unsharded
// run and for a merge of shards. A shard's manifest is the same plus the
// shard and its pieces. Resume and merge compare manifests, never guess.
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

export interface ShardManifest extends SweepManifest {
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

export function shardManifest(m: SweepManifest, shard: Shard, pieces: Piece[]): ShardManifest {
  return { ...m, shard, pieces: pieces.map((p) => ({ ...p, file: cellFile(p.cell, m.cells.length, shard) })) };
}

/** The sweep manifest within a shard's (what every shard of one sweep shares). */
export function baseOf(m: SweepManifest | ShardManifest): SweepManifest {
  const { shard: _s, pieces: _p, ...base } = m as ShardManifest;
  return base;
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
  let m: SweepManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code ? `cannot read (${code})` : 'not valid JSON'}`);
  }
  if (m?.tool !== 'collapse-bench' || m.kind !== 'sweep' || !Array.isArray(m.cells)) throw new UsageError(`${path}: not a collapse-bench sweep manifest`);
  if (m.format !== 1) throw new UsageError(`${path}: manifest format ${m.format} is not supported; this version reads format 1`);
  return m;
}

/**
 * Why two manifests are not of one sweep (null when they are): another
 * version or kernel build, another grid, a cell's config. `a` and `b` name them.
 */
export function manifestMismatch(x: SweepManifest, y: SweepManifest, a: string, b: string): string | null {
  if (x.version !== y.version) return `${a} was written by collapse-bench ${x.version}, ${b} by ${y.version}; their replicates would not match`;
  if (canonicalJson(x.kernels) !== canonicalJson(y.kernels)) return `${a} and ${b} were run by different kernel builds (${canonicalJson(x.kernels).slice(0, 80)}... differs); their replicates would not match`;
  if (x.gridHash !== y.gridHash) return `${a} and ${b} are of different grids (grid hashes ${x.gridHash.slice(0, 12)} and ${y.gridHash.slice(0, 12)})`;
  if (x.cells.length !== y.cells.length) return `${a} has ${x.cells.length} cells, ${b} ${y.cells.length}`;
  const i = x.cells.findIndex((c, k) => c.configHash !== y.cells[k].configHash);
  if (i >= 0) return `cell ${i}'s config differs between ${a} and ${b} (hashes ${x.cells[i].configHash.slice(0, 12)} and ${y.cells[i].configHash.slice(0, 12)})`;
  return null;
}
