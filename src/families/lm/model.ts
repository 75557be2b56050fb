// The language model as a chain (Shumailov et al. 2024, the paper's LLM
// experiment, at n-gram scale): model 0 is fitted to the real training
// blocks; each later generation's text is written by the model before it,
// continuing each block after a prompt taken from the real block; the next
// model is fitted to that text. A data point is a block of B tokens; the
// policies pick, pool and mix blocks.
import type { KernelExports } from '../../kernels/abi.js';
import type { Arena } from '../../kernels/arena.js';
import type { ModelAdapter, StepContext } from '../../chain/adapter.js';
import type { MetricTable } from '../../chain/recorder.js';
import type { GeneratorBuffers } from '../../chain/layout.js';
import type { MaybeAsync, TrainingData } from '../../chain/policies.js';
import { sliced } from '../../chain/slices.js';
import { loadCorpus } from './corpus/load.js';
import { rareTokens } from './corpus/vocabulary.js';
import { initNgram } from './ngram-buffers.js';
import { DiversityCount } from './diversity.js';
import { lmSizes, STATS_OUT, type LmBuffers } from './layout.js';
import type { LmConfig, LmMetric } from './types.js';

/** Share of the real training tokens the rare ids make at most (the bottom decile of frequency). */
export const RARE_SHARE = 0.1;

/**
 * The histogram of per-block perplexities (the numbers behind the paper's
 * Fig. 1): HIST_BINS bins of a tenth of a decade from 10^0, bin i holding
 * 10^(i/10) <= ppl < 10^((i+1)/10); the last bin also holds everything above.
 */
export const HIST_BINS = 40;
export const histMetric = (i: number) => `seqPplHist${String(i).padStart(2, '0')}`;
const LN10 = 2.302585092994046;

/** The policy verbs over blocks: a training set is a list of block ids into the store. */
class BlockData implements TrainingData {
  /**
   * Tokens per slice of a long kernel pass (generation, counting, scoring),
   * between which Ctrl-C is heard; the kernels go block after block from one
   * stream, so slicing does not change the bits. Tests set it small.
   */
  static sliceTokens = 1 << 16;
  pace?: () => MaybeAsync;
  /** Blocks in the training set being built. */
  size = 0;
  /** Blocks in the pool (the real ones first). */
  poolN = 0;
  /** The real block whose prompt the next synthetic block takes (cycling). */
  cursor = 0;
  private readonly list: Int32Array;

  constructor(
    private readonly arena: Arena,
    private readonly k: KernelExports,
    private readonly b: LmBuffers,
    private readonly rng: number,
    private readonly c: LmConfig,
    /** The model that writes: the one fitted last. */
    private readonly writer: () => number,
  ) {
    this.list = arena.i32(b.list, lmSizes(c).trainMax);
  }

  get blocksPerSlice(): number {
    return Math.max(1, Math.floor(BlockData.sliceTokens / this.c.block));
  }

  /**
   * Blocks per call when writing: decoding costs more per token than
   * sampling the model (measured per token at the defaults, CPU: beam
   * search about 12 us per beam, sampling above temperature 1 about 30 us,
   * at or below it (or with the penalty alone) about 1 us, --top-k or --top-p
   * about V/13 us, plain sampling 0.2-1 us). Shorter slices keep Ctrl-C within
   * about 0.1 s.
   */
  get writeBlocksPerSlice(): number {
    const { c } = this;
    const cost = c.beams > 1 ? 8 * c.beams : c.topK > 0 || c.topP < 1 ? Math.max(1, c.vocabulary / 16) : c.temperature > 1 ? 32 : c.temperature !== 1 || c.repetitionPenalty !== 1 ? 4 : 1;
    return Math.max(1, Math.floor(BlockData.sliceTokens / cost / c.block));
  }

  startTraining(): void {
    this.size = 0;
  }

  addRealSubsample(k: number): void {
    this.k.lmPickBlocks(this.rng, this.c.trainBlocks, k, this.b.pick, this.b.list + 4 * this.size);
    this.size += k;
  }

  addFreshReal(): void {
    throw new Error('lm: there is no fresh real text (resolve refuses --policy fresh)');
  }

  /** k blocks written by the model at store slots dst.., prompts from the real blocks in turn. */
  private write(dst: number, k: number): MaybeAsync {
    const { c } = this;
    const N = c.trainBlocks;
    return sliced(k, this.writeBlocksPerSlice, this.pace, (from, count) => {
      this.k.lmGenerate(this.writer(), this.rng, this.b.store, c.block, c.prompt, N, this.cursor, dst + from, count, c.temperature, c.topK, c.topP, c.beams, c.repetitionPenalty, this.b.decode);
      this.cursor = (this.cursor + count) % N;
    });
  }

  addSynthetic(k: number): MaybeAsync {
    // one generation's blocks go after the real ones (no pool: they replace the last generation's)
    const dst = this.c.trainBlocks;
    for (let j = 0; j < k; j++) this.list[this.size + j] = dst + j;
    this.size += k;
    return this.write(dst, k);
  }

  addPoolSubsample(k: number): void {
    this.k.lmPickBlocks(this.rng, this.poolN, k, this.b.pick, this.b.list + 4 * this.size);
    this.size += k;
  }

  poolReal(): void {
    this.poolN = this.c.trainBlocks;
  }

  poolSynthetic(k: number): MaybeAsync {
    const dst = this.poolN;
    this.poolN += k;
    return this.write(dst, k);
  }

  trainOnPool(): void {
    for (let j = 0; j < this.poolN; j++) this.list[j] = j;
    this.size = this.poolN;
  }
}

const LM_METRICS: readonly string[] = [
  ...(['testPerplexity', 'ngrams', 'seqPplP10', 'seqPplP50', 'seqPplP90', 'seqPplP99', 'types', 'typeTokenRatio', 'rareShare', 'distinct1', 'distinct2', 'distinct3', 'repeat4'] satisfies LmMetric[]),
  ...Array.from({ length: HIST_BINS }, (_, i) => histMetric(i)),
];

/** The metrics a run records (the family's `metrics`). */
export const lmMetrics = (_c: LmConfig): readonly string[] => LM_METRICS;

export class LmModel implements ModelAdapter {
  readonly metrics = LM_METRICS;
  readonly facts: Record<string, unknown>;
  readonly data: BlockData;
  readonly generationCost: number;
  private readonly k: KernelExports;
  /** Blocks in the training text gathered last. */
  private textBlocks = 0;
  private readonly realTrain: Int32Array;
  /** The histogram's inner edges 10^(i/10), i = 1..HIST_BINS-1 (from the kernels' exp, the same on every engine). */
  private readonly edges: number[];

  constructor(
    private readonly arena: Arena,
    private readonly c: LmConfig,
    private readonly b: LmBuffers,
    private readonly gen: GeneratorBuffers,
  ) {
    const k = (this.k = arena.backend.kernels);
    const corpus = loadCorpus({ source: c.corpus, documents: c.documents, case: c.case, minCount: c.minCount });
    const N = c.trainBlocks;
    const B = c.block;
    const V = c.vocabulary;
    this.realTrain = corpus.train.subarray(0, N * B);
    initNgram(k, b.model0, c.order, V, c.smoothing === 'mkn');
    initNgram(k, b.model, c.order, V, c.smoothing === 'mkn');
    arena.i32(b.test, c.testTokens).set(corpus.test);
    const rare = rareTokens(this.realTrain, V, RARE_SHARE);
    arena.i32(b.rare, V).set(rare);
    this.generationCost = N * B * c.order;
    this.data = new BlockData(arena, k, b, gen.rng, c, () => b.model.header);
    this.edges = Array.from({ length: HIST_BINS - 1 }, (_, i) => k.exp(((i + 1) * LN10) / 10));
    let rareTypes = 0;
    for (const f of rare) rareTypes += f;
    this.facts = {
      vocabulary: V,
      trainTokens: corpus.train.length,
      trainBlocks: N,
      validationTokens: corpus.validation.length,
      testTokens: c.testTokens,
      documents: corpus.used,
      corpusDocuments: corpus.available,
      rareTypes,
    };
  }

  /** Fits a model to the gathered text, counting in slices of blocks. */
  private fitText(m: number, n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    k.lmFitStart(m);
    const p = sliced(this.textBlocks, this.data.blocksPerSlice, ctx.yieldIfDue, (from, count) => {
      if (k.lmCount(m, b.text + 4 * from * c.block, count, c.block, c.prompt) < 0) throw new Error('lm: the n-gram table is full (the layout sized it too small)');
    });
    const finish = () => {
      k.lmFitFinish(m);
      if (k.lmFallback(m)) ctx.event('discount-fallback', n);
    };
    if (p) return p.then(finish);
    finish();
  }

  /** Generation 0: the real training blocks are the store's first blocks and the first training set; model 0 is fitted to them. */
  drawRealData(ctx: StepContext): MaybeAsync {
    const { arena, b, c } = this;
    arena.i32(b.store, this.realTrain.length).set(this.realTrain);
    const d = this.data;
    d.cursor = 0;
    d.poolN = 0;
    d.startTraining();
    const list = arena.i32(b.list, c.trainBlocks);
    for (let j = 0; j < c.trainBlocks; j++) list[j] = j;
    d.size = c.trainBlocks;
    this.gather();
    return this.fitText(b.model0.header, 0, ctx);
  }

  /** The training set's blocks, in list order, as one text (what the next fit counts and the digest hashes). */
  private gather(): void {
    const { k, b, c } = this;
    this.textBlocks = this.data.size;
    const len = this.textBlocks * c.block;
    k.lmGather(b.store, b.list, this.textBlocks, c.block, b.text);
    this.arena.i32(b.text + 4 * len, 1)[0] = 0;
  }

  built(n: number): void {
    if (n > 0) this.gather();
  }

  /** Model n from generation n-1's text, which enters the digest (token ids as f64 pairs). */
  fit(n: number, ctx: StepContext): MaybeAsync {
    const len = this.textBlocks * this.c.block;
    ctx.hash(this.arena.f64(this.b.text, (len + (len & 1)) / 2));
    return this.fitText(this.b.model.header, n, ctx);
  }

  /** Perplexity of model n on the test text (n = 0: model 0), and its n-gram count. */
  recordModel(t: MetricTable, slot: number, n: number): void {
    const { k, b, c } = this;
    const m = n === 0 ? b.model0.header : b.model.header;
    k.lmBlockLogProbs(m, b.test, 1, c.testTokens, 0, b.out);
    k.lmPerplexities(b.out, 1, c.testTokens);
    t.set('testPerplexity', slot, this.arena.f64(b.out, 1)[0]);
    t.set('ngrams', slot, k.lmEntries(m) - 2);
  }

  /**
   * Generation n's text (its training set; n = 0: the real blocks): each
   * block's perplexity under model 0 over its written positions, as
   * quantiles; distinct tokens, type/token ratio and the share of rare tokens
   * over the same positions; distinct-1/2/3 and repeated 4-grams (diversity.ts).
   */
  recordData(t: MetricTable, slot: number, _n: number, ctx: StepContext): MaybeAsync {
    const { k, b, c } = this;
    const blocks = this.textBlocks;
    const scored = sliced(blocks, this.data.blocksPerSlice, ctx.yieldIfDue, (from, count) => {
      k.lmBlockLogProbs(b.model0.header, b.text + 4 * from * c.block, count, c.block, c.prompt, b.perBlock + 8 * from);
    });
    // the n-grams, in slices too: the pool under accumulate grows with the generations
    const diversity = new DiversityCount(this.arena.i32(b.text, blocks * c.block), blocks, c.block, c.prompt);
    const counted = () => sliced(diversity.units, this.data.blocksPerSlice, ctx.yieldIfDue, (from, count) => diversity.count(from, count));
    const finish = () => {
      k.lmPerplexities(b.perBlock, blocks, c.block - c.prompt);
      k.sortF64(b.perBlock, blocks);
      const sorted = this.arena.f64(b.perBlock, blocks);
      // nearest rank: the ceil(q n)-th smallest
      const q = (x: number) => sorted[Math.max(0, Math.ceil(x * blocks) - 1)];
      t.set('seqPplP10', slot, q(0.1));
      t.set('seqPplP50', slot, q(0.5));
      t.set('seqPplP90', slot, q(0.9));
      t.set('seqPplP99', slot, q(0.99));
      // the sorted perplexities fill the bins in order
      let bin = 0;
      let inBin = 0;
      for (let i = 0; i < blocks; i++) {
        while (bin < HIST_BINS - 1 && sorted[i] >= this.edges[bin]) {
          t.set(histMetric(bin), slot, inBin / blocks);
          bin++;
          inBin = 0;
        }
        inBin++;
      }
      for (; bin < HIST_BINS; bin++, inBin = 0) t.set(histMetric(bin), slot, inBin / blocks);
      k.lmTextStats(b.text, blocks, c.block, c.prompt, c.vocabulary, b.rare, b.mark, b.out);
      const o = this.arena.f64(b.out, STATS_OUT);
      t.set('types', slot, o[0]);
      t.set('typeTokenRatio', slot, o[0] / o[2]);
      t.set('rareShare', slot, o[1] / o[2]);
      const d = diversity.result();
      t.set('distinct1', slot, d.distinct1);
      t.set('distinct2', slot, d.distinct2);
      t.set('distinct3', slot, d.distinct3);
      t.set('repeat4', slot, d.repeat4);
    };
    if (scored) return scored.then(counted).then(finish);
    const p = counted();
    if (p) return p.then(finish);
    finish();
  }
}

export { BlockData };
