// A replicate line parsed from its bytes, without the line's string or an
// array of boxed numbers: a line of 10^5 generations x 8 metrics is ~10 MB of
// text and ~20 MB of parsed arrays, and a few of those waiting for the
// garbage collector were most of `show`'s memory. The metric arrays become
// Float64Arrays (NaN for null); the rest of the line (with "metrics":{}) goes
// through JSON.parse. Only the shape the writer produces (JSON.stringify of a
// ReplicateRecord) takes this path: anything else returns undefined and the
// caller parses the line with JSON.parse, so errors read the same.
import type { PackedRecord } from './types.js';

const PREFIX = Buffer.from('{"kind":"replicate",');
const KEY = Buffer.from('"metrics":{');
const METRICS = Buffer.from('"metrics"');
const BACKSLASH = 92;
const QUOTE = 34;

/** JSON's number grammar, whole. */
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** True for the bytes a JSON number may contain. */
function numberByte(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

/** The values of the metric being read, reused from metric to metric (it grows to the longest). */
let scratch = new Float64Array(1024);

function put(k: number, x: number): void {
  if (k === scratch.length) {
    const grown = new Float64Array(2 * k);
    grown.set(scratch);
    scratch = grown;
  }
  scratch[k] = x;
}

/**
 * Each metric's values, reused from line to line: the caller consumes a
 * record before it reads the next line, so a record's arrays are valid only
 * until then (and no line leaves megabytes of arrays to the collector).
 */
const kept = new Map<string, Float64Array>();

function keep(name: string, n: number): Float64Array {
  let a = kept.get(name);
  if (!a || a.length < n) kept.set(name, (a = new Float64Array(n)));
  a.set(scratch.subarray(0, n));
  return a.subarray(0, n);
}

/**
 * Parses a replicate line from its bytes; undefined when it is not the
 * writer's shape (then use JSON.parse). The metric arrays are overwritten by
 * the next call: consume the record first.
 */
export function parseRecordBytes(b: Buffer): PackedRecord | undefined {
  if (b.length < PREFIX.length || b.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0) return undefined;
  const at = b.indexOf(KEY);
  // no escape before the key: the key is not inside a string
  if (at < 0 || b.subarray(0, at).includes(BACKSLASH)) return undefined;
  const metrics: Record<string, Float64Array> = Object.create(null);
  let i = at + KEY.length;
  let n = 0;
  if (b[i] !== 125) {
    for (;;) {
      // "name":[
      if (b[i] !== QUOTE) return undefined;
      const nameEnd = b.indexOf(QUOTE, i + 1);
      if (nameEnd < 0) return undefined;
      const name = b.toString('latin1', i + 1, nameEnd);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name in metrics || b[nameEnd + 1] !== 58 || b[nameEnd + 2] !== 91) return undefined;
      i = nameEnd + 3;
      n = 0;
      if (b[i] !== 93) {
        for (;;) {
          if (b[i] === 110) {
            if (b[i + 1] !== 117 || b[i + 2] !== 108 || b[i + 3] !== 108) return undefined;
            put(n++, NaN);
            i += 4;
          } else {
            let j = i;
            while (j < b.length && numberByte(b[j])) j++;
            const text = b.toString('latin1', i, j);
            if (!NUMBER.test(text)) return undefined;
            put(n++, Number(text));
            i = j;
          }
          if (b[i] === 44) i++;
          else if (b[i] === 93) break;
          else return undefined;
        }
      }
      metrics[name] = keep(name, n);
      i++; // past ]
      if (b[i] === 44) i++;
      else if (b[i] === 125) break;
      else return undefined;
    }
  }
  i++; // past }
  // a second "metrics" key would win in JSON.parse
  if (b.subarray(i).indexOf(METRICS) >= 0) return undefined;
  let rest: unknown;
  try {
    rest = JSON.parse(b.toString('utf8', 0, at) + '"metrics":{}' + b.toString('utf8', i));
  } catch {
    return undefined;
  }
  const r = rest as PackedRecord;
  if (r === null || typeof r !== 'object' || typeof r.metrics !== 'object' || r.metrics === null || Object.keys(r.metrics).length) return undefined;
  r.metrics = { ...metrics };
  return r;
}
