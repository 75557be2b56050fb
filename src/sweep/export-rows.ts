// Results in long format for data frames: one row per (cell, replicate,
// metric, generation), with the cell's config as columns, streamed from the
// JSONL files in batches of columns (bounded memory whatever the file size).
// The writers (csv.ts, parquet.ts) take the batches.
import { readRunFile } from '../results/jsonl.js';
import type { RunHeader } from '../results/types.js';
import { familyOf } from '../families/index.js';
import { camel } from '../families/header.js';
import type { OptionSpec } from '../config/spec.js';
import { familyOfHeader } from '../families/header.js';

/** A column: its name and what its values are. */
export interface ExportColumn {
  name: string;
  type: 'int' | 'double' | 'boolean' | 'string';
}

/** A batch of rows, column by column (null: no value). */
export type ExportBatch = (number | string | boolean | null)[][];

export interface ExportSink {
  start(columns: ExportColumn[]): void;
  write(batch: ExportBatch, rows: number): void;
  finish(): void;
}

/** A JSONL file of one cell (or of one run: cell 0) and its config. */
export interface ExportSource {
  cell: number;
  path: string;
  config: Record<string, unknown>;
}

/** Rows per batch (a Parquet row group). */
export const EXPORT_BATCH_ROWS = 65_536;

/** Columns of every row beside the config's. */
const ROW_COLUMNS: ExportColumn[] = [
  { name: 'replicate', type: 'int' },
  { name: 'metric', type: 'string' },
  { name: 'generation', type: 'int' },
  { name: 'generation_samples', type: 'double' },
  { name: 'value', type: 'double' },
];

/** A config value as a cell of the table: scalars as they are, lists and objects as JSON. */
const configValue = (v: unknown): number | string | boolean | null => (v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as number | string | boolean));

/** A string column holds every value as text (a field that is a number in one cell and a string in another). */
const asType = (v: number | string | boolean | null, type: ExportColumn['type']) => (v !== null && type === 'string' ? String(v) : v);

/** The column type an option's field always has, so that files of different sweeps have the same schema (lists and matrices are JSON text). */
const OPTION_TYPE: Record<OptionSpec['kind'], ExportColumn['type']> = { int: 'int', number: 'double', flag: 'boolean', enum: 'string', seed: 'string', string: 'string', list: 'string', matrix: 'string' };

/** The type of a config field that is an option of a source's family, or undefined. */
function optionType(sources: ExportSource[], key: string): ExportColumn['type'] | undefined {
  for (const s of sources) {
    const spec = familyOf(String(s.config.family)).options.find((o) => camel(o.name) === key);
    if (spec) return OPTION_TYPE[spec.kind];
  }
  return undefined;
}

/**
 * The config columns: every field of any source's config, in first-seen
 * order. A field that is an option has its option's type (an integer
 * option int, a number option double, a seed text: whatever values this
 * sweep happens to hold); another field is int, double or boolean when every
 * source's value is, else string. Names that would clash with the row
 * columns get `config_`.
 */
export function configColumns(sources: ExportSource[]): (ExportColumn & { key: string })[] {
  const names: string[] = [];
  for (const s of sources) for (const k of Object.keys(s.config)) if (!names.includes(k)) names.push(k);
  const taken = new Set(['cell', ...ROW_COLUMNS.map((c) => c.name)]);
  return names.map((k) => {
    const values = sources.map((s) => configValue(s.config[k])).filter((v) => v !== null);
    const type: ExportColumn['type'] = optionType(sources, k) ?? (values.every((v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31)
      ? 'int'
      : values.every((v) => typeof v === 'number')
        ? 'double'
        : values.every((v) => typeof v === 'boolean')
          ? 'boolean'
          : 'string');
    return { key: k, name: taken.has(k) ? `config_${k}` : k, type };
  });
}

/** Streams every source's rows into the sink; returns the rows written and what the files' reading noted (a cut last line). */
export async function exportRows(sources: ExportSource[], sink: ExportSink): Promise<{ rows: number; notes: string[] }> {
  const config = configColumns(sources);
  const columns: ExportColumn[] = [{ name: 'cell', type: 'int' }, ...config.map(({ name, type }) => ({ name, type })), ...ROW_COLUMNS];
  sink.start(columns);
  const batch: ExportBatch = columns.map(() => new Array(EXPORT_BATCH_ROWS));
  let n = 0;
  let total = 0;
  const flush = () => {
    if (!n) return;
    sink.write(batch.map((col) => (col.length === n ? col : col.slice(0, n))), n);
    total += n;
    n = 0;
  };
  const notes: string[] = [];
  for (const s of sources) {
    const fixed = [s.cell, ...config.map((c) => asType(configValue(s.config[c.key]), c.type))];
    let header: RunHeader | undefined;
    const read = await readRunFile(s.path, familyOfHeader, 'export', (record, _bytes, h) => {
      header ??= h;
      for (const [metric, values] of Object.entries(record.metrics)) {
        for (let g = 0; g < values.length; g++) {
          for (let j = 0; j < fixed.length; j++) batch[j][n] = fixed[j];
          const v = values[g];
          const k = fixed.length;
          batch[k][n] = record.replicate;
          batch[k + 1][n] = metric;
          batch[k + 2][n] = header.recorded[g];
          batch[k + 3][n] = header.recordedSamples[g];
          batch[k + 4][n] = v === null || Number.isNaN(v) ? null : v;
          if (++n === EXPORT_BATCH_ROWS) flush();
        }
      }
    });
    notes.push(...read.notes);
    const { count } = read.builder;
    const planned = read.header.config.replicates;
    if (count < planned) notes.push(`${s.path}: ${count} of its ${planned} replicates (an interrupted run: --resume completes it)`);
  }
  flush();
  sink.finish();
  return { rows: total, notes };
}
