// Diversity of a generation's written text, from its token ids (exact integer
// counts): distinct-n (Li et al. 2016: distinct n-grams over all n-grams) and
// the rate of repeated 4-grams (Welleck et al. 2020's "rep" family). The
// n-grams are those inside the written positions skip..B-1 of each block: none
// crosses a block boundary or takes a prompt token.

export interface Diversity {
  /** distinct n-grams / n-grams, n = 1, 2, 3, over the whole text */
  distinct1: number;
  distinct2: number;
  distinct3: number;
  /** 4-gram positions whose 4-gram occurred earlier in the same block / 4-gram positions */
  repeat4: number;
}

/** The metrics of nBlocks blocks of `block` tokens, positions skip..block-1 of each (NaN where there are no n-grams). */
export function textDiversity(text: Int32Array, nBlocks: number, block: number, skip: number): Diversity {
  const seen = [new Set<string>(), new Set<string>(), new Set<string>()];
  const total = [0, 0, 0];
  let rep = 0;
  let fourGrams = 0;
  const inBlock = new Set<string>();
  for (let b = 0; b < nBlocks; b++) {
    const start = b * block + skip;
    const end = (b + 1) * block;
    inBlock.clear();
    for (let i = start; i < end; i++) {
      // the n-grams ending at i
      let key = '';
      for (let n = 1; n <= 4 && i - n + 1 >= start; n++) {
        key = n === 1 ? String(text[i]) : `${text[i - n + 1]},${key}`;
        if (n <= 3) {
          seen[n - 1].add(key);
          total[n - 1]++;
        } else {
          fourGrams++;
          if (inBlock.has(key)) rep++;
          else inBlock.add(key);
        }
      }
    }
  }
  return {
    distinct1: seen[0].size / total[0],
    distinct2: seen[1].size / total[1],
    distinct3: seen[2].size / total[2],
    repeat4: rep / fourGrams,
  };
}
