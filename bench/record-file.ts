// Where a benchmark's JSON record goes on disk (Node, Deno, Bun): bench,
// bench:peers and bench:workers write one file per run, named by its start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function writeRecord(path: string, record: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
}

/**
 * bench/results/<name>-<ISO timestamp, ':' replaced>.json, next to the
 * sources; in $COLLAPSE_BENCH_RESULTS instead when it is set (the tests'
 * smoke runs write to a temporary directory).
 */
export function resultPath(name: string, startedAt: string): string {
  const file = `${name}-${startedAt.replace(/:/g, '-')}.json`;
  const elsewhere = globalThis.process?.env?.COLLAPSE_BENCH_RESULTS;
  if (elsewhere) return join(elsewhere, file);
  return fileURLToPath(new URL(file, new URL('../../bench/results/', import.meta.url)));
}


/**
 * The end of a bench:peers or bench:workers run: prints the load it ran under
 * (1-minute averages at the start and the end: a shared machine's times are
 * upper bounds) and writes its record to a file of its own, named by its start
 * (an --only run does not overwrite a whole one).
 */
export function writeRunRecord(name: string, startedAt: string, loadStart: number, record: { env: unknown; rounds: number; results: unknown[] }): void {
  const load = { start: loadStart, end: loadavg()[0] };
  console.log(`load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end`);
  const file = resultPath(name, startedAt);
  writeRecord(file, { env: record.env, rounds: record.rounds, date: new Date().toISOString(), loadAverage: load, results: record.results });
  console.log(`written ${file}`);
}
