// The correctness gate: before anything is timed, every backend must produce
// the same output bits as the js backend from the same seed and inputs.
import type { Backend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import { prepareCase, type CaseSpec } from './cases.js';
import { hexDigest, newHasher } from '../src/util/hash.js';

export interface GateResult {
  case: string;
  backend: string;
  identical: boolean;
  /** Where the first difference lies, when there is one. */
  detail?: string;
}

/** The outputs of one call of `spec` on `backend`, from a fresh seed. */
export function runOnce(backend: Backend, spec: CaseSpec): { name: string; bytes: Uint8Array }[] {
  const arena = new Arena(backend);
  try {
    const c = prepareCase(arena, spec);
    c.reset();
    c.once();
    return c.outputs();
  } finally {
    arena.release();
  }
}

/**
 * Runs every case once per backend and compares with the first backend. The
 * digest (SHA-256 over the first backend's outputs, case after case) is the
 * same in every runtime when the kernels are: bench:matrix compares it. The
 * cases that read files (which a browser skips) go into their own digest,
 * filesDigest (null when there were none), so the first stays comparable.
 */
export function checkCases(backends: Backend[], cases: CaseSpec[]): { results: GateResult[]; digest: string; filesDigest: string | null } {
  const results: GateResult[] = [];
  const hasher = newHasher();
  const filesHasher = newHasher();
  for (const spec of cases) {
    const [reference, ...others] = backends;
    const expected = runOnce(reference, spec);
    for (const o of expected) (spec.readsFiles ? filesHasher : hasher).update(o.bytes);
    for (const b of others) {
      const detail = firstDifference(expected, runOnce(b, spec));
      results.push({ case: spec.id, backend: b.name, identical: detail === undefined, ...(detail ? { detail } : {}) });
    }
  }
  return { results, digest: hexDigest(hasher), filesDigest: cases.some((c) => c.readsFiles) ? hexDigest(filesHasher) : null };
}

/** Compares the outputs as 64-bit words (a NaN payload or -0 counts as a difference). */
export function firstDifference(a: { name: string; bytes: Uint8Array }[], b: { name: string; bytes: Uint8Array }[]): string | undefined {
  for (let i = 0; i < a.length; i++) {
    const x = words(a[i].bytes);
    const y = words(b[i].bytes);
    if (x.length !== y.length) return `${a[i].name}: ${x.length} vs ${y.length} words`;
    for (let j = 0; j < x.length; j++) {
      if (x[j] !== y[j]) return `${a[i].name}[${j}]: 0x${x[j].toString(16)} vs 0x${y[j].toString(16)}`;
    }
  }
  return undefined;
}

function words(bytes: Uint8Array): BigUint64Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 8) * 8);
  padded.set(bytes);
  return new BigUint64Array(padded.buffer);
}
