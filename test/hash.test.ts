// The digest's SHA-256 is the runtime's native one where it exists and the
// pure-JavaScript one elsewhere (browsers): both must give the same bits,
// whatever the chunking of the input.
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { combineDigests, hexDigest, newHasher } from '../src/util/hash.js';
import { TrajectoryHasher } from '../src/chain/recorder.js';

describe('SHA-256 of the digests', () => {
  it('the hasher in use equals the JavaScript SHA-256, in any chunks, and is native in Node', () => {
    const data = Uint8Array.from({ length: 200_003 }, (_, i) => (Math.imul(i, 2654435761) >>> 24) & 255);
    for (const chunk of [1, 63, 64, 65, 4096, 200_003]) {
      const ours = newHasher();
      for (let i = 0; i < data.length; i += chunk) ours.update(data.subarray(i, i + chunk));
      expect(hexDigest(ours)).toBe(bytesToHex(sha256(data)));
    }
    expect(newHasher().constructor.name).toBe('Hash'); // node:crypto's
  });

  it('the trajectory hasher digests the doubles added, in order, however they are split (gathered in its chunk or hashed as they come)', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1e3);
    const whole = bytesToHex(sha256(new Uint8Array(values.buffer)));
    // lengths below, at and above the chunk (8 doubles), and views at an offset into a larger buffer
    for (const sizes of [[1], [7], [8], [9], [3, 20, 1], [100, 2, 8, 8, 30]]) {
      const h = new TrajectoryHasher(8);
      for (let at = 0, k = 0; at < values.length; k++) {
        const n = Math.min(sizes[k % sizes.length], values.length - at);
        h.add(values.subarray(at, at + n));
        at += n;
      }
      expect(h.digest()).toBe(whole);
    }
  });

  it('combines hex digests as SHA-256 over their bytes in order', () => {
    const a = 'ab'.repeat(32);
    const b = '01'.repeat(32);
    const bytes = Uint8Array.from([...a.match(/../g)!, ...b.match(/../g)!].map((x) => parseInt(x, 16)));
    expect(combineDigests([a, b])).toBe(bytesToHex(sha256(bytes)));
    expect(combineDigests([])).toBe(bytesToHex(sha256(new Uint8Array(0))));
  });
});
