// The chain engine: one replicate of any family. It seeds the replicate's
// stream, draws generation 0, runs the generations (fit, policy, record),
// hashes the trajectory, and yields to the event loop on the run's clock.
// A family supplies a ModelAdapter; everything here is the same for all.
import type { Arena } from '../kernels/arena.js';
import type { PackedRecord, ReplicateEvent } from '../results/types.js';
import type { ModelAdapter, StepContext } from './adapter.js';
import type { Policy } from './policies.js';
import type { Ticker } from './ticker.js';
import type { GeneratorBuffers } from './layout.js';
import { MetricTable, TrajectoryHasher } from './recorder.js';
import { recordedGenerations } from './generations.js';
import { seedGenerator, replicateKey } from '../rng/seed.js';

/** What the engine needs of a run's config. */
export interface ChainSettings {
  generations: number;
  every: number;
  seed: number | string;
  /** M_n, the size of generation n's training set. */
  samplesAt(n: number): number;
  /** Keep the fitted parameters at the recorded generations (`--params`). */
  params?: boolean;
}

/** Generations whose cost is below this many doubles look at the clock every 64th generation only. */
const SMALL_GENERATION = 4096;

/** The most generations one replaceSpan call may run (the clock is looked at between spans). */
const SPAN = 64;

export class ChainEngine {
  readonly facts: Record<string, unknown>;
  /** The metric names of every record, in order. */
  readonly metrics: readonly string[];
  private readonly recorded: number[];
  /** The last training set is built only when a hook looks at it. */
  private readonly buildsLast: boolean;
  private readonly clockMask: number;

  constructor(
    private readonly arena: Arena,
    private readonly gen: GeneratorBuffers,
    private readonly settings: ChainSettings,
    private readonly policy: Policy,
    private readonly model: ModelAdapter,
    /** Doubles per digest chunk: per-generation hashing calls would cost more than a small generation. */
    private readonly hashChunk = 1 << 12,
  ) {
    this.facts = model.facts;
    this.metrics = model.metrics;
    this.recorded = recordedGenerations(settings.generations, settings.every);
    this.buildsLast = Boolean(model.built || model.recordData);
    this.clockMask = model.generationCost < SMALL_GENERATION ? 63 : 0;
    this.spans = policy.name === 'replace' && model.replaceSpan !== undefined && model.built === undefined;
  }

  /** True when the model runs stretches of unrecorded `replace` generations itself. */
  private readonly spans: boolean;

  /** Runs replicate r; its stream is seeded by the key "<seed>:<r>" alone. */
  async runReplicate(r: number, ticker: Ticker): Promise<PackedRecord> {
    const { model, policy, settings, recorded } = this;
    const G = settings.generations;
    const table = new MetricTable(model.metrics, recorded.length, Boolean(settings.params));
    const hasher = new TrajectoryHasher(this.hashChunk);
    const events: ReplicateEvent[] = [];
    let stopped = null as 'repeat' | 'missing' | null;
    const ctx: StepContext = {
      hash: (values) => hasher.add(values),
      event(kind, generation, rank) {
        if (!events.some((e) => e.kind === kind)) events.push(rank === undefined ? { kind, generation } : { kind, generation, rank });
      },
      stop(fill) {
        stopped = fill;
      },
      yieldIfDue: () => (ticker.due() ? ticker.pause(generation) : undefined),
    };
    let generation = 0;
    model.data.pace = ctx.yieldIfDue;

    seedGenerator(this.arena, this.gen.rng, this.gen.key, replicateKey(settings.seed, r));
    // Generation 0: the real data is the first training set; model 0 is the original distribution.
    let p = model.drawRealData(ctx);
    if (p) await p;
    policy.init(model.data);
    model.built?.(0, ctx);
    p = model.recordModel?.(table, 0, 0, ctx);
    if (p) await p;
    p = model.recordData?.(table, 0, 0, ctx);
    if (p) await p;
    let slot = 1;

    // Hooks return a promise only when they have long work to split; awaiting
    // every generation would cost more than a small generation does.
    for (let n = 1; n <= G; n++) {
      generation = n;
      // unrecorded generations before the last, with one training-set size: the model may run a span of them
      if (this.spans && recorded[slot] !== n && n < G) {
        const last = Math.min(n + SPAN - 1, G - 1, slot < recorded.length ? recorded[slot] - 1 : G - 1);
        const m = settings.samplesAt(n);
        const ran = m === settings.samplesAt(last) ? model.replaceSpan!(n, last, m, ctx) : 0;
        if (ran > 0) {
          n += ran - 1;
          generation = n;
          if (ticker.due()) await ticker.pause(n);
          continue;
        }
      }
      p = model.fit(n, ctx);
      if (p) await p;
      const isRecorded = recorded[slot] === n;
      if (isRecorded) {
        p = model.recordModel?.(table, slot, n, ctx);
        if (p) await p;
      }
      if (stopped === 'repeat') {
        // the model can no longer change: its metrics stand for every later recorded generation
        if (!isRecorded && slot < recorded.length) {
          p = model.recordModel?.(table, slot, n, ctx);
          if (p) await p;
        }
        if (slot < recorded.length) table.fillFrom(slot);
        break;
      }
      if (n < G || this.buildsLast) {
        p = policy.build(model.data, settings.samplesAt(n));
        if (p) await p;
        model.built?.(n, ctx);
      }
      if (stopped === 'missing') {
        table.fillMissing(slot);
        break;
      }
      if (isRecorded) {
        p = model.recordData?.(table, slot, n, ctx);
        if (p) await p;
        slot++;
      }
      if ((n & this.clockMask) === 0 && ticker.due()) await ticker.pause(n);
    }
    const finals = model.finish?.(ctx);
    const params = table.paramsList();
    const images = table.imagesList();
    return { kind: 'replicate', replicate: r, digest: hasher.digest(), metrics: table.toPacked(), ...(finals ? { finals } : {}), events, ...(params ? { params } : {}), ...(images ? { images } : {}) };
  }
}
