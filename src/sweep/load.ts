// A finished sweep read back from its directory (an unsharded run's or a
// merge's): the manifest (grid, cells, configs) and summary.json (per cell,
// the swept options and the last generation's metrics beside the theory).
// This is what figures of a sweep start from (the `report` command): a metric
// against a swept option, one line per other option, or a heatmap of two.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { MANIFEST, SUMMARY, readManifest, type SweepManifest } from './manifest.js';
import type { SweepSummary } from './summary.js';

export function readSweep(dir: string): { manifest: SweepManifest; summary: SweepSummary } {
  const manifest = readManifest(join(dir, MANIFEST));
  if ('shard' in manifest) throw new UsageError(`${dir}: a shard's directory; merge the shards first`);
  let summary: SweepSummary;
  try {
    summary = JSON.parse(readFileSync(join(dir, SUMMARY), 'utf8'));
  } catch (e) {
    throw new UsageError(`${join(dir, SUMMARY)}: ${(e as NodeJS.ErrnoException).code ? 'missing: the sweep did not finish (resume it) or was not merged' : 'not valid JSON'}`);
  }
  if (summary?.kind !== 'sweep-summary' || summary.gridHash !== manifest.gridHash) throw new UsageError(`${join(dir, SUMMARY)}: not the summary of this directory's sweep`);
  return { manifest, summary };
}
