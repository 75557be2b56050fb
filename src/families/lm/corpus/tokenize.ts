// Tokenisers: text in, tokens out (pure, no I/O, so the browser can use them).

/** How letters are cased: kept as written, or folded to lower case. */
export type CaseMode = 'keep' | 'fold';

/**
 * One sentence of the tagged Brown corpus ("The/at jury/nn said/vbd ./."):
 * its words, tags stripped (each token is split at its last '/'; the word
 * before it may itself hold a '/', as "1/2/cd").
 */
export function brownSentence(line: string, mode: CaseMode): string[] {
  const out: string[] = [];
  for (const token of line.split(/\s+/)) {
    if (!token) continue;
    const slash = token.lastIndexOf('/');
    const word = slash > 0 ? token.slice(0, slash) : token;
    out.push(mode === 'fold' ? word.toLowerCase() : word);
  }
  return out;
}

/** Words (letters and digits, with inner apostrophes or hyphens) and single punctuation marks. */
const WORD_OR_MARK = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** The tokens of plain text: words and punctuation marks, in order. */
export function plainTokens(text: string, mode: CaseMode): string[] {
  const out = text.match(WORD_OR_MARK) ?? [];
  return mode === 'fold' ? out.map((t) => t.toLowerCase()) : out;
}

/** Tokens that end a sentence in plain text. */
const SENTENCE_END = new Set(['.', '!', '?']);

/** Plain text cut into sentences: after each '.', '!' or '?' (and at the end). */
export function plainSentences(text: string, mode: CaseMode): string[][] {
  const sentences: string[][] = [];
  let cur: string[] = [];
  for (const t of plainTokens(text, mode)) {
    cur.push(t);
    if (SENTENCE_END.has(t)) {
      sentences.push(cur);
      cur = [];
    }
  }
  if (cur.length) sentences.push(cur);
  return sentences;
}
