// The sweep presets of `reproduce`: each quick grid of sweeps/ run through
// the sweep code passes its expected-shape checks (fixed seeds, tolerances in
// se), and a check fails when its trend is reversed.
import { describe, expect, it } from 'vitest';
import { SWEEP_PRESETS, sweepPresetOf } from '../src/reproduce/presets.js';
import { runSweepPreset } from '../src/reproduce/run-sweep-preset.js';
import { pooledDifference } from '../src/reproduce/sweep-checks.js';
import type { SweepSummary } from '../src/sweep/summary.js';
import { MAX_RELATIVE_SE, traceRatioRelativeSeBound } from '../src/reproduce/presets/sweep-kazdan.js';

describe('sweep presets, --quick', () => {
  it.each(SWEEP_PRESETS.map((p) => [p.name]))('%s passes its checks', async (name) => {
    const outcome = await runSweepPreset(sweepPresetOf(name)!, true, { workers: 1 });
    const failed = outcome.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.value} not in ${JSON.stringify(c.accept)}`);
    expect(failed).toEqual([]);
    expect(outcome.checks.length).toBeGreaterThanOrEqual(4);
    expect(outcome.pass).toBe(true);
    expect(outcome.runs).toHaveLength(outcome.plan.cells.length);
  }, 60_000);
});

describe('pooledDifference', () => {
  const cell = (index: number, policy: string, d: number, mean: number, se: number) =>
    ({ index, varied: { policy, d }, generation: 5, metrics: { x: { mean, se } } }) as unknown as SweepSummary['cells'][number];
  const s = { cells: [cell(0, 'a', 1, 2, 0.1), cell(1, 'a', 2, 3, 0.1), cell(2, 'b', 1, 1, 0.1), cell(3, 'b', 2, 1.5, 0.1)] } as unknown as SweepSummary;
  it('pairs cells by the other options, averages, and fails reversed or missing', () => {
    const up = pooledDifference('t', s, 'x', 'policy', 'a', 'b', 3, '');
    expect(up.value).toBeCloseTo(1.25, 12);
    expect(up.pass).toBe(true);
    expect(pooledDifference('t', s, 'x', 'policy', 'b', 'a', 3, '').pass).toBe(false);
    expect(pooledDifference('t', s, 'y', 'policy', 'a', 'b', 3, '').pass).toBe(false);
  });
});

describe('sweep-kazdan-gaussian: replace cells whose mean R replicates cannot estimate', () => {
  it('the relative se bound sqrt(((1 + 2/(M-1))^n - 1) / R): the full grid keeps M >= 100 of its replace cells, the quick grid M = 32', () => {
    const bound = (m: number, n: number, r: number) => Math.sqrt((Math.pow(1 + 2 / (m - 1), n) - 1) / r);
    for (const [m, n, r] of [[10, 100, 100], [32, 100, 100], [100, 100, 100], [10, 20, 10], [32, 20, 10]]) expect(traceRatioRelativeSeBound(m, n, r)).toBeCloseTo(bound(m, n, r), 10);
    const kept = (m: number, n: number, r: number) => traceRatioRelativeSeBound(m, n, r) <= MAX_RELATIVE_SE;
    expect([10, 32, 100, 316, 1000].map((m) => kept(m, 100, 100))).toEqual([false, false, true, true, true]);
    expect([10, 32].map((m) => kept(m, 20, 10))).toEqual([false, true]);
  });

  it('the quick run checks E traceRatio on every accumulate cell and the replace cells with M = 32 only', async () => {
    const outcome = await runSweepPreset(sweepPresetOf('sweep-kazdan-gaussian')!, true, { workers: 1 });
    const names = outcome.checks.filter((c) => c.name.includes('E traceRatio')).map((c) => c.name.replace(/: E traceRatio.*/, ''));
    expect(names.filter((n) => n.startsWith('policy=replace'))).toEqual(['policy=replace, dim=1, samples=32', 'policy=replace, dim=3, samples=32']);
    expect(names.filter((n) => n.startsWith('policy=accumulate,'))).toHaveLength(4);
  }, 60_000);
});
