// Replicate records -> the run summary, with the theory beside every metric.
// `run` and `show` both call this on the same numbers, so they print the same.
import type { GaussianMetric, GenerationSummary, ReplicateRecord, RunHeader, RunSummary } from './types.js';
import { describe } from '../util/stats.js';
import { gaussianBounds, gaussianTheory, gaussianTheoryNotes, type GaussianTheoryInput } from '../theory/gaussian.js';
import { samplesAt } from '../chain/schedule.js';
import { combineDigests } from '../util/hash.js';

export function theoryInput(header: RunHeader): GaussianTheoryInput {
  const c = header.config;
  return {
    dim: c.dim,
    mu0: c.mu0,
    sigma0Eigenvalues: header.sigma0Eigenvalues,
    estimator: c.estimator,
    policy: c.policy,
    bias: c.bias,
    samplesAt: (n) => samplesAt(c.schedule, c.samples, n),
  };
}

export function summarize(header: RunHeader, replicates: ReplicateRecord[], elapsedMs: number | null): RunSummary {
  const c = header.config;
  const reps = [...replicates].sort((a, b) => a.replicate - b.replicate);
  const inp = theoryInput(header);
  const theory = gaussianTheory(inp, header.recorded);
  const names = Object.keys(reps[0]?.metrics ?? {}) as GaussianMetric[];
  const generations: GenerationSummary[] = header.recorded.map((n, i) => {
    const metrics: GenerationSummary['metrics'] = {};
    for (const m of names) {
      const t = theory[i][m];
      metrics[m] = { ...describe(reps.map((r) => r.metrics[m]![i])), theoryMean: t?.mean ?? null, theoryMedian: t?.median ?? null };
    }
    return { n, samples: header.recordedSamples[i], metrics };
  });
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
    warnings: warningsOf(header, reps),
    bounds: gaussianBounds(inp, c.schedule),
    theoryNotes: gaussianTheoryNotes(inp),
    generations,
  };
}

function warningsOf(header: RunHeader, reps: ReplicateRecord[]): string[] {
  const out: string[] = [];
  if (header.config.dim >= header.config.samples) out.push(`dim ${header.config.dim} >= samples ${header.config.samples}: every fitted covariance is singular`);
  for (const kind of ['singular-covariance', 'zero-variance'] as const) {
    const hit = reps.flatMap((r) => r.events.filter((e) => e.kind === kind));
    if (!hit.length) continue;
    const first = Math.min(...hit.map((e) => e.generation));
    const what = kind === 'zero-variance' ? 'the fitted variance became exactly 0 (the chain is absorbed: every later sample equals the mean)' : 'the fitted covariance became singular (log-determinant -Infinity, reported as null)';
    out.push(`${hit.length} of ${reps.length} replicates: ${what}; first at generation ${first}`);
  }
  if (reps.length < header.config.replicates) out.push(`partial run: ${reps.length} of ${header.config.replicates} replicates`);
  return out;
}
