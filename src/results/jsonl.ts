// A run as JSONL: one header line (config, environment, kernel build), then one
// line per replicate as it finishes, so that an interrupted run keeps what it
// did. `show` rebuilds the summary from the file alone.
import type { ReplicateRecord, RunHeader } from './types.js';
import { UsageError } from '../config/validate.js';

export function parseRunFile(text: string, source: string): { header: RunHeader; replicates: ReplicateRecord[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length) throw new UsageError(`${source}: empty file; expected a collapse-bench JSONL run`);
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new UsageError(`${source}:${i + 1}: not valid JSON`);
    }
  });
  const header = parsed[0] as RunHeader;
  if (header?.kind !== 'header' || header.tool !== 'collapse-bench') throw new UsageError(`${source}:1: not a collapse-bench run header`);
  if (header.format !== 1) throw new UsageError(`${source}:1: format ${header.format} is not supported; this version reads format 1`);
  const replicates = parsed.slice(1).map((r, i) => {
    if (r?.kind !== 'replicate' || typeof r.digest !== 'string') throw new UsageError(`${source}:${i + 2}: not a replicate record`);
    return r as ReplicateRecord;
  });
  return { header, replicates };
}
