// distinct-n and repeated 4-grams (src/families/lm/diversity.ts) on a hand-made text.
import { expect, it } from 'vitest';
import { textDiversity } from '../src/families/lm/diversity.js';

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
