// The CPU as the bench records name it. The peers' ratios move with the
// widest x86 vector extension more than with anything we change (numpy,
// scikit-learn and PyTorch use AVX-512 where it is; our WASM SIMD is 128
// bits wide everywhere), and a virtual machine's model name often says
// nothing of it ("AMD EPYC"): Linux's /proc/cpuinfo flags do.
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

/** "AVX-512", "AVX2" or "AVX" from /proc/cpuinfo's flags; undefined elsewhere (not Linux, not x86). */
export function vectorExtension(cpuinfo = readCpuinfo()): string | undefined {
  const flags = new Set(/^flags\s*:(.*)$/m.exec(cpuinfo ?? '')?.[1].trim().split(/\s+/) ?? []);
  if (flags.has('avx512f')) return 'AVX-512';
  if (flags.has('avx2')) return 'AVX2';
  if (flags.has('avx')) return 'AVX';
  return undefined;
}

function readCpuinfo(): string | undefined {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
}

/** "AMD EPYC x 2, AVX-512": the model, the logical cores and the vector extension where it is known. */
export function cpuDescription(): string {
  const all = cpus();
  const ext = vectorExtension();
  return `${all[0]?.model ?? 'unknown'} x ${all.length}${ext ? `, ${ext}` : ''}`;
}
