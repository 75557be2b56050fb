// The language-model family's corpus: tokenising the tagged Brown files and
// plain text, the split by document, the vocabulary.
import { describe, expect, it } from 'vitest';
import { brownSentence, plainSentences, plainTokens } from '../src/families/lm/corpus/tokenize.js';
import { brownDocument, plainDocuments } from '../src/families/lm/corpus/documents.js';
import { brownDataName, brownFileNames, brownFolder, brownTexts, readText } from '../src/families/lm/corpus/files.js';
import { giveDataFile } from '../src/util/data-files.js';
import { chooseDocuments } from '../src/families/lm/corpus/split.js';
import { buildVocabulary, encode, rareTokens, EOS, UNK } from '../src/families/lm/corpus/vocabulary.js';
import { loadCorpus } from '../src/families/lm/corpus/load.js';

const folder = brownFolder();

describe('Brown corpus files', () => {
  it('are the 500 files ca01..cr09', () => {
    const names = brownFileNames(folder);
    expect(names.length).toBe(500);
    expect(names[0]).toBe('ca01');
    expect(names[499]).toBe('cr09');
  });

  it('give the first sentence of ca01 with its tags stripped', () => {
    const doc = brownDocument(readText(folder + 'ca01'), 'keep');
    expect(doc[0].join(' ')).toBe("The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced `` no evidence '' that any irregularities took place .");
    expect(brownDocument(readText(folder + 'ca01'), 'fold')[0].slice(0, 3)).toEqual(['the', 'fulton', 'county']);
  });

  it('keep a slash inside a word and count the tokens of a file', () => {
    expect(brownSentence('1/2/cd inch/nn', 'keep')).toEqual(['1/2', 'inch']);
    // NLTK's brown.words('ca01') has 2242 tokens
    const doc = brownDocument(readText(folder + 'ca01'), 'keep');
    expect(doc.reduce((s, x) => s + x.length, 0)).toBe(2242);
  });
});

describe('plain text', () => {
  it('splits words and punctuation, sentences and paragraphs', () => {
    expect(plainTokens("Don't stop -- well-known, \"really\"?", 'keep')).toEqual(["Don't", 'stop', '-', '-', 'well-known', ',', '"', 'really', '"', '?']);
    expect(plainSentences('A b. C d! E', 'fold')).toEqual([['a', 'b', '.'], ['c', 'd', '!'], ['e']]);
    expect(plainDocuments('One. Two.\nThree.\n\nFour.\n', 'keep')).toEqual([[['One', '.'], ['Two', '.'], ['Three', '.']], [['Four', '.']]]);
    expect(plainDocuments('One.\nTwo.', 'keep').length).toBe(2); // no blank line: a paragraph per line
  });
});

describe('split', () => {
  it('is deterministic, disjoint and spread over the corpus', () => {
    const a = chooseDocuments(500, 40);
    expect(a).toEqual(chooseDocuments(500, 40));
    const idx = a.map((d) => d.index);
    expect(new Set(idx).size).toBe(40);
    expect(a.filter((d) => d.part === 'test').map((d) => d.index)).toEqual([112, 237, 362, 487]);
    expect(a.filter((d) => d.part === 'validation').length).toBe(4);
    // all 500: 400 / 50 / 50
    const all = chooseDocuments(500, 500);
    expect(all.filter((d) => d.part === 'train').length).toBe(400);
    expect(all.map((d) => d.index)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('vocabulary', () => {
  it('ranks words by count, maps the rest to <unk>, ends sentences with </s>', () => {
    const docs = [[['b', 'a', 'b'], ['c', 'a', 'b']]];
    const v = buildVocabulary(docs, 2);
    expect(v.words).toEqual(['<s>', '</s>', '<unk>', 'b', 'a']);
    expect([...encode(docs, v)]).toEqual([3, 4, 3, EOS, UNK, 4, 3, EOS]);
    // counts: </s> 2, <unk> 1, b 3, a 2 of 8: the rarest ids up to 25% are <unk> (1) and a? 1 + 2 > 2, so <unk> alone
    expect([...rareTokens(encode(docs, v), 5, 0.25)]).toEqual([0, 0, 1, 0, 0]);
  });

  it('on 20 Brown files: counts match a direct count of the training text', () => {
    const c = loadCorpus({ source: 'brown', documents: 20, case: 'fold', minCount: 2 });
    expect(c.used).toEqual({ train: 16, validation: 2, test: 2 });
    const counts = new Map<number, number>();
    for (const w of c.train) counts.set(w, (counts.get(w) ?? 0) + 1);
    // every kept word has count >= 2 and the ids run by decreasing count
    for (let id = 3; id < c.vocabulary.words.length; id++) expect(counts.get(id)!).toBeGreaterThanOrEqual(2);
    for (let id = 4; id < c.vocabulary.words.length; id++) expect(counts.get(id)!).toBeLessThanOrEqual(counts.get(id - 1)!);
    expect(c.vocabulary.words[3]).toBe('the');
    expect(c.train.length).toBe(c.train.filter((w) => w !== EOS).length + counts.get(EOS)!);
    expect(loadCorpus({ source: 'brown', documents: 20, case: 'fold', minCount: 2 })).toBe(c); // memoised
    console.log(c.vocabulary.words.length, c.train.length, c.validation.length, c.test.length, counts.get(UNK));
  });
});

describe('files given in (the web page\'s seam, src/util/data-files.ts)', () => {
  it('are read before the disk, and the rest from the disk, in the order asked', () => {
    // a name the package does not have, so no other test here sees it
    giveDataFile(brownDataName('zz99'), 'Given/nn ./.');
    const [given, disk] = brownTexts(['zz99', 'ca01']);
    expect(given).toBe('Given/nn ./.');
    expect(disk).toBe(readText(folder + 'ca01'));
  });
});
