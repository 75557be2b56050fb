// The kernel benchmark in a page: bench/core.ts (compiled to dist/) as Node
// runs it, minus the cold start of the js backend (it copies files) and the
// cases that read files (lm's corpus: their own gate digest, gateDigestFiles). bench:matrix
// calls window.runBench(argv, host) through playwright-core; opened by hand
// (served by bench/static-server.ts), the page runs a smoke benchmark itself
// when the URL ends in ?run.
import { runBenchmark } from '/dist/bench/core.js';
import { parseOptions } from '/dist/bench/options.js';
import { renderGate, renderOverhead, renderWarm } from '/dist/bench/report.js';

const status = document.getElementById('status');

/** argv as `npm run bench` takes it; host: { commit, cpu } known to the caller. */
window.runBench = async (argv, host = {}) => {
  const options = parseOptions(argv);
  const record = await runBenchmark(options, {
    progress: (msg) => (status.textContent = msg),
    tinybench: host.tinybench ?? 'unknown',
    cores: navigator.hardwareConcurrency ?? 0,
    loadAverage: () => NaN,
    commit: host.commit ?? null,
    cpu: host.cpu,
    noFileSystem: true,
  });
  const text = [renderGate(record.gate, record.gateDigest), renderWarm(record.warm, record.overall)];
  if (record.overhead) text.push(renderOverhead(record.overhead, record.tooFast));
  document.getElementById('out').textContent = text.join('\n\n');
  status.textContent = 'done';
  return record;
};

status.textContent = 'ready';
if (location.search === '?run') window.runBench(['--smoke']);
