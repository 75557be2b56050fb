// Merging shards: every shard's manifest must be of one sweep (grid, cells,
// version, kernel build), and every (cell, replicate) must be in exactly one
// shard. The plan is pure (planMerge); mergeCell then copies each cell's
// records, piece after piece in replicate order, into one JSONL: the lines are
// the writer's bytes, so the merged file, its summary and its digest are an
// unsharded run's.
import { UsageError } from '../util/errors.js';
import { SummaryBuilder } from '../results/summary.js';
import { readRunFile } from '../results/jsonl.js';
import { OutFile } from '../results/out-file.js';
import type { RunHeader } from '../results/types.js';
import { familyOf } from '../families/index.js';
import { familyOfHeader } from '../families/header.js';
import { manifestMismatch, wholeManifest, type ShardManifest, type SweepManifest } from './manifest.js';
import { configHash } from './cells.js';

/** A shard's manifest as found, with the directory its files are in. */
export interface ShardSource {
  /** The manifest's path, for messages. */
  path: string;
  dir: string;
  manifest: SweepManifest | ShardManifest;
}

/** One piece to copy: a file holding replicates [from, to) of a cell. */
export interface MergePiece {
  dir: string;
  file: string;
  from: number;
  to: number;
  /** `shard 2/3` (or the manifest's path) in messages. */
  source: string;
}

const range = (from: number, to: number) => (to - from === 1 ? `replicate ${from}` : `replicates ${from}-${to - 1}`);
const shardName = (s: ShardSource) => ('shard' in s.manifest ? `shard ${s.manifest.shard.index}/${s.manifest.shard.count} (${s.path})` : s.path);

/** The pieces of a source: a shard's, or every cell whole for an unsharded sweep's directory. */
function piecesOf(s: ShardSource): { cell: number; from: number; to: number; file: string }[] {
  if ('pieces' in s.manifest) return s.manifest.pieces;
  return s.manifest.cells.map((c) => ({ cell: c.index, from: 0, to: c.config.replicates, file: c.file }));
}

/**
 * The sweep the shards make, and each cell's pieces in replicate order.
 * Refuses shards of different sweeps, and names what is missing or duplicated.
 */
export function planMerge(sources: ShardSource[]): { manifest: SweepManifest; cells: MergePiece[][] } {
  if (!sources.length) throw new UsageError('merge: no shard manifests (shard-I-of-N.json) in the directories given');
  const first = sources[0];
  for (const s of sources.slice(1)) {
    const why = manifestMismatch(first.manifest, s.manifest, first.path, s.path);
    if (why) throw new UsageError(`merge: ${why}`);
  }
  // shards missing by index, when all were cut the same way
  const counts = new Set(sources.map((s) => ('shard' in s.manifest ? s.manifest.shard.count : 0)));
  const n = counts.size === 1 ? [...counts][0] : 0;
  const present = new Set(sources.map((s) => ('shard' in s.manifest ? s.manifest.shard.index : 0)));
  const absent = n ? Array.from({ length: n }, (_, i) => i + 1).filter((i) => !present.has(i)) : [];
  const hint = absent.length ? ` (shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${n}`).join(', ')} not given)` : '';
  // each shard lists the cells it runs: together, the sweep's
  const manifest = wholeManifest(sources.map((s) => s.manifest));
  if ('missing' in manifest) throw new UsageError(`merge: cell ${manifest.missing}: its replicates are in no shard given${hint}`);
  if ('differs' in manifest) throw new UsageError(`merge: the cells' configs in the shards' manifests are not the sweep's (an edited manifest?); run those shards again`);
  const cells: MergePiece[][] = manifest.cells.map(() => []);
  for (const s of sources) {
    for (const p of piecesOf(s)) cells[p.cell].push({ dir: s.dir, file: p.file, from: p.from, to: p.to, source: shardName(s) });
  }
  cells.forEach((pieces, c) => {
    pieces.sort((a, b) => a.from - b.from || a.to - b.to);
    const R = manifest.cells[c].config.replicates;
    let next = 0;
    for (const p of pieces) {
      if (p.from < next) {
        const other = pieces.find((q) => q !== p && q.from < p.to && p.from < q.to)!;
        throw new UsageError(`merge: cell ${c}: ${range(Math.max(p.from, other.from), Math.min(p.to, other.to))} are in two shards: ${other.source} and ${p.source}`);
      }
      if (p.from > next) throw new UsageError(`merge: cell ${c}: ${range(next, p.from)} are in no shard given${hint}`);
      next = p.to;
    }
    if (next < R) throw new UsageError(`merge: cell ${c}: ${range(next, R)} are in no shard given${hint}`);
  });
  return { manifest, cells };
}

/**
 * Copies one cell's pieces into `out` (a new JSONL), checking that each file
 * is this cell's config and version and holds exactly its replicates; returns
 * the cell's summary builder, fed the same records.
 */
export async function mergeCell(m: SweepManifest, cell: number, pieces: MergePiece[], out: OutFile, join: (dir: string, file: string) => string): Promise<SummaryBuilder> {
  const c = m.cells[cell];
  let merged: SummaryBuilder | undefined;
  for (const p of pieces) {
    const path = join(p.dir, p.file);
    let next = p.from;
    const check = (h: RunHeader) => {
      if (h.version !== m.version) throw new UsageError(`merge: ${path} was written by collapse-bench ${h.version}, the sweep by ${m.version}`);
      if (configHash(h.config) !== c.configHash) throw new UsageError(`merge: ${path} holds another config than cell ${cell} of the sweep`);
      if (!merged) {
        merged = new SummaryBuilder(h, familyOf(h.config.family));
        out.write(JSON.stringify(h));
      }
    };
    const { header } = await readRunFile(path, familyOfHeader, 'merge', (record, bytes, h) => {
      if (next === p.from) check(h);
      if (record.replicate !== next) {
        const why = record.replicate < p.from || record.replicate >= p.to ? `replicate ${record.replicate} is outside its range ${p.from}-${p.to - 1}` : `replicate ${record.replicate} comes where ${next} should`;
        throw new UsageError(`merge: ${path}: ${why} (a file of another shard?)`);
      }
      next++;
      out.writeLine(bytes);
      merged!.add(record);
    });
    if (next === p.from) check(header);
    if (next < p.to) {
      throw new UsageError(`merge: ${path} has ${next - p.from} of its ${p.to - p.from} replicates (${p.from}-${p.to - 1}; ${range(next, p.to)} missing): ${p.source} did not finish; continue it with its sweep command and --resume`);
    }
  }
  return merged!;
}
