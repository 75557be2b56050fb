// `collapse-bench bench compare A.json B.json [--fail-above R]`: two kernel
// benchmark records (npm run bench, bench:matrix's runtimes) compared per
// kernel case and backend: the latency ratio B/A (of the medians over rounds),
// the exact Wilcoxon-Mann-Whitney test's p and the 95% interval of the ratio
// that inverts the same test (src/util/rank-test.ts: exact at 5 rounds, no
// resampling, so the same files print the same numbers). A case is slower
// when its interval is clear of 1, as issue 9 words the gate, which is
// exactly when p <= 0.05: the interval, p and the verdict agree. As a CI gate,
// --fail-above R fails on a case that is slower (so judged) by a ratio above
// R, and names it.
// The records' fingerprints (machine, runtime, build) say what differs: when
// more than the compared thing differs, the ratio mixes causes, and it warns.
import { readFileSync } from 'node:fs';
import type { OptionSpec } from '../config/spec.js';
import { parseArgv } from '../config/argv.js';
import { parseTypedOptions } from '../config/validate.js';
import { UsageError } from '../util/errors.js';
import { compareSamples, mannWhitneyCdf, medianOf, type RatioEstimate } from '../util/rank-test.js';
import { optionsHelp } from './help.js';

export const COMPARE_OPTIONS = [
  { name: 'fail-above', kind: 'number', min: 1, max: 100, help: 'exit 1 when a case is slower than this ratio (B/A latency) and judged slower (interval clear of 1, p <= 0.05)', arg: 'ratio' },
  { name: 'comparing', kind: 'enum', values: ['machine', 'runtime', 'build'], help: 'what the two records are meant to differ in (default: what their fingerprints say differs)' },
] as const satisfies readonly OptionSpec[];

const USAGE = `Usage: collapse-bench bench compare A.json B.json [--fail-above 1.10] [--comparing machine|runtime|build]

Per kernel case and backend: median latency in A and B, the ratio B/A (> 1: B is slower),
its 95% interval and the p-value of the exact Wilcoxon-Mann-Whitney test over the rounds;
slower or faster when the interval is clear of 1, which is when p <= 0.05.

Options:
${optionsHelp(COMPARE_OPTIONS)}`;

/** The parts of a bench record (bench/report.ts BenchRecord) that compare reads. */
interface Fingerprint {
  machine: Record<string, unknown>;
  runtime: Record<string, unknown>;
  build: Record<string, unknown>;
}
export interface CompareInput {
  kind: string;
  fingerprint?: Fingerprint;
  settings?: { quick?: boolean; smoke?: boolean };
  warm: { spec: { id: string }; rounds: { used: boolean; perCall: Record<string, { p50: number }> }[] }[];
}

export interface CompareRow {
  case: string;
  backend: string;
  /** Median per-call latency (ms) in A and B. */
  a: number;
  b: number;
  estimate: RatioEstimate;
  verdict: 'slower' | 'faster' | 'same';
  /** Judged slower, with a ratio beyond --fail-above. */
  failed: boolean;
}

export interface Comparison {
  rows: CompareRow[];
  warnings: string[];
  failed: CompareRow[];
}

const CATEGORIES = ['machine', 'runtime', 'build'] as const;
/** The test's level: 95% intervals, a verdict when p <= ALPHA. */
export const ALPHA = 0.05;

export async function cmdBenchCompare(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'compare') throw new UsageError(`bench: unknown subcommand '${sub}'; expected compare (the benchmark itself is npm run bench)`);
  const { values, positionals, help } = parseArgv(COMPARE_OPTIONS, rest, 'collapse-bench bench compare --help');
  if (help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('bench compare: expected two files, A.json B.json');
  const o = parseTypedOptions(COMPARE_OPTIONS, values);
  const [a, b] = positionals.map(readRecord);
  const result = compareRecords(a, b, { failAbove: o['fail-above'], comparing: o.comparing });
  console.log(renderComparison(positionals[0], positionals[1], result, o['fail-above']));
  return result.failed.length ? 1 : 0;
}

function readRecord(path: string): CompareInput {
  let data: CompareInput;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`bench compare: cannot read ${path}: ${(e as Error).message}`);
  }
  if (data?.kind !== 'kernel-bench' || !Array.isArray(data.warm)) throw new UsageError(`bench compare: ${path} is not a kernel benchmark record (npm run bench writes them)`);
  return data;
}

/** The rows, the fingerprint warnings and the cases that fail the gate. */
export function compareRecords(a: CompareInput, b: CompareInput, o: { failAbove?: number; comparing?: string } = {}): Comparison {
  const warnings = fingerprintWarnings(a, b, o.comparing);
  const rows: CompareRow[] = [];
  const fewRounds = new Set<string>();
  const inB = new Map(b.warm.map((c) => [c.spec.id, c]));
  const onlyOne = [...a.warm.filter((c) => !inB.has(c.spec.id)).map((c) => `${c.spec.id} (A)`), ...b.warm.filter((c) => !a.warm.some((x) => x.spec.id === c.spec.id)).map((c) => `${c.spec.id} (B)`)];
  if (onlyOne.length) warnings.push(`cases in one record only, not compared: ${onlyOne.join(', ')}`);
  for (const ca of a.warm) {
    const cb = inB.get(ca.spec.id);
    if (!cb) continue;
    for (const backend of Object.keys(ca.rounds[0]?.perCall ?? {})) {
      const la = used(ca).map((r) => r.perCall[backend]?.p50).filter((x): x is number => x > 0);
      const lb = used(cb).map((r) => r.perCall[backend]?.p50).filter((x): x is number => x > 0);
      if (la.length < 2 || lb.length < 2) {
        warnings.push(`${ca.spec.id} on ${backend}: fewer than 2 rounds on a side, not compared`);
        continue;
      }
      const estimate = compareSamples(la, lb, 1 - ALPHA);
      // issue 9: "slower beyond that ratio with its interval clear of 1"; the interval inverts the test, so this is p <= ALPHA too
      const verdict = estimate.low > 1 ? 'slower' : estimate.high < 1 ? 'faster' : 'same';
      const failed = o.failAbove !== undefined && verdict === 'slower' && estimate.ratio > o.failAbove;
      rows.push({ case: ca.spec.id, backend, a: medianOf(la), b: medianOf(lb), estimate, verdict, failed });
      // the smallest p these counts allow: every ratio on one side of 1
      if (2 * mannWhitneyCdf(la.length, lb.length)[0] > ALPHA) fewRounds.add(`${la.length} vs ${lb.length}`);
    }
  }
  for (const n of fewRounds) warnings.push(`${n} rounds: no split of so few rounds can reach p <= ${ALPHA}, so no case can be judged slower or faster (its interval is unbounded; a quick npm run bench has 5 rounds, a full one 13)`);
  return { rows, warnings, failed: rows.filter((r) => r.failed) };
}

const used = (c: CompareInput['warm'][number]) => c.rounds.filter((r) => r.used);

/** What differs between the fingerprints beyond what is compared. */
export function fingerprintWarnings(a: CompareInput, b: CompareInput, comparing?: string): string[] {
  if (!a.fingerprint || !b.fingerprint) return ['a record has no fingerprint (written before format 2): cannot tell whether machine, runtime and build match'];
  const diffs = CATEGORIES.map((c) => ({ c, fields: differing(a.fingerprint![c], b.fingerprint![c]) })).filter((d) => d.fields.length);
  const out: string[] = [];
  const compared = comparing ?? (diffs.length === 1 ? diffs[0].c : undefined);
  const others = diffs.filter((d) => d.c !== compared);
  if (others.length && (comparing || diffs.length > 1)) {
    out.push(`the records differ in more than ${compared ? `the ${compared}` : 'one thing'}: ${others.map((d) => `${d.c} (${d.fields.join(', ')})`).join('; ')}; the ratios mix these causes`);
  }
  const mode = (r: CompareInput) => (r.settings?.smoke ? 'smoke' : r.settings?.quick ? 'quick' : 'full');
  if (mode(a) !== mode(b)) out.push(`A is a ${mode(a)} run, B a ${mode(b)} run: different round lengths`);
  return out;
}

function differing(x: Record<string, unknown>, y: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => x[k] !== null && y[k] !== null && JSON.stringify(x[k]) !== JSON.stringify(y[k]));
}

export function renderComparison(pathA: string, pathB: string, c: Comparison, failAbove?: number): string {
  const head = ['case', 'backend', 'A us', 'B us', 'B/A', '95% interval', 'p', ''];
  const rows = c.rows.map((r) => [
    r.case,
    r.backend,
    us(r.a),
    us(r.b),
    r.estimate.ratio.toFixed(3),
    `[${bound(r.estimate.low)}, ${bound(r.estimate.high)}]`,
    // 3 significant digits: p = 0.0502 must not print as 0.050 beside no verdict
    r.estimate.p < 0.001 ? '<0.001' : r.estimate.p.toPrecision(3),
    r.failed ? `FAIL (> ${failAbove})` : r.verdict === 'same' ? '' : r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((x, i) => (i < 2 || i === 7 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
  const out = [
    `bench compare: A = ${pathA}, B = ${pathB}`,
    `latency per call, median over used rounds; B/A > 1: B is slower; interval and p: exact Wilcoxon-Mann-Whitney test over the rounds (slower/faster: interval clear of 1, i.e. p <= ${ALPHA})`,
    ...c.warnings.map((w) => `WARNING: ${w}`),
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  const slower = c.rows.filter((r) => r.verdict === 'slower').length;
  const faster = c.rows.filter((r) => r.verdict === 'faster').length;
  out.push(`${c.rows.length} compared: ${slower} slower, ${faster} faster (95% interval clear of 1, p <= ${ALPHA}), ${c.rows.length - slower - faster} within noise`);
  if (failAbove !== undefined) {
    out.push(c.failed.length ? `FAILED --fail-above ${failAbove}: ${c.failed.map((r) => `${r.case} on ${r.backend} (${r.estimate.ratio.toFixed(3)}x)`).join(', ')}` : `passed --fail-above ${failAbove}`);
  }
  return out.join('\n');
}

/** An interval bound to 3 decimals, more where 3 would print a bound just off 1 as 1.000 (the verdict reads the bound). */
function bound(x: number): string {
  if (x === Infinity) return 'inf';
  let dp = 3;
  while (dp < 8 && x !== 1 && Number(x.toFixed(dp)) === 1) dp++;
  return x.toFixed(dp);
}

const us = (ms: number) => {
  const v = ms * 1000;
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
};
