// `npm start`: the paper's 1-D Gaussian experiment (Shumailov et al. 2024,
// SI 3.1: mu = 0, sigma = 1, fixed M) for M = 100 and 1000, with unbiased and
// MLE refits, run on the wasm and the js backends. It prints each summary with
// the theory beside it, whether the two backends gave the same digest, and how
// long each took.
import { resolveGaussianConfig } from '../families/gaussian/options.js';
import { runSimulation } from '../runner/run.js';
import { gaussianFamily } from '../families/gaussian/index.js';
import { renderSummary } from '../report/table.js';
import type { BackendName } from '../kernels/abi.js';
import { progressPrinter } from './progress.js';
import { UsageError } from '../config/validate.js';

const GENERATIONS = 500;
const SETTINGS = [
  { samples: 100, replicates: 400 },
  { samples: 1000, replicates: 100 },
];

export async function runDemo(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log('Usage: collapse-bench demo\n\nRuns the 1-D Gaussian recursion for M = 100 and 1000, unbiased and MLE, on wasm and js, and compares digests and times.');
    return 0;
  }
  if (argv.length) throw new UsageError(`demo: takes no options (got ${argv[0]}); use collapse-bench run gaussian for your own settings`);
  let allSame = true;
  const lines: string[] = [];
  for (const { samples, replicates } of SETTINGS) {
    for (const estimator of ['unbiased', 'mle'] as const) {
      const digests: Partial<Record<BackendName, string>> = {};
      const seconds: Partial<Record<BackendName, number>> = {};
      let report = '';
      for (const backend of ['wasm', 'js'] as const) {
        const { config } = resolveGaussianConfig({ samples, replicates, generations: GENERATIONS, estimator, every: 10, seed: 2024, backend });
        const progress = progressPrinter(`M=${samples} ${estimator} ${backend}`, true);
        const { summary } = await runSimulation(config, { onProgress: (p) => progress.update(p) });
        progress.done();
        digests[backend] = summary.digest;
        seconds[backend] = summary.elapsedMs! / 1000;
        if (backend === 'wasm') report = renderSummary(summary, gaussianFamily);
      }
      const same = digests.wasm === digests.js;
      allSame &&= same;
      console.log(report);
      const line = `M=${samples} ${estimator}: digests ${same ? 'identical on wasm and js' : 'DIFFER between wasm and js'}; wasm ${seconds.wasm!.toFixed(2)} s, js ${seconds.js!.toFixed(2)} s (js/wasm ${(seconds.js! / seconds.wasm!).toFixed(2)}x)`;
      console.log(line + '\n');
      lines.push(line);
    }
  }
  console.log(['summary:', ...lines.map((l) => '  ' + l)].join('\n'));
  console.log('\nTimes are one run each, not a benchmark: npm run bench interleaves the backends and reports ratios with their spread.');
  return allSame ? 0 : 1;
}
