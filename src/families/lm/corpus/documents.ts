// A corpus as documents of sentences of words, from its file formats (pure:
// the caller reads the files).
import { brownSentence, plainSentences, type CaseMode } from './tokenize.js';

/** A document: its sentences, each a list of words and punctuation marks. */
export type Document = string[][];

/** A file of the tagged Brown corpus: one sentence per line, blank lines between paragraphs. */
export function brownDocument(fileText: string, mode: CaseMode): Document {
  const out: Document = [];
  for (const line of fileText.split('\n')) {
    const s = brownSentence(line, mode);
    if (s.length) out.push(s);
  }
  return out;
}

/**
 * A plain-text corpus: its documents are its paragraphs, separated by blank
 * lines (a file without blank lines: one paragraph per line); sentences end
 * after '.', '!' or '?'.
 */
export function plainDocuments(fileText: string, mode: CaseMode): Document[] {
  const text = fileText.replace(/\r\n?/g, '\n');
  const paragraphs = /\n[ \t]*\n/.test(text) ? text.split(/\n[ \t]*\n/) : text.split('\n');
  return paragraphs.map((p) => plainSentences(p, mode)).filter((d) => d.length > 0);
}
