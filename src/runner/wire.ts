// A replicate's record as it crosses to another thread (a Node worker thread,
// src/runner/replicate-worker.ts, or a Web Worker, src/runner/replicate-server.ts):
// its metric arrays as one Float64Array, transferred, never copied or sent as
// JSON. Both pools pack and unpack with these two functions.
import type { ModelParams, PackedRecord, ReplicateEvent, SampleImages } from '../results/types.js';

/** A record on the wire: the metric arrays as one buffer, metric after metric in `names` order. */
export interface WireRecord {
  replicate: number;
  digest: string;
  names: string[];
  values: Float64Array;
  finals?: Record<string, number | null>;
  events: ReplicateEvent[];
  /** `--params`: the fitted models (structured-cloned; small beside the metrics). */
  params?: (ModelParams | null)[];
  /** A few images per recorded generation (vae's --grid-samples; a few KB). */
  images?: (SampleImages | null)[];
}

/** The metric arrays as one Float64Array: MetricTable's own buffer when its views cover it in order, else a copy. */
function packed(arrays: Float64Array[]): Float64Array {
  const n = arrays.reduce((sum, a) => sum + a.length, 0);
  let at = 0;
  const whole = arrays.length > 0 && arrays.every((a) => a.buffer === arrays[0].buffer && a.byteOffset === 8 * at && ((at += a.length), true)) && arrays[0].buffer.byteLength === 8 * n;
  if (whole) return new Float64Array(arrays[0].buffer);
  const out = new Float64Array(n);
  at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The engine's record for the wire; transfer `values.buffer` with it. */
export function toWire(record: PackedRecord): WireRecord {
  const values = packed(Object.values(record.metrics));
  return { replicate: record.replicate, digest: record.digest, names: Object.keys(record.metrics), values, ...(record.finals ? { finals: record.finals } : {}), events: record.events, ...(record.params ? { params: record.params } : {}), ...(record.images ? { images: record.images } : {}) };
}

/** The record as the engine made it, its metrics views of the transferred buffer (key order as the engine's, so the JSONL bytes match). */
export function fromWire(w: WireRecord): PackedRecord {
  const slots = w.names.length ? w.values.length / w.names.length : 0;
  const metrics = Object.fromEntries(w.names.map((m, k) => [m, w.values.subarray(k * slots, (k + 1) * slots)]));
  return { kind: 'replicate', replicate: w.replicate, digest: w.digest, metrics, ...(w.finals ? { finals: w.finals } : {}), events: w.events, ...(w.params ? { params: w.params } : {}), ...(w.images ? { images: w.images } : {}) };
}
