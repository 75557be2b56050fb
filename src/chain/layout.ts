// Buffer layout: a family declares its buffers once, in a function over an
// Allocator. Run with a Planner it gives the planned bytes (the memory check
// before anything runs); run with the Arena it lays the buffers out. One
// declaration serves both, so the plan cannot drift from what is allocated.
import { KERNEL_CONSTANTS } from '../kernels/abi.js';
import { ALIGN } from '../kernels/arena.js';

/** What a layout declares buffers with: the Arena, or a Planner that only counts. */
export interface Allocator {
  /** Room for n doubles; returns the byte offset. */
  allocF64(n: number, what?: string): number;
  /** Room for n i32; returns the byte offset. */
  allocI32(n: number, what?: string): number;
  /** Room for n floats (f32); returns the byte offset. */
  allocF32(n: number, what?: string): number;
}

/** Counts the bytes a layout would take, with the Arena's alignment. */
export class Planner implements Allocator {
  bytes = 0;

  private alloc(bytes: number): number {
    const ptr = this.bytes;
    this.bytes = Math.ceil((ptr + bytes) / ALIGN) * ALIGN;
    return ptr;
  }

  allocF64(n: number): number {
    return this.alloc(8 * n);
  }

  allocI32(n: number): number {
    return this.alloc(4 * n);
  }

  allocF32(n: number): number {
    return this.alloc(4 * n);
  }
}

/** Bytes a run lays out on a fresh Arena: the generator, then the family's `layout`. */
export function plannedBytes(layout: (a: Allocator) => unknown): number {
  const p = new Planner();
  allocGenerator(p);
  layout(p);
  return p.bytes;
}

/** UTF-16 units of the longest replicate key: a seed of <= 1000 characters, ':', the index. */
const MAX_KEY_UNITS = 1100;

/** The generator state and room for its seed key (see rng/seed.ts). */
export interface GeneratorBuffers {
  rng: number;
  key: number;
}

export function allocGenerator(a: Allocator): GeneratorBuffers {
  return { rng: a.allocF64(KERNEL_CONSTANTS.rngStateBytes / 8, 'generator state'), key: a.allocI32(MAX_KEY_UNITS, 'seed key') };
}
