// Benchmark cases of the language-model family, on the Brown corpus (10
// documents: V = 1,641, 298 training blocks of 64 tokens), order 3, kn:
// counting and fitting the training text (lmFit), writing blocks after
// 8-token prompts by sampling the model (lmSample), by tempered sampling
// (lmTemperature, T = 0.7, the fast exact path), by beam search
// (lmBeam, 5 beams, repetition penalty 3, the paper's code), by top-k 40 at
// T = 0.7 (lmTopK) and by top-p 0.9 (lmTopP), each beside the O(V) method it
// equals bit for bit (lmTopKPlain, lmTopPPlain: the same outputs, hence the
// same gate digest), and scoring blocks (lmScore, lmBlockLogProbs). Work items
// are tokens.
import type { CaseContext, CaseFamily, CaseSpec } from '../cases.js';
import { makeSpec } from '../cases.js';
import { loadCorpus } from '../../src/families/lm/corpus/load.js';
import { allocNgram, decodeBytes, initNgram } from '../../src/families/lm/ngram-buffers.js';

const B = 64;
const P = 8;
const ORDER = 3;
const BEAMS = 5;

const corpus = () => loadCorpus({ source: 'brown', documents: 10, case: 'fold', minCount: 2 });

/** A case timing one call (a call is long enough to time alone). */
const single = (kernel: string, tokens: number, label: string, blocks: number): CaseSpec => ({ ...makeSpec(kernel, tokens, 1, label, { blocks }), calls: 1 });

export const lmCases: CaseFamily = {
  family: 'lm',
  readsFiles: 'the Brown corpus (node_modules)',
  loadData: () => void corpus(),
  kernels: ['lmFit', 'lmSample', 'lmTemperature', 'lmBeam', 'lmTopK', 'lmTopKPlain', 'lmTopP', 'lmTopPPlain', 'lmScore'],
  specs: () => [
    single('lmFit', 298 * B, '298 blocks (tokens) order 3', 298),
    single('lmSample', 64 * (B - P), '64 blocks (written tokens)', 64),
    single('lmTemperature', 16 * (B - P), 'T=0.7 16 blocks (written tokens)', 16),
    single('lmBeam', 8 * (B - P), 'beams=5 penalty=3 8 blocks (written tokens)', 8),
    single('lmTopK', 16 * (B - P), 'top-k=40 T=0.7 16 blocks (written tokens)', 16),
    single('lmTopKPlain', 16 * (B - P), 'top-k=40 T=0.7 O(V) 16 blocks (written tokens)', 16),
    single('lmTopP', 16 * (B - P), 'top-p=0.9 16 blocks (written tokens)', 16),
    single('lmTopPPlain', 16 * (B - P), 'top-p=0.9 O(V) 16 blocks (written tokens)', 16),
    single('lmScore', 298 * (B - P), '298 blocks (scored tokens)', 298),
  ],
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const c = corpus();
  const V = c.vocabulary.words.length;
  const nReal = Math.floor(c.train.length / B);
  const blocks = spec.sizes.blocks;
  const model = allocNgram(arena, nReal * B, ORDER, V, 'model');
  initNgram(k, model, ORDER, V, false);
  const store = arena.allocI32((nReal + blocks) * B, 'text blocks');
  const out = arena.allocF64(nReal, 'log-probabilities');
  const work = arena.allocF64(decodeBytes(V, B, BEAMS) / 8, 'decoding scratch');
  arena.i32(store, nReal * B).set(c.train.subarray(0, nReal * B));
  k.lmFit(model.header, store, nReal, B, P);
  const written = store + 4 * nReal * B;
  const write = (T: number, beams: number, penalty: number, topK = 0, topP = 1) => () => k.lmGenerate(model.header, rng, store, B, P, nReal, 0, nReal, blocks, T, topK, topP, beams, penalty, work);
  /** Top-k/top-p writing by the fast path or, `plain`, by the O(V) method only (lm/truncate.ts). */
  const truncated = (T: number, topK: number, topP: number, plain: boolean) => () => {
    k.lmTruncateReference(plain ? 1 : 0);
    write(T, 1, 1, topK, topP)();
    k.lmTruncateReference(0);
  };
  const once =
    spec.kernel === 'lmFit'
      ? () => void k.lmFit(model.header, store, nReal, B, P)
      : spec.kernel === 'lmSample'
        ? write(1, 1, 1)
        : spec.kernel === 'lmTemperature'
          ? write(0.7, 1, 1)
          : spec.kernel === 'lmBeam'
            ? write(1, BEAMS, 3)
            : spec.kernel.startsWith('lmTopK')
              ? truncated(0.7, 40, 1, spec.kernel === 'lmTopKPlain')
              : spec.kernel.startsWith('lmTopP')
                ? truncated(1, 0, 0.9, spec.kernel === 'lmTopPPlain')
                : () => k.lmBlockLogProbs(model.header, store, nReal, B, P, out);
  return {
    reset: reseed,
    once,
    outputs: () =>
      spec.kernel === 'lmFit'
        ? [{ name: 'n-gram table', bytes: bytesOf(model.entries, 4 * 16 * k.lmEntries(model.header)) }, { name: 'unigram level', bytes: bytesOf(model.p1, 8 * V) }]
        : spec.kernel === 'lmScore'
          ? [{ name: 'log-probabilities', bytes: bytesOf(out, 8 * nReal) }]
          : [{ name: 'written blocks', bytes: bytesOf(written, 4 * blocks * B) }, rngOut()],
  };
}
