// `collapse-bench reproduce`: the checks fail when they should, a failing
// check makes the command exit 1, bad input is one line (exit 2), and the
// whole `reproduce all --quick` passes through the built CLI with its
// checks.json and JSONL files that `show` reads.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atMost, inRange, meanMatchesTheory, near, positive } from '../src/reproduce/checks.js';
import { PRESETS, SWEEP_PRESETS, presetOf } from '../src/reproduce/presets.js';
import { runPreset } from '../src/reproduce/execute.js';
import { main } from '../src/cli/main.js';
import type { RunSummary } from '../src/results/types.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'collapse-reproduce-'));

function cli(args: string[], timeout = 300_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A summary with one metric at one generation. */
function summaryWith(mean: number, se: number, theoryMean: number): RunSummary {
  const m = { mean, median: mean, sd: null, se, count: 100, medianRankError: 0, theoryMean, theoryMedian: null, theoryLower: null, theoryUpper: null };
  return { generations: [{ n: 10, samples: 100, metrics: { x: m } }] } as unknown as RunSummary;
}

describe('checks', () => {
  it('pass within k se and fail outside, on either side', () => {
    expect(near('a', 1.3, 0.1, 1, 4, '').pass).toBe(true);
    expect(near('a', 1.5, 0.1, 1, 4, '').pass).toBe(false);
    expect(near('a', 0.5, 0.1, 1, 4, '').pass).toBe(false);
    expect(meanMatchesTheory('r', summaryWith(1.39, 0.1, 1), 'x', 10, 4, '').pass).toBe(true);
    const off = meanMatchesTheory('r', summaryWith(1.41, 0.1, 1), 'x', 10, 4, '');
    expect(off.pass).toBe(false);
    expect(off.tolerance).toBe('4 se = 0.4');
    expect(off.accept[0]).toBeCloseTo(0.6, 12);
    expect(off.accept[1]).toBeCloseTo(1.4, 12);
  });

  it('fail when the value, its se or the generation is missing', () => {
    expect(near('a', null, 0.1, 1, 4, '').pass).toBe(false);
    expect(near('a', NaN, 0.1, 1, 4, '').pass).toBe(false);
    expect(near('a', 1, null, 1, 4, '').pass).toBe(false);
    expect(meanMatchesTheory('r', summaryWith(1, 0.1, 1), 'x', 20, 4, '').pass).toBe(false);
    expect(meanMatchesTheory('r', summaryWith(1, 0.1, 1), 'y', 10, 4, '').pass).toBe(false);
  });

  it('bounds, ranges and differences', () => {
    expect(atMost('b', 1.05, 1, 0.02, 4, '').pass).toBe(true);
    expect(atMost('b', 1.1, 1, 0.02, 4, '').pass).toBe(false);
    expect(positive('d', 0.5, 0.1, 4, '').pass).toBe(true);
    expect(positive('d', 0.3, 0.1, 4, '').pass).toBe(false);
    expect(positive('d', -1, 0.1, 4, '').pass).toBe(false);
    expect(inRange('r', 0.5, 0, 1, '').pass).toBe(true);
    expect(inRange('r', 1.01, 0, 1, '').pass).toBe(false);
  });
});

describe('a preset', () => {
  afterEach(() => vi.restoreAllMocks());

  it('every preset has runs, both sizes, and distinct run ids', () => {
    expect(PRESETS.map((p) => p.name)).toEqual(['shumailov-gaussian', 'shumailov-gmm', 'shumailov-lm', 'shumailov-vae', 'wright-fisher', 'gerstgrasser-accumulate', 'kazdan-kde', 'mad-bias', 'golden-ratio']);
    for (const p of PRESETS) {
      for (const quick of [true, false]) {
        const ids = p.runs(quick).map((r) => r.id);
        expect(ids.length).toBeGreaterThan(0);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });

  it('stopped by its signal: no checks, not passed', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runPreset(presetOf('mad-bias')!, true, { signal: controller.signal });
    expect(outcome).toMatchObject({ aborted: true, pass: false, checks: [] });
  });

  it('a check fed a value outside its tolerance makes reproduce FAIL with exit code 1', async () => {
    const preset = presetOf('mad-bias')!;
    const evaluate = preset.evaluate.bind(preset);
    // the real checks, then the fresh run's trace ratio moved outside its range
    vi.spyOn(preset, 'evaluate').mockImplementation((results, quick) => {
      const t = results['biased-fresh'].summary.generations.at(-1)!.metrics.traceRatio;
      t.mean = t.mean! + 0.2;
      return evaluate(results, quick);
    });
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const dir = join(tmp, 'failing');
    const code = await main(['reproduce', 'mad-bias', '--quick', '--out', dir, '--quiet']);
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^reproduce: FAIL, 1 of 6 checks failed \(mad-bias: biased-fresh: E traceRatio at n = 30\)/);
    const json = JSON.parse(readFileSync(join(dir, 'mad-bias', 'checks.json'), 'utf8'));
    expect(json.pass).toBe(false);
    expect(json.checks.filter((c: { pass: boolean }) => !c.pass).map((c: { name: string }) => c.name)).toEqual(['biased-fresh: E traceRatio at n = 30']);
  }, 60_000);
});

describe('reproduce: bad input, one line and exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown preset names the list', ['gausian'], /unknown preset 'gausian'.*available: shumailov-gaussian, shumailov-gmm, shumailov-lm, shumailov-vae, wright-fisher, gerstgrasser-accumulate, kazdan-kde, mad-bias, golden-ratio, sweep-shumailov-m, sweep-gerstgrasser, sweep-kazdan-gaussian, sweep-kazdan-kde, all/],
    ['a near miss gets a suggestion', ['mad-bais'], /did you mean mad-bias\?/],
    ['no preset', [], /which preset\? one of shumailov-gaussian, .*, or all/],
    ['two presets', ['mad-bias', 'golden-ratio'], /one preset \(or all\), got 2/],
    ['workers zero', ['mad-bias', '--workers', '0'], /--workers: "0" is not allowed; expected an integer in \[1, 64\]/],
    ['unknown backend', ['mad-bias', '--backend', 'gpu'], /--backend: "gpu" is not allowed; expected one of js, wasm, wasm-simd/],
    ['unknown option', ['mad-bias', '--replicates', '5'], /--replicates: unknown option/],
    ['a list with a preset', ['--list', 'mad-bias'], /--list: takes no preset/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    expect(await main(['reproduce', ...args])).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(errors[0]).not.toMatch(/\n\s+at /);
    vi.restoreAllMocks();
  });
});

describe('reproduce through the built CLI', () => {
  it('--list names every preset, its paper and its measured times', () => {
    const r = cli(['reproduce', '--list']);
    expect(r.code).toBe(0);
    for (const p of [...PRESETS, ...SWEEP_PRESETS]) expect(r.out).toContain(`${p.name}\n  paper:  ${p.paper}`);
    expect(r.out).toMatch(/time: {3}[\d.]+ s full, [\d.]+ s --quick/);
  });

  it('reproduce all --quick passes every check, writes checks.json, JSONL that show reads and a report', () => {
    const dir = join(tmp, 'all');
    const r = cli(['reproduce', 'all', '--quick', '--out', dir, '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^reproduce: PASS, all \d+ checks of shumailov-gaussian, .*golden-ratio, sweep-shumailov-m, .*sweep-kazdan-kde \(--quick\)$/m);
    for (const p of PRESETS) {
      const json = JSON.parse(readFileSync(join(dir, p.name, 'checks.json'), 'utf8'));
      expect(json).toMatchObject({ preset: p.name, quick: true, pass: true, seed: p.seed });
      expect(json.checks.length).toBeGreaterThan(0);
      expect(json.runs.map((x: { id: string }) => x.id)).toEqual(p.runs(true).map((x) => x.id));
      for (const run of json.runs) {
        expect(run.digest).toMatch(/^[0-9a-f]{64}$/);
        expect(existsSync(run.file)).toBe(true);
      }
      expect(readdirSync(join(dir, p.name)).filter((f) => f.endsWith('.jsonl'))).toHaveLength(json.runs.length);
      // its report: the figures and the page of the `report` command, with every run's digest
      const html = readFileSync(join(dir, p.name, 'report', 'index.html'), 'utf8');
      for (const run of json.runs) expect(html).toContain(run.digest);
    }
    // a sweep preset's directory is an ordinary sweep's (manifest, a JSONL per cell, summary.json) with its checks and sweep report
    for (const p of SWEEP_PRESETS) {
      const json = JSON.parse(readFileSync(join(dir, p.name, 'checks.json'), 'utf8'));
      expect(json).toMatchObject({ preset: p.name, quick: true, pass: true });
      const summary = JSON.parse(readFileSync(join(dir, p.name, 'summary.json'), 'utf8'));
      expect(json.runs.map((x: { digest: string }) => x.digest)).toEqual(summary.cells.map((c: { digest: string }) => c.digest));
      for (const run of json.runs) expect(existsSync(run.file)).toBe(true);
      expect(readdirSync(join(dir, p.name, 'report')).filter((f) => f.startsWith('sweep-') && f.endsWith('.svg')).length).toBeGreaterThan(0);
    }
    // a run file is an ordinary --out file: show prints its summary with the same digest
    const json = JSON.parse(readFileSync(join(dir, 'mad-bias', 'checks.json'), 'utf8'));
    const shown = cli(['show', json.runs[0].file, '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out).digest).toBe(json.runs[0].digest);
  }, 300_000);
});

describe('reproduce: Ctrl-C', () => {
  it('stops with exit code 130, no checks, and keeps the finished replicates', async () => {
    const dir = join(tmp, 'interrupted');
    const file = join(dir, 'kazdan-kde', 'replace.jsonl');
    const child = spawn(process.execPath, [BIN, 'reproduce', 'kazdan-kde', '--out', dir, '--workers', '1', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    for (let i = 0; i < 400 && !(existsSync(file) && readFileSync(file, 'utf8').includes('"header"')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted: kazdan-kde stopped; what finished is in/);
    expect(existsSync(join(dir, 'kazdan-kde', 'checks.json'))).toBe(false);
    const shown = cli(['show', file]);
    expect(shown.code).toBe(0);
  }, 60_000);
});
