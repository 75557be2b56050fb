// Help text, generated from the option tables so it always matches them.
import type { OptionSpec } from '../config/spec.js';
import { argName } from '../config/argv.js';

export function optionsHelp(table: readonly OptionSpec[]): string {
  const rows = table.map((s) => {
    const arg = s.kind === 'flag' ? '' : ` ${argName(s)}`;
    const range =
      s.kind === 'int'
        ? ` [${s.min}..${s.max}]`
        : s.kind === 'number'
          ? ` ${s.minOpen ? '(' : '['}${s.min}, ${s.max}${s.maxOpen ? ')' : ']'}`
          : s.kind === 'enum'
            ? `: ${s.values.join(', ')}`
            : '';
    const def = 'default' in s && s.default !== undefined ? ` (default ${s.default})` : '';
    return [`  --${s.name}${arg}`, `${s.help}${range}${def}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map(([a, b]) => a.padEnd(width) + b).join('\n');
}

export const MAIN_HELP = `collapse-bench: model collapse simulated on WebAssembly and JavaScript kernels

Usage:
  collapse-bench run <family> [options]   run a family's recursion (run --help lists families and options)
  collapse-bench show FILE.jsonl [--json] print the summary of a run saved with --out
  collapse-bench reproduce <preset|all>   a published setting, run and checked: PASS/FAIL (reproduce --list)
  collapse-bench sweep GRID.json [--out DIR] [--resume] [--shard i/n]
                                          every cell of a grid, one JSONL each (docs/sweeps.md)
  collapse-bench merge DIR... --out DIR   join the shards of a sweep
  collapse-bench export RUN.jsonl|DIR --format csv|parquet --out FILE
                                          one row per (cell, replicate, metric, generation)
  collapse-bench report RUN.jsonl|SWEEP_DIR ... --out DIR
                                          SVG figures and an HTML report of runs, sweeps (and bench JSON)
  collapse-bench demo                     the paper's 1-D Gaussian experiment on wasm and js (npm start)
  collapse-bench bench compare A.json B.json [--fail-above 1.10]
                                          two kernel benchmark records (npm run bench) per kernel, with intervals
  collapse-bench bench compare A1.json A2.json ... vs B1.json B2.json ...
                                          several a side: the test over one median per process
  collapse-bench --help | --version

Exit codes: 0 done, 1 failure, 2 bad input, 130 interrupted (Ctrl-C; what finished is kept).`;
