// bench:matrix's merged table: the same benchmark run in several runtimes,
// side by side. Pure functions of the records (the figures draw the same JSON).
import type { BenchRecord } from './report.js';
import { geomean } from './stats.js';

/** One runtime's outcome: its record, or why it did not run. */
export type MatrixEntry = { runtime: string; record: BenchRecord } | { runtime: string; skipped: string };

export interface MatrixRecord {
  tool: 'collapse-bench';
  kind: 'bench-matrix';
  format: 1;
  startedAt: string;
  /** What each runtime's benchmark was asked for (argv of npm run bench). */
  benchArgs: string[];
  entries: MatrixEntry[];
  /** True when every runtime that ran has the same gate digest. */
  digestsAgree: boolean;
}

const BACKENDS = ['js', 'wasm', 'wasm-simd'] as const;
type Ran = { runtime: string; record: BenchRecord };
const ran = (m: MatrixRecord): Ran[] => m.entries.filter((e): e is Ran => 'record' in e);

/** Every runtime's gate digest is the same, and so is the digest of the file-reading cases where they ran. */
export function digestsAgree(entries: MatrixEntry[]): boolean {
  const records = entries.filter((e): e is Ran => 'record' in e).map((e) => e.record);
  const files = records.map((r) => r.gateDigestFiles).filter((d) => typeof d === 'string');
  return new Set(records.map((r) => r.gateDigest)).size <= 1 && new Set(files).size <= 1;
}

/** "node 20.20.2, V8 11.3.244.8-node.38": a column's label. */
export function label(r: BenchRecord): string {
  const e = r.environment;
  const engine = e.engine.replace(/^JavaScriptCore ([0-9a-f]{12})[0-9a-f]+$/, 'JavaScriptCore $1');
  return `${e.runtime === 'browser' ? '' : `${e.runtime} `}${e.runtimeVersion}, ${engine}`;
}

export function renderMatrix(m: MatrixRecord): string {
  const runs = ran(m);
  const out: string[] = [`collapse-bench bench:matrix (npm run bench -- ${m.benchArgs.join(' ')} in each runtime), ${m.startedAt}`];
  const cpus = new Set(runs.map((r) => r.record.fingerprint.machine.cpu));
  out.push(`cpu: ${[...cpus].join(' / ')}`);
  runs.forEach((r, i) => out.push(`[${i + 1}] ${label(r.record)} (1-min load ${fmt(r.record.settings.loadAverage.start)} at start)`));
  for (const e of m.entries) if ('skipped' in e) out.push(`skipped ${e.skipped}`);
  if (!runs.length) return out.join('\n');
  const heads = runs.map((_, i) => `[${i + 1}]`);

  out.push('', `digest agreement (SHA-256 over every case's outputs): ${m.digestsAgree ? 'all runtimes agree' : 'RUNTIMES DIFFER'}`);
  out.push(table(['', ...heads], [['gate digest', ...runs.map((r) => r.record.gateDigest.slice(0, 16))], ['cases reading files', ...runs.map((r) => r.record.gateDigestFiles?.slice(0, 16) ?? 'skipped')]]));

  const cases = runs[0].record.warm.map((c) => c.spec.id);
  const caseOf = (r: Ran, id: string) => r.record.warm.find((c) => c.spec.id === id);
  out.push('', 'warm throughput, items/s (median over rounds), per kernel case and backend');
  const rows: string[][] = [];
  for (const id of cases) for (const b of BACKENDS) rows.push([id, b, ...runs.map((r) => rate(caseOf(r, id)?.summary.samplesPerSecond[b]))]);
  out.push(table(['case', 'backend', ...heads], rows));

  out.push('', 'wasm / js and wasm-simd / js per runtime (median per-round speed-up; > 1: WASM faster)');
  const wj = cases.map((id) => [id, ...runs.flatMap((r) => [caseOf(r, id)?.summary.ratios.wasmVsJs.median, caseOf(r, id)?.summary.ratios.simdVsJs.median].map(x))]);
  wj.push(['geometric mean', ...runs.flatMap((r) => [r.record.overall?.wasmVsJs, r.record.overall?.simdVsJs].map(x))]);
  out.push(table(['case', ...runs.flatMap((_, i) => [`${heads[i]} wasm`, `${heads[i]} simd`])], wj));

  if (runs.length > 1) {
    out.push('', `runtime against runtime: throughput relative to ${heads[0]} (> 1: faster than ${heads[0]})`);
    const rel = (r: Ran, id: string, b: (typeof BACKENDS)[number]) => {
      const base = caseOf(runs[0], id)?.summary.latencyMs[b];
      const mine = caseOf(r, id)?.summary.latencyMs[b];
      return base && mine ? base / mine : undefined;
    };
    const rr: string[][] = [];
    for (const id of cases) for (const b of BACKENDS) rr.push([id, b, ...runs.slice(1).map((r) => x(rel(r, id, b)))]);
    for (const b of BACKENDS) {
      rr.push([`geometric mean`, b, ...runs.slice(1).map((r) => x(geomean(cases.map((id) => rel(r, id, b)).filter((v): v is number => v !== undefined))))]);
    }
    out.push(table(['case', 'backend', ...heads.slice(1)], rr));
  }

  out.push('', 'cold start, median ms (fresh: no in-process cache can hit; the js backend needs a file system, so not in a browser)');
  out.push(table(['backend', ...heads], BACKENDS.map((b) => [b, ...runs.map((r) => (r.record.cold ? fmt(r.record.cold.variants.fresh[b].medianMs) : '-'))])));

  out.push('', 'overhead apart from the work: harness per sample, one noop kernel call per backend, timer step (ns)');
  const ov = (r: Ran, f: (o: NonNullable<BenchRecord['overhead']>) => number) => (r.record.overhead ? fmt(f(r.record.overhead)) : '-');
  out.push(
    table(
      ['', ...heads],
      [
        ['harness / sample', ...runs.map((r) => ov(r, (o) => o.harnessNsPerSample))],
        ...BACKENDS.map((b) => [`call ${b}`, ...runs.map((r) => ov(r, (o) => o.callNs[b]))]),
        ['timer step', ...runs.map((r) => ov(r, (o) => o.timerResolutionNs))],
      ],
    ),
  );
  const fast = runs.flatMap((r, i) => r.record.tooFast.map((t) => `${heads[i]} ${t.case} on ${t.backend}: ${t.reason}`));
  if (fast.length) out.push('', 'WARNING: too fast to time reliably:', ...fast.map((f) => `  ${f}`));
  return out.join('\n');
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i < 2 && isNaN(parseFloat(c)) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const x = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : `${v.toFixed(2)}x`);
function rate(v: number | undefined): string {
  if (v === undefined) return '-';
  if (v >= 1e9) return `${fmt(v / 1e9)} G`;
  if (v >= 1e6) return `${fmt(v / 1e6)} M`;
  return `${fmt(v / 1e3)} k`;
}
