// What the benchmark itself costs, measured apart from the kernels' work:
//
// - the harness: tinybench timing an empty task, i.e. the cost of one sample
//   (two clock reads and tinybench's loop) that every sample of a case pays;
// - the call: one kernel call that does nothing (`noop`), per backend, i.e.
//   what crossing from the host into the kernels costs (a plain JS call for
//   js, the JS-to-WASM boundary for wasm and wasm-simd), net of the harness;
// - the timer's resolution: the smallest step performance.now() makes (a
//   browser coarsens it to 5-100 us).
//
// A case is too fast to time reliably when the harness costs more than
// HARNESS_SHARE of one of its samples, or a sample lasts less than
// TIMER_STEPS steps of the timer; the call cost is reported beside each
// latency (it is part of what a real run pays per kernel call).
import { Bench } from 'tinybench';
import type { BackendName } from '../src/kernels/abi.js';
import type { Backend } from '../src/kernels/backend.js';
import { median } from './stats.js';
import type { WarmSettings } from './warm.js';

/** Harness cost above this share of a sample makes a case too fast to time. */
export const HARNESS_SHARE = 0.01;
/** A sample shorter than this many timer steps is too coarse to time. */
export const TIMER_STEPS = 100;
/** noop calls per timed sample: the sample then lasts microseconds, far above the harness. */
const NOOP_CALLS = 1000;

export interface OverheadResult {
  /** Median over rounds of tinybench's p50 for an empty task: the harness cost per sample, ns. */
  harnessNsPerSample: number;
  /** Median over rounds of the p50 cost of one noop kernel call, harness subtracted, ns. */
  callNs: Record<BackendName, number>;
  /** Smallest positive step of performance.now() seen, ns. */
  timerResolutionNs: number;
  rounds: number;
  noopCallsPerSample: number;
}

/** Times the empty task and the noop calls in `rounds` rounds of one Bench each. */
export async function measureOverhead(backends: Backend[], s: WarmSettings, rounds: number): Promise<OverheadResult> {
  const harness: number[] = [];
  const calls = new Map<BackendName, number[]>(backends.map((b) => [b.name, []]));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ time: s.time / 2, warmupTime: s.warmupTime, warmupIterations: s.warmupIterations, iterations: s.iterations, throws: true });
    bench.add('empty', () => {});
    for (const b of backends) {
      const noop = b.kernels.noop;
      bench.add(b.name, () => {
        for (let i = 0; i < NOOP_CALLS; i++) noop();
      });
    }
    await bench.run();
    const p50 = (name: string) => {
      const res = bench.getTask(name)!.result;
      if (res.state !== 'completed') throw new Error(`bench: overhead task ${name} ended ${res.state}`);
      return res.latency.p50 * 1e6; // ms -> ns
    };
    const empty = p50('empty');
    harness.push(empty);
    for (const b of backends) calls.get(b.name)!.push(Math.max(0, p50(b.name) - empty) / NOOP_CALLS);
  }
  return {
    harnessNsPerSample: median(harness),
    callNs: Object.fromEntries([...calls].map(([n, xs]) => [n, median(xs)])) as Record<BackendName, number>,
    timerResolutionNs: timerResolutionNs(),
    rounds,
    noopCallsPerSample: NOOP_CALLS,
  };
}

/** The smallest positive difference between successive performance.now() readings, ns. */
function timerResolutionNs(): number {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best * 1e6;
}

/** Why a case's figure is unreliable, or undefined when it is fine. */
export function tooFast(sampleMs: number, o: OverheadResult): string | undefined {
  const sampleNs = sampleMs * 1e6;
  if (o.harnessNsPerSample > HARNESS_SHARE * sampleNs) {
    return `a sample (${fmtNs(sampleNs)}) is under ${1 / HARNESS_SHARE} x the harness cost (${fmtNs(o.harnessNsPerSample)})`;
  }
  if (sampleNs < TIMER_STEPS * o.timerResolutionNs) return `a sample (${fmtNs(sampleNs)}) is under ${TIMER_STEPS} timer steps (${fmtNs(o.timerResolutionNs)} each)`;
  return undefined;
}

export function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} us`;
  return `${ns.toPrecision(3)} ns`;
}
