// `npm run bench`: the correctness gate, then cold start, the harness's own
// overhead, then warm throughput of the kernels on the js, wasm and wasm-simd
// backends (bench/core.ts; this file adds what needs a file system). Runs
// under Node, Deno and Bun alike (bench:matrix runs it in each).
// Tables go to stdout, progress to stderr, everything raw to a JSON file.
// See bench/README.md for what each figure means.
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { COLD_CASE } from './cases.js';
import { runOnce } from './gate.js';
import { measureCold } from './cold.js';
import { runBenchmark } from './core.js';
import { parseOptions, UsageError, USAGE, type Options } from './options.js';
import { renderCold, renderGate, renderHeader, renderMemory, renderOverhead, renderWarm } from './report.js';
import { resultPath, writeRecord } from './record-file.js';
import { commitOf, tinybenchVersion } from './runtimes.js';

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
  const coldReps = options.coldReps;
  const record = await runBenchmark(options, {
    progress,
    tinybench: tinybenchVersion(),
    cores: cpus().length,
    loadAverage: () => loadavg()[0],
    commit: commitOf(),
    cold: (js) => measureCold(coldReps, runOnce(js, COLD_CASE), js, progress),
  });
  if (record.gate.some((g) => !g.identical)) {
    console.log(renderGate(record.gate));
    return 1;
  }
  // maxRSS is in KiB
  if (record.memory && typeof process.resourceUsage === 'function') record.memory.peakRssBytes = process.resourceUsage().maxRSS * 1024;

  console.log(renderHeader(record.environment, record.kernels, record.startedAt, record.settings, record.fingerprint.build.commit));
  console.log();
  console.log(renderGate(record.gate, record.gateDigest));
  if (record.cold) console.log('\n' + renderCold(record.cold));
  console.log('\n' + renderWarm(record.warm, record.overall));
  if (record.overhead) console.log('\n' + renderOverhead(record.overhead, record.tooFast));
  if (record.memory) console.log('\n' + renderMemory(record.memory));
  const path = options.out ? resolve(options.out) : resultPath(`bench-${record.environment.runtime}`, record.startedAt);
  writeRecord(path, record);
  console.log(`\ntotal ${record.durationS.toFixed(1)} s; JSON written to ${path}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(`bench: ${e instanceof Error ? e.stack : e}`);
    process.exitCode = 1;
  },
);
