// Parquet through hyparquet-writer: pure JavaScript with one dependency (its
// reader, hyparquet), ES modules, Node 20, installed from npm with nothing
// to build or download (DuckDB's Node package ships a native binary of tens
// of MB; parquetjs forks carry thrift and more, and @dsnp/parquetjs needs
// Node 24). Each batch of rows is one row group written at once through its
// ParquetWriter and a file writer that flushes every MB, so memory stays bounded.
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { ExportBatch, ExportColumn, ExportSink } from './export-rows.js';

const PARQUET_TYPE = { int: 'INT32', double: 'DOUBLE', boolean: 'BOOLEAN', string: 'STRING' } as const;

/** The schema element of a column (every column optional: a value may be missing). */
function schemaElement(c: ExportColumn) {
  const base = { name: c.name, repetition_type: 'OPTIONAL' as const };
  if (c.type === 'string') return { ...base, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const };
  return { ...base, type: PARQUET_TYPE[c.type] as 'INT32' | 'DOUBLE' | 'BOOLEAN' };
}

export function parquetSink(path: string, createdBy: string): ExportSink {
  let writer: ParquetWriter | undefined;
  let columns: ExportColumn[] = [];
  return {
    start(cols) {
      columns = cols;
      writer = new ParquetWriter({
        writer: fileWriter(path),
        schema: [{ name: 'root', num_children: cols.length }, ...cols.map(schemaElement)],
        createdBy,
      });
    },
    write(batch: ExportBatch, rows: number) {
      void writer!.write({
        columnData: columns.map((c, j) => ({ name: c.name, data: batch[j], type: PARQUET_TYPE[c.type] })),
        rowGroupSize: rows,
      });
    },
    finish() {
      writer!.finish();
    },
  };
}
