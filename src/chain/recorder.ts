// Per-replicate bookkeeping every chain needs: metric values at the recorded
// generations, and the digest of the fitted parameters of every generation.
import { newHasher, hexDigest } from '../util/hash.js';
import type { ModelParams, SampleImages } from '../results/types.js';

/**
 * Metric values of one replicate, one slot per recorded generation. All
 * metrics share one Float64Array (metric after metric), so a worker thread
 * hands a whole record over by transferring one buffer.
 */
export class MetricTable {
  private readonly values: Record<string, Float64Array>;

  /** The fitted parameters per slot (`--params`); undefined when not kept. */
  private readonly params: (ModelParams | null)[] | undefined;

  constructor(
    readonly names: readonly string[],
    private readonly slots: number,
    keepParams = false,
  ) {
    const all = new Float64Array(names.length * slots);
    this.values = Object.fromEntries(names.map((m, k) => [m, all.subarray(k * slots, (k + 1) * slots)]));
    this.params = keepParams ? new Array<ModelParams | null>(slots).fill(null) : undefined;
  }

  /** True when the run keeps parameters: an adapter makes them only then (they cost copies). */
  get keepsParams(): boolean {
    return this.params !== undefined;
  }

  /** The fitted parameters of the model whose metrics are in slot `slot` (only when keepsParams). */
  setParams(slot: number, p: ModelParams): void {
    if (this.params) this.params[slot] = p;
  }

  /** A few images per slot (a family that draws images), made on the first setImages. */
  private images: (SampleImages | null)[] | undefined;

  /** Generation n's first images, for the slot of its metrics (not in the digest). */
  setImages(slot: number, images: SampleImages): void {
    (this.images ??= new Array<SampleImages | null>(this.slots).fill(null))[slot] = images;
  }

  /** The images per slot, or undefined when none were set. */
  imagesList(): (SampleImages | null)[] | undefined {
    return this.images;
  }

  /** The parameters per slot, or undefined when not kept. */
  paramsList(): (ModelParams | null)[] | undefined {
    return this.params;
  }

  set(name: string, slot: number, v: number): void {
    this.values[name][slot] = v;
  }

  /** Copies slot `from` into every later slot (a chain that stopped changing, e.g. absorbed). */
  fillFrom(from: number): void {
    for (const m of this.names) this.values[m].fill(this.values[m][from], from + 1);
    this.params?.fill(this.params[from], from + 1);
    this.images?.fill(this.images[from], from + 1);
  }

  /** Marks slot `from` and every later slot as missing (a chain that cannot go on). */
  fillMissing(from: number): void {
    for (const m of this.names) this.values[m].fill(NaN, from);
    this.params?.fill(null, from);
    this.images?.fill(null, from);
  }

  /**
   * The values for the record, handed over (the table is not used after):
   * views of one buffer, metric after metric in `names` order; non-finite
   * values become NaN, which stands for null.
   */
  toPacked(): Record<string, Float64Array> {
    for (const m of this.names) {
      const v = this.values[m];
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) v[i] = NaN;
    }
    return { ...this.values };
  }
}

/**
 * SHA-256 over the bits of each generation's fitted parameters, in order. The
 * values are gathered in a chunk and hashed a chunk at a time: per-generation
 * hashing calls would cost more than a small generation itself.
 */
export class TrajectoryHasher {
  private readonly hasher = newHasher();
  private readonly chunk: Float64Array;
  private used = 0;

  constructor(chunkDoubles = 1 << 12) {
    this.chunk = new Float64Array(chunkDoubles);
  }

  /** Adds the doubles of `values` (a view of kernel memory: copied or hashed now). */
  add(values: Float64Array): void {
    if (values.length <= this.chunk.length - this.used) {
      // the common case, without a subarray per generation
      this.chunk.set(values, this.used);
      this.used += values.length;
      if (this.used === this.chunk.length) this.flush();
      return;
    }
    // a view longer than what the chunk has left: what is gathered, then the view itself (the same bytes, in order)
    this.flush();
    if (values.length < this.chunk.length) {
      this.chunk.set(values);
      this.used = values.length;
    } else {
      this.hasher.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
  }

  digest(): string {
    this.flush();
    return hexDigest(this.hasher);
  }

  private flush(): void {
    if (this.used) this.hasher.update(new Uint8Array(this.chunk.buffer, 0, 8 * this.used));
    this.used = 0;
  }
}
