// The memory benchmark (not a timed test): `run` (one thread, and two worker
// threads: they share the process's RSS) and `show` as child processes for
// 10^5 generations and for 10^5 replicates, their peak RSS
// (VmHWM from /proc/<pid>/status, sampled until exit) and wall time, written
// as JSON to bench/results/memory-node-<version>-<date>.json.
// npm run bench:memory (after npm run build).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpuDescription } from './machine.js';
import { join } from 'node:path';

const BIN = new URL('../src/cli/bin.js', import.meta.url).pathname;

const CASES = [
  { name: '1e5 generations', args: ['gaussian', '--samples', '10', '--generations', '100000', '--replicates', '20'] },
  { name: '1e5 replicates', args: ['gaussian', '--samples', '10', '--generations', '10', '--replicates', '100000'] },
];

/** Peak resident memory of a child in MiB (VmHWM, polled: it is gone after exit) and its wall time. */
async function measure(args: string[]): Promise<{ peakMiB: number; seconds: number; code: number | null }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const poll = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // exited between polls
    }
  };
  const timer = setInterval(poll, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  // a failed command's peak is not the command's: stop, naming it
  if (code !== 0) throw new Error(`bench:memory: collapse-bench ${args.join(' ')} exited ${code}`);
  return { peakMiB: Math.round(peak), seconds: Number(((performance.now() - t0) / 1000).toFixed(2)), code };
}

const dir = mkdtempSync(join(tmpdir(), 'cb-mem-'));
const results = [];
try {
  for (const c of CASES) {
    const file = join(dir, 'run.jsonl');
    const runWorkers = await measure(['run', ...c.args, '--quiet', '--out', file, '--force', '--workers', '2']);
    const run = await measure(['run', ...c.args, '--quiet', '--out', file, '--force', '--workers', '1']);
    const bytes = statSync(file).size;
    const show = await measure(['show', file]);
    // the JSON summary: every summarised generation's statistics, written in pieces
    const showJson = await measure(['show', file, '--json']);
    const row = { case: c.name, command: `run ${c.args.join(' ')}`, fileMiB: Math.round(bytes / 2 ** 20), run, runWorkers, show, showJson };
    console.log(JSON.stringify(row));
    results.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const out = new URL('./results/', new URL('../../bench/', import.meta.url));
mkdirSync(out, { recursive: true });
const report = {
  node: process.version,
  cpu: cpuDescription(),
  date: new Date().toISOString(),
  note: 'peak RSS is the child process VmHWM; wall time includes node start-up; machine shared with other jobs',
  results,
};
const path = new URL(`memory-node-${process.versions.node}-${report.date.slice(0, 10)}.json`, out);
writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
console.log(`written ${path.pathname}`);
