// Training data as points in kernel memory, for the families whose data are
// points in R^d (gaussian, gmm, kde): the policy verbs over column-major
// buffers (coordinate a of point i at ptr + 8 (a ld + i)). The family gives
// how to draw from its model and from the truth; subsampling is the shared
// `subsample` kernel.
import type { KernelExports } from '../kernels/abi.js';
import type { Arena } from '../kernels/arena.js';
import type { Allocator } from './layout.js';
import { policyOf, type MaybeAsync, type PolicyName, type TrainingData } from './policies.js';

/** A block of points: `n` points with leading dimension `ld`. */
export interface Block {
  ptr: number;
  ld: number;
  n: number;
}

export interface PointSizes {
  d: number;
  /** Points of the real data (generation 0). */
  real: number;
  /** The largest training set a generation builds. */
  maxTrain: number;
  /** Points the pool must hold (0 without a pooling policy). */
  poolCapacity: number;
  /** Two training buffers, alternating: the model reads its training set while the next is written (kde). */
  doubleBuffer: boolean;
}

export interface PointBuffers {
  sizes: PointSizes;
  real: number;
  trainA: number;
  trainB: number;
  pool: number;
  index: number;
}

/**
 * Points the pool must hold: every generation's data, 0..G (the last one is
 * pooled too when a family builds it), or 0 for a policy without a pool.
 */
export function poolCapacity(policy: PolicyName, generations: number, samplesAt: (n: number) => number): number {
  if (!policyOf(policy, 0).pools) return 0;
  let n = 0;
  for (let g = 0; g <= generations; g++) n += samplesAt(g);
  return n;
}

export function allocPoints(a: Allocator, s: PointSizes): PointBuffers {
  const { d } = s;
  return {
    sizes: s,
    real: a.allocF64(d * s.real, 'real data'),
    trainA: a.allocF64(d * s.maxTrain, 'training set'),
    trainB: s.doubleBuffer ? a.allocF64(d * s.maxTrain, 'second training set') : 0,
    pool: s.poolCapacity ? a.allocF64(d * s.poolCapacity, 'pool of all samples') : 0,
    index: a.allocI32(Math.max(s.poolCapacity, s.real), 'subsampling index'),
  };
}

/** How a family draws points into a block at `ptr` (leading dimension ld). */
export interface PointSource {
  /** count points from the model fitted last. */
  sample(ptr: number, ld: number, count: number): void;
  /** count new points from the original distribution. */
  drawReal(ptr: number, ld: number, count: number): void;
  /** Rough work per point drawn (e.g. d^2 for a correlated Gaussian), to size the slices of a large draw. */
  pointCost: number;
}

type Draw = (ptr: number, ld: number, count: number) => void;

export class PointData implements TrainingData {
  /**
   * Work per kernel call before a draw is split into slices of points (the
   * kernels draw point after point from one stream, so the bits are the same)
   * with a chance for the event loop in between.
   */
  static sliceWork = 1 << 24;
  pace?: () => MaybeAsync;
  /** The current training set. */
  train: Block;
  /** The points drawn from the model last (the real data at generation 0). */
  synthetic: Block;
  /** The pool of every point so far (policies accumulate and accumulate-subsample). */
  readonly pool: Block;
  readonly real: Block;
  private target = 0;
  private filled = 0;
  protected readonly k: KernelExports;

  constructor(
    protected readonly arena: Arena,
    private readonly b: PointBuffers,
    private readonly rng: number,
    private readonly source: PointSource,
  ) {
    this.k = arena.backend.kernels;
    const s = b.sizes;
    this.real = { ptr: b.real, ld: s.real, n: s.real };
    this.pool = { ptr: b.pool, ld: s.poolCapacity, n: 0 };
    this.train = this.synthetic = this.real;
  }

  /** Generation 0: draws the real data, which is the first training set. */
  drawRealData(): MaybeAsync {
    this.train = this.synthetic = this.real;
    this.pool.n = 0;
    return this.draw(this.source.drawReal, this.real.ptr, this.real.ld, this.real.n);
  }

  startTraining(): void {
    const { trainA, trainB } = this.b;
    this.target = this.b.sizes.doubleBuffer && this.train.ptr === trainA ? trainB : trainA;
    this.filled = 0;
    this.train = { ptr: this.target, ld: this.b.sizes.maxTrain, n: 0 };
  }

  private next(): number {
    return this.target + 8 * this.filled;
  }

  private added(k: number): void {
    this.filled += k;
    this.train.n = this.filled;
  }

  addRealSubsample(k: number): void {
    const { real } = this;
    this.k.subsample(this.rng, real.ptr, real.ld, real.n, this.b.sizes.d, k, this.next(), this.train.ld, this.b.index);
    this.added(k);
  }

  addFreshReal(k: number): MaybeAsync {
    const ptr = this.next();
    this.added(k);
    return this.draw(this.source.drawReal, ptr, this.train.ld, k);
  }

  addSynthetic(k: number): MaybeAsync {
    const ptr = this.next();
    this.synthetic = { ptr, ld: this.train.ld, n: k };
    this.added(k);
    return this.draw(this.source.sample, ptr, this.train.ld, k);
  }

  addPoolSubsample(k: number): void {
    const { pool } = this;
    this.k.subsample(this.rng, pool.ptr, pool.ld, pool.n, this.b.sizes.d, k, this.next(), this.train.ld, this.b.index);
    this.added(k);
  }

  poolReal(): void {
    const { real, pool } = this;
    const f = this.arena.f64(0, this.arena.backend.buffer().byteLength >> 3);
    for (let a = 0; a < this.b.sizes.d; a++) f.copyWithin((pool.ptr >> 3) + a * pool.ld, (real.ptr >> 3) + a * real.ld, (real.ptr >> 3) + a * real.ld + real.n);
    pool.n = real.n;
  }

  poolSynthetic(k: number): MaybeAsync {
    const { pool } = this;
    const ptr = pool.ptr + 8 * pool.n;
    this.synthetic = { ptr, ld: pool.ld, n: k };
    const p = this.draw(this.source.sample, ptr, pool.ld, k);
    // the pool grows once the points are drawn (the model may be the pool itself)
    if (!p) pool.n += k;
    return p?.then(() => void (pool.n += k));
  }

  trainOnPool(): void {
    this.train = this.pool;
  }

  /** Draws count points at ptr, in slices when the draw is long. */
  private draw(fn: Draw, ptr: number, ld: number, count: number): MaybeAsync {
    const slice = Math.max(1, Math.floor(PointData.sliceWork / this.source.pointCost));
    if (count <= slice || !this.pace) return fn(ptr, ld, count);
    return this.drawInSlices(fn, ptr, ld, count, slice);
  }

  private async drawInSlices(fn: Draw, ptr: number, ld: number, count: number, slice: number): Promise<void> {
    for (let i = 0; i < count; i += slice) {
      fn(ptr + 8 * i, ld, Math.min(slice, count - i));
      const p = this.pace!();
      if (p) await p;
    }
  }
}
