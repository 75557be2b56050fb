// The benchmark itself, the same code in Node, Deno, Bun and a browser: the
// correctness gate (and its digest), the harness overhead and call cost, and
// warm throughput. What needs a file system (the cold start of the js
// backend, writing the JSON) stays in run.ts; bench/browser/ runs this in a page.
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { loadBackend, kernelBuild, type Backend } from '../src/kernels/backend.js';
import { environmentFacts, type EnvironmentFacts } from '../src/util/env.js';
import { VERSION } from '../src/version.js';
import { allCases, loadCaseData } from './cases.js';
import { checkCases } from './gate.js';
import { CONTENDED_WAIT_FRACTION } from './contention.js';
import { measureOverhead, tooFast, type OverheadResult } from './overhead.js';
import { overall, timeCase, type WarmCase } from './warm.js';
import type { Options } from './options.js';
import type { BenchRecord, Fingerprint, TooFast } from './report.js';

export interface BenchHost {
  progress(msg: string): void;
  /** tinybench's version, when the host can read it. */
  tinybench: string;
  /** Logical cores and the 1-min load average, where the host knows them. */
  cores: number;
  loadAverage(): number;
  /** The commit benchmarked, when known (git, CI, or the caller). */
  commit: string | null;
  /** Overrides the CPU the environment reports (a browser does not know it; bench:matrix does). */
  cpu?: string;
  /** Measures the cold start with the js backend (Node, Deno, Bun), or is absent. */
  cold?: (js: Backend) => Promise<BenchRecord['cold']>;
  /** No file system (a browser): the cases that read files (cases.ts FILE_FAMILIES) are skipped, unless the host can fetch them. */
  noFileSystem?: boolean;
  /** Fetches these data files (logical names, src/util/data-files.ts) and gives them in: then the cases that read files run here too. */
  fetchDataFiles?(files: readonly string[]): Promise<void>;
  /** Called with the overhead once measured (the gate has passed), and with each case as it is timed: a page shows them as they come. */
  onOverhead?(o: OverheadResult): void;
  onCase?(c: WarmCase): void;
}

/** Runs the benchmark; `record.gate` has failures when the backends disagree (then nothing was timed). */
export async function runBenchmark(options: Options, host: BenchHost): Promise<BenchRecord> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const environment: EnvironmentFacts = await environmentFacts();
  if (host.cpu) environment.cpu = host.cpu;
  const backends: Backend[] = await Promise.all(BACKEND_NAMES.map((n) => loadBackend(n)));
  const cases = allCases()
    .filter((c) => (options.only ? c.kernel === options.only || c.family === options.only : !options.smoke || c.smoke))
    .filter((c) => !(host.noFileSystem && !host.fetchDataFiles && c.readsFiles));
  if (host.fetchDataFiles) await loadCaseData(cases, host.fetchDataFiles);
  const settings: BenchRecord['settings'] = {
    ...options,
    tinybench: host.tinybench,
    timestampProvider: '',
    orderRotatedEachRound: true,
    contendedWaitFraction: CONTENDED_WAIT_FRACTION,
    cores: host.cores,
    loadAverage: { start: host.loadAverage(), end: NaN },
  };
  const record: BenchRecord = {
    tool: 'collapse-bench', kind: 'kernel-bench', format: 2, version: VERSION, startedAt, durationS: 0,
    environment, kernels: kernelBuild, fingerprint: fingerprintOf(environment, host), settings,
    gate: [], gateDigest: '', cold: null, overhead: null, warm: [], tooFast: [], overall: null, memory: null,
  };

  // 1. Nothing is timed unless every backend computes the same bits as js (the first).
  host.progress(`correctness gate: ${cases.length} cases x ${backends.length} backends`);
  const gate = checkCases(backends, cases);
  record.gate = gate.results;
  record.gateDigest = gate.digest;
  record.gateDigestFiles = gate.filesDigest;
  if (record.gate.some((g) => !g.identical)) return record;

  // 2. Cold start (only with the step kernel, which it measures).
  if (host.cold && (!options.only || options.only === 'step')) record.cold = await host.cold(backends[BACKEND_NAMES.indexOf('js')]);

  // 3. What the harness and one kernel call cost, apart from any work.
  host.progress('overhead: empty task and noop kernel calls');
  record.overhead = await measureOverhead(backends, options.warm, Math.max(2, Math.ceil(options.warm.rounds / 2)));
  host.onOverhead?.(record.overhead);

  // 4. Warm throughput, case after case, backends interleaved within each round.
  const warm: WarmCase[] = [];
  for (const spec of cases) {
    warm.push(await timeCase(backends, spec, options.warm, host.progress));
    host.onCase?.(warm[warm.length - 1]);
  }
  record.warm = warm;
  record.tooFast = tooFastCases(warm, record.overhead);
  record.overall = warm.length ? overall(warm) : null;
  settings.timestampProvider = warm[0]?.rounds[0]?.timestampProvider ?? '';
  record.durationS = (performance.now() - t0) / 1000;
  settings.loadAverage.end = host.loadAverage();
  // the host fills in the peak resident set where it can read it
  record.memory = { peakRssBytes: null, backendBytes: Object.fromEntries(backends.map((b) => [b.name, b.buffer().byteLength])) };
  return record;
}

function tooFastCases(warm: WarmCase[], o: NonNullable<BenchRecord['overhead']>): TooFast[] {
  const out: TooFast[] = [];
  for (const c of warm) {
    for (const [backend, ms] of Object.entries(c.summary.latencyMs)) {
      const reason = tooFast(ms * c.spec.calls, o);
      if (reason) out.push({ case: c.spec.id, backend, reason });
    }
  }
  return out;
}

/** What `bench compare` checks before it compares: the machine, the runtime and the build. */
export function fingerprintOf(env: EnvironmentFacts, host: Pick<BenchHost, 'cores' | 'commit'>): Fingerprint {
  // "linux x64" from Node, Deno and Bun; the user agent's "Linux" in a browser
  const browserOs: Record<string, string> = { Linux: 'linux', Windows: 'win32', 'Mac OS X': 'darwin', Android: 'android' };
  const os = env.runtime === 'browser' ? (browserOs[/Linux|Windows|Mac OS X|Android/.exec(env.platform)?.[0] ?? ''] ?? 'unknown') : env.platform.split(' ')[0];
  return {
    machine: { cpu: env.cpu, cores: host.cores, os },
    runtime: { name: env.runtime, version: env.runtimeVersion, engine: env.engine },
    build: { version: VERSION, commit: host.commit, wasm: kernelBuild.wasm.scalar.sha256, simd: kernelBuild.wasm.simd.sha256, js: kernelBuild.js.sha256 },
  };
}
