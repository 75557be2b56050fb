// Benchmark figures from `npm run bench` JSON (bench/results/*.json): the
// throughput of each kernel case per backend, and, when the files come from
// several runtimes, each runtime's throughput as a ratio to the first's.
import { dotsChart, type Figure } from './charts.js';

/** The part of a bench JSON file the figures read. */
export interface BenchResult {
  kind: 'kernel-bench';
  /** The file it came from. */
  source?: string;
  environment: { runtime: string; runtimeVersion: string; cpu?: string };
  warm: { spec: { id: string }; summary: { samplesPerSecond: Record<string, number> } }[];
}

/** True for a parsed file that looks like `npm run bench` JSON. */
export function isBenchResult(x: unknown): x is BenchResult {
  const b = x as BenchResult;
  return b?.kind === 'kernel-bench' && typeof b.environment?.runtime === 'string' && Array.isArray(b.warm);
}

const runtimeOf = (b: BenchResult) => `${b.environment.runtime} ${b.environment.runtimeVersion}`;

export function benchFigures(benches: BenchResult[]): Figure[] {
  const figures: Figure[] = [];
  const several = new Set(benches.map(runtimeOf)).size > 1 || benches.length > 1;
  const rows = benches.flatMap((b, k) =>
    b.warm.flatMap((w) =>
      Object.entries(w.summary.samplesPerSecond ?? {})
        .filter(([, v]) => v > 0)
        .map(([backend, value]) => ({ row: w.spec.id, colour: backend, value, ...(several ? { facet: `${k + 1}: ${runtimeOf(b)}` } : {}) })),
    ),
  );
  const title = 'throughput per kernel case and backend';
  figures.push({
    id: 'bench-throughput',
    title,
    caption: `Items (samples, points, rows) per second, the median over rounds of the warm benchmark (npm run bench), log axis; ${benches.map((b, k) => `${k + 1}: ${runtimeOf(b)}${b.environment.cpu ? ` on ${b.environment.cpu}` : ''}${b.source ? ` (${b.source})` : ''}`).join('; ')}.`,
    spec: dotsChart(title, rows, 'items per second (log)', true),
  });
  const runtimes = [...new Set(benches.map(runtimeOf))];
  if (runtimes.length > 1) {
    // each runtime against the first file's, per case and backend present in both
    const base = benches[0];
    const baseOf = new Map(base.warm.flatMap((w) => Object.entries(w.summary.samplesPerSecond ?? {}).map(([be, v]) => [`${w.spec.id}|${be}`, v] as const)));
    const ratios = benches
      .filter((b) => runtimeOf(b) !== runtimeOf(base))
      .flatMap((b) =>
        b.warm.flatMap((w) =>
          Object.entries(w.summary.samplesPerSecond ?? {}).flatMap(([backend, v]) => {
            const v0 = baseOf.get(`${w.spec.id}|${backend}`);
            return v0 && v > 0 ? [{ row: w.spec.id, colour: backend, value: v / v0, facet: runtimeOf(b) }] : [];
          }),
        ),
      );
    const t = `throughput relative to ${runtimeOf(base)}`;
    figures.push({ id: 'bench-runtime-ratios', title: t, caption: `Each runtime's throughput divided by ${runtimeOf(base)}'s, per case and backend (above 1: faster), log axis.`, spec: dotsChart(t, ratios, `ratio to ${runtimeOf(base)} (log)`, true) });
  }
  return figures;
}
