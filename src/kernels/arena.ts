// A bump allocator over a backend's flat memory. A run lays out every buffer
// it needs once, up front, so memory never grows while kernels run and the
// typed-array views stay valid; `release` hands the memory back.
import { MAX_MEMORY_BYTES, type Backend } from './backend.js';
import { UsageError } from '../util/errors.js';

/** Every buffer starts on 16 bytes (v128 width): SIMD loads stay aligned. */
export const ALIGN = 16;

export class Arena {
  private top: number;
  private readonly start: number;
  private released = false;

  constructor(readonly backend: Backend) {
    if (backend.busy) throw new Error(`backend ${backend.name} is already in use by another run in this thread`);
    backend.busy = true;
    this.start = this.top = Math.ceil(backend.heapBase / ALIGN) * ALIGN;
  }

  /** Reserves `bytes` and returns their byte offset. */
  alloc(bytes: number, what = 'buffer'): number {
    const ptr = this.top;
    const end = Math.ceil((ptr + bytes) / ALIGN) * ALIGN;
    if (end > MAX_MEMORY_BYTES) {
      const mib = Math.ceil(end / 2 ** 20);
      throw new UsageError(`memory: this run needs more than ${mib} MiB for its ${what}, above the 2048 MiB kernels can address; use fewer samples, generations or dimensions`);
    }
    this.backend.reserve(end);
    this.top = end;
    return ptr;
  }

  allocF64(n: number, what?: string): number {
    return this.alloc(8 * n, what);
  }

  allocI32(n: number, what?: string): number {
    return this.alloc(4 * n, what);
  }

  allocF32(n: number, what?: string): number {
    return this.alloc(4 * n, what);
  }

  /** Bytes laid out so far. */
  get used(): number {
    return this.top - this.start;
  }

  /** A view of `n` doubles at `ptr`; make views after the last alloc. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.backend.buffer(), ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.backend.buffer(), ptr, n);
  }

  /** A view of `n` floats (f32) at `ptr`. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.backend.buffer(), ptr, n);
  }

  release(): void {
    if (!this.released) this.backend.busy = false;
    this.released = true;
  }
}
