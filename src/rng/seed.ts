// Seeding the kernel generator exactly as seedrandom.xor4096(seed) seeds:
// an int32 number takes the numeric path; anything else is String(seed),
// whose UTF-16 code units are mixed in one by one.
import type { Arena } from '../kernels/arena.js';

/** Writes the key's code units at `chars` (room for key.length i32) and seeds `state`. */
export function seedGenerator(arena: Arena, state: number, chars: number, seed: number | string): void {
  const k = arena.backend.kernels;
  if (typeof seed === 'number' && seed === (seed | 0)) {
    k.rngSeedInt(state, seed);
    return;
  }
  const key = String(seed);
  const units = arena.i32(chars, key.length);
  for (let i = 0; i < key.length; i++) units[i] = key.charCodeAt(i);
  k.rngSeedChars(state, chars, key.length);
}

/** The seedrandom key of replicate r of a run: replicates never share a stream. */
export function replicateKey(seed: number | string, r: number): string {
  return `${seed}:${r}`;
}
