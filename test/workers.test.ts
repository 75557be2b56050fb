// --workers N: replicates in worker threads give the same run, byte for byte,
// as one thread: the digest (the golden one), the summary JSON (but its
// timing) and the --out JSONL (but the header's start time), for every
// family; more workers than replicates; Ctrl-C with workers keeps a prefix of
// complete replicates that --resume (with workers) completes to the digest of
// an uninterrupted run; bad values are refused naming the option and range.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { familyOf, type RunConfig } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import { inProcessExecutor, type ExecutorFactory } from '../src/runner/executor.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const goldenOf = (file: string): Record<string, string> => JSON.parse(readFileSync(new URL(`./golden/${file}.json`, import.meta.url), 'utf8'));

// golden configurations (test/golden/*.json): events, finals, early stops and extras included
const CONFIGS: Record<string, { family: string; golden: string; args: string[] }> = {
  gaussian: { family: 'gaussian', golden: goldenOf('digests')['replace-bias-3d'], args: ['--dim', '3', '--samples', '40', '--generations', '60', '--replicates', '4', '--bias', '0.8', '--cov0', '1,0.3,0;0.3,2,0.1;0,0.1,0.5', '--seed', 'golden'] },
  categorical: { family: 'categorical', golden: goldenOf('categorical')['replace-zipf-until-absorbed'], args: ['--init', 'zipf', '--states', '12', '--samples', '30', '--generations', '2000', '--replicates', '5', '--until-absorbed', '--every', '7', '--seed', 'zipf'] },
  gmm: { family: 'gmm', golden: goldenOf('gmm')['notebook-replace'], args: ['--data', 'notebook', '--samples', '200', '--generations', '40', '--replicates', '3', '--seed', '7'] },
  kde: { family: 'kde', golden: goldenOf('kde')['replace-gmm2d-silverman-recompute'], args: ['--data', 'gmm2d', '--samples', '40', '--generations', '30', '--replicates', '3', '--bandwidth', 'silverman', '--bandwidth-mode', 'recompute', '--holdout', '33', '--seed', 'golden'] },
  regression: { family: 'regression', golden: goldenOf('regression')['replace-d10'], args: ['--generations', '30', '--replicates', '4', '--test-points', '50', '--seed', '7'] },
};

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cb-workers-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The summary JSON without its timing; the JSONL without the header's start time. */
function runWith(family: string, args: string[], workers: number): { digest: string; summary: string; jsonl: string } {
  const f = join(dir, `${family}-${workers}.jsonl`);
  const r = cli('run', family, ...args, '--workers', String(workers), '--out', f, '--force', '--json', '--quiet');
  expect(r.code, r.err).toBe(0);
  const summary = JSON.parse(r.out);
  delete summary.elapsedMs;
  const [head, ...rest] = readFileSync(f, 'utf8').split('\n');
  const header = JSON.parse(head);
  expect(header.startedAt).toMatch(/^\d{4}-/);
  delete header.startedAt;
  return { digest: summary.digest, summary: JSON.stringify(summary), jsonl: [JSON.stringify(header), ...rest].join('\n') };
}

describe('--workers 1, 2, 3 give the same bytes', () => {
  it.each(Object.keys(CONFIGS))('%s: digest (the golden one), summary JSON and --out JSONL', (name) => {
    const { family, golden, args } = CONFIGS[name];
    const one = runWith(family, args, 1);
    expect(one.digest).toBe(golden);
    for (const n of [2, 3]) {
      const many = runWith(family, args, n);
      expect(many.digest, `--workers ${n}`).toBe(golden);
      expect(many.summary, `--workers ${n}: summary`).toBe(one.summary);
      expect(many.jsonl, `--workers ${n}: JSONL`).toBe(one.jsonl);
    }
  }, 60_000);

  it('records past 1 MiB (transferred from the threads, not copied) give the same bytes', () => {
    // 7 metrics x 40,001 recorded generations x 8 bytes: 2.2 MB a record
    const args = ['--states', '3', '--samples', '20', '--generations', '40000', '--every', '1', '--replicates', '3', '--seed', 'big'];
    const one = runWith('categorical', args, 1);
    const two = runWith('categorical', args, 2);
    expect(two.digest).toBe(one.digest);
    expect(two.summary).toBe(one.summary);
    expect(two.jsonl).toBe(one.jsonl);
  }, 60_000);

  it('more workers than replicates: as many as there are replicates run', () => {
    const { args, golden } = CONFIGS.gmm; // 3 replicates
    expect(runWith('gmm', args, 8).digest).toBe(golden);
  }, 30_000);

  it('many threads: no warning from Node (each thread pipes its output into this process)', () => {
    const r = cli('run', 'gaussian', '--samples', '10', '--generations', '1', '--replicates', '12', '--workers', '12', '--quiet', '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/Warning/);
  }, 60_000);

  it('records come out in replicate order when later replicates finish first', () => {
    // many short replicates on three threads: they finish out of order often
    const args = ['--samples', '20', '--generations', '50', '--replicates', '60', '--seed', 'order'];
    const f = join(dir, 'order.jsonl');
    const r = cli('run', 'gaussian', ...args, '--workers', '3', '--out', f, '--force', '--quiet', '--json');
    expect(r.code, r.err).toBe(0);
    const indices = readFileSync(f, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate);
    expect(indices).toEqual(Array.from({ length: 60 }, (_, i) => i));
  }, 30_000);
});

describe('threads booted before the harness loads (bin.ts)', () => {
  it('a run refused after they booted exits 2 at once, and they end with it', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'gaussian', '--workers', '2', '--replicates', '4', '--samples', '-5'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'the process hung on its threads').toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^collapse-bench: --samples: "-5" is not allowed/);
  }, 30_000);
});

describe('bad --workers', () => {
  it.each([['0'], ['65'], ['1.5'], ['two'], ['-1']])('--workers %s: exit 2, naming the option and its range', (v) => {
    const r = cli('run', 'gaussian', '--generations', '2', '--replicates', '2', '--quiet', `--workers=${v}`);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/^collapse-bench: --workers: ".*" is not allowed; expected (a decimal integer|an integer) in \[1, 64\]$/);
  });
});

describe('Ctrl-C with workers, then --resume with workers', () => {
  const OPTS = ['--samples', '100', '--generations', '1000', '--replicates', '300', '--every', '100', '--seed', 'workers-int'];

  it('stops within 1.5 s, keeps a prefix of complete replicates, and resuming gives the uninterrupted digest', async () => {
    const reference = JSON.parse(cli('run', 'gaussian', ...OPTS, '--workers', '1', '--json', '--quiet').out).digest;
    const f = join(dir, 'int.jsonl');
    const child = spawn(process.execPath, [BIN, 'run', 'gaussian', ...OPTS, '--workers', '2', '--out', f, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // interrupt once a few replicates are in the file (the threads have started)
    const lines = () => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0);
    for (let i = 0; i < 300 && lines() < 6; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines()).toBeGreaterThanOrEqual(6);
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(code).toBe(130);
    const done = Number(/interrupted: (\d+) of 300 replicates finished; they are in .*--resume/.exec(err)![1]);
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(300);
    const summary = JSON.parse(out);
    expect(summary.replicatesCompleted).toBe(done);
    // the file: the header and replicates 0..done-1, in order, each whole
    const indices = readFileSync(f, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate);
    expect(indices).toEqual(Array.from({ length: done }, (_, i) => i));
    const shown = cli('show', f, '--json');
    expect(JSON.parse(shown.out).digest).toBe(summary.digest);

    const resumed = cli('run', 'gaussian', '--resume', f, '--workers', '2', '--json', '--quiet');
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(resumed.out).digest).toBe(reference);
    const all = readFileSync(f, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate);
    expect(all).toEqual(Array.from({ length: 300 }, (_, i) => i));
  }, 120_000);
});

/**
 * An executor that finishes replicates out of order: it runs them one at a
 * time in this thread, but hands each record back after a delay that puts
 * later replicates first, and counts how many were handed out at once.
 */
function scrambling(stats: { inFlight: number; most: number; outOfOrder: number }, stopAt = Infinity): ExecutorFactory {
  return async (config: RunConfig, width: number) => {
    const inner = await inProcessExecutor(config, () => {});
    let serial: Promise<unknown> = Promise.resolve();
    let finished = -1;
    return {
      ...inner,
      width,
      maxInFlight: 2 * width,
      async run(r) {
        stats.inFlight++;
        stats.most = Math.max(stats.most, stats.inFlight);
        // replicate stopAt is interrupted (as Ctrl-C would), so are all after it
        const record = (serial = serial.then(() => {
          if (r === stopAt) inner.interrupt();
          return inner.run(r);
        }));
        const result = await record;
        // even replicates wait longer than the next odd one takes
        await new Promise((resolve) => setTimeout(resolve, r % 2 === 0 ? 40 : 0));
        if (r < finished) stats.outOfOrder++;
        finished = Math.max(finished, r);
        stats.inFlight--;
        return result as Awaited<ReturnType<typeof inner.run>>;
      },
    };
  };
}

describe('the runner keeps replicate order whatever finishes first', () => {
  const { config } = familyOf('gaussian').resolve({ samples: 20, generations: 30, replicates: 12, seed: 'scramble' });

  it('records reach the caller in order, at most 2 N handed out, the same digest as one thread', async () => {
    const reference = (await runSimulation(config)).summary.digest;
    const stats = { inFlight: 0, most: 0, outOfOrder: 0 };
    const seen: number[] = [];
    const outcome = await runSimulation(config, { workers: 3, parallel: scrambling(stats), onReplicate: (r) => void seen.push(r.replicate) });
    expect(stats.outOfOrder).toBeGreaterThan(0);
    expect(stats.most).toBeLessThanOrEqual(6);
    expect(stats.most).toBeGreaterThan(3);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(outcome.summary.digest).toBe(reference);
  });

  it('an interrupted replicate ends the run there: the records written are a prefix', async () => {
    const stats = { inFlight: 0, most: 0, outOfOrder: 0 };
    const seen: number[] = [];
    const outcome = await runSimulation(config, { workers: 2, parallel: scrambling(stats, 5), onReplicate: (r) => void seen.push(r.replicate) });
    expect(outcome.aborted).toBe(true);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
    expect(seen.length).toBe(5);
    expect(outcome.completed).toBe(5);
  });
});

describe('the run clock', () => {
  it('starts once this thread has its kernels, with a pool that runs replicates here as with one thread', async () => {
    // a fresh module graph: no backend loaded in this thread yet
    vi.resetModules();
    const { runSimulation: run } = await import('../src/runner/run.js');
    const { loadBackend } = await import('../src/kernels/backend.js');
    const { inProcessExecutor: inThread } = await import('../src/runner/executor.js');
    const { config } = familyOf('gaussian').resolve({ samples: 20, generations: 5, replicates: 2, seed: 'clock', backend: 'wasm' });
    let loadedAtStart: boolean | undefined;
    const pool: ExecutorFactory = Object.assign(
      async (c: RunConfig) => {
        // a loaded backend answers within this turn; compiling the WASM takes longer than a timer of 0
        loadedAtStart = await Promise.race([loadBackend(c.backend).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 0))]);
        return inThread(c, () => {});
      },
      { runsHere: true },
    );
    await run(config, { workers: 2, parallel: pool });
    expect(loadedAtStart).toBe(true);
  });
});
