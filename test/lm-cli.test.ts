// Bad options of `run lm` (one line naming the option, the value and what is
// allowed), and the command line as a user meets it: a run on the Brown
// corpus and on a plain-text corpus, JSON.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveLmConfig } from '../src/families/lm/options.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';

const BIN = fileURLToPath(new URL('../dist/src/cli/bin.js', import.meta.url));
const FICTION = fileURLToPath(new URL('./fixtures/brown-fiction.txt', import.meta.url));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bad options are refused with a message naming the option', () => {
  const cases: [string, RawOptions, RegExp][] = [
    ['an order above 5', { order: 6 }, /--order: 6 is not allowed; expected an integer in \[1, 5\]/],
    ['an order of 0', { order: 0 }, /--order: 0 is not allowed; expected an integer in \[1, 5\]/],
    ['an unknown smoothing', { smoothing: 'wb' }, /--smoothing: "wb" is not allowed; expected one of kn, mkn/],
    ['an unknown case', { case: 'upper' }, /--case: "upper" is not allowed; expected one of fold, keep/],
    ['a prompt as long as the block', { block: 16, prompt: 16 }, /--prompt: 16 leaves nothing to write in a block of 16/],
    ['too few documents to split', { documents: 9 }, /--documents: 9 is not allowed; expected an integer in \[10, 1000000\]/],
    ['more documents than Brown has', { documents: 501 }, /--documents: 501 documents asked for, but the corpus has 500/],
    ['a corpus file that does not exist', { corpus: '/nonexistent/corpus.txt' }, /--corpus: cannot read \/nonexistent\/corpus.txt/],
    ['policy fresh', { policy: 'fresh' }, /--policy fresh: a corpus is finite, there is no fresh real text/],
    ['--real-fraction without mix', { 'real-fraction': 0.1 }, /--real-fraction: applies only to --policy mix or fresh, not replace/],
    ['a block longer than the text', { corpus: FICTION, documents: 10, block: 4096, prompt: 8 }, /--block: the training text has \d+ tokens, fewer than 2 blocks of 4096/],
    ['a temperature of 0', { temperature: 0 }, /--temperature: 0 is not allowed; expected a number in \[0.05, 100\]/],
    ['a negative top-k', { 'top-k': -1 }, /--top-k: -1 is not allowed; expected an integer in \[0, 1000000\]/],
    ['a top-p of 0', { 'top-p': 0 }, /--top-p: "?0"? is not allowed; expected a number in \(0, 1\]/],
    ['a top-p above 1', { 'top-p': 1.5 }, /--top-p: "?1.5"? is not allowed; expected a number in \(0, 1\]/],
    ['min-count 0', { 'min-count': 0 }, /--min-count: 0 is not allowed; expected an integer in \[1, 1000000\]/],
  ];
  it.each(cases)('%s', (_, raw, message) => {
    let err: unknown;
    try {
      resolveLmConfig(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('the command line', () => {
  it('run lm on a few Brown documents prints the table; test perplexity rises after generation 1', () => {
    const r = cli(['run', 'lm', '--documents', '10', '--generations', '3', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^lm corpus=brown documents=10 case=fold min-count=2 V=\d+ order=3 smoothing=kn block=64 prompt=8 blocks=\d+ G=3 R=1 policy=replace/m);
    expect(r.out).toContain('test ppl ± se');
    const ppl = [...r.out.matchAll(/^(\d)\s+\d+\s+([\d.e+]+)/gm)].map((m) => Number(m[2]));
    expect(ppl.length).toBe(4);
    expect(ppl[1]).toBe(ppl[0]); // model 1 is fitted to the same real blocks as model 0
    expect(ppl[3]).toBeGreaterThan(ppl[1]);
  });

  it('--corpus FILE --json: a plain-text corpus, its paragraphs as documents', () => {
    const r = cli(['run', 'lm', '--corpus', FICTION, '--documents', '90', '--min-count', '1', '--block', '32', '--generations', '2', '--json', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.config.corpus).toBe(FICTION);
    expect(s.config.documents).toBe(90);
    expect(s.generations[0].samples).toBe(s.config.trainBlocks);
    expect(s.generations.length).toBe(3);
    expect(s.generations[0].metrics.rareShare.mean).toBeLessThanOrEqual(0.1);
    expect(s.generations[2].metrics.testPerplexity.mean).toBeGreaterThan(1);
    // diversity: distinct-1 is the type/token ratio; distinct-n grows with n on real text; a share of 4-grams repeat
    for (const g of s.generations) {
      const m = g.metrics;
      expect(m.distinct1.mean).toBe(m.typeTokenRatio.mean);
      expect(m.distinct2.mean).toBeGreaterThan(m.distinct1.mean);
      expect(m.distinct3.mean).toBeGreaterThanOrEqual(m.distinct2.mean);
      expect(m.distinct3.mean).toBeLessThanOrEqual(1);
      expect(m.repeat4.mean).toBeGreaterThanOrEqual(0);
      expect(m.repeat4.mean).toBeLessThan(0.5);
    }
    // the Fig. 1 histogram: shares of blocks in 40 bins of a tenth of a decade, summing to 1; the median's bin is where the shares pass 1/2
    for (const g of s.generations) {
      const h = Array.from({ length: 40 }, (_, i) => g.metrics[`seqPplHist${String(i).padStart(2, '0')}`].mean as number);
      expect(Math.abs(h.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      let acc = 0;
      const bin = h.findIndex((x) => (acc += x) >= 0.5);
      const p50 = g.metrics.seqPplP50.mean;
      expect(p50).toBeGreaterThanOrEqual(10 ** (bin / 10) * (1 - 1e-12));
      expect(p50).toBeLessThan(10 ** ((bin + 1) / 10));
    }
  });
});
