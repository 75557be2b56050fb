// Diversity of a generation's written text, from its token ids (exact integer
// counts): distinct-n (Li et al. 2016: distinct n-grams over all n-grams) and
// the rate of repeated 4-grams (Welleck et al. 2020's "rep" family). The
// n-grams are those inside the written positions skip..B-1 of each block: none
// crosses a block boundary or takes a prompt token.
//
// An n-gram is numbered by the pair (number of its first n - 1 tokens, last
// token), order after order, in one open-addressing table of integers (as
// the kernels' n-gram model keys its counts): no string per n-gram. Keying
// by strings took 0.47 s of the 1.2 s of a default `run lm`, most of its
// garbage collection besides.

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
  const written = nBlocks * (block - skip);
  // the table: per slot (number + 1, prefix, token, last block seen), 0 when
  // empty, one cache line a probe; at most `written` numbers, half full at most
  let slots = 16;
  while (slots < 2 * written) slots *= 2;
  const mask = slots - 1;
  const wrap = 4 * slots - 1;
  const table = new Int32Array(4 * slots);
  // at i + 1: the number of the (n-1)-gram (the prefix) and of the n-gram ending at i (-1: the empty prefix of unigrams)
  let prefixes = new Int32Array(nBlocks * block + 1).fill(-1);
  let numbers = new Int32Array(nBlocks * block + 1);
  const distinct = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  const repeats = [0, 0, 0, 0];
  // the same steps for every order (a branch taken only at n = 4 would send V8's optimised loop back to the interpreter)
  for (let n = 1; n <= 4; n++) {
    table.fill(0);
    let count = 0;
    let positions = 0;
    let again = 0;
    for (let b = 0; b < nBlocks; b++) {
      // the n-grams ending at i, i - n + 1 >= the block's first written position
      for (let i = b * block + skip + n - 1; i < (b + 1) * block; i++) {
        const prefix = prefixes[i];
        const token = text[i];
        let h = Math.imul(prefix, 0x9e3779b1) ^ Math.imul(token, 0x85ebca77);
        h ^= h >>> 15;
        let s = (h & mask) << 2;
        while (table[s] !== 0 && (table[s + 1] !== prefix || table[s + 2] !== token)) s = (s + 4) & wrap;
        if (table[s] === 0) {
          table[s] = ++count;
          table[s + 1] = prefix;
          table[s + 2] = token;
          table[s + 3] = -1;
        }
        numbers[i + 1] = table[s] - 1;
        positions++;
        // seen earlier in this block
        if (table[s + 3] === b) again++;
        else table[s + 3] = b;
      }
    }
    distinct[n - 1] = count;
    total[n - 1] = positions;
    repeats[n - 1] = again;
    [prefixes, numbers] = [numbers, prefixes];
  }
  return {
    distinct1: distinct[0] / total[0],
    distinct2: distinct[1] / total[1],
    distinct3: distinct[2] / total[2],
    repeat4: repeats[3] / total[3],
  };
}
