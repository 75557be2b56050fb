// The kernel benchmark in a page: bench/core.ts (compiled to dist/) as Node
// runs it, minus the cold start of the js backend (it copies files). The
// cases that read files (lm's corpus: their own gate digest, gateDigestFiles)
// get them from /data/ (bench/static-server.ts serves the Brown files there,
// as the web page's data/ folder has them) through src/util/data-files.ts. bench:matrix
// calls window.runBench(argv, host) through playwright-core; opened by hand
// (served by bench/static-server.ts), the page runs a smoke benchmark itself
// when the URL ends in ?run.
import { runBenchmark } from '/dist/bench/core.js';
import { parseOptions } from '/dist/bench/options.js';
import { renderGate, renderOverhead, renderWarm } from '/dist/bench/report.js';
import { giveDataFile } from '/dist/src/util/data-files.js';

/** Fetches the named data files (all text: the Brown corpus) from /data/ and gives them in. */
async function fetchDataFiles(files) {
  await Promise.all(
    files.map(async (name) => {
      const response = await fetch(`/data/${name}`);
      if (!response.ok) throw new Error(`cannot fetch /data/${name}: HTTP ${response.status}`);
      giveDataFile(name, await response.text());
    }),
  );
}

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
    fetchDataFiles,
  });
  const text = [renderGate(record.gate, record.gateDigest), renderWarm(record.warm, record.overall)];
  if (record.overhead) text.push(renderOverhead(record.overhead, record.tooFast));
  document.getElementById('out').textContent = text.join('\n\n');
  status.textContent = 'done';
  return record;
};

status.textContent = 'ready';
if (location.search === '?run') window.runBench(['--smoke']);
