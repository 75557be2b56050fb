// The benchmarked kernel cases. Each case lays out all its buffers once in a
// backend's arena; afterwards `run` only calls kernels over memory that is
// already there (no allocation, no copying of the data).
import type { Arena } from '../src/kernels/arena.js';
import { seedGenerator } from '../src/rng/seed.js';

export const KERNELS = ['fillNormal', 'fit', 'step'] as const;
export type KernelName = (typeof KERNELS)[number];

export interface CaseSpec {
  /** Stable label, e.g. "step n=1000 d=4". */
  id: string;
  kernel: KernelName;
  /** Points per call (M = n). */
  n: number;
  d: number;
  /**
   * Kernel calls per timed sample. Small cases are repeated so that one sample
   * lasts tens of microseconds and the timer's own cost (~0.1 us) stays out of
   * the ratio; latencies are always reported per call.
   */
  calls: number;
}

const SEED = 'collapse-bench';
/** Points of work a timed sample should cover at least. */
const POINTS_PER_SAMPLE = 20_000;

function spec(kernel: KernelName, n: number, d = 1): CaseSpec {
  const id = `${kernel} n=${n}${d === 1 ? '' : ` d=${d}`}`;
  return { id, kernel, n, d, calls: Math.max(1, Math.round(POINTS_PER_SAMPLE / (n * d))) };
}

/** Every case, in the order they are gated and timed. */
export function allCases(): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const kernel of KERNELS) for (const n of [100, 1000, 100_000]) out.push(spec(kernel, n));
  out.push(spec('step', 1000, 4));
  return out;
}

/** The case the cold start measures: the first generation a real run would do. */
export const COLD_CASE: CaseSpec = { ...spec('step', 1000), calls: 1 };

export interface PreparedCase {
  /** Re-seeds the generator and restores the model: every backend then does the same work. */
  reset(): void;
  /** The timed function: `spec.calls` kernel calls. */
  run(): void;
  /** One call, for the correctness gate and the cold start. */
  once(): void;
  /** Every output of the case (results and generator state), as raw bytes. */
  outputs(): { name: string; bytes: Uint8Array }[];
}

/**
 * Lays out `spec` in the arena and returns its functions. All views are made
 * after the last allocation, so they stay valid while the arena is held.
 */
export function prepareCase(arena: Arena, spec: CaseSpec): PreparedCase {
  const k = arena.backend.kernels;
  const { n, d, calls } = spec;
  const rngBytes = k.rngStateBytes();
  const rng = arena.alloc(rngBytes, 'generator state');
  const key = arena.allocI32(SEED.length);
  const reseed = () => seedGenerator(arena, rng, key, SEED);
  const rngOut = () => ({ name: 'rng state', bytes: bytesOf(arena, rng, rngBytes) });

  if (spec.kernel === 'fillNormal') {
    const out = arena.allocF64(n, 'normals');
    const once = () => k.fillNormal(rng, out, n, 0, 1);
    return {
      reset: reseed,
      once,
      run: () => {
        for (let i = 0; i < calls; i++) k.fillNormal(rng, out, n, 0, 1);
      },
      outputs: () => [{ name: 'out', bytes: bytesOf(arena, out, 8 * n) }, rngOut()],
    };
  }

  if (spec.kernel === 'fit') {
    const x = arena.allocF64(d * n, 'points');
    const mean = arena.allocF64(d);
    const scatter = arena.allocF64(d * d);
    const cov = arena.allocF64(d * d);
    arena.f64(x, d * n).set(hostNormals(d * n));
    const once = () => {
      k.gaussianScatter(x, n, n, d, mean, scatter);
      k.covarianceFromScatter(scatter, d, n - 1, cov);
    };
    return {
      reset: reseed,
      once,
      run: () => {
        for (let i = 0; i < calls; i++) {
          k.gaussianScatter(x, n, n, d, mean, scatter);
          k.covarianceFromScatter(scatter, d, n - 1, cov);
        }
      },
      outputs: () => [
        { name: 'mean', bytes: bytesOf(arena, mean, 8 * d) },
        { name: 'scatter', bytes: bytesOf(arena, scatter, 8 * d * d) },
        { name: 'cov', bytes: bytesOf(arena, cov, 8 * d * d) },
      ],
    };
  }

  // step: the model (mean | cov | L) lives in one block so that restoring it
  // before each call is a single typed-array copy. Without the restore, tens of
  // thousands of generations in a row would collapse the variance into
  // subnormal numbers, and timed work would depend on how many calls ran.
  const model = arena.allocF64(d + 2 * d * d, 'model');
  const mean = model;
  const cov = model + 8 * d;
  const l = cov + 8 * d * d;
  const z = arena.allocF64(d);
  const x = arena.allocF64(d * n, 'samples');
  const scatter = arena.allocF64(d * d);
  // (views only after the last allocation: growing WASM memory detaches them)
  const modelView = arena.f64(model, d + 2 * d * d);
  modelView.set(initialModel(d));
  if (k.choleskyPsd(cov, d, l) !== 0) throw new Error('bench: the initial covariance is not positive definite');
  const model0 = modelView.slice();
  let zeros = 0;
  const once = () => {
    zeros = k.gaussianStep(rng, mean, cov, l, d, 1.0, 1.0, z, x, n, n, scatter);
  };
  return {
    reset: () => {
      reseed();
      modelView.set(model0);
    },
    once,
    run: () => {
      for (let i = 0; i < calls; i++) {
        modelView.set(model0);
        zeros = k.gaussianStep(rng, mean, cov, l, d, 1.0, 1.0, z, x, n, n, scatter);
      }
    },
    outputs: () => [
      { name: 'x', bytes: bytesOf(arena, x, 8 * d * n) },
      { name: 'model', bytes: bytesOf(arena, model, 8 * (d + 2 * d * d)) },
      { name: 'zero pivots', bytes: new Uint8Array(new Float64Array([zeros]).buffer) },
      rngOut(),
    ],
  };
}

/** A copy of `len` bytes of kernel memory at `ptr`. */
function bytesOf(arena: Arena, ptr: number, len: number): Uint8Array {
  return new Uint8Array(arena.backend.buffer(), ptr, len).slice();
}

/** Mean 0 and cov[a][b] = 0.5^|a-b| (identity when d = 1); L is filled by the kernel. */
function initialModel(d: number): Float64Array {
  const m = new Float64Array(d + 2 * d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m[d + a * d + b] = 0.5 ** Math.abs(a - b);
  return m;
}

/**
 * Input points for `fit`, made on the host (mulberry32 + Box-Muller) and
 * copied byte for byte into every backend, so the inputs are identical.
 */
function hostNormals(count: number): Float64Array {
  let s = 0x9e3779b9;
  const uniform = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = 1 - uniform();
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}
