// `npm run bench:matrix`: the kernel benchmark in Node, Deno, Bun and
// Chromium, one after the other (never at once: they would share the CPUs),
// merged into one table (matrix-table.ts). Exit 1 when the runtimes' gate
// digests differ (or a runtime's gate fails), 2 for bad options; a runtime
// that is not installed is skipped with a line saying how to get it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OptionSpec } from '../src/config/spec.js';
import { parseArgv } from '../src/config/argv.js';
import { parseTypedOptions } from '../src/config/validate.js';
import { UsageError } from '../src/util/errors.js';
import type { BenchRecord } from './report.js';
import { KERNELS } from './cases.js';
import { digestsAgree, renderMatrix, type MatrixEntry, type MatrixRecord } from './matrix-table.js';
import { commitOf, findRuntime, packageRoot, RUNTIMES, tinybenchVersion, type RuntimeName } from './runtimes.js';
import { serveStatic } from './static-server.js';

export const MATRIX_OPTIONS = [
  { name: 'quick', kind: 'flag', help: 'each runtime runs npm run bench -- --smoke (a few seconds: tests the machinery)' },
  { name: 'full', kind: 'flag', help: 'each runtime runs the full benchmark (~2 min each); default: bench --quick (~20-30 s each)' },
  { name: 'only', kind: 'enum', values: KERNELS, help: 'pass --only <kernel> to each runtime\'s benchmark (one kernel\'s cases)' },
  { name: 'runtimes', kind: 'string', help: `comma-separated subset of ${RUNTIMES.join(',')}`, arg: 'list' },
  { name: 'out', kind: 'string', help: 'where to write the merged JSON (default bench/results/matrix-<date>.json)', arg: 'file.json' },
] as const satisfies readonly OptionSpec[];
const USAGE = 'usage: npm run bench:matrix -- [--quick | --full] [--only <kernel>] [--runtimes node,deno,bun,chromium] [--out file.json]';

const progress = (msg: string) => process.stderr.write(`[matrix] ${msg}\n`);
let child: ChildProcess | null = null;
let stopBrowser: (() => Promise<void>) | null = null;

async function main(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(MATRIX_OPTIONS, argv, 'npm run bench:matrix -- --help');
  if (help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const o = parseTypedOptions(MATRIX_OPTIONS, values);
  if (o.quick && o.full) throw new UsageError('--quick with --full: choose one');
  const wanted = o.runtimes ? o.runtimes.split(',').map((s) => s.trim()) : [...RUNTIMES];
  const unknown = wanted.filter((r) => !RUNTIMES.includes(r as RuntimeName));
  if (unknown.length || !wanted.length) throw new UsageError(`--runtimes: "${o.runtimes}": expected a comma-separated subset of ${RUNTIMES.join(',')}`);
  const benchArgs = [...(o.quick ? ['--smoke'] : o.full ? [] : ['--quick']), ...(o.only ? ['--only', o.only] : [])];

  const startedAt = new Date().toISOString();
  const dir = mkdtempSync(join(tmpdir(), 'collapse-matrix-'));
  const entries: MatrixEntry[] = [];
  const cpu = (await import('../src/util/env.js').then((m) => m.environmentFacts())).cpu;
  try {
    for (const runtime of wanted as RuntimeName[]) {
      const found = findRuntime(runtime);
      if ('missing' in found) {
        progress(`skipping ${found.missing}`);
        entries.push({ runtime, skipped: found.missing });
        continue;
      }
      progress(`${runtime}: npm run bench -- ${benchArgs.join(' ')}`);
      const record = runtime === 'chromium' ? await inChromium(found.command[0], benchArgs, cpu) : await inProcess(runtime, found.command, benchArgs, join(dir, `${runtime}.json`));
      entries.push({ runtime, record });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const matrix: MatrixRecord = { tool: 'collapse-bench', kind: 'bench-matrix', format: 1, startedAt, benchArgs, entries, digestsAgree: digestsAgree(entries) };
  console.log(renderMatrix(matrix));
  const path = o.out ? resolve(o.out) : join(packageRoot, 'bench', 'results', `matrix-${startedAt.replace(/:/g, '-')}.json`);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(matrix, null, 2) + '\n');
  console.log(`\nJSON written to ${path}`);
  const gateFailed = entries.filter((e) => 'record' in e && e.record.gate.some((g) => !g.identical));
  if (gateFailed.length) console.log(`FAILED: the correctness gate failed in ${gateFailed.map((e) => e.runtime).join(', ')}`);
  if (!matrix.digestsAgree) console.log('FAILED: the runtimes computed different bits (gate digests differ)');
  return gateFailed.length || !matrix.digestsAgree ? 1 : 0;
}

/** Runs dist/bench/run.js under Node, Deno or Bun; its progress goes to our stderr. */
function inProcess(runtime: string, command: string[], benchArgs: string[], out: string): Promise<BenchRecord> {
  return new Promise((done, fail) => {
    const script = join(packageRoot, 'dist', 'bench', 'run.js');
    child = spawn(command[0], [...command.slice(1), script, ...benchArgs, '--out', out], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      const text = b.toString();
      err += text;
      for (const line of text.split('\n')) if (line.trim()) progress(`${runtime} ${line.replace(/^\[bench /, '[')}`);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      child = null;
      // exit 1 with a record is a failed gate: the table reports it
      try {
        done(JSON.parse(readFileSync(out, 'utf8')) as BenchRecord);
      } catch {
        fail(new Error(`${runtime}: the benchmark exited ${code} without a record: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
  });
}

/** Runs bench/core.ts in a Chromium page (bench/browser/) through playwright-core. */
async function inChromium(executablePath: string, benchArgs: string[], cpu: string): Promise<BenchRecord> {
  const { chromium } = await import('playwright-core');
  const { server, url } = await serveStatic(packageRoot);
  const profile = mkdtempSync(join(tmpdir(), 'collapse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  stopBrowser = async () => {
    await context.close().catch(() => {});
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/bench/browser/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 }).catch(() => {
      throw new Error(`chromium: the benchmark page did not load: ${errors.join('; ')}`);
    });
    const host = { commit: commitOf(), cpu, tinybench: tinybenchVersion() };
    let last = '';
    const timer = setInterval(async () => {
      const s = await page.textContent('#status').catch(() => null);
      if (s && s !== last) progress(`chromium ${(last = s)}`);
    }, 1000);
    try {
      return (await page.evaluate(([argv, h]) => (window as unknown as { runBench(a: unknown, h: unknown): Promise<unknown> }).runBench(argv, h), [benchArgs, host] as const)) as BenchRecord;
    } finally {
      clearInterval(timer);
    }
  } finally {
    await stopBrowser();
    stopBrowser = null;
  }
}

// Ctrl-C: stop the runtime in progress and the browser, then leave.
process.on('SIGINT', () => {
  child?.kill('SIGINT');
  void (stopBrowser?.() ?? Promise.resolve()).finally(() => process.exit(130));
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    if (e instanceof UsageError) {
      console.error(`bench:matrix: ${e.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    console.error(`bench:matrix: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  },
);
