// Ctrl-C: the first SIGINT stops within about a second, keeps what finished
// (readable by show) and prints the summary of it; exit 130. One thread here
// (thread start-up under a loaded machine could eat the 1.5 s before SIGINT);
// test/workers.test.ts interrupts a run with workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cb-int-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ctrl-C', () => {
  it('a run of many short replicates stops within 1.5 s of SIGINT, exit 130, its file readable', async () => {
    const f = join(dir, 'int.jsonl');
    const child = spawn(process.execPath, [BIN, 'run', 'gaussian', '--generations', '1000', '--replicates', '1000', '--out', f, '--json', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    // progress lines on stderr (not a TTY: one every few seconds) and the first one at replicate 0
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted: (\d+) of 1000 replicates finished; they are in .*--resume/);
    const done = Number(/interrupted: (\d+) of/.exec(err)![1]);
    expect(done).toBeGreaterThan(0);
    const summary = JSON.parse(out);
    expect(summary.replicatesCompleted).toBe(done);
    expect(summary.warnings).toContain(`partial run: ${done} of 1000 replicates`);
    const show = spawnSync(process.execPath, [BIN, 'show', f, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(show.status).toBe(0);
    expect(JSON.parse(show.stdout).digest).toBe(summary.digest);
  }, 30_000);

  it('the demo, which keeps nothing before its end, says so and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--report', join(dir, 'demo')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/demo: interrupted; it writes its report only once every run has finished/);
  }, 30_000);
});
