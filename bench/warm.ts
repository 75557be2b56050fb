// Warm throughput. The machine drifts (each core switches between a fast and
// a ~1.5x slower state over tens of seconds), so the backends are never timed
// one after the other for long: each round is a small tinybench Bench holding
// all three backends' tasks, and the speed-ups are taken within a round.
import { Bench } from 'tinybench';
import type { BackendName } from '../src/kernels/abi.js';
import type { Backend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import { prepareCase, type CaseSpec, type PreparedCase } from './cases.js';
import { geomean, spread, type Spread } from './stats.js';
import { CONTENDED_WAIT_FRACTION, schedSample, waitBetween } from './contention.js';

export interface WarmSettings {
  /** Rounds per case that enter the summary. */
  rounds: number;
  /** How many contended rounds per case may be re-run (see contention.ts). */
  extraRounds: number;
  /** tinybench `time`: ms of timed samples per task and round (at least). */
  time: number;
  warmupTime: number;
  warmupIterations: number;
  /** tinybench `iterations`: minimum samples per task and round. */
  iterations: number;
}

/** Per-call latency (ms) of one task in one round, from tinybench's statistics. */
export interface TaskRound {
  p50: number;
  mean: number;
  min: number;
  max: number;
  rme: number;
  samples: number;
}

export interface Round {
  /** Attempt number within the case, from 1. */
  round: number;
  /** Order the tasks ran in: rotated each round so no backend always runs first. */
  order: BackendName[];
  perCall: Record<BackendName, TaskRound>;
  timestampProvider: string;
  /** Speed-ups in this round (> 1: the second-named is faster). */
  ratios: Ratios;
  wallMs: number;
  /** Time the main thread was runnable but had no CPU (null off Linux). */
  runQueueWaitMs: number | null;
  contended: boolean;
  /** Whether the round enters the summary. */
  used: boolean;
}

export interface Ratios {
  wasmVsJs: number;
  simdVsJs: number;
  simdVsWasm: number;
}

export interface CaseSummary {
  roundsUsed: number;
  /** Contended rounds that had to be used because the re-run budget ran out. */
  contendedUsed: number;
  /** Rounds run in all, re-runs included. */
  attempts: number;
  /** Median over rounds of the per-call p50 latency, ms. */
  latencyMs: Record<BackendName, number>;
  /** n / latency. */
  samplesPerSecond: Record<BackendName, number>;
  ratios: Record<keyof Ratios, Spread>;
}

export interface WarmCase {
  spec: CaseSpec;
  rounds: Round[];
  summary: CaseSummary;
  /** Bytes of kernel memory the case lays out (its buffers and the generator): the same on every backend. */
  kernelBytes: number;
}

const RATIO_KEYS = ['wasmVsJs', 'simdVsJs', 'simdVsWasm'] as const;

/** Times one case in `s.rounds` interleaved rounds, re-running contended ones (up to `s.extraRounds`). */
export async function timeCase(backends: Backend[], spec: CaseSpec, s: WarmSettings, progress: (msg: string) => void): Promise<WarmCase> {
  const arenas = backends.map((b) => new Arena(b));
  try {
    const prepared = new Map<string, PreparedCase>(backends.map((b, i) => [b.name, prepareCase(arenas[i], spec)]));
    const kernelBytes = arenas[0].used;
    const rounds: Round[] = [];
    let clean = 0;
    for (let a = 0; clean < s.rounds && a < s.rounds + s.extraRounds; a++) {
      const last = rounds[rounds.length - 1];
      const note = last?.contended ? `  (re-run: the last round waited ${last.runQueueWaitMs!.toFixed(0)} ms for a CPU)` : '';
      progress(`warm  ${spec.id}  round ${clean + 1}/${s.rounds}${note}`);
      const round = await timeRound(backends, prepared, spec, s, a);
      rounds.push(round);
      if (!round.contended) clean++;
    }
    chooseRounds(rounds, s.rounds);
    return { spec, rounds, summary: summarize(spec, rounds), kernelBytes };
  } finally {
    for (const a of arenas) a.release();
  }
}

async function timeRound(backends: Backend[], prepared: Map<string, PreparedCase>, spec: CaseSpec, s: WarmSettings, r: number): Promise<Round> {
  const order = backends.map((_, i) => backends[(i + r) % backends.length].name);
  const bench = new Bench({
    time: s.time,
    warmupTime: s.warmupTime,
    warmupIterations: s.warmupIterations,
    iterations: s.iterations,
    throws: true,
    // Each phase (warm-up, run) of each task starts from the same seed and model.
    setup: (task) => prepared.get(task!.name)!.reset(),
  });
  for (const name of order) bench.add(name, prepared.get(name)!.run);
  const before = schedSample();
  const t0 = performance.now();
  await bench.run();
  const wallMs = performance.now() - t0;
  const runQueueWaitMs = waitBetween(before, schedSample());

  const perCall = {} as Record<BackendName, TaskRound>;
  let timestampProvider = '';
  for (const name of order) {
    const res = bench.getTask(name)!.result;
    if (res.state !== 'completed') throw new Error(`bench: task ${name} of ${spec.id} ended ${res.state}${res.state === 'errored' ? `: ${res.error.message}` : ''}`);
    const lat = res.latency;
    perCall[name] = { p50: lat.p50 / spec.calls, mean: lat.mean / spec.calls, min: lat.min / spec.calls, max: lat.max / spec.calls, rme: lat.rme, samples: lat.samplesCount };
    timestampProvider = res.timestampProviderName;
  }
  const ratios: Ratios = {
    wasmVsJs: perCall.js.p50 / perCall.wasm.p50,
    simdVsJs: perCall.js.p50 / perCall['wasm-simd'].p50,
    simdVsWasm: perCall.wasm.p50 / perCall['wasm-simd'].p50,
  };
  const contended = runQueueWaitMs !== null && runQueueWaitMs > CONTENDED_WAIT_FRACTION * wallMs;
  return { round: r + 1, order, perCall, timestampProvider, ratios, wallMs, runQueueWaitMs, contended, used: false };
}

/** Marks the clean rounds used; if too few, adds the least contended ones. */
function chooseRounds(rounds: Round[], wanted: number): void {
  const byWait = [...rounds].sort((a, b) => Number(a.contended) - Number(b.contended) || (a.runQueueWaitMs ?? 0) / a.wallMs - (b.runQueueWaitMs ?? 0) / b.wallMs);
  for (const r of byWait.slice(0, wanted)) r.used = true;
}

function summarize(spec: CaseSpec, all: Round[]): CaseSummary {
  const rounds = all.filter((r) => r.used);
  const names = rounds[0].order;
  const latencyMs = {} as Record<BackendName, number>;
  const samplesPerSecond = {} as Record<BackendName, number>;
  for (const name of names) {
    latencyMs[name] = spread(rounds.map((r) => r.perCall[name].p50)).median;
    samplesPerSecond[name] = spec.n / (latencyMs[name] / 1000);
  }
  const ratios = Object.fromEntries(RATIO_KEYS.map((k) => [k, spread(rounds.map((r) => r.ratios[k]))])) as Record<keyof Ratios, Spread>;
  return { roundsUsed: rounds.length, contendedUsed: rounds.filter((r) => r.contended).length, attempts: all.length, latencyMs, samplesPerSecond, ratios };
}

/** Geometric mean over cases of the per-case median speed-ups. */
export function overall(cases: WarmCase[]): Ratios {
  const g = (k: keyof Ratios) => geomean(cases.map((c) => c.summary.ratios[k].median));
  return { wasmVsJs: g('wasmVsJs'), simdVsJs: g('simdVsJs'), simdVsWasm: g('simdVsWasm') };
}
