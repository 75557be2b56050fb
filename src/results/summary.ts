// Replicate records -> the run summary, with the theory beside every metric.
// `run`, `show` and a resumed run all feed the same SummaryBuilder, one
// record at a time, so they print the same and none holds the records.
import type { ExtrasAccumulator, GenerationSummary, MetricSummary, ReplicateRecord, RunHeader, RunSummary } from './types.js';
import type { FamilyTheory, TheoryRow } from '../theory/types.js';
import { cellStore, EXACT_BUDGET_BYTES, type CellStats, type CellStore } from './cells.js';
import { DigestStore } from './digests.js';
import { selectGenerations } from './select.js';
import type { PackedRecord } from './types.js';

/** A record as JSON.parse gives it, or as the byte reader does (Float64Arrays, NaN for null). */
type AnyRecord = ReplicateRecord | PackedRecord;

/** What the summary needs from a family (passed in: results do not import the registry). */
export interface SummaryFamily {
  theory(header: RunHeader): FamilyTheory;
  eventText(kind: string): string;
  extras?(header: RunHeader): ExtrasAccumulator;
}

function withTheory(s: CellStats, theory: TheoryRow | undefined, name: string): MetricSummary {
  const t = theory?.[name];
  // the fields one by one (a spread cost ~2 us a cell, and a summary has ~10^4)
  return {
    mean: s.mean,
    median: s.median,
    sd: s.sd,
    se: s.se,
    count: s.count,
    medianRankError: s.medianRankError,
    theoryMean: t?.mean ?? null,
    theoryMedian: t?.median ?? null,
    theoryLower: t?.lower ?? null,
    theoryUpper: t?.upper ?? null,
  };
}

export class SummaryBuilder {
  private readonly digests: DigestStore;
  private readonly extras: ExtrasAccumulator | undefined;
  /** Metric and final names, from the first record; every record must have the same. */
  private names: string[] | null = null;
  private finalNames: string[] = [];
  private cells: CellStore | null = null;
  /** Per event kind: how many events and the first generation. */
  private readonly events = new Map<string, { count: number; first: number }>();
  /**
   * Indices into header.recorded of the generations the summary covers (all of
   * them up to SUMMARY_GENERATIONS, else a log-scale selection): from the
   * header alone, so run, show and resume agree. Only these are accumulated.
   */
  private readonly shown: number[];
  private theoryRows: FamilyTheory | undefined;

  constructor(
    readonly header: RunHeader,
    private readonly family: SummaryFamily,
    private readonly budgetBytes = EXACT_BUDGET_BYTES,
  ) {
    this.digests = new DigestStore(header.config.replicates);
    this.extras = family.extras?.(header);
    this.shown = selectGenerations(header.recorded);
  }

  get count(): number {
    return this.digests.count;
  }

  has(r: number): boolean {
    return this.digests.has(r);
  }

  /** Replicate indices not added yet, in order. */
  missing(): Generator<number> {
    return this.digests.missing();
  }

  /**
   * Why `record` cannot join this run (null when it can): an index out of
   * range, a duplicate, or metrics that do not match the header and the first record.
   */
  reject(record: AnyRecord): string | null {
    const R = this.header.config.replicates;
    const r = record.replicate;
    if (!Number.isInteger(r) || r < 0 || r >= R) return `replicate index ${r} is out of range [0, ${R - 1}]`;
    if (this.digests.has(r)) return `replicate ${r} appears twice`;
    if (typeof record.digest !== 'string' || !/^[0-9a-f]{64}$/.test(record.digest)) return `replicate ${r} has no valid digest`;
    const names = Object.keys(record.metrics ?? {});
    const G = this.header.recorded.length;
    for (const m of names) {
      const xs: unknown = record.metrics[m];
      if (!(Array.isArray(xs) || xs instanceof Float64Array) || xs.length !== G) return `replicate ${r}: metric ${m} has ${record.metrics[m]?.length} values, the header records ${G} generations (another config?)`;
    }
    if (this.names && names.join() !== this.names.join()) return `replicate ${r} has metrics ${names.join(',')}, earlier ones ${this.names.join(',')} (another family or config?)`;
    const finals = Object.keys(record.finals ?? {});
    if (this.names && finals.join() !== this.finalNames.join()) return `replicate ${r} has finals ${finals.join(',')}, earlier ones ${this.finalNames.join(',')} (another family or config?)`;
    return null;
  }

  add(record: AnyRecord): void {
    const why = this.reject(record);
    if (why) throw new Error(why);
    if (!this.names) {
      this.names = Object.keys(record.metrics);
      this.finalNames = Object.keys(record.finals ?? {});
      this.cells = cellStore(this.names.length * this.shown.length + this.finalNames.length, this.header.config.replicates, this.budgetBytes);
    }
    const r = record.replicate;
    const shown = this.shown;
    const S = shown.length;
    const cells = this.cells!;
    this.names.forEach((m, k) => cells.addAt(k * S, r, record.metrics[m], shown));
    const base = this.names.length * S;
    this.finalNames.forEach((m, k) => cells.add(base + k, r, record.finals![m]));
    for (const e of record.events) {
      const s = this.events.get(e.kind);
      if (s) {
        s.count++;
        s.first = Math.min(s.first, e.generation);
      } else this.events.set(e.kind, { count: 1, first: e.generation });
    }
    // (extras read the finals and events, which both kinds of record share)
    this.extras?.add(record as ReplicateRecord);
    this.digests.set(r, record.digest);
  }

  /**
   * The theory of the generations shown (its rows follow the header's
   * recorded list), worked out once: from the header alone, so a run with
   * worker threads asks for it while they still work rather than after them.
   */
  theory(): FamilyTheory {
    const { header, shown } = this;
    this.theoryRows ??= this.family.theory(shown.length === header.recorded.length ? header : { ...header, recorded: shown.map((i) => header.recorded[i]), recordedSamples: shown.map((i) => header.recordedSamples[i]) });
    return this.theoryRows;
  }

  /** The summary of what was added; `notes` are extra warnings (e.g. a cut last line). */
  finish(elapsedMs: number | null, notes: string[] = []): RunSummary {
    const { header } = this;
    const c = header.config;
    const { shown } = this;
    const S = shown.length;
    const G = header.recorded.length;
    const theory = this.theory();
    const names = this.names ?? [];
    const stats = (cell: number): CellStats => this.cells!.stats(cell);
    const generations: GenerationSummary[] = shown.map((i, s) => ({
      n: header.recorded[i],
      samples: header.recordedSamples[i],
      metrics: Object.fromEntries(names.map((m, k) => [m, withTheory(stats(k * S + s), theory.rows[s], m)])),
    }));
    const base = names.length * S;
    const n = this.count;
    return {
      tool: 'collapse-bench',
      version: header.version,
      config: c,
      environment: header.environment,
      kernels: header.kernels,
      backend: c.backend,
      digest: this.digests.combined(),
      replicatesCompleted: n,
      complete: n === c.replicates,
      elapsedMs,
      medians: this.cells === null || this.cells.exact ? 'exact' : 'sketch',
      warnings: [...this.warnings(n), ...notes],
      bounds: theory.bounds,
      theoryNotes: theory.notes,
      finals: Object.fromEntries(this.finalNames.map((m, k) => [m, withTheory(stats(base + k), theory.finals, m)])),
      extras: this.extras?.result() ?? {},
      generationsRecorded: G,
      generations,
    };
  }

  private warnings(n: number): string[] {
    const out: string[] = [];
    for (const kind of [...this.events.keys()].sort()) {
      const { count, first } = this.events.get(kind)!;
      out.push(`${count} of ${n} replicates: ${this.family.eventText(kind)}; first at generation ${first}`);
    }
    if (n < this.header.config.replicates) out.push(`partial run: ${n} of ${this.header.config.replicates} replicates`);
    const G = this.header.recorded.length;
    if (this.shown.length < G) out.push(generationsWarning(this.shown.length, G));
    if (this.cells && !this.cells.exact) {
      out.push(`medians from a quantile sketch: the values of all replicates exceed the ${this.budgetBytes / 2 ** 20} MiB kept for exact medians; each metric states its rank-error bound (medianRankError)`);
    }
    return out;
  }
}

/** The warning of a summary that covers `shown` of the `recorded` generations. */
export function generationsWarning(shown: number, recorded: number): string {
  return `the summary shows ${shown} of ${recorded} recorded generations (the first, the last, the rest on a log scale); the JSONL file (--out) has every one`;
}

/** Summary of records already at hand (tests, small runs): the same builder. */
export function summarize(header: RunHeader, replicates: Iterable<ReplicateRecord>, elapsedMs: number | null, family: SummaryFamily): RunSummary {
  const b = new SummaryBuilder(header, family);
  for (const r of replicates) b.add(r);
  return b.finish(elapsedMs);
}
