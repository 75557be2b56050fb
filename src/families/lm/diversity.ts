// Diversity of a generation's written text, from its token ids (exact integer
// counts): distinct-n (Li et al. 2016: distinct n-grams over all n-grams) and
// the rate of repeated 4-grams (Welleck et al. 2020's "rep" family). The
// n-grams are those inside the written positions skip..B-1 of each block: none
// crosses a block boundary or takes a prompt token.
//
// An n-gram is numbered by the pair (number of its first n - 1 tokens, last
// token), order after order, in one open-addressing table of integers (as
// the kernels' n-gram model keys its counts): no string per n-gram. Keying
// by strings took 0.47 s of the 1.2 s of a default `run lm`, most of its
// garbage collection besides.

export interface Diversity {
  /** distinct n-grams / n-grams, n = 1, 2, 3, over the whole text */
  distinct1: number;
  distinct2: number;
  distinct3: number;
  /** 4-gram positions whose 4-gram occurred earlier in the same block / 4-gram positions */
  repeat4: number;
}

/**
 * The metrics of a text, counted a slice at a time: the work is 4 nBlocks
 * units, order n = 1..4 one after another, block after block within each, and
 * count() takes them in that order, so that a long text (the pool under
 * accumulate) lets Ctrl-C in between slices (model.ts). NaN where there are
 * no n-grams.
 */
export class DiversityCount {
  /**
   * Per slot (prefix + 2, token, last block seen), 0 when empty; an n-gram's
   * number is its slot's offset (unique, and a prefix of the next order).
   */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** At i + 1: the number of the (n-1)-gram ending at i (-1: the empty prefix of unigrams), and of the n-gram. */
  private prefixes: Int32Array;
  private numbers: Int32Array;
  private readonly distinct = [0, 0, 0, 0];
  private readonly total = [0, 0, 0, 0];
  private readonly repeats = [0, 0, 0, 0];
  /** Units counted so far. */
  private done = 0;
  /** The order being counted, and its counts so far. */
  private order = 1;
  private numbered = 0;
  private positions = 0;
  private again = 0;

  constructor(
    private readonly text: Int32Array,
    private readonly nBlocks: number,
    private readonly block: number,
    private readonly skip: number,
  ) {
    // at most nBlocks (block - skip) numbers an order: the table at most half full
    let slots = 16;
    while (slots < 2 * nBlocks * (block - skip)) slots *= 2;
    this.mask = slots - 1;
    this.table = new Int32Array(3 * slots);
    this.prefixes = new Int32Array(nBlocks * block + 1).fill(-1);
    this.numbers = new Int32Array(nBlocks * block + 1);
  }

  /** The units of work: an order over one block each. */
  get units(): number {
    return 4 * this.nBlocks;
  }

  /** Counts units [from, from + count), from being the first not counted yet. */
  count(from: number, count: number): void {
    if (from !== this.done) throw new Error(`DiversityCount: units ${from}.. after ${this.done} counted`);
    for (let u = from; u < from + count; u++) {
      const order = Math.floor(u / this.nBlocks) + 1;
      if (order !== this.order) this.nextOrder();
      this.countBlock(u - (order - 1) * this.nBlocks);
    }
    this.done = from + count;
    if (this.done === this.units) this.nextOrder();
  }

  result(): Diversity {
    const { distinct, total, repeats } = this;
    return {
      distinct1: distinct[0] / total[0],
      distinct2: distinct[1] / total[1],
      distinct3: distinct[2] / total[2],
      repeat4: repeats[3] / total[3],
    };
  }

  private nextOrder(): void {
    const k = this.order - 1;
    this.distinct[k] = this.numbered;
    this.total[k] = this.positions;
    this.repeats[k] = this.again;
    [this.prefixes, this.numbers] = [this.numbers, this.prefixes];
    this.table.fill(0);
    this.order++;
    this.numbered = this.positions = this.again = 0;
  }

  /**
   * The n-grams of the current order ending in block b, inside its written
   * positions (the same steps for every order: a branch taken only at n = 4
   * would send V8's optimised loop back to the interpreter).
   */
  private countBlock(b: number): void {
    const { table, mask, prefixes, numbers, text } = this;
    const end = table.length;
    let numbered = this.numbered;
    let again = this.again;
    const from = b * this.block + this.skip + this.order - 1;
    const to = (b + 1) * this.block;
    for (let i = from; i < to; i++) {
      const prefix = prefixes[i];
      const token = text[i];
      let h = Math.imul(prefix, 0x9e3779b1) ^ Math.imul(token, 0x85ebca77);
      h ^= h >>> 15;
      let s = 3 * (h & mask);
      while (table[s] !== 0 && (table[s] !== prefix + 2 || table[s + 1] !== token)) {
        s += 3;
        if (s === end) s = 0;
      }
      if (table[s] === 0) {
        numbered++;
        table[s] = prefix + 2;
        table[s + 1] = token;
        table[s + 2] = -1;
      }
      numbers[i + 1] = s;
      // seen earlier in this block
      if (table[s + 2] === b) again++;
      else table[s + 2] = b;
    }
    this.positions += Math.max(0, to - from);
    this.numbered = numbered;
    this.again = again;
  }
}
