// The benchmarked kernel cases, one file per family under bench/cases/. Each
// case lays out all its buffers once in a backend's arena; afterwards `run`
// only calls kernels over memory that is already there (no allocation, no
// copying of the data).
import type { Arena } from '../src/kernels/arena.js';
import type { KernelExports } from '../src/kernels/abi.js';
import { seedGenerator } from '../src/rng/seed.js';
import { detLog } from '../src/kernels/detmath.js';
import { retryWithData } from '../src/util/data-files.js';
import { gaussianCases } from './cases/gaussian.js';
import { categoricalCases } from './cases/categorical.js';
import { kdeCases } from './cases/kde.js';
import { regressionCases } from './cases/regression.js';
import { gmmCases } from './cases/gmm.js';
import { lmCases } from './cases/lm.js';
import { vaeCases } from './cases/vae.js';

export interface CaseSpec {
  /** The model family whose kernels it times (`--only <family>` selects all of them); set by allCases. */
  family?: string;
  /** Stable label, e.g. "step n=1000 d=4". */
  id: string;
  /** The kernel (or kernel sequence) timed; `--only` selects by it. */
  kernel: string;
  /** Work items per call (points, draws, pairs, rows), for the items/s column. */
  n: number;
  d: number;
  /**
   * Kernel calls per timed sample. Small cases are repeated so that one sample
   * lasts tens of microseconds and the timer's own cost (~0.1 us) stays out of
   * the ratio; latencies are always reported per call.
   */
  calls: number;
  /** Further sizes of the case (e.g. states, query points). */
  sizes: Record<string, number>;
  /** In the --smoke selection (each family's first case): a test of the machinery, not a measurement. */
  smoke?: boolean;
  /** Why the case needs a file system (its family's `readsFiles`), set by allCases; a host without one skips it. */
  readsFiles?: string;
}

export interface PreparedCase {
  /** Re-seeds the generator and restores the inputs: every backend then does the same work. */
  reset(): void;
  /** The timed function: `spec.calls` kernel calls. */
  run(): void;
  /** One call, for the correctness gate and the cold start. */
  once(): void;
  /** Every output of the case (results and generator state), as raw bytes. */
  outputs(): { name: string; bytes: Uint8Array }[];
}

/** What a family's preparer gets: the arena, a seeded generator and helpers. */
export interface CaseContext {
  arena: Arena;
  k: KernelExports;
  spec: CaseSpec;
  rng: number;
  reseed(): void;
  rngOut(): { name: string; bytes: Uint8Array };
  /** A copy of `len` bytes of kernel memory at `ptr`. */
  bytesOf(ptr: number, len: number): Uint8Array;
  /** Deterministic host-made inputs, identical for every backend. */
  hostNormals(count: number): Float64Array;
}

export interface CaseFamily {
  family: string;
  kernels: readonly string[];
  specs(): CaseSpec[];
  /** Set when its cases read files (a corpus): what they read. A host without a file system gives them in first (loadData), or skips them. */
  readsFiles?: string;
  /** Reads what the cases read; where there is no file system it throws DataNeeded naming the files (src/util/data-files.ts). */
  loadData?(): void;
  /** The case's functions; `run` defaults to `spec.calls` calls of `once`. */
  prepare(ctx: CaseContext): Omit<PreparedCase, 'run'> & Partial<Pick<PreparedCase, 'run'>>;
}

const FAMILIES: readonly CaseFamily[] = [gaussianCases, categoricalCases, gmmCases, kdeCases, regressionCases, lmCases, vaeCases];

export const KERNELS: readonly string[] = FAMILIES.flatMap((f) => f.kernels);
/** What `--only` takes: a kernel, or a family (all its kernels). */
export const SELECTABLE: readonly string[] = [...KERNELS, ...FAMILIES.map((f) => f.family).filter((f) => !KERNELS.includes(f))];

const SEED = 'collapse-bench';
/** Work items a timed sample should cover at least. */
const ITEMS_PER_SAMPLE = 20_000;

/** A case of `kernel` doing `n` work items of dimension d per call. */
export function makeSpec(kernel: string, n: number, d: number, label: string, sizes: Record<string, number> = {}): CaseSpec {
  return { id: `${kernel} ${label}`, kernel, n, d, calls: Math.max(1, Math.round(ITEMS_PER_SAMPLE / (n * d))), sizes };
}

/** Every case, in the order they are gated and timed. */
export function allCases(): CaseSpec[] {
  return FAMILIES.flatMap((f) => f.specs().map((spec, i) => ({ ...spec, family: f.family, ...(i === 0 ? { smoke: true } : {}), ...(f.readsFiles ? { readsFiles: f.readsFiles } : {}) })));
}

/** The case families that read files, and what they read: skipped where there is no file system and no fetching. */
export const FILE_FAMILIES: Readonly<Record<string, string>> = Object.fromEntries(FAMILIES.filter((f) => f.readsFiles).map((f) => [f.family, f.readsFiles!]));

/** Gives in the files these cases read, each family's by fetchFiles (a host without a file system: the page's data/ folder). */
export async function loadCaseData(cases: readonly CaseSpec[], fetchFiles: (files: readonly string[]) => Promise<void>): Promise<void> {
  for (const f of FAMILIES) if (f.loadData && cases.some((c) => c.family === f.family)) await retryWithData(f.loadData, fetchFiles);
}

/** The case the cold start measures: the first generation a real run would do. */
export const COLD_CASE: CaseSpec = { ...makeSpec('step', 1000, 1, 'n=1000'), calls: 1 };

/**
 * Lays out `spec` in the arena and returns its functions. All views are made
 * after the last allocation, so they stay valid while the arena is held.
 */
export function prepareCase(arena: Arena, spec: CaseSpec): PreparedCase {
  const family = FAMILIES.find((f) => f.kernels.includes(spec.kernel));
  if (!family) throw new Error(`bench: no case family has kernel ${spec.kernel}`);
  const k = arena.backend.kernels;
  const rngBytes = k.rngStateBytes();
  const rng = arena.alloc(rngBytes, 'generator state');
  const key = arena.allocI32(SEED.length);
  const bytesOf = (ptr: number, len: number) => new Uint8Array(arena.backend.buffer(), ptr, len).slice();
  const prepared = family.prepare({
    arena,
    k,
    spec,
    rng,
    reseed: () => seedGenerator(arena, rng, key, SEED),
    rngOut: () => ({ name: 'rng state', bytes: bytesOf(rng, rngBytes) }),
    bytesOf,
    hostNormals,
  });
  const run =
    prepared.run ??
    (() => {
      for (let i = 0; i < spec.calls; i++) prepared.once();
    });
  return { ...prepared, run };
}

/**
 * Inputs made on the host (mulberry32 + Marsaglia's polar method, with the
 * kernels' log: no host Math.log or cos, so the inputs are the same bits in
 * every runtime) and copied byte for byte into every backend.
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
    let u: number;
    let s2: number;
    do {
      u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      s2 = u * u + v * v;
    } while (s2 >= 1 || s2 === 0);
    out[i] = u * Math.sqrt((-2 * detLog(s2)) / s2);
  }
  return out;
}
