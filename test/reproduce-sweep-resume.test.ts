// A sweep preset's full grid takes hours, so `reproduce <sweep preset>`
// continues a cut run (--resume) and reads the checks off a directory that
// `sweep` finished (--from DIR). Quick grids here: seconds.
// - a run cut in the middle of a cell and resumed gives the summary (bytes of
//   summary.json, cell digests) and checks of an uninterrupted run;
// - the checks from a `sweep` directory equal those of a direct run;
// - a directory of another grid, of the other size, or unfinished is refused
//   with what is wrong named.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepPresetOf } from '../src/reproduce/presets.js';
import { checkSweepPresetDir, runSweepPreset, sweepPresetGrid } from '../src/reproduce/run-sweep-preset.js';
import { main } from '../src/cli/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'collapse-reproduce-resume-'));
const gerst = sweepPresetOf('sweep-gerstgrasser')!;
const kazdan = sweepPresetOf('sweep-kazdan-gaussian')!;
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');

afterEach(() => vi.restoreAllMocks());

describe('reproduce <sweep preset> --resume', () => {
  it('a run cut in the middle of a cell, resumed, gives the summary, digests and checks of an uninterrupted run', async () => {
    const ref = join(tmp, 'ref');
    const direct = await runSweepPreset(gerst, true, { dir: ref, workers: 1 });
    expect(direct.pass).toBe(true);

    const out = join(tmp, 'cut');
    const stop = new AbortController();
    const replicates = direct.plan.cells[0].config.replicates;
    // stopped half-way into cell 1 (cell 0 finished)
    const cut = await runSweepPreset(gerst, true, {
      dir: out,
      workers: 1,
      signal: stop.signal,
      onProgress: (p) => void (p.done >= replicates + replicates / 2 && stop.abort()),
    });
    expect(cut.aborted).toBe(true);
    expect(cut.checks).toEqual([]);
    const cell1 = read(out, 'cell-001.jsonl').split('\n').filter(Boolean).length - 1;
    expect(cell1).toBeGreaterThan(0);
    expect(cell1).toBeLessThan(replicates);
    const cell0 = statSync(join(out, 'cell-000.jsonl')).mtimeMs;

    const pieces = new Set<number>();
    const work: { done: number; total: number; atStart: number }[] = [];
    const resumed = await runSweepPreset(gerst, true, {
      dir: out,
      workers: 1,
      resume: true,
      onProgress: (p) => {
        pieces.add(p.piece);
        work.push(p.work!);
      },
    });
    expect(resumed.aborted).toBe(false);
    // the progress line's work: the model's cost of every replicate, the cut run's share counted as found, never in the pace
    const cost = direct.plan.manifest.cells.map((c) => c.cost);
    const total = direct.plan.cells.reduce((t, c, i) => t + c.config.replicates * cost[i], 0);
    const atStart = replicates * cost[0] + cell1 * cost[1];
    expect(work.every((w) => w.total === total && w.atStart === atStart)).toBe(true);
    expect(work[0].done).toBeGreaterThanOrEqual(atStart);
    expect(work.every((w, i) => i === 0 || w.done >= work[i - 1].done)).toBe(true);
    expect(work.at(-1)!.done).toBeCloseTo(total, 6);
    expect(pieces.has(0)).toBe(false); // the finished cell was not run again
    expect(statSync(join(out, 'cell-000.jsonl')).mtimeMs).toBe(cell0);
    expect(read(out, 'summary.json')).toBe(read(ref, 'summary.json'));
    expect(resumed.runs.map((r) => r.digest)).toEqual(direct.runs.map((r) => r.digest));
    expect(resumed.checks).toEqual(direct.checks);
    expect(read(out, 'cell-001.jsonl').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate)).toEqual([...Array(replicates).keys()]);

    // resuming a finished directory runs nothing and gives the same again
    const again = await runSweepPreset(gerst, true, { dir: out, workers: 1, resume: true, onProgress: () => expect.unreachable('nothing to run') });
    expect(again.checks).toEqual(direct.checks);
  }, 60_000);

  it("refuses a directory of another preset's grid, or of the other size, naming it and what reproduce takes", async () => {
    const dir = join(tmp, 'ref'); // sweep-gerstgrasser's (the test above)
    const refusal = runSweepPreset(kazdan, true, { dir, workers: 1, resume: true });
    await expect(refusal).rejects.toThrow(/^--resume: .*manifest\.json and this grid are of different grids .*; resume with the options it was started with \(--quick, --seed, --backend\), or start again: the same reproduce command without --resume \(it overwrites .*ref\)$/);
    // reproduce has no --force
    await expect(refusal).rejects.not.toThrow(/--force/);
    // the quick grid's directory resumed without --quick: the flag is named
    await expect(runSweepPreset(gerst, false, { dir, workers: 1, resume: true })).rejects.toThrow(/different grids .*\(it is the quick grid: add --quick\); resume with the options/);
    // through the command: exit 2, one line
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    cpSync(dir, join(tmp, 'cmd', 'sweep-gerstgrasser'), { recursive: true });
    expect(await main(['reproduce', 'sweep-gerstgrasser', '--quick', '--seed', '7', '--out', join(tmp, 'cmd'), '--resume', '--quiet', '--no-report'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--resume: .*sweep-gerstgrasser.*manifest\.json and this grid are of different grids .*without --resume/);
    expect(errors.join('\n')).not.toMatch(/--force/);
  });
});

describe('reproduce <sweep preset> --from DIR', () => {
  it('the checks on a directory run by `sweep` equal the checks of a direct run', async () => {
    const dir = join(tmp, 'by-sweep');
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['sweep', sweepPresetGrid(kazdan, true), '--out', dir, '--quiet', '--workers', '1'])).toBe(0);
    const before = read(dir, 'summary.json');
    const direct = await runSweepPreset(kazdan, true, { workers: 1 });
    const from = checkSweepPresetDir(kazdan, true, dir);
    expect(from.checks.length).toBeGreaterThanOrEqual(4);
    expect(from.checks).toEqual(direct.checks);
    expect(from.runs.map((r) => r.digest)).toEqual(direct.runs.map((r) => r.digest));
    expect(from.pass).toBe(true);

    // through the command: checks.json in --out DIR/<preset>/, the sweep's directory untouched
    const out = join(tmp, 'from-out');
    expect(await main(['reproduce', 'sweep-kazdan-gaussian', '--quick', '--from', dir, '--out', out, '--no-report'])).toBe(0);
    const json = JSON.parse(read(out, 'sweep-kazdan-gaussian', 'checks.json'));
    expect(json.from).toBe(dir);
    expect(json.checks).toEqual(JSON.parse(JSON.stringify(direct.checks)));
    expect(json.runs[0].file).toBe(join(dir, 'cell-000.jsonl'));
    expect(read(dir, 'summary.json')).toBe(before);
  }, 60_000);

  it('refuses another grid, the other size (with the flag to use) and an unfinished sweep', async () => {
    const gerstDir = join(tmp, 'ref');
    const kazdanDir = join(tmp, 'by-sweep');
    expect(() => checkSweepPresetDir(kazdan, true, gerstDir)).toThrow(/^--from: .*ref and sweep-kazdan-gaussian's grid sweeps\/kazdan-gaussian\.quick\.json are of different grids/);
    expect(() => checkSweepPresetDir(kazdan, false, kazdanDir)).toThrow(/different grids .*\(it is the quick grid: add --quick\)$/);
    expect(() => checkSweepPresetDir(kazdan, true, kazdanDir, { seed: 7 })).toThrow(/with --seed 7 are of different grids/);
    // a sweep stopped before its end has no summary.json
    const cut = join(tmp, 'unfinished');
    const stop = new AbortController();
    await runSweepPreset(gerst, true, { dir: cut, workers: 1, signal: stop.signal, onProgress: () => stop.abort() });
    expect(() => checkSweepPresetDir(gerst, true, cut)).toThrow(/^--from: .*summary\.json: missing: the sweep did not finish \(resume it\)/);
    expect(() => checkSweepPresetDir(gerst, true, join(tmp, 'nowhere'))).toThrow(/^--from: .*manifest\.json: cannot read \(ENOENT\)/);
  }, 60_000);

  const bad: [string, string[], RegExp][] = [
    ['--from with all', ['all', '--from', 'x'], /^collapse-bench: --from: takes one sweep preset \(sweep-/],
    ['--from with a run preset', ['mad-bias', '--from', 'x'], /--from: takes one sweep preset .*not mad-bias/],
    ['--from with --resume', ['sweep-gerstgrasser', '--from', 'x', '--resume'], /--from with --resume: .*choose one/],
    ['--resume with a run preset', ['mad-bias', '--resume'], /--resume: applies to the sweep presets .*mad-bias runs again whole/],
  ];
  it.each(bad)('%s: one line, exit 2', async (_name, args, message) => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
    expect(await main(['reproduce', ...args])).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});
