// Runs that survive: --out refuses to clobber, and --resume after kill -9 at
// seeded pseudo-random moments ends with the digest of an uninterrupted run,
// every replicate index exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const OPTS = ['--samples', '5', '--generations', '30000', '--replicates', '30', '--every', '1000', '--seed', 'resume'];

let dir: string;
let reference: string;
// Kill moments scale with this machine's speed: the process's start-up time and
// the uninterrupted run's time, both measured here, so faster kernels or a
// faster machine still leave many kills inside the run.
let startupMs: number;
let workMs: number;
const timed = (...args: string[]) => {
  const t0 = performance.now();
  const r = cli(...args);
  return { ...r, ms: performance.now() - t0 };
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-resume-'));
  const r = timed('run', 'gaussian', ...OPTS, '--json', '--quiet');
  expect(r.code).toBe(0);
  reference = JSON.parse(r.out).digest;
  startupMs = timed('run', 'gaussian', '--generations', '1', '--replicates', '1', '--quiet').ms;
  workMs = Math.max(r.ms - startupMs, 200);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Complete lines in a file (0 when it does not exist yet). */
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

describe('--out', () => {
  it('refuses an existing file without --force, overwrites it with --force', () => {
    const f = join(dir, 'exists.jsonl');
    writeFileSync(f, 'keep me\n');
    const r = cli('run', 'gaussian', '--generations', '2', '--replicates', '2', '--out', f, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exists; add --force to overwrite it, or --resume/);
    expect(readFileSync(f, 'utf8')).toBe('keep me\n');
    expect(cli('run', 'gaussian', '--generations', '2', '--replicates', '2', '--out', f, '--force', '--quiet').code).toBe(0);
    expect(readFileSync(f, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });
});

describe('--resume', () => {
  it('refuses another config and another family, naming the option', () => {
    const f = join(dir, 'small.jsonl');
    expect(cli('run', 'gaussian', '--generations', '2', '--replicates', '3', '--out', f, '--quiet').code).toBe(0);
    let r = cli('run', 'gaussian', '--generations', '5', '--resume', f, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--generations 5 differs from .*'s 2/);
    r = cli('run', 'categorical', '--resume', f, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a gaussian run, not categorical/);
    writeFileSync(f, readFileSync(f, 'utf8').replace('"version":"0.1.0"', '"version":"0.0.9"'));
    r = cli('run', 'gaussian', '--resume', f, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/written by collapse-bench 0.0.9/);
  });

  it('refuses a directory as the readers do, naming --resume', () => {
    const r = cli('run', 'gaussian', '--resume', dir, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^collapse-bench: --resume: cannot read .*cb-resume-\w+ \(EISDIR\)$/m);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['"samples":0', /:1: config\.samples: 0 is not allowed; expected an integer in \[2, 10000000\]$/m],
    ['"samples":null', /:1: config\.samples: null is not allowed/m],
    ['"replicates":-1', /:1: config\.replicates: -1 is not allowed; expected an integer in \[1, 1000000\]$/m],
  ])('refuses an edited header (%s) at once, naming the field, and leaves the file alone', (field, message) => {
    const f = join(dir, 'edited.jsonl');
    expect(cli('run', 'gaussian', '--generations', '2', '--replicates', '3', '--samples', '10', '--out', f, '--quiet', '--force').code).toBe(0);
    const [key] = field.split(':');
    const text = readFileSync(f, 'utf8').replace(new RegExp(`${key}:[^,]*,`), `${field},`);
    writeFileSync(f, text);
    // a hang (samples 0 looped at 100% CPU) fails by the timeout
    const r = spawnSync(process.execPath, [BIN, 'run', 'gaussian', '--resume', f, '--quiet'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(f, 'utf8')).toBe(text);
  });

  it('after kill -9 at 24 seeded random moments: the digest of an uninterrupted run, each replicate once', async () => {
    const f = join(dir, 'killed.jsonl');
    let s = 12345;
    const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % 10_000) / 10_000;
    let kills = 0;
    for (let round = 0; round < 40; round++) {
      // the first round starts the run (--out), later ones resume it; the options are given each time
      const args = ['run', 'gaussian', ...OPTS, '--quiet', ...(existsSync(f) ? ['--resume', f] : ['--out', f])];
      const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
      // on average an eighth of the work gets done before each kill, and never
      // more than two replicates: a round that runs faster than the timing
      // measured above (the machine's load moves) is killed by its progress
      const delay = startupMs + next() * (workMs / 4);
      const before = lines(f);
      const code = await new Promise<number | null>((resolve) => {
        let killed = false;
        const kill = () => {
          if (killed) return;
          killed = true;
          kills++;
          child.kill('SIGKILL');
        };
        const t = setTimeout(kill, delay);
        const progress = setInterval(() => lines(f) >= before + 2 && kill(), 5);
        child.on('exit', (c) => {
          clearTimeout(t);
          clearInterval(progress);
          resolve(c);
        });
      });
      if (code === 0) break;
      if (kills >= 24) {
        // finish it
        expect(cli(...args).code).toBe(0);
        break;
      }
    }
    expect(kills).toBeGreaterThan(3);
    const r = cli('show', f, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.digest).toBe(reference);
    expect(summary.complete).toBe(true);
    const indices = readFileSync(f, 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate);
    expect(indices).toEqual(Array.from({ length: 30 }, (_, i) => i));
  }, 60_000);
});
