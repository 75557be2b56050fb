// SHA-256, incremental so that trajectories never need to be held whole: the
// runtime's native one where it has one (Node, Deno and Bun have node:crypto,
// about ten times faster: at K = 1000 states a categorical chain spent most
// of its time hashing), else @noble/hashes in pure JavaScript (browsers).
// Both are SHA-256: the digests are the same bits.
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

type NodeCrypto = { createHash(algorithm: 'sha256'): Hasher };

// a module without node:crypto (a browser) rejects the import: the JavaScript one serves
const native = (await import('node:crypto').catch(() => null)) as NodeCrypto | null;
// loaded only where it serves: parsing it cost every Node run (and worker thread) about 15 ms
const portable = native ? null : (await import('@noble/hashes/sha2.js')).sha256;

export const newHasher = (): Hasher => (native ? native.createHash('sha256') : portable!.create());

export const hexDigest = (h: Hasher): string => Array.from(h.digest(), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 over a list of hex digests, as raw bytes, in order. */
export function combineDigests(hexes: string[]): string {
  const h = newHasher();
  for (const x of hexes) h.update(Uint8Array.from(x.match(/../g)!.map((b) => parseInt(b, 16))));
  return hexDigest(h);
}
