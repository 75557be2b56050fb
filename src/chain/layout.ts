// What every chain lays out in the arena besides its own buffers: the
// generator state and the room for a replicate's seed key, and the planned
// byte size that validation checks before anything is allocated.
import type { Arena } from '../kernels/arena.js';

/** Bytes of one xor4096 state (assembly/rng/xor4096.ts, rngStateBytes()). */
const RNG_BYTES = 544;
/** UTF-16 units of the longest replicate key: a seed of <= 1000 characters, ':', the index. */
const MAX_KEY_UNITS = 1100;

/** The generator state and its key buffer, for seedGenerator. */
export function allocGenerator(arena: Arena): { rng: number; key: number } {
  return { rng: arena.alloc(RNG_BYTES, 'generator state'), key: arena.allocI32(MAX_KEY_UNITS) };
}

/**
 * Planned bytes of a run: `f64s` doubles and `i32s` ints in `buffers`
 * separate buffers (each may lose up to 16 bytes to alignment), plus the
 * generator and its key.
 */
export function layoutBytes(f64s: number, i32s: number, buffers: number): number {
  return 8 * f64s + 4 * (i32s + MAX_KEY_UNITS) + RNG_BYTES + 16 * (buffers + 2);
}

/** Sum of the values of a record of buffer sizes. */
export const total = (sizes: Record<string, number>): number => Object.values(sizes).reduce((a, b) => a + b, 0);
