// Shared test helpers: a backend with an arena, released after the file.
import { afterAll } from 'vitest';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import { BACKEND_NAMES, type BackendName } from '../src/kernels/abi.js';

export { BACKEND_NAMES };

/** One arena per backend for a whole test file. */
export async function arenas(): Promise<Record<BackendName, Arena>> {
  const out = {} as Record<BackendName, Arena>;
  for (const name of BACKEND_NAMES) out[name] = new Arena(await loadBackend(name));
  afterAll(() => {
    for (const a of Object.values(out)) a.release();
  });
  return out;
}

/** Bitwise equality of two double arrays (NaN payloads and -0 included). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A well-formed-enough XML check: every tag closed in order, one root <svg>. */
export function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0 && svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>');
}

/**
 * A command line `base` with the options of `extra` in place of its own
 * (appended): an option given twice is an error. In `base`, an option is a
 * flag when no value follows it.
 */
export function withOptions(base: readonly string[], extra: readonly string[]): string[] {
  const given = new Set(extra.filter((a) => a.startsWith('--')).map((a) => a.replace(/=.*/, '')));
  const out: string[] = [];
  for (let i = 0; i < base.length; i++) {
    const flag = !base[i].startsWith('--') || base[i + 1] === undefined || base[i + 1].startsWith('--');
    if (given.has(base[i])) i += flag ? 0 : 1;
    else out.push(base[i]);
  }
  return [...out, ...extra];
}
