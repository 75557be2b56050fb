// `npm run bench`: the correctness gate, then cold start, then warm
// throughput of the kernels on the js, wasm and wasm-simd backends.
// Tables go to stdout, progress to stderr, everything raw to a JSON file.
// See bench/README.md for what each figure means.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { loadBackend, kernelBuild, type Backend } from '../src/kernels/backend.js';
import { environmentFacts } from '../src/util/env.js';
import { VERSION } from '../src/version.js';
import { allCases, COLD_CASE } from './cases.js';
import { checkCases, runOnce } from './gate.js';
import { measureCold } from './cold.js';
import { CONTENDED_WAIT_FRACTION } from './contention.js';
import { overall, timeCase, type WarmCase } from './warm.js';
import { parseOptions, UsageError, USAGE, type Options } from './options.js';
import { defaultResultPath, renderCold, renderGate, renderHeader, renderMemory, renderWarm, writeRecord, type BenchRecord } from './report.js';

const progress = (msg: string) => process.stderr.write(`[bench ${elapsed()}] ${msg}\n`);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const environment = await environmentFacts();
  const backends: Backend[] = await Promise.all(BACKEND_NAMES.map((n) => loadBackend(n)));
  const cases = allCases().filter((c) => !options.only || c.kernel === options.only || c.family === options.only);
  const settings: BenchRecord['settings'] = {
    ...options,
    tinybench: tinybenchVersion(),
    timestampProvider: '',
    orderRotatedEachRound: true,
    contendedWaitFraction: CONTENDED_WAIT_FRACTION,
    cores: cpus().length,
    loadAverage: { start: loadavg()[0], end: NaN },
  };
  const record: BenchRecord = {
    tool: 'collapse-bench', kind: 'kernel-bench', format: 1, version: VERSION, startedAt, durationS: 0,
    environment, kernels: kernelBuild, settings, gate: [], cold: null, warm: [], overall: null, memory: null,
  };

  // 1. Nothing is timed unless every backend computes the same bits as js (the first).
  progress(`correctness gate: ${cases.length} cases x ${backends.length} backends`);
  record.gate = checkCases(backends, cases);
  if (record.gate.some((g) => !g.identical)) {
    console.log(renderGate(record.gate));
    return 1;
  }

  // 2. Cold start (only with the step kernel, which it measures).
  if (!options.only || options.only === 'step') {
    const js = backends[BACKEND_NAMES.indexOf('js')];
    record.cold = await measureCold(options.coldReps, runOnce(js, COLD_CASE), js, progress);
  }

  // 3. Warm throughput, case after case, backends interleaved within each round.
  const warm: WarmCase[] = [];
  for (const spec of cases) warm.push(await timeCase(backends, spec, options.warm, progress));
  record.warm = warm;
  record.overall = warm.length ? overall(warm) : null;
  settings.timestampProvider = warm[0]?.rounds[0]?.timestampProvider ?? '';
  record.durationS = (performance.now() - t0) / 1000;
  settings.loadAverage.end = loadavg()[0];
  // maxRSS is in KiB
  record.memory = { peakRssBytes: process.resourceUsage().maxRSS * 1024, backendBytes: Object.fromEntries(backends.map((b) => [b.name, b.buffer().byteLength])) };

  console.log(renderHeader(environment, kernelBuild, startedAt, settings));
  console.log();
  console.log(renderGate(record.gate));
  if (record.cold) console.log('\n' + renderCold(record.cold));
  console.log('\n' + renderWarm(warm, record.overall));
  console.log('\n' + renderMemory(record.memory));
  const path = options.out ? resolve(options.out) : defaultResultPath(environment.runtime, startedAt);
  writeRecord(path, record);
  console.log(`\ntotal ${record.durationS.toFixed(1)} s; JSON written to ${path}`);
  return 0;
}

function tinybenchVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('tinybench')), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  },
);
