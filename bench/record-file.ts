// Where a benchmark record goes on disk (Node, Deno, Bun).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRecord } from './report.js';

export function writeRecord(path: string, record: BenchRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
}

/** bench/results/bench-<runtime>-<ISO timestamp, ':' replaced>.json, next to the sources. */
export function defaultResultPath(runtime: string, startedAt: string): string {
  const dir = new URL('../../bench/results/', import.meta.url);
  return fileURLToPath(new URL(`bench-${runtime}-${startedAt.replace(/:/g, '-')}.json`, dir));
}

