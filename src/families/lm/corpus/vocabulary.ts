// The vocabulary and the token ids of the texts.
import type { Document } from './documents.js';

/** Fixed ids: <s> (a context only), </s> (ends a sentence), <unk> (a word below --min-count). */
export const BOS = 0;
export const EOS = 1;
export const UNK = 2;
const SPECIAL = ['<s>', '</s>', '<unk>'];

export interface Vocabulary {
  /** words[id]: ids 0..2 are <s>, </s>, <unk>, then the words. */
  words: string[];
  ids: Map<string, number>;
}

/**
 * The words seen at least minCount times in the training documents, by
 * decreasing count then in code-unit order (so the ids do not depend on the
 * order of the documents), after the three special ids.
 */
export function buildVocabulary(train: Document[], minCount: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const d of train) for (const s of d) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts].filter(([, c]) => c >= minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const words = [...SPECIAL, ...kept.map(([w]) => w)];
  return { words, ids: new Map(words.map((w, i) => [w, i])) };
}

/** The documents as one token stream: each sentence's ids followed by </s> (<s> is implied after it). */
export function encode(docs: Document[], v: Vocabulary): Int32Array {
  let n = 0;
  for (const d of docs) for (const s of d) n += s.length + 1;
  const out = new Int32Array(n);
  let i = 0;
  for (const d of docs) {
    for (const s of d) {
      for (const w of s) out[i++] = v.ids.get(w) ?? UNK;
      out[i++] = EOS;
    }
  }
  return out;
}

/**
 * The rare tokens: the least frequent ids in the training text that together
 * make at most `share` of its tokens (ids ranked by count ascending, ties by
 * the higher id first). Returns a flag per id (1 = rare).
 */
export function rareTokens(text: Int32Array, vocab: number, share: number): Int32Array {
  const counts = new Float64Array(vocab);
  for (const w of text) counts[w]++;
  const order = Array.from({ length: vocab - 1 }, (_, i) => i + 1).sort((a, b) => counts[a] - counts[b] || b - a);
  const flags = new Int32Array(vocab);
  let acc = 0;
  for (const w of order) {
    acc += counts[w];
    if (acc > share * text.length) break;
    flags[w] = 1;
  }
  return flags;
}
