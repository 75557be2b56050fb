// `npm start`: the paper's 1-D Gaussian experiment (Shumailov et al. 2024,
// SI 3.1: mu = 0, sigma = 1, fixed M) for M = 100 and 1000, with unbiased and
// MLE refits, run on the wasm and the js backends. It prints each summary with
// the theory beside it, whether the two backends gave the same digest, and how
// long each took, and ends by writing the report of its runs (figures beside
// the theory, src/cli/report.ts) and printing the path of its HTML page.
import { resolveGaussianConfig } from '../families/gaussian/options.js';
import { runSimulation } from '../runner/run.js';
import { gaussianFamily } from '../families/gaussian/index.js';
import { renderSummary } from '../report/table.js';
import type { BackendName } from '../kernels/abi.js';
import { progressPrinter } from './progress.js';
import { EXIT_INTERRUPTED } from './interrupt.js';
import { prepareDir } from '../util/directories.js';
import { UsageError } from '../config/validate.js';
import type { ReportCollector, RunReportData } from '../report/figures/collect.js';

const GENERATIONS = 500;
/** Where the demo's report goes unless --report says. */
export const DEMO_REPORT_DIR = 'demo-report';
const SETTINGS = [
  { samples: 100, replicates: 400 },
  { samples: 1000, replicates: 100 },
];

export async function runDemo(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(`Usage: collapse-bench demo [--report DIR]\n\nRuns the 1-D Gaussian recursion for M = 100 and 1000, unbiased and MLE, on wasm and js, and compares digests and times;\nthen writes the report of the wasm runs (SVG figures and index.html) into DIR (default ${DEMO_REPORT_DIR}).`);
    return 0;
  }
  let dir = DEMO_REPORT_DIR;
  if (argv[0] === '--report' && argv.length === 2 && argv[1] !== '') dir = argv[1];
  else if (argv.length) throw new UsageError(`demo: takes only --report DIR (got ${argv.join(' ')}); use collapse-bench run gaussian for your own settings`);
  // the report's modules (not vega yet) only for the demo, not at every start of the CLI
  const { writeReport, ReportCollector } = await import('./report.js');
  // nothing is kept before the end (the report is written last): say so and quit
  process.once('SIGINT', () => {
    process.stderr.write('\ndemo: interrupted; it writes its report only once every run has finished\n');
    process.exit(EXIT_INTERRUPTED);
  });
  prepareDir(dir, '--report');
  const reported: RunReportData[] = [];
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
        // the wasm runs go into the report (the js ones are the same bits)
        let collector: ReportCollector | undefined;
        const { summary } = await runSimulation(config, {
          onProgress: (p) => progress.update(p),
          onStart: (header) => void (backend === 'wasm' && (collector = new ReportCollector(header))),
          onReplicate: (record) => collector?.add(record),
        });
        if (collector) reported.push(collector.finish(summary, ''));
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
  const written = await writeReport(reported, [], dir, '--report');
  console.log(`\nreport: ${written.svgs.length} figures (simulation beside the theory); open ${written.html}`);
  return allSame ? 0 : 1;
}
