// Long kernel work in slices, so Ctrl-C answers within about a second: a
// loop over independent items (points, rows, output entries) runs a range of
// them per kernel call, with a chance for the event loop in between. Only
// work whose bits do not depend on the split goes through here (each item
// computed whole, or steps run in the same order).
import type { KernelExports } from '../kernels/abi.js';
import type { MaybeAsync } from './policies.js';

/**
 * Runs fn over [0, total) in slices of `slice` items, calling pace between
 * slices (it returns a promise when the event loop is due a turn); one call,
 * and no promise, when the work fits one slice or there is no pace.
 */
export function sliced(total: number, slice: number, pace: (() => MaybeAsync) | undefined, fn: (from: number, count: number) => void): MaybeAsync {
  if (total <= slice || !pace) return fn(0, total);
  return (async () => {
    for (let i = 0; i < total; i += slice) {
      fn(i, Math.min(slice, total - i));
      const p = pace();
      if (p) await p;
    }
  })();
}

/** Items per slice: `work` per call over `cost` per item, at least one. */
export function perSlice(work: number, cost: number): number {
  return Math.max(1, Math.floor(work / cost));
}

/**
 * Sorts the n doubles at p ascending, sortF64's heapsort (the same bits) a
 * range of its steps per call: a step is a sift-down, about log2 n
 * compare-and-moves with a cache miss each, counted as 4 log2 n of work.
 */
export function sortSliced(k: KernelExports, p: number, n: number, work: number, pace: (() => MaybeAsync) | undefined): MaybeAsync {
  const steps = k.sortF64StepCount(n);
  const cost = 4 * (32 - Math.clz32(n));
  if (steps <= perSlice(work, cost) || !pace) return k.sortF64(p, n);
  return sliced(steps, perSlice(work, cost), pace, (from, count) => k.sortF64Steps(p, n, from, from + count));
}
