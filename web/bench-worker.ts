// The benchmark tab's Web Worker: the kernel benchmark of `npm run bench`
// (bench/cases, the correctness gate, tinybench rounds with the backends
// interleaved) in a quick mode sized for a page (about 30 s), one message
// per case as it finishes. Cold start and memory are Node-only figures.
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { loadBackend } from '../src/kernels/backend.js';
import { environmentFacts } from '../src/util/env.js';
import { allCases } from '../bench/cases.js';
import { checkCases } from '../bench/gate.js';
import { timeCase, type WarmSettings } from '../bench/warm.js';
import type { BenchMessage } from './protocol.js';

/** Rounds shorter than `npm run bench -- --quick` (5 x 100 ms): rougher figures, under a minute. */
const BROWSER_QUICK: WarmSettings = { rounds: 3, extraRounds: 0, time: 25, warmupTime: 10, warmupIterations: 2, iterations: 5 };

const post = (m: BenchMessage) => (self as unknown as Worker).postMessage(m);

async function main(): Promise<void> {
  const t0 = performance.now();
  const backends = await Promise.all(BACKEND_NAMES.map((n) => loadBackend(n)));
  const cases = allCases();
  post({ type: 'start', environment: await environmentFacts(), cases: cases.length, settings: BROWSER_QUICK });
  const gate = checkCases(backends, cases);
  const failures = gate.results.filter((g) => !g.identical).map((g) => `${g.case} on ${g.backend}: ${g.detail}`);
  post({ type: 'gate', failures });
  if (failures.length) return;
  for (const spec of cases) {
    const c = await timeCase(backends, spec, BROWSER_QUICK, (text) => post({ type: 'progress', text }));
    const s = c.summary;
    post({ type: 'case', id: spec.id, n: spec.n, samplesPerSecond: s.samplesPerSecond, simdVsJs: s.ratios.simdVsJs.median, wasmVsJs: s.ratios.wasmVsJs.median });
  }
  post({ type: 'done', elapsedMs: performance.now() - t0 });
}

main().catch((e) => post({ type: 'error', message: (e as Error).message }));
