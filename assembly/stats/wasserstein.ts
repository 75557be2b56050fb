// The empirical 2-Wasserstein distance between two 1-D samples, through their
// quantile functions: W2^2 = integral over t in (0, 1) of (Qa(t) - Qb(t))^2.
import { ldf, stf } from "./../platform";

/** Sorts the `n` doubles at `p` ascending, in place (heapsort: O(n log n), no scratch). */
export function sortF64(p: i32, n: i32): void {
  sortF64Steps(p, n, 0, sortF64StepCount(n));
}

/** The steps of sortF64's heapsort of n doubles: n / 2 sift-downs building the heap, then n - 1 extractions. */
export function sortF64StepCount(n: i32): i32 {
  return n < 2 ? 0 : (n >> 1) + n - 1;
}

/**
 * Steps from..to-1 of sortF64's heapsort of the n doubles at p (see
 * sortF64StepCount): the host may run a long sort a range of steps per call,
 * the same operations in the same order, so the same bits.
 */
export function sortF64Steps(p: i32, n: i32, from: i32, to: i32): void {
  const h = n >> 1;
  for (let s = from; s < to; s++) {
    if (s < h) {
      siftDown(p, h - 1 - s, n);
    } else {
      const end = n - 1 - (s - h);
      const top = ldf(p);
      stf(p, ldf(p + (end << 3)));
      stf(p + (end << 3), top);
      siftDown(p, 0, end);
    }
  }
}

function siftDown(p: i32, root: i32, n: i32): void {
  let r = root;
  const v = ldf(p + (r << 3));
  for (;;) {
    let c = 2 * r + 1;
    if (c >= n) break;
    if (c + 1 < n && ldf(p + ((c + 1) << 3)) > ldf(p + (c << 3))) c++;
    const cv = ldf(p + (c << 3));
    if (!(cv > v)) break;
    stf(p + (r << 3), cv);
    r = c;
  }
  stf(p + (r << 3), v);
}

/**
 * W2^2 between the empirical distributions of the sorted samples `a` (na
 * points) and `b` (nb points). The quantile functions are step functions with
 * steps at i/na and j/nb; the integral is a sum over the merged steps, whose
 * widths are computed from integer numerators (exact below 2^53).
 */
export function w2SqSorted(a: i32, na: i32, b: i32, nb: i32): f64 {
  const fa = f64(na);
  const fb = f64(nb);
  const total = fa * fb;
  let i = 0;
  let j = 0;
  let prev: f64 = 0.0;
  let acc: f64 = 0.0;
  while (i < na && j < nb) {
    const ea = f64(i + 1) * fb; // step end of a, in units of 1/(na nb)
    const eb = f64(j + 1) * fa;
    const end = ea < eb ? ea : eb;
    const diff = ldf(a + (i << 3)) - ldf(b + (j << 3));
    acc += (end - prev) * (diff * diff);
    prev = end;
    if (ea <= eb) i++;
    if (eb <= ea) j++;
  }
  return acc / total;
}
