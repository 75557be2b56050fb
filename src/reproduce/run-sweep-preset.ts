// Runs a sweep preset: its grid file of sweeps/ (quick or full) through the
// sweep code (planSweep, runSweep: the cells, a JSONL each, the manifest and
// summary.json into the directory), the preset's seed or backend put into the
// grid's base when the caller replaces them, then the checks on the summary.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../kernels/abi.js';
import type { ExecutorFactory } from '../runner/executor.js';
import { parseGridText } from '../sweep/grid.js';
import { planSweep, runSweep, type PlannedSweep, type SweepProgress } from '../sweep/run-sweep.js';
import type { SweepSummary } from '../sweep/summary.js';
import type { PresetOutcome } from './execute.js';
import type { SweepPreset } from './types.js';

/** The grid file of a sweep preset: sweeps/ at the package root (found upwards from here: src/ and dist/src/ sit at different depths). */
export function sweepPresetGrid(preset: SweepPreset, quick: boolean): string {
  const file = `${preset.grid}.${quick ? 'quick' : 'full'}.json`;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'sweeps', file))) return join(dir, 'sweeps', file);
    if (dirname(dir) === dir) throw new Error(`sweep preset ${preset.name}: sweeps/${file} not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The preset's grid, checked whole (a bad cell fails before any work), with the seed and backend replaced when given. */
export function planSweepPreset(preset: SweepPreset, quick: boolean, o: { seed?: string | number; backend?: BackendName } = {}): PlannedSweep {
  const path = sweepPresetGrid(preset, quick);
  const grid = parseGridText(readFileSync(path, 'utf8'), path);
  if (o.seed !== undefined) grid.base = { ...grid.base, seed: o.seed };
  if (o.backend !== undefined) grid.base = { ...grid.base, backend: o.backend };
  return planSweep(grid, path);
}

export interface SweepPresetHooks {
  seed?: string | number;
  backend?: BackendName;
  /** The sweep's directory (its files are overwritten); none: nothing is written. */
  dir?: string;
  workers?: number;
  parallel?: ExecutorFactory;
  signal?: AbortSignal;
  onProgress?(p: SweepProgress): void;
}

export async function runSweepPreset(preset: SweepPreset, quick: boolean, hooks: SweepPresetHooks = {}): Promise<PresetOutcome & { summary: SweepSummary; plan: PlannedSweep }> {
  const plan = planSweepPreset(preset, quick, hooks);
  const { summary, aborted } = await runSweep(plan, { dir: hooks.dir, force: hooks.dir !== undefined, workers: hooks.workers, parallel: hooks.parallel, signal: hooks.signal, onProgress: hooks.onProgress });
  const runs = summary.cells.map((c) => ({ id: plan.manifest.cells[c.index].file.replace(/\.jsonl$/, ''), family: summary.family, config: plan.manifest.cells[c.index].config, digest: c.digest, replicates: c.replicatesCompleted, elapsedMs: null }));
  const checks = aborted ? [] : preset.evaluate(summary, plan.manifest, quick);
  const seed = hooks.seed ?? String(plan.grid.base.seed ?? '');
  return { preset: preset.name, quick, seed, runs, checks, pass: !aborted && checks.length > 0 && checks.every((c) => c.pass), aborted, summary, plan };
}
