// A replicate's JSONL line from its packed record, byte for byte what
// JSON.stringify gives for the plain record (numbers as Number#toString, null
// for NaN), written into a buffer reused from line to line: a line of 10^5
// generations x 8 metrics is ~16 MB, and neither a string of it nor arrays of
// boxed numbers are ever made.
import type { PackedRecord, ReplicateRecord } from './types.js';

/** The plain record (arrays with null), for callers that keep records (tests, small runs). */
export function toPlainRecord(r: PackedRecord): ReplicateRecord {
  const metrics: Record<string, (number | null)[]> = {};
  for (const [name, values] of Object.entries(r.metrics)) metrics[name] = Array.from(values, (x) => (Number.isNaN(x) ? null : x));
  return { ...r, metrics };
}

/** A growable byte buffer that a line is encoded into. */
export class LineBuffer {
  bytes = Buffer.allocUnsafe(1 << 12);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.length + n, 2 * this.bytes.length));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** Appends text as UTF-8. */
  put(text: string): void {
    const n = Buffer.byteLength(text);
    this.room(n);
    this.length += this.bytes.write(text, this.length);
  }
}

/** Values per line below which JSON.stringify of the plain record is the faster way (and its garbage small). */
const LONG_LINE_VALUES = 1 << 15;

/** Values per piece of a long line, and the array the piece is joined from (reused). */
const CHUNK_VALUES = 4096;
const parts: string[] = [];

/** Encodes the line of `r` (without the newline) into `out`, after clearing it. */
export function encodeRecordLine(r: PackedRecord, out: LineBuffer): void {
  out.length = 0;
  let values = 0;
  for (const m of Object.values(r.metrics)) values += m.length;
  if (values < LONG_LINE_VALUES) return out.put(JSON.stringify(toPlainRecord(r)));
  // the key order of the record the engine makes: kind, replicate, digest, metrics, finals?, events, params?, images?
  out.put(`{"kind":${JSON.stringify(r.kind)},"replicate":${JSON.stringify(r.replicate)},"digest":${JSON.stringify(r.digest)},"metrics":{`);
  let first = true;
  for (const [name, m] of Object.entries(r.metrics)) {
    out.put(`${first ? '' : ','}${JSON.stringify(name)}:[`);
    // a few thousand values per string: a string of a whole metric (a chain of
    // 10^5 concatenations) left megabytes of garbage per line, which piled up
    // when records arrive as fast as worker threads make them
    for (let i = 0; i < m.length; i += CHUNK_VALUES) {
      const n = Math.min(CHUNK_VALUES, m.length - i);
      parts.length = n;
      for (let j = 0; j < n; j++) parts[j] = Number.isNaN(m[i + j]) ? 'null' : String(m[i + j]);
      out.put((i ? ',' : '') + parts.join(','));
    }
    out.put(']');
    first = false;
  }
  out.put('}');
  if (r.finals !== undefined) out.put(`,"finals":${JSON.stringify(r.finals)}`);
  out.put(`,"events":${JSON.stringify(r.events)}`);
  if (r.params !== undefined) out.put(`,"params":${JSON.stringify(r.params)}`);
  if (r.images !== undefined) out.put(`,"images":${JSON.stringify(r.images)}`);
  out.put('}');
}
