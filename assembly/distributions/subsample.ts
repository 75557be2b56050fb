// Drawing k of n points without replacement, by a partial Fisher-Yates
// shuffle of an index array (Knuth, TAOCP vol. 2, Algorithm P): O(n + k d).
import { ldi, sti, ldf, stf } from "./../platform";
import { rngBelow } from "./../rng/xor4096";

/**
 * Copies k points drawn without replacement from the n column-major points at
 * `src` (leading dimension srcLd) to `dst` (leading dimension dstLd), d
 * coordinates each. `idx` is scratch for n i32.
 */
export function subsample(rng: i32, src: i32, srcLd: i32, n: i32, d: i32, k: i32, dst: i32, dstLd: i32, idx: i32): void {
  for (let i = 0; i < n; i++) sti(idx + (i << 2), i);
  for (let t = 0; t < k; t++) {
    const j = t + rngBelow(rng, n - t);
    const pick = ldi(idx + (j << 2));
    sti(idx + (j << 2), ldi(idx + (t << 2)));
    sti(idx + (t << 2), pick);
    for (let a = 0; a < d; a++) stf(dst + ((a * dstLd + t) << 3), ldf(src + ((a * srcLd + pick) << 3)));
  }
}
