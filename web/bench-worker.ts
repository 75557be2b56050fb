// The benchmark tab's Web Worker: bench/core.ts's runBenchmark (the kernel
// benchmark of `npm run bench`: correctness gate, harness overhead and no-op
// call cost, tinybench rounds with the backends interleaved) with a browser
// host, in a quick mode sized for a page (about 30 s), one message per case
// as it finishes. Cold start and memory are Node-only figures; the cases that
// read files (lm's corpus) get them fetched from the site's data/ folder first
// (web/data-files.ts), as a run does. The page starts it with a BenchRequest
// once it says 'ready'.
import { environmentFacts } from '../src/util/env.js';
import { runBenchmark } from '../bench/core.js';
import type { Options } from '../bench/options.js';
import type { BenchMessage, BenchRequest } from './protocol.js';
import { describeFiles, fetchDataFiles } from './data-files.js';

/** Rounds shorter than `npm run bench -- --quick` (5 x 100 ms): rougher figures, under a minute. */
const BROWSER_QUICK: Options = { quick: true, smoke: false, coldReps: 0, warm: { rounds: 3, extraRounds: 0, time: 25, warmupTime: 10, warmupIterations: 2, iterations: 5 } };

const post = (m: BenchMessage) => (self as unknown as Worker).postMessage(m);

async function main({ dataBase, smoke }: BenchRequest): Promise<void> {
  const t0 = performance.now();
  const options: Options = { ...BROWSER_QUICK, smoke };
  post({ type: 'start', environment: await environmentFacts(), settings: options.warm });
  const record = await runBenchmark(options, {
    progress: (text) => post({ type: 'progress', text }),
    tinybench: 'bundled',
    cores: navigator.hardwareConcurrency ?? 0,
    loadAverage: () => NaN,
    commit: null,
    noFileSystem: true,
    fetchDataFiles(files) {
      post({ type: 'progress', text: `fetching ${describeFiles(files)}` });
      return fetchDataFiles(dataBase, files);
    },
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

self.onmessage = (e: MessageEvent<BenchRequest>) => void main(e.data).catch((err) => post({ type: 'error', message: (err as Error).message }));
post({ type: 'ready' });
