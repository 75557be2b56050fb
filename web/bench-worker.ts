// The benchmark tab's Web Worker: bench/core.ts's runBenchmark (the kernel
// benchmark of `npm run bench`: correctness gate, harness overhead and no-op
// call cost, tinybench rounds with the backends interleaved) with a browser
// host, in a quick mode sized for a page (about 30 s), one message per case
// as it finishes. Cold start and memory are Node-only figures; the cases that
// read files (lm's corpus) are skipped.
import { environmentFacts } from '../src/util/env.js';
import { FILE_FAMILIES } from '../bench/cases.js';
import { runBenchmark } from '../bench/core.js';
import type { Options } from '../bench/options.js';
import type { BenchMessage } from './protocol.js';

/** Rounds shorter than `npm run bench -- --quick` (5 x 100 ms): rougher figures, under a minute. */
const BROWSER_QUICK: Options = { quick: true, smoke: false, coldReps: 0, warm: { rounds: 3, extraRounds: 0, time: 25, warmupTime: 10, warmupIterations: 2, iterations: 5 } };

const post = (m: BenchMessage) => (self as unknown as Worker).postMessage(m);

async function main(): Promise<void> {
  const t0 = performance.now();
  post({ type: 'start', environment: await environmentFacts(), settings: BROWSER_QUICK.warm, skipped: FILE_FAMILIES });
  const record = await runBenchmark(BROWSER_QUICK, {
    progress: (text) => post({ type: 'progress', text }),
    tinybench: 'bundled',
    cores: navigator.hardwareConcurrency ?? 0,
    loadAverage: () => NaN,
    commit: null,
    noFileSystem: true,
    onOverhead: (overhead) => post({ type: 'overhead', overhead }),
    onCase(c) {
      const s = c.summary;
      post({ type: 'case', id: c.spec.id, n: c.spec.n, samplesPerSecond: s.samplesPerSecond, simdVsJs: s.ratios.simdVsJs.median, wasmVsJs: s.ratios.wasmVsJs.median });
    },
  });
  const failures = record.gate.filter((g) => !g.identical).map((g) => `${g.case} on ${g.backend}: ${g.detail}`);
  if (failures.length) return post({ type: 'gate', failures });
  post({ type: 'done', elapsedMs: performance.now() - t0, tooFast: record.tooFast.map((t) => `${t.case} on ${t.backend}: ${t.reason}`) });
}

main().catch((e) => post({ type: 'error', message: (e as Error).message }));
