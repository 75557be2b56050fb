// SHA-256 in pure JavaScript (@noble/hashes), the same in every runtime and
// in browsers, incremental so that trajectories never need to be held whole.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type Hasher = ReturnType<typeof sha256.create>;

export const newHasher = (): Hasher => sha256.create();

export const hexDigest = (h: Hasher): string => bytesToHex(h.digest());

/** SHA-256 over a list of hex digests, as raw bytes, in order. */
export function combineDigests(hexes: string[]): string {
  const h = sha256.create();
  for (const x of hexes) h.update(Uint8Array.from(x.match(/../g)!.map((b) => parseInt(b, 16))));
  return bytesToHex(h.digest());
}
