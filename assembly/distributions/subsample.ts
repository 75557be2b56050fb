// Drawing k of n items without replacement, by a partial Fisher-Yates
// shuffle of an index array (Knuth, TAOCP vol. 2, Algorithm P): O(n + k).
import { ldi, sti, ldf, stf } from "./../platform";
import { rngBelow } from "./../rng/xor4096";

/**
 * Leaves k distinct indices of [0, n), drawn without replacement in draw
 * order, in idx[0..k); `idx` holds n i32.
 */
export function sampleIndices(rng: i32, idx: i32, n: i32, k: i32): void {
  for (let i = 0; i < n; i++) sti(idx + (i << 2), i);
  for (let t = 0; t < k; t++) {
    const j = t + rngBelow(rng, n - t);
    const pick = ldi(idx + (j << 2));
    sti(idx + (j << 2), ldi(idx + (t << 2)));
    sti(idx + (t << 2), pick);
  }
}

/**
 * Copies k points drawn without replacement from the n column-major points at
 * `src` (leading dimension srcLd) to `dst` (leading dimension dstLd), d
 * coordinates each. `idx` is scratch for n i32.
 */
export function subsample(rng: i32, src: i32, srcLd: i32, n: i32, d: i32, k: i32, dst: i32, dstLd: i32, idx: i32): void {
  sampleIndices(rng, idx, n, k);
  for (let t = 0; t < k; t++) {
    const pick = ldi(idx + (t << 2));
    for (let a = 0; a < d; a++) stf(dst + ((a * dstLd + t) << 3), ldf(src + ((a * srcLd + pick) << 3)));
  }
}
