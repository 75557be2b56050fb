// `collapse-bench bench compare A.json B.json [--fail-above R]`: kernel
// benchmark records (npm run bench, bench:matrix's runtimes) compared per
// kernel case and backend: the latency ratio B/A (of the medians), the exact
// Wilcoxon-Mann-Whitney test's p and the 95% interval of the ratio that
// inverts the same test (src/util/rank-test.ts: exact at 5 rounds, no
// resampling, so the same files print the same numbers). A case is slower
// when its interval is clear of 1, as issue 9 words the gate, which is
// exactly when p <= 0.05: the interval, p and the verdict agree. As a CI gate,
// --fail-above R fails on a case that is slower (so judged) by a ratio above
// R, and names it.
// One record a side: the test runs over the rounds of one process each, and
// cannot see how a process's speed differs from the next one's. Several
// records a side (`A1 A2 ... vs B1 B2 ...`, each a process): over their
// medians, one per process, which it does see.
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
       collapse-bench bench compare A1.json A2.json ... vs B1.json B2.json ... [options]

Per kernel case and backend: median latency in A and B, the ratio B/A (> 1: B is slower),
its 95% interval and the p-value of the exact Wilcoxon-Mann-Whitney test; slower or faster
when the interval is clear of 1, which is when p <= 0.05. With one record a side the test
runs over the rounds of one process each, and does not see how much one process's speed
differs from the next one's (on a busy virtual machine, the same build in two processes was
judged up to 1.6x slower). With several records a side (npm run bench run several times),
it runs over their medians, one per process: 4 a side can give a verdict, 5 a side p = 0.008.

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
  /** What the test's samples are: the rounds of one record a side, or the records' medians. */
  unit: 'rounds' | 'records';
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
  const [pathsA, pathsB] = sides(positionals);
  if ((pathsA.length > 1 || pathsB.length > 1) && Math.min(pathsA.length, pathsB.length) < 2) {
    throw new UsageError(`bench compare: ${pathsA.length} record(s) against ${pathsB.length}: over records the test needs 2 a side at least (4 a side to reach p <= ${ALPHA}); or compare one against one`);
  }
  const o = parseTypedOptions(COMPARE_OPTIONS, values);
  const result = compareRecords(pathsA.map(readRecord), pathsB.map(readRecord), { failAbove: o['fail-above'], comparing: o.comparing });
  console.log(renderComparison(pathsA.join(' '), pathsB.join(' '), result, o['fail-above']));
  return result.failed.length ? 1 : 0;
}

/** The files of A and of B: `A B`, or `A1 A2 ... vs B1 B2 ...`. */
function sides(positionals: string[]): [string[], string[]] {
  const at = positionals.indexOf('vs');
  if (at < 0 && positionals.length === 2) return [[positionals[0]], [positionals[1]]];
  if (at > 0 && at < positionals.length - 1 && positionals.lastIndexOf('vs') === at) return [positionals.slice(0, at), positionals.slice(at + 1)];
  throw new UsageError('bench compare: expected two files, A.json B.json, or records a side, A1.json A2.json ... vs B1.json B2.json ...');
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

/**
 * The rows, the warnings and the cases that fail the gate. With one record a
 * side the samples are its rounds; with more on either side, each record's
 * median over its rounds (one value per process).
 */
export function compareRecords(a: CompareInput | CompareInput[], b: CompareInput | CompareInput[], o: { failAbove?: number; comparing?: string } = {}): Comparison {
  const A = [a].flat();
  const B = [b].flat();
  const perProcess = A.length > 1 || B.length > 1;
  const unit = perProcess ? 'records' : 'rounds';
  const warnings = [...sideWarnings('A', A), ...sideWarnings('B', B), ...fingerprintWarnings(A[0], B[0], o.comparing)];
  const rows: CompareRow[] = [];
  const few = new Set<string>();
  const all = [...A, ...B];
  const ids = [...new Set(all.flatMap((r) => r.warm.map((c) => c.spec.id)))];
  const partial = ids.filter((id) => !all.every((r) => r.warm.some((c) => c.spec.id === id)));
  if (partial.length) warnings.push(`cases not in every record, not compared: ${partial.join(', ')}`);
  for (const id of ids.filter((x) => !partial.includes(x))) {
    const cases = (side: CompareInput[]) => side.map((r) => r.warm.find((c) => c.spec.id === id)!);
    const [ca, cb] = [cases(A), cases(B)];
    for (const backend of Object.keys(ca[0].rounds[0]?.perCall ?? {})) {
      const rounds = (c: CompareInput['warm'][number]) => used(c).map((r) => r.perCall[backend]?.p50).filter((x): x is number => x > 0);
      const sample = (side: CompareInput['warm']) => (perProcess ? side.map(rounds).filter((r) => r.length).map(medianOf) : rounds(side[0]));
      const [la, lb] = [sample(ca), sample(cb)];
      if (la.length < 2 || lb.length < 2) {
        warnings.push(`${id} on ${backend}: fewer than 2 ${unit} on a side, not compared`);
        continue;
      }
      const estimate = compareSamples(la, lb, 1 - ALPHA);
      // issue 9: "slower beyond that ratio with its interval clear of 1"; the interval inverts the test, so this is p <= ALPHA too
      const verdict = estimate.low > 1 ? 'slower' : estimate.high < 1 ? 'faster' : 'same';
      const failed = o.failAbove !== undefined && verdict === 'slower' && estimate.ratio > o.failAbove;
      rows.push({ case: id, backend, a: medianOf(la), b: medianOf(lb), estimate, verdict, failed });
      // the smallest p these counts allow: every ratio on one side of 1
      if (2 * mannWhitneyCdf(la.length, lb.length)[0] > ALPHA) few.add(`${la.length} vs ${lb.length}`);
    }
  }
  for (const n of few) {
    warnings.push(
      `${n} ${unit}: no split of so few ${unit} can reach p <= ${ALPHA}, so no case can be judged slower or faster (its interval is unbounded; ${perProcess ? '4 records a side can' : 'a quick npm run bench has 5 rounds, a full one 13'})`,
    );
  }
  if (!perProcess && rows.some((r) => r.verdict !== 'same')) {
    warnings.push(
      "one record a side: the test sees the rounds of one process each, not how one process's speed differs from the next one's (the same build in two processes was judged 1.2 to 1.6x slower on a busy virtual machine); for verdicts that hold across processes, give several records a side: A1.json A2.json ... vs B1.json B2.json ...",
    );
  }
  return { rows, warnings, failed: rows.filter((r) => r.failed), unit };
}

/** Records of one side should differ only in their process: the same machine, runtime, build and mode. */
function sideWarnings(side: string, [first, ...rest]: CompareInput[]): string[] {
  return rest.flatMap((r, i) => {
    const diffs = [...(first.fingerprint && r.fingerprint ? CATEGORIES.filter((c) => differing(first.fingerprint![c], r.fingerprint![c]).length) : []), ...(mode(r) !== mode(first) ? ['run mode'] : [])];
    return diffs.length ? [`${side}'s record ${i + 2} differs from its first in ${diffs.join(', ')}`] : [];
  });
}

const used = (c: CompareInput['warm'][number]) => c.rounds.filter((r) => r.used);
const mode = (r: CompareInput) => (r.settings?.smoke ? 'smoke' : r.settings?.quick ? 'quick' : 'full');

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
    c.unit === 'rounds'
      ? `latency per call, median over used rounds; B/A > 1: B is slower; interval and p: exact Wilcoxon-Mann-Whitney test over the rounds (slower/faster: interval clear of 1, i.e. p <= ${ALPHA})`
      : `latency per call, median of the records' medians over their used rounds; B/A > 1: B is slower; interval and p: exact Wilcoxon-Mann-Whitney test over the records, one median per process (slower/faster: interval clear of 1, i.e. p <= ${ALPHA})`,
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
