// distinct-n and repeated 4-grams (src/families/lm/diversity.ts) on a
// hand-made text, and on random texts against the definition written the
// plain way (n-grams as strings in sets).
import { expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { DiversityCount, type Diversity } from '../src/families/lm/diversity.js';

/** The metrics of nBlocks blocks of `block` tokens, positions skip..block-1 of each, counted at once. */
function textDiversity(text: Int32Array, nBlocks: number, block: number, skip: number): Diversity {
  const d = new DiversityCount(text, nBlocks, block, skip);
  d.count(0, d.units);
  return d.result();
}

it('distinct-1/2/3 and repeated 4-grams of three blocks, hand-counted', () => {
  // blocks of 7, the first token a prompt (9 and 1 must count nowhere)
  const text = Int32Array.from([
    9, 1, 2, 3, 1, 2, 3, // 4-grams 1231 2312 3123: none repeats
    1, 5, 5, 5, 5, 5, 5, // 5555 three times: two repeats
    9, 1, 2, 3, 1, 2, 3, // block 0's 4-grams again, but not earlier in this block
  ]);
  const d = textDiversity(text, 3, 7, 1);
  // unigrams: 18, distinct {1, 2, 3, 5}
  expect(d.distinct1).toBe(4 / 18);
  // bigrams: 5 per block, distinct {12, 23, 31, 55} (no "1 5" or "9 1": prompts are not text)
  expect(d.distinct2).toBe(4 / 15);
  // trigrams: 4 per block, distinct {123, 231, 312, 555}
  expect(d.distinct3).toBe(4 / 12);
  // 4-gram positions: 3 per block; repeats only the 2nd and 3rd 5555
  expect(d.repeat4).toBe(2 / 9);
});

it('with no prompt, n-grams start at the block start and never cross blocks', () => {
  const text = Int32Array.from([1, 2, 3, 4, 1, 2, 3, 4]);
  const d = textDiversity(text, 2, 4, 0);
  expect(d.distinct1).toBe(4 / 8);
  // bigrams 12 23 34 twice ("4 1" would cross the boundary)
  expect(d.distinct2).toBe(3 / 6);
  expect(d.distinct3).toBe(2 / 4);
  // one 4-gram per block, each the first in its block
  expect(d.repeat4).toBe(0);
});

/** The definition, directly: every n-gram inside a block's written positions as a string. */
function byStrings(text: Int32Array, nBlocks: number, block: number, skip: number): Diversity {
  const seen = [new Set<string>(), new Set<string>(), new Set<string>()];
  const total = [0, 0, 0];
  let repeats = 0;
  let fourGrams = 0;
  for (let b = 0; b < nBlocks; b++) {
    const inBlock = new Set<string>();
    for (let i = b * block + skip; i < (b + 1) * block; i++) {
      for (let n = 1; n <= 4 && i - n + 1 >= b * block + skip; n++) {
        const key = Array.from(text.subarray(i - n + 1, i + 1)).join(',');
        if (n < 4) {
          seen[n - 1].add(key);
          total[n - 1]++;
        } else {
          fourGrams++;
          if (inBlock.has(key)) repeats++;
          inBlock.add(key);
        }
      }
    }
  }
  return { distinct1: seen[0].size / total[0], distinct2: seen[1].size / total[1], distinct3: seen[2].size / total[2], repeat4: repeats / fourGrams };
}

it('random texts: the same values as the definition, small and large vocabularies, every prompt length', () => {
  const rng = seedrandom.xor4096('lm-diversity');
  for (const [vocab, nBlocks, block] of [[3, 40, 9], [20, 30, 16], [5000, 20, 64], [2 ** 30, 5, 12]] as const) {
    for (const skip of [0, 1, Math.floor(block / 2), block - 4, block - 1]) {
      const text = Int32Array.from({ length: nBlocks * block }, () => Math.floor(rng() * vocab));
      expect(textDiversity(text, nBlocks, block, skip), `V ${vocab} B ${block} skip ${skip}`).toEqual(byStrings(text, nBlocks, block, skip));
    }
  }
});

it('counted in slices of any size (as a long text is, between pauses): the same values as at once', () => {
  const rng = seedrandom.xor4096('lm-diversity-slices');
  const [nBlocks, block, skip] = [23, 10, 2];
  const text = Int32Array.from({ length: nBlocks * block }, () => Math.floor(rng() * 6));
  const whole = textDiversity(text, nBlocks, block, skip);
  for (const slice of [1, 2, 7, 23, 24, 91]) {
    const d = new DiversityCount(text, nBlocks, block, skip);
    for (let from = 0; from < d.units; from += slice) d.count(from, Math.min(slice, d.units - from));
    expect(d.result(), `slices of ${slice}`).toEqual(whole);
  }
  const d = new DiversityCount(text, nBlocks, block, skip);
  expect(() => d.count(5, 3)).toThrow(/units 5\.\. after 0 counted/);
});
