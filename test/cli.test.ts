// The command line as a user meets it: compiled JS (dist/, built by npm
// install), exit codes, one-line errors that name the option, JSON and JSONL
// output that `show` reads back, and Ctrl-C.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withOptions } from './helpers.js';
import { duration } from '../src/cli/progress.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-cli-'));

function cli(args: string[], timeout = 60_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SMALL = ['run', 'gaussian', '--samples', '50', '--generations', '30', '--replicates', '5', '--quiet'];

/** SMALL with `extra`'s options in place of its own. */
const small = (extra: string[]) => withOptions(SMALL, extra);

describe('bad input: one line naming the option, exit code 2, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['samples below range', ['--samples', '1'], /--samples: "1" is not allowed; expected an integer in \[2, 10000000\]/],
    ['samples not a number', ['--samples', 'abc'], /--samples: "abc" is not allowed/],
    ['dim zero', ['--dim', '0'], /--dim: .*\[1, 64\]/],
    ['fractional generations', ['--generations', '2.5'], /--generations: "2.5" is not allowed; expected a decimal integer in \[1, 1000000\]/],
    ['unknown estimator', ['--estimator', 'median'], /--estimator: "median" is not allowed; expected one of unbiased, mle/],
    ['unknown policy', ['--policy', 'keep'], /--policy: .*one of replace, accumulate, accumulate-subsample, mix, fresh/],
    ['bias zero', ['--bias', '0'], /--bias: "0" is not allowed; expected a number in \(0, 1\]/],
    ['bias above one', ['--bias', '1.5'], /--bias: .*\(0, 1\]/],
    ['real fraction without mix', ['--real-fraction', '0.2'], /--real-fraction: applies only to --policy mix or fresh/],
    ['real fraction of one', ['--policy', 'mix', '--real-fraction', '1'], /--real-fraction: .*\[0, 1\)/],
    ['mu0 of the wrong length', ['--mu0', '1,2'], /--mu0: has 2 entries; expected 1 or --dim \(1\)/],
    ['negative sigma0', ['--sigma0', '-1'], /--sigma0: "-1" is not allowed; .*\(0, 1000000\]/],
    ['zero sigma0 in a list', ['--dim', '2', '--sigma0', '1,0'], /--sigma0: "1,0" is not allowed/],
    ['asymmetric cov0', ['--dim', '2', '--cov0', '1,2;3,4'], /--cov0: not symmetric/],
    ['indefinite cov0', ['--dim', '2', '--cov0', '1,2;2,1'], /--cov0: not positive definite/],
    ['cov0 of the wrong size', ['--dim', '3', '--cov0', '1,0;0,1'], /--cov0: is 2 x 2; expected 3 x 3/],
    ['cov0 entry beyond sigma0 squared', ['--dim', '2', '--cov0', '1e308,0;0,1'], /--cov0: entry 1e\+308 is outside \[-1000000000000, 1000000000000\]/],
    ['cov0 variance below sigma0 squared', ['--dim', '2', '--cov0', '1e-301,0;0,1'], /--cov0: variance 1e-301 on the diagonal is below 1e-300/],
    ['cov0 and sigma0', ['--dim', '2', '--cov0', '1,0;0,1', '--sigma0', '2'], /--cov0 and --sigma0/],
    ['unknown backend', ['--backend', 'gpu'], /--backend: "gpu" is not allowed; expected one of js, wasm, wasm-simd/],
    ['unknown option', ['--temperature', '2'], /--temperature: unknown option; see collapse-bench run gaussian --help/],
    ['a typo of an option', ['--replicate', '5'], /^collapse-bench: --replicate: unknown option; did you mean --replicates\?$/m],
    ['a typo of a long option', ['--real-fractoin', '0.1'], /--real-fractoin: unknown option; did you mean --real-fraction\?/],
    ['missing value', ['--samples'], /--samples.*argument missing/],
    ['hexadecimal integer', ['--replicates', '0x10'], /--replicates: "0x10" is not allowed; expected a decimal integer in \[1, 1000000\]/],
    ['binary integer', ['--replicates', '0b11'], /--replicates: "0b11" is not allowed; expected a decimal integer in \[1, 1000000\]/],
    ['integer with a space', ['--replicates', ' 2'], /--replicates: " 2" is not allowed; expected a decimal integer/],
    ['integer with an exponent', ['--generations', '1e3'], /--generations: "1e3" is not allowed; expected a decimal integer in \[1, 1000000\]/],
    ['integer with a point', ['--samples', '20.0'], /--samples: "20.0" is not allowed; expected a decimal integer in \[2, 10000000\]/],
    ['integer with a plus sign', ['--replicates=+3'], /--replicates: "\+3" is not allowed; expected a decimal integer/],
    ['hexadecimal number', ['--bias', '0x1'], /--bias: "0x1" is not allowed; expected a number in \(0, 1\]/],
    ['infinite number', ['--sigma0', 'Infinity'], /--sigma0: "Infinity" is not allowed/],
    ['a flag with a value', ['--quiet=no'], /--quiet: is a flag and takes no value/],
    ['mix needs more real data than there is', ['--policy', 'mix', '--schedule', 'linear', '--real-fraction', '0.5', '--generations', '10'], /--real-fraction: .*needs \d+ real points/],
    ['more recorded generations than a line should hold', ['--generations', '1000000', '--replicates', '100'], /--generations\/--every: recording 1000001 generations .* record at most 100001 \(--every 10 or more\)/],
    ['more memory than kernels can address', ['--policy', 'accumulate-subsample', '--samples', '10000000', '--generations', '1000'], /needs? \d+ MiB .*2048 MiB/],
  ];
  it.each(cases)('%s', (_, extra, message) => {
    const r = cli(small(extra));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  it.each([
    ['a repeated option', ['--generations', '4'], /^collapse-bench: --generations given twice; give it once$/m],
    ['a repeated seed', ['--seed', '1', '--seed', '2'], /^collapse-bench: --seed given twice; give it once$/m],
    ['a repeated flag', ['--quiet'], /^collapse-bench: --quiet given twice; give it once$/m],
  ])('%s', (_, extra, message) => {
    const r = cli([...SMALL, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it.each([
    ['unknown family', ['run', 'nosuch'], /run: unknown family 'nosuch'; available: gaussian/],
    ['a typo of a family', ['run', 'gausian', '--samples', '10'], /run: unknown family 'gausian'; did you mean gaussian\?; available: gaussian, categorical/],
    ['unknown command', ['simulate'], /unknown command 'simulate'/],
    ['a typo of a command', ['rn', 'gaussian'], /unknown command 'rn'; did you mean run\?/],
    ['a family as a command', ['gaussian'], /unknown command 'gaussian'; did you mean run gaussian\?/],
    ['show without a file', ['show'], /show: expected exactly one FILE.jsonl/],
    ['show of a missing file', ['show', join(tmp, 'nope.jsonl')], /show: cannot read .*nope.jsonl \(ENOENT\)/],
    ['a repeated option of show', ['show', join(tmp, 'nope.jsonl'), '--json', '--json'], /^collapse-bench: --json given twice; give it once$/m],
    ['a repeated option of export', ['export', join(tmp, 'nope.jsonl'), '--out', 'a.csv', '--out', 'b.csv'], /^collapse-bench: --out given twice; give it once$/m],
    ['a repeated option of sweep', ['sweep', 'grid.json', '--workers', '1', '--workers', '2'], /^collapse-bench: --workers given twice; give it once$/m],
  ])('%s', (_, args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('show of a file that is not a run', () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"hello": 1}\n');
    expect(cli(['show', bad]).err).toMatch(/bad.jsonl:1: not a collapse-bench run header/);
    writeFileSync(bad, 'not json\n');
    expect(cli(['show', bad]).err).toMatch(/bad.jsonl:1: not valid JSON/);
  });

  it('show of run --json\'s summary says it is one, not a run\'s JSONL, as written and on one line', () => {
    const run = cli([...SMALL, '--json']);
    expect(run.code).toBe(0);
    const file = join(tmp, 'run.json');
    for (const text of [run.out, JSON.stringify(JSON.parse(run.out)) + '\n']) {
      writeFileSync(file, text);
      const r = cli(['show', file]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^collapse-bench: .*run\.json:1: a collapse-bench summary \(what run --json prints\), not a run's JSONL; .* run --out FILE\.jsonl writes$/m);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    // other JSON over several lines is named as such
    writeFileSync(file, '{\n  "a": 1\n}\n');
    expect(cli(['show', file]).err).toMatch(/run\.json:1: JSON written over several lines, not JSONL/);
  });
});

describe('the progress line', () => {
  it('says the time left in the unit a reader takes in', () => {
    expect([42, 119.94, 600, 7199, 12_600, 172_799, 864_000, 63_115_199, 755_999_999_999.6].map(duration)).toEqual(['42.0 s', '119.9 s', '10 min', '120 min', '3.5 h', '48.0 h', '10 days', '730 days', '23956 years']);
  });
});

describe('run without a family', () => {
  it('lists the families, one line each, and exits 2 with a short usage', () => {
    const r = cli(['run']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/Usage: collapse-bench run <family> \[options\]/);
    for (const name of ['gaussian', 'categorical', 'gmm', 'kde', 'regression']) expect(r.err).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(r.err).not.toContain('--samples');
    expect(r.err.trim().split('\n').length).toBeLessThan(15);
    const opts = cli(['run', '--quiet']);
    expect(opts.code).toBe(2);
  });
});

describe('help', () => {
  it('--help lists the commands, run --help every option of the table', () => {
    const main = cli(['--help']);
    expect(main.code).toBe(0);
    expect(main.out).toMatch(/collapse-bench run <family>/);
    expect(main.out).toMatch(/gaussian .*Shumailov/);
    const run = cli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(cli(['run', 'gaussian', '--help']).out).toContain('--real-fraction');
    for (const opt of ['dim', 'samples', 'schedule', 'generations', 'replicates', 'estimator', 'policy', 'real-fraction', 'bias', 'mu0', 'sigma0', 'cov0', 'every', 'seed', 'backend', 'json', 'out', 'quiet']) {
      expect(run.out).toContain(`--${opt}`);
    }
  });
});

describe('results', () => {
  it('--json prints one object with config, environment, digest and per-generation theory', () => {
    const r = cli([...SMALL, '--json', '--every', '10']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.config).toMatchObject({ samples: 50, generations: 30, replicates: 5, backend: 'wasm-simd' }); // the default where the engine has SIMD
    expect(s.environment.runtime).toBe('node');
    expect(s.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(s.generations.map((g: { n: number }) => g.n)).toEqual([0, 10, 20, 30]);
    expect(s.generations[3].metrics.meanSqError).toMatchObject({ theoryMean: expect.any(Number), mean: expect.any(Number) });
  });

  it('--out writes a header and one line per replicate; show prints the same summary from the file alone', () => {
    const file = join(tmp, 'run.jsonl');
    const run = cli([...SMALL, '--out', file, '--json', '--backend', 'js']);
    expect(run.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].kind).toBe('header');
    expect(lines.slice(1).map((l) => l.replicate)).toEqual([0, 1, 2, 3, 4]);
    const shown = cli(['show', file, '--json']);
    expect(shown.code).toBe(0);
    const a = JSON.parse(run.out);
    const b = JSON.parse(shown.out);
    expect(b.elapsedMs).toBeNull();
    expect({ ...b, elapsedMs: a.elapsedMs }).toEqual(a);
    // and the text report, but for the timing
    const text = cli(['show', file]).out;
    expect(text).toContain(`digest ${a.digest}  (5/5 replicates)`);
  });

  it('the table shows the theory beside the simulation', () => {
    const r = cli([...SMALL, '--every', '10']);
    expect(r.out).toMatch(/E\|mu-mu0\|\^2 ± se\s+theory\s+sigma mean\s+theory/);
    expect(r.out).toMatch(/^\s*30\s+50\s/m);
    expect(r.out).toMatch(/digest [0-9a-f]{64}/);
  });

  it('a reader that closes the pipe early ends the run quietly, exit 0, no EPIPE trace', () => {
    // the shell's `run ... --json | head -c 40`: the reader takes 40 bytes and leaves
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${small(['--generations', '3000', '--every', '1', '--json']).join(' ')} | head -c 40 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('rc=0\n');
  });

  it('seed 0 (an all-zero state for some generators) runs normally', () => {
    const r = cli([...SMALL, '--seed', '0', '--json'], 20_000);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).config.seed).toBe(0);
  });
});

describe('start-up', () => {
  it("turns Node's compile cache on where Node has one (22.1 and later)", () => {
    // Node 20 has no module.enableCompileCache: a preload gives it one that says it was called
    const preload = join(tmp, 'compile-cache-probe.mjs');
    writeFileSync(preload, "import m from 'node:module';\nm.enableCompileCache = () => process.stderr.write('compile cache on\\n');\n");
    const r = spawnSync(process.execPath, ['--import', preload, BIN, '--version'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('compile cache on\n');
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('where the time went (COLLAPSE_BENCH_TIMING=1)', () => {
  it.each([1, 2])('--workers %i: setup, replicates, theory and summary, adding up to elapsedMs; not there without it', (workers) => {
    const args = [BIN, ...small(['--workers', String(workers), '--json'])];
    const timed = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, COLLAPSE_BENCH_TIMING: '1' } });
    expect(timed.status, timed.stderr).toBe(0);
    const s = JSON.parse(timed.stdout);
    const p = s.phasesMs;
    expect(Object.keys(p)).toEqual(['setup', 'replicates', 'theory', 'summary']);
    for (const v of Object.values(p) as number[]) expect(v).toBeGreaterThanOrEqual(0);
    expect(p.setup + p.replicates + p.theory + p.summary).toBeCloseTo(s.elapsedMs, 6);
    expect(p.replicates).toBeGreaterThan(p.summary);
    const table = spawnSync(process.execPath, [BIN, ...small(['--workers', String(workers)])], { encoding: 'utf8', env: { ...process.env, COLLAPSE_BENCH_TIMING: '1' } });
    expect(table.stdout).toMatch(/\ntime: setup [\d.]+ ms, replicates [\d.]+ ms, theory [\d.]+ ms, summary [\d.]+ ms\n/);
    const plain = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, COLLAPSE_BENCH_TIMING: '' } });
    expect(JSON.parse(plain.stdout).phasesMs).toBeUndefined();
  });
});

describe('Ctrl-C', () => {
  it('stops cleanly with exit code 130 and keeps the finished replicates', async () => {
    const file = join(tmp, 'interrupted.jsonl');
    const child = spawn(process.execPath, [BIN, 'run', 'gaussian', '--samples', '1000', '--generations', '100000', '--replicates', '50', '--out', file, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    // wait until the header is written, then interrupt mid-replicate
    for (let i = 0; i < 200 && !(existsSync(file) && readFileSync(file, 'utf8').includes('"header"')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted: \d+ of 50 replicates finished; they are in/);
    const shown = cli(['show', file]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/partial run: \d+ of 50 replicates/);
  });
});
