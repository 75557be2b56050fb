// CSV as RFC 4180 writes it: a header row, fields separated by commas, CRLF
// line ends, a field quoted (its quotes doubled) when it holds a comma, a
// quote, CR or LF. An empty field is no value; numbers are JavaScript's
// shortest round-trip text, so a reader gets the same doubles back.
import { openSync, writeSync, closeSync } from 'node:fs';
import type { ExportBatch, ExportColumn, ExportSink } from './export-rows.js';

export function csvField(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvSink(path: string): ExportSink {
  const fd = openSync(path, 'w');
  const put = (text: string) => {
    const bytes = Buffer.from(text);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  };
  return {
    start(columns: ExportColumn[]) {
      put(columns.map((c) => csvField(c.name)).join(',') + '\r\n');
    },
    write(batch: ExportBatch, rows: number) {
      const lines: string[] = new Array(rows);
      for (let i = 0; i < rows; i++) lines[i] = batch.map((col) => csvField(col[i])).join(',');
      put(lines.join('\r\n') + '\r\n');
    },
    finish() {
      closeSync(fd);
    },
  };
}
