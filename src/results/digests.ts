// Replicate digests held as 32 raw bytes each at their replicate index (32 MB
// for 10^6 replicates, not 10^6 hex strings), combined at the end exactly as
// combineDigests() does: SHA-256 over the present digests in replicate order.
import { hexToBytes } from '@noble/hashes/utils.js';
import { hexDigest, newHasher } from '../util/hash.js';

export class DigestStore {
  private readonly bytes: Uint8Array;
  private readonly present: Uint8Array;
  private n = 0;

  constructor(readonly replicates: number) {
    this.bytes = new Uint8Array(32 * replicates);
    this.present = new Uint8Array(replicates);
  }

  has(r: number): boolean {
    return this.present[r] === 1;
  }

  get count(): number {
    return this.n;
  }

  set(r: number, hex: string): void {
    if (this.present[r]) throw new Error(`replicate ${r} twice`);
    this.bytes.set(hexToBytes(hex), 32 * r);
    this.present[r] = 1;
    this.n++;
  }

  /** Replicate indices in [0, replicates) not present yet, in order. */
  *missing(): Generator<number> {
    for (let r = 0; r < this.replicates; r++) if (!this.present[r]) yield r;
  }

  combined(): string {
    const h = newHasher();
    for (let r = 0; r < this.replicates; r++) if (this.present[r]) h.update(this.bytes.subarray(32 * r, 32 * r + 32));
    return hexDigest(h);
  }
}
