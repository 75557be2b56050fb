// The benchmark's record (written as JSON by record-file.ts) and its text
// tables. No Node modules here: the browser runner renders them too.
import type { BackendName } from '../src/kernels/abi.js';
import type { EnvironmentFacts } from '../src/results/types.js';
import type { KernelBuildFacts } from '../src/kernels/backend.js';
import type { ColdResult } from './cold.js';
import type { GateResult } from './gate.js';
import type { Options } from './options.js';
import type { Spread } from './stats.js';
import { CONTENDED_WAIT_FRACTION } from './contention.js';
import { fmtNs, HARNESS_SHARE, TIMER_STEPS, type OverheadResult } from './overhead.js';
import type { Ratios, WarmCase } from './warm.js';

/** Which machine, runtime and build a record measured: `bench compare` checks them. */
export interface Fingerprint {
  machine: { cpu: string; cores: number; os: string };
  runtime: { name: string; version: string; engine: string };
  /** The package version, the commit (when known) and the SHA-256 of each kernel build. */
  build: { version: string; commit: string | null; wasm: string; simd: string; js: string };
}

/** A case whose figure is not reliable, and why (see overhead.ts). */
export interface TooFast {
  case: string;
  backend: string;
  reason: string;
}

export interface BenchRecord {
  tool: 'collapse-bench';
  kind: 'kernel-bench';
  /** 2: adds fingerprint, gateDigest, overhead, tooFast. */
  format: 2;
  version: string;
  startedAt: string;
  durationS: number;
  environment: EnvironmentFacts;
  kernels: KernelBuildFacts;
  fingerprint: Fingerprint;
  settings: Options & {
    tinybench: string;
    timestampProvider: string;
    orderRotatedEachRound: true;
    contendedWaitFraction: number;
    cores: number;
    /** os.loadavg()[0]: other processes share this machine. */
    loadAverage: { start: number; end: number };
  };
  gate: GateResult[];
  /** SHA-256 over the outputs of every case that reads no files (the same on every backend): equal in every runtime. */
  gateDigest: string;
  /** The same over the cases that read files (lm's corpus); null where they were skipped (a browser) or not selected. */
  gateDigestFiles?: string | null;
  cold: ColdResult | null;
  /** The harness's own cost, a noop kernel call's cost and the timer's step, apart from the work. */
  overhead: OverheadResult | null;
  warm: WarmCase[];
  /** Cases too fast to time reliably on a backend. */
  tooFast: TooFast[];
  /** Geometric mean over cases of the median per-round speed-ups. */
  overall: Ratios | null;
  memory: MemoryFacts | null;
}

const NAMES: BackendName[] = ['js', 'wasm', 'wasm-simd'];

export function renderHeader(env: EnvironmentFacts, kernels: KernelBuildFacts, startedAt: string, o: BenchRecord['settings'], commit: string | null = null): string {
  const w = o.warm;
  return [
    `collapse-bench kernel benchmark (${o.smoke ? 'smoke' : o.quick ? 'quick' : 'full'} run${o.only ? `, only ${o.only}` : ''})${commit ? `, commit ${commit.slice(0, 12)}` : ''}`,
    `runtime  ${env.runtime} ${env.runtimeVersion}, engine ${env.engine}`,
    `cpu      ${env.cpu}, ${env.platform}`,
    `date     ${startedAt}`,
    `kernels  AssemblyScript ${kernels.assemblyscript}; wasm ${kernels.wasm.scalar.bytes} B (sha256 ${kernels.wasm.scalar.sha256.slice(0, 12)}), simd ${kernels.wasm.simd.bytes} B (${kernels.wasm.simd.sha256.slice(0, 12)}), js ${kernels.js.sha256.slice(0, 12)}`,
    `tinybench ${o.tinybench}: time ${w.time} ms, warmupTime ${w.warmupTime} ms, warmupIterations ${w.warmupIterations}, iterations ${w.iterations} (min) per task and round;`,
    `         ${w.rounds} rounds per case (up to ${w.extraRounds} re-runs), each a Bench of the 3 backends (order rotated every round); timer ${o.timestampProvider || '?'}`,
    `load     1-min load average ${o.loadAverage.start.toFixed(2)} at start, ${o.loadAverage.end.toFixed(2)} at the end (${o.cores} cores)`,
  ].join('\n');
}

export function renderGate(gate: GateResult[], digest = ''): string {
  const bad = gate.filter((g) => !g.identical);
  const cases = new Set(gate.map((g) => g.case)).size;
  if (!bad.length) return `correctness gate: ${cases} cases, wasm and wasm-simd bit-identical to js (outputs and generator state); digest ${digest.slice(0, 16)}`;
  return ['correctness gate FAILED, nothing was timed:', ...bad.map((g) => `  ${g.case} on ${g.backend}: ${g.detail}`)].join('\n');
}

export function renderCold(c: ColdResult): string {
  const rows = (['fresh', 'repeat'] as const).flatMap((v) =>
    NAMES.map((n) => {
      const s = c.variants[v][n];
      const p = s.medianPhases;
      const wait = s.medianWaitMs === null ? '-' : ms(s.medianWaitMs);
      return [v === 'fresh' ? 'fresh (no cache)' : 'repeat (caches may hit)', n, ms(s.medianMs), ms(s.minMs), ms(p.load), ms(p.setup), ms(p.firstCall), wait];
    }),
  );
  return [
    `cold start: ${c.case}, ${c.reps} repetitions per row (ms; backends interleaved); the phases are medians of their own`,
    table(['variant', 'backend', 'median ms', 'min ms', 'load', 'setup', 'first call', 'cpu wait'], rows, [false, false, true, true, true, true, true, true]),
    `  wasm = ${c.includes.wasm}`,
    `  js   = ${c.includes.js}`,
    `  "fresh": unique WASM bytes (extra custom section) and unique JS sources (extra comment), so V8's in-process`,
    `  caches of compiled WASM and of scripts cannot hit. "repeat": the exact bytes/sources the warm backends already`,
    `  loaded in this process (the JS copy sits at a new path). The JS figures still profit from a warmed-up module loader`,
    `  and file-system cache; a first start in a new process would be slower for both.`,
    `  cpu wait: median time the main thread sat runnable without a CPU during a run (other processes, V8's own`,
    `  background threads); it is included in the times, which is why min is shown beside the median.`,
    `  checks: cold outputs equal warm js ${yes(c.outputsMatch)}; each JS copy had its own memory ${yes(c.jsMemoryIsolated)};` +
      ` import('index.js?cold=N') would have shared the kernel modules ${yes(c.queryImportSharesKernelModules)}`,
  ].join('\n');
}

export function renderWarm(cases: WarmCase[], overall: Ratios | null): string {
  const lat = cases.map((c) => [
    c.spec.id,
    mib(c.kernelBytes),
    String(c.spec.calls),
    roundsCell(c),
    ...NAMES.map((n) => us(c.summary.latencyMs[n])),
    ...NAMES.map((n) => rate(c.summary.samplesPerSecond[n])),
  ]);
  const rat = cases.map((c) => [c.spec.id, ratio(c.summary.ratios.wasmVsJs), ratio(c.summary.ratios.simdVsJs), ratio(c.summary.ratios.simdVsWasm)]);
  const out = [
    'warm latency per kernel call (median over rounds of tinybench p50) and items/s = work items per call (points, draws, pairs, rows) / latency;',
    'memory = kernel memory the case lays out (its buffers and the generator state, the same on every backend)',
    table(['case', 'memory', 'calls/sample', 'rounds', 'js us', 'wasm us', 'simd us', 'js /s', 'wasm /s', 'simd /s'], lat, [false, true, true, true, true, true, true, true, true, true]),
    `  rounds: used of run; a round in which the main thread waited more than ${CONTENDED_WAIT_FRACTION * 100}% of its time for a CPU (other`,
    `  processes) is re-run; "!" counts contended rounds used anyway because the re-run budget ran out.`,
    '',
    'warm speed-up, per round = latency ratio in that round (> 1: the second-named is faster); median [min-max] over rounds',
    table(['case', 'wasm vs js', 'simd vs js', 'simd vs wasm'], rat, [false, true, true, true]),
  ];
  if (overall) {
    out.push(`geometric mean over ${cases.length} cases: wasm vs js ${overall.wasmVsJs.toFixed(2)}x, wasm-simd vs js ${overall.simdVsJs.toFixed(2)}x, wasm-simd vs wasm ${overall.simdVsWasm.toFixed(2)}x`);
  }
  return out.join('\n');
}

export function renderOverhead(o: OverheadResult, tooFast: TooFast[]): string {
  const calls = Object.entries(o.callNs).map(([n, ns]) => `${n} ${fmtNs(ns)}`).join(', ');
  const out = [
    `overhead, apart from the work (median over ${o.rounds} rounds of tinybench p50):`,
    `  harness: ${fmtNs(o.harnessNsPerSample)} per sample (an empty task: two clock reads and tinybench's loop); timer step ${fmtNs(o.timerResolutionNs)}`,
    `  one kernel call that does nothing (noop, ${o.noopCallsPerSample} per sample, harness subtracted): ${calls}`,
    `  the latencies above include both: a sample pays the harness once, every kernel call pays the call once`,
  ];
  if (!tooFast.length) {
    out.push(`  no case is too fast to time (threshold: harness > ${HARNESS_SHARE * 100}% of a sample, or a sample < ${TIMER_STEPS} timer steps)`);
  } else {
    out.push(`  WARNING: too fast to time reliably (harness > ${HARNESS_SHARE * 100}% of a sample, or a sample < ${TIMER_STEPS} timer steps):`);
    for (const t of tooFast) out.push(`    ${t.case} on ${t.backend}: ${t.reason}`);
  }
  return out.join('\n');
}

/** The memory the process held: peak RSS and each backend's memory at the end. */
export interface MemoryFacts {
  /** Null where the runtime does not tell (a browser). */
  peakRssBytes: number | null;
  backendBytes: Record<string, number>;
}

export function renderMemory(m: MemoryFacts): string {
  const each = Object.entries(m.backendBytes).map(([name, b]) => `${name} ${mib(b)}`).join(', ');
  const rss = m.peakRssBytes === null ? 'unknown' : mib(m.peakRssBytes);
  return `memory: peak resident set ${rss} (the process: the runtime, the three backends, tinybench's samples); kernel memory ${each}`;
}

function mib(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function table(head: string[], rows: string[][], right: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const sig = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const us = (msValue: number) => sig(msValue * 1000);
const ms = (v: number) => sig(v);
const yes = (b: boolean) => (b ? 'yes' : 'NO');
function rate(perSecond: number): string {
  if (perSecond >= 1e9) return `${sig(perSecond / 1e9)} G`;
  if (perSecond >= 1e6) return `${sig(perSecond / 1e6)} M`;
  return `${sig(perSecond / 1e3)} k`;
}
function roundsCell(c: WarmCase): string {
  const s = c.summary;
  return `${s.roundsUsed} of ${s.attempts}${s.contendedUsed ? ` ${s.contendedUsed}!` : ''}`;
}
function ratio(s: Spread): string {
  return `${s.median.toFixed(2)} [${s.min.toFixed(2)}-${s.max.toFixed(2)}]`;
}
