// Other processes on this 2-core machine (builds, test runs) steal the CPU
// now and then. A kernel call that gets preempted is charged a whole time
// slice (~4 ms), and long calls get hit far more often than short ones, so
// contention biases the ratios against the slower backend. Linux tells how
// long our main thread sat runnable but waiting for a CPU: rounds with too
// much of that wait are re-run (see warm.ts). Elsewhere (a browser, macOS)
// there is no such file and rounds are never called contended.

// a browser rejects the import: no run-queue figures there (as in src/util/hash.ts)
const fs = (await import('node:fs').catch(() => null)) as { readFileSync(path: string, encoding: 'utf8'): string } | null;

/** Main-thread CPU time and run-queue wait so far, in ms. */
export interface SchedSample {
  cpuMs: number;
  waitMs: number;
}

/** A round counts as contended when the thread waited this share of its wall time. */
export const CONTENDED_WAIT_FRACTION = 0.02;

let available = fs !== null;

/** From /proc/thread-self/schedstat (Linux); null where that does not exist. */
export function schedSample(): SchedSample | null {
  if (!available) return null;
  try {
    const [cpuNs, waitNs] = fs!.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpuMs: cpuNs / 1e6, waitMs: waitNs / 1e6 };
  } catch {
    available = false;
    return null;
  }
}

/** Run-queue wait between two samples, in ms (null when unknown). */
export function waitBetween(a: SchedSample | null, b: SchedSample | null): number | null {
  return a && b ? b.waitMs - a.waitMs : null;
}
