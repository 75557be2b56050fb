// Replicate records -> the run summary, with the theory beside every metric.
// `run` and `show` both call this on the same numbers, so they print the same.
import type { GenerationSummary, MetricSummary, ReplicateRecord, RunHeader, RunSummary } from './types.js';
import type { TheoryRow } from '../theory/types.js';
import { describe } from '../util/stats.js';
import { familyOf } from '../families/index.js';
import type { Family } from '../families/family.js';
import { combineDigests } from '../util/hash.js';

function withTheory(values: (number | null)[], theory: TheoryRow | undefined, name: string): MetricSummary {
  const t = theory?.[name];
  return { ...describe(values), theoryMean: t?.mean ?? null, theoryMedian: t?.median ?? null, theoryLower: t?.lower ?? null, theoryUpper: t?.upper ?? null };
}

export function summarize(header: RunHeader, replicates: ReplicateRecord[], elapsedMs: number | null): RunSummary {
  const c = header.config;
  const family = familyOf(c.family) as unknown as Family<any>;
  const reps = [...replicates].sort((a, b) => a.replicate - b.replicate);
  const theory = family.theory(header);
  const names = Object.keys(reps[0]?.metrics ?? {});
  const generations: GenerationSummary[] = header.recorded.map((n, i) => ({
    n,
    samples: header.recordedSamples[i],
    metrics: Object.fromEntries(names.map((m) => [m, withTheory(reps.map((r) => r.metrics[m][i]), theory.rows[i], m)])),
  }));
  const finalNames = Object.keys(reps[0]?.finals ?? {});
  return {
    tool: 'collapse-bench',
    version: header.version,
    config: c,
    environment: header.environment,
    kernels: header.kernels,
    backend: c.backend,
    digest: combineDigests(reps.map((r) => r.digest)),
    replicatesCompleted: reps.length,
    complete: reps.length === c.replicates,
    elapsedMs,
    warnings: warningsOf(header, reps, family.eventText),
    bounds: theory.bounds,
    theoryNotes: theory.notes,
    finals: Object.fromEntries(finalNames.map((m) => [m, withTheory(reps.map((r) => r.finals![m]), theory.finals, m)])),
    extras: family.extras?.(header, reps) ?? {},
    generations,
  };
}

function warningsOf(header: RunHeader, reps: ReplicateRecord[], eventText: (kind: string) => string): string[] {
  const out: string[] = [];
  const kinds = [...new Set(reps.flatMap((r) => r.events.map((e) => e.kind)))].sort();
  for (const kind of kinds) {
    const hit = reps.flatMap((r) => r.events.filter((e) => e.kind === kind));
    const first = Math.min(...hit.map((e) => e.generation));
    out.push(`${hit.length} of ${reps.length} replicates: ${eventText(kind)}; first at generation ${first}`);
  }
  if (reps.length < header.config.replicates) out.push(`partial run: ${reps.length} of ${header.config.replicates} replicates`);
  return out;
}
