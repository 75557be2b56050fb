// Where a benchmark's JSON record goes on disk (Node, Deno, Bun): bench,
// bench:peers and bench:workers write one file per run, named by its start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export function writeRecord(path: string, record: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
}

/** bench/results/<name>-<ISO timestamp, ':' replaced>.json, next to the sources. */
export function resultPath(name: string, startedAt: string): string {
  const dir = new URL('../../bench/results/', import.meta.url);
  return fileURLToPath(new URL(`${name}-${startedAt.replace(/:/g, '-')}.json`, dir));
}

