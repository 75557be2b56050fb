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

export interface WarmSettings {
  rounds: number;
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
  round: number;
  /** Order the tasks ran in: rotated each round so no backend always runs first. */
  order: BackendName[];
  perCall: Record<BackendName, TaskRound>;
  timestampProvider: string;
  /** Speed-ups in this round (> 1: the second-named is faster). */
  ratios: Ratios;
}

export interface Ratios {
  wasmVsJs: number;
  simdVsJs: number;
  simdVsWasm: number;
}

export interface CaseSummary {
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
}

const RATIO_KEYS = ['wasmVsJs', 'simdVsJs', 'simdVsWasm'] as const;

/** Times one case in `settings.rounds` interleaved rounds. */
export async function timeCase(backends: Backend[], spec: CaseSpec, s: WarmSettings, progress: (msg: string) => void): Promise<WarmCase> {
  const arenas = backends.map((b) => new Arena(b));
  try {
    const prepared = new Map<string, PreparedCase>(backends.map((b, i) => [b.name, prepareCase(arenas[i], spec)]));
    const rounds: Round[] = [];
    for (let r = 0; r < s.rounds; r++) {
      progress(`warm  ${spec.id}  round ${r + 1}/${s.rounds}`);
      rounds.push(await timeRound(backends, prepared, spec, s, r));
    }
    return { spec, rounds, summary: summarize(spec, rounds) };
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
  await bench.run();

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
  return { round: r + 1, order, perCall, timestampProvider, ratios };
}

function summarize(spec: CaseSpec, rounds: Round[]): CaseSummary {
  const names = rounds[0].order;
  const latencyMs = {} as Record<BackendName, number>;
  const samplesPerSecond = {} as Record<BackendName, number>;
  for (const name of names) {
    latencyMs[name] = spread(rounds.map((r) => r.perCall[name].p50)).median;
    samplesPerSecond[name] = spec.n / (latencyMs[name] / 1000);
  }
  const ratios = Object.fromEntries(RATIO_KEYS.map((k) => [k, spread(rounds.map((r) => r.ratios[k]))])) as Record<keyof Ratios, Spread>;
  return { latencyMs, samplesPerSecond, ratios };
}

/** Geometric mean over cases of the per-case median speed-ups. */
export function overall(cases: WarmCase[]): Ratios {
  const g = (k: keyof Ratios) => geomean(cases.map((c) => c.summary.ratios[k].median));
  return { wasmVsJs: g('wasmVsJs'), simdVsJs: g('simdVsJs'), simdVsWasm: g('simdVsWasm') };
}
