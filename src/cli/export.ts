// `collapse-bench export RUN.jsonl|DIR --format csv|parquet --out FILE`:
// one row per (cell, replicate, metric, generation), the cell's config as
// columns, for pandas, polars, R or DuckDB.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OptionSpec } from '../config/spec.js';
import { parseArgv } from '../config/argv.js';
import { parseOption } from '../config/validate.js';
import { UsageError } from '../util/errors.js';
import { readHeader } from '../results/jsonl.js';
import { familyOfHeader } from '../families/header.js';
import { MANIFEST, SUMMARY, readManifest } from '../sweep/manifest.js';
import { exportRows, type ExportSource } from '../sweep/export-rows.js';
import { csvSink } from '../sweep/csv.js';
import { parquetSink } from '../sweep/parquet.js';
import { optionsHelp } from './help.js';
import { VERSION } from '../version.js';
import { EXIT_INTERRUPTED } from './interrupt.js';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', kind: 'enum', values: ['csv', 'parquet'], default: 'csv', help: 'the file format' },
  { name: 'out', kind: 'string', help: 'the file to write', arg: 'FILE' },
  { name: 'force', kind: 'flag', help: '--out may overwrite an existing file' },
];

const USAGE = 'Usage: collapse-bench export RUN.jsonl|DIR --format csv|parquet --out FILE';

/** The files to export: a run's JSONL (cell 0), or every cell of a sweep's directory (its manifest.json). */
async function sourcesOf(input: string): Promise<ExportSource[]> {
  let dir: boolean;
  try {
    dir = statSync(input).isDirectory();
  } catch (e) {
    throw new UsageError(`export: cannot read ${input} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!dir) return [{ cell: 0, path: input, config: (await readHeader(input, 'export', familyOfHeader)).config as unknown as Record<string, unknown> }];
  const path = join(input, MANIFEST);
  if (!existsSync(path)) throw new UsageError(`export: ${input} has no ${MANIFEST}; give a sweep's --out directory (shards: merge them first) or a run's JSONL file`);
  const m = readManifest(path);
  if ('shard' in m) throw new UsageError(`export: ${path} is a shard's; merge the shards first`);
  // the summary is written last: without it some cells are missing or short
  if (!existsSync(join(input, SUMMARY))) throw new UsageError(`export: ${input} has no ${SUMMARY}: the sweep did not finish; complete it with its sweep command and --resume`);
  return m.cells.map((c) => ({ cell: c.index, path: join(input, c.file), config: c.config as unknown as Record<string, unknown> }));
}

export async function cmdExport(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(EXPORT_OPTIONS, argv, 'collapse-bench export --help');
  if (help) {
    console.log(`${USAGE}\n\nOne row per (cell, replicate, metric, generation) with the cell's config as columns (docs/sweeps.md, "Export").\n\nOptions:\n${optionsHelp(EXPORT_OPTIONS)}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`export: expected one RUN.jsonl or sweep directory\n${USAGE}`);
  const format = parseOption(EXPORT_OPTIONS[0], values.format ?? 'csv') as 'csv' | 'parquet';
  const out = values.out as string | undefined;
  if (out === undefined) throw new UsageError(`export: --out FILE is required\n${USAGE}`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a directory; give the file to write`);
  if (existsSync(out) && !values.force) throw new UsageError(`--out: ${out} exists; add --force to overwrite it`);
  const sources = await sourcesOf(positionals[0]);
  const target = resolve(out);
  if (sources.some((s) => resolve(s.path) === target) || resolve(positionals[0], MANIFEST) === target) {
    throw new UsageError(`--out: ${out} is one of the files being exported; write the export elsewhere`);
  }
  // written beside --out and renamed at the end: a failed or interrupted
  // export leaves no half file, and an existing --out stays until it succeeds
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const removePartial = () => rmSync(partial, { force: true });
  const onSigint = () => {
    removePartial();
    process.stderr.write(`\nexport: interrupted; ${out} not written\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  try {
    let sink;
    try {
      sink = format === 'csv' ? csvSink(partial) : parquetSink(partial, `collapse-bench ${VERSION}`);
    } catch (e) {
      throw new UsageError(`--out: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { rows, notes } = await exportRows(sources, sink);
    renameSync(partial, target);
    for (const n of notes) process.stderr.write(`warning: ${n}\n`);
    process.stderr.write(`export: ${rows} rows from ${sources.length} file${sources.length === 1 ? '' : 's'} into ${out}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    removePartial();
  }
}
