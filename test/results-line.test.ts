// A replicate's line is written from its packed record without building the
// plain record: it must be byte for byte JSON.stringify of the plain record.
import { describe, expect, it } from 'vitest';
import { encodeRecordLine, LineBuffer, toPlainRecord } from '../src/results/record-line.js';
import { parseRecordBytes } from '../src/results/record-bytes.js';
import type { PackedRecord } from '../src/results/types.js';

const record = (finals?: PackedRecord['finals']): PackedRecord => ({
  kind: 'replicate',
  replicate: 41,
  digest: 'ab'.repeat(32),
  metrics: {
    sigma: Float64Array.from([1, 0.5, -0, 1e-7, 1.5e21, 123456789.125, NaN, 5e-324, -1.7976931348623157e308]),
    kl: Float64Array.from([NaN, 0, 2 / 3]),
    empty: new Float64Array(0),
  },
  ...(finals ? { finals } : {}),
  events: [{ kind: 'zero-variance', generation: 7, rank: 0 }],
});

describe('the line of a packed record', () => {
  it.each([
    ['without finals', record()],
    ['with finals (null included)', record({ absorptionGeneration: null, absorbingState: 3 })],
  ])('%s: equals JSON.stringify of the plain record, and reads back', (_, r) => {
    const out = new LineBuffer();
    encodeRecordLine(r, out);
    const line = out.bytes.toString('utf8', 0, out.length);
    expect(line).toBe(JSON.stringify(toPlainRecord(r)));
    expect(JSON.parse(line).metrics.sigma[6]).toBeNull();
    // the reader's byte path gives back what JSON.parse gives (NaN for null; JSON has no -0)
    const back = parseRecordBytes(Buffer.from(line));
    expect(back).toBeDefined();
    expect(Array.from(back!.metrics.sigma)).toEqual(JSON.parse(line).metrics.sigma.map((x: number | null) => x ?? NaN));
  });

  it('a long line (encoded metric by metric) equals JSON.stringify too', () => {
    const long = { ...record(), metrics: { a: Float64Array.from({ length: 40_000 }, (_, i) => (i % 7 ? i / 3 : NaN)), b: new Float64Array(3) } };
    const out = new LineBuffer();
    encodeRecordLine(long, out);
    expect(out.bytes.toString('utf8', 0, out.length)).toBe(JSON.stringify(toPlainRecord(long)));
  });

  it('a buffer reused for a shorter line holds only that line', () => {
    const out = new LineBuffer();
    encodeRecordLine({ ...record(), metrics: { x: new Float64Array(50_000).fill(0.25) } }, out);
    encodeRecordLine(record(), out);
    expect(out.bytes.toString('utf8', 0, out.length)).toBe(JSON.stringify(toPlainRecord(record())));
  });
});
