// Which recorded generations a report shows: spread on a log scale, always the
// first and the last. The text table picks a dozen rows this way; the summary
// picks at most SUMMARY_GENERATIONS of a run that records more (its memory
// grows with the generations it covers). Both depend only on the generations
// (the header), so a run, its `show` and its resume pick the same, in every
// runtime (the kernels' exp and log, not the engine's Math.pow).
import { pow } from '../theory/det.js';

/** The most generations a RunSummary covers; a run recording more is summarised at a log-spaced selection. */
export const SUMMARY_GENERATIONS = 1_000;

/** The target generation of step j of `steps` on a log scale from 0 to `last`. */
function logTarget(last: number, j: number, steps: number): number {
  return Math.round(pow(last + 1, j / steps)) - 1;
}

/** Index of the value of `ns` (ascending) nearest `target`; the lower index on a tie. */
function nearest(ns: readonly number[], target: number): number {
  let lo = 0;
  let hi = ns.length;
  // the first index whose value is >= target
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ns[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  if (lo === ns.length) return ns.length - 1;
  if (lo > 0 && Math.abs(ns[lo - 1] - target) <= Math.abs(ns[lo] - target)) return lo - 1;
  return lo;
}

/**
 * Up to `most` indices of `ns` (ascending generations), spread evenly on a log
 * scale, always the first and last: the table's rows. Where log steps fall on
 * the same generation there are fewer rows.
 */
export function selectRows(ns: readonly number[], most = 12): number[] {
  if (ns.length <= most) return ns.map((_, i) => i);
  const last = ns[ns.length - 1];
  const picks = new Set<number>([0, ns.length - 1]);
  // steps beyond most - 1 aim past the last generation: only the first most - 2 can add a row
  for (let j = 1; picks.size < most && j < most - 1; j++) picks.add(nearest(ns, logTarget(last, j, most - 1)));
  return [...picks].sort((a, b) => a - b);
}

/**
 * Exactly min(most, ns.length) indices of `ns` (ascending generations),
 * strictly increasing, the first and the last always among them: step j
 * takes the generation nearest the j-th log-scale target, or the next one
 * after step j - 1's where the targets are closer together than the recorded
 * generations (so the start is dense), while leaving room for the steps after it.
 */
export function selectGenerations(ns: readonly number[], most = SUMMARY_GENERATIONS): number[] {
  const N = ns.length;
  if (N <= most) return ns.map((_, i) => i);
  if (most < 2) throw new RangeError(`selectGenerations: most must be at least 2, not ${most}`);
  const last = ns[N - 1];
  const out = [0];
  for (let j = 1; j < most - 1; j++) {
    let i = nearest(ns, logTarget(last, j, most - 1));
    i = Math.max(i, out[j - 1] + 1);
    // most - 1 - j picks follow this one, the last being N - 1
    i = Math.min(i, N - most + j);
    out.push(i);
  }
  out.push(N - 1);
  return out;
}
