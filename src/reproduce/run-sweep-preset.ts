// Runs a sweep preset: its grid file of sweeps/ (quick or full) through the
// sweep code (planSweep, runSweep: the cells, a JSONL each, the manifest and
// summary.json into the directory), the preset's seed or backend put into the
// grid's base when the caller replaces them, then the checks on the summary.
// A full grid takes hours, so a cut run continues (resume: runSweep's), and
// the checks can be read off a directory that `sweep` (or `merge`) finished.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../kernels/abi.js';
import type { ExecutorFactory } from '../runner/executor.js';
import { UsageError } from '../util/errors.js';
import { parseGridText } from '../sweep/grid.js';
import { readSweep } from '../sweep/load.js';
import { MANIFEST, manifestMismatch, readManifest, type SweepManifest } from '../sweep/manifest.js';
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
  /** The sweep's directory (its files are overwritten, unless resume); none: nothing is written. */
  dir?: string;
  /** Continue the sweep in dir as `sweep --resume` does (it must be this preset's grid; none there: start it). */
  resume?: boolean;
  workers?: number;
  parallel?: ExecutorFactory;
  signal?: AbortSignal;
  onProgress?(p: SweepProgress): void;
}

export type SweepPresetOutcome = PresetOutcome & { summary: SweepSummary; plan: PlannedSweep };

export async function runSweepPreset(preset: SweepPreset, quick: boolean, hooks: SweepPresetHooks = {}): Promise<SweepPresetOutcome> {
  const plan = planSweepPreset(preset, quick, hooks);
  const resume = hooks.dir !== undefined && hooks.resume === true;
  // reproduce has no --force: without --resume it starts the directory again
  const restart = `start again: the same reproduce command without --resume (it overwrites ${hooks.dir})`;
  if (resume) {
    // checked here as well as in runSweep, to name the flag that differs (--quick) and reproduce's own options
    const path = join(hooks.dir!, MANIFEST);
    if (existsSync(path)) {
      const found = readManifest(path);
      const why = manifestMismatch(found, plan.manifest, path, 'this grid');
      if (why) throw new UsageError(`--resume: ${why}${otherSizeHint(preset, quick, found, hooks)}; resume with the options it was started with (--quick, --seed, --backend), or ${restart}`);
    }
  }
  const { summary, aborted } = await runSweep(plan, { dir: hooks.dir, resume, force: hooks.dir !== undefined && !resume, workers: hooks.workers, parallel: hooks.parallel, signal: hooks.signal, onProgress: hooks.onProgress, restart });
  return outcomeOf(preset, quick, plan, summary, aborted, hooks.seed);
}

/**
 * The preset's checks on a sweep directory already run by `sweep` (or joined
 * by `merge`): its manifest must be the preset's grid (quick or full, with
 * the seed and backend given) in this version and kernel build, and every
 * cell complete; then the checks read its summary.json, as after a run.
 */
export function checkSweepPresetDir(preset: SweepPreset, quick: boolean, dir: string, o: { seed?: string | number; backend?: BackendName } = {}): SweepPresetOutcome {
  const plan = planSweepPreset(preset, quick, o);
  let read: ReturnType<typeof readSweep>;
  try {
    read = readSweep(dir);
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`--from: ${e.message}`) : e;
  }
  const { manifest, summary } = read;
  const grid = `sweeps/${preset.grid}.${quick ? 'quick' : 'full'}.json`;
  const why = manifestMismatch(manifest, plan.manifest, dir, `${preset.name}'s grid ${grid}${o.seed !== undefined ? ` with --seed ${o.seed}` : ''}`);
  if (why) throw new UsageError(`--from: ${why}${otherSizeHint(preset, quick, manifest, o)}`);
  const short = summary.cells.filter((c) => c.replicatesCompleted !== plan.cells[c.index].config.replicates);
  if (summary.cells.length !== plan.cells.length || short.length) {
    const c = short[0];
    throw new UsageError(`--from: ${dir} is not finished (${c ? `cell ${c.index} has ${c.replicatesCompleted} of ${plan.cells[c.index].config.replicates} replicates` : `${summary.cells.length} of ${plan.cells.length} cells`}); continue it with sweep --resume`);
  }
  return outcomeOf(preset, quick, plan, summary, false, o.seed);
}

/** Where a directory of the other size (quick for full, or full for quick) was given: say so. */
function otherSizeHint(preset: SweepPreset, quick: boolean, m: SweepManifest, o: { seed?: string | number; backend?: BackendName }): string {
  try {
    if (manifestMismatch(m, planSweepPreset(preset, !quick, o).manifest, '', '') === null) return quick ? ' (it is the full grid: drop --quick)' : ' (it is the quick grid: add --quick)';
  } catch {
    // the other size cannot be planned: no hint
  }
  return '';
}

function outcomeOf(preset: SweepPreset, quick: boolean, plan: PlannedSweep, summary: SweepSummary, aborted: boolean, seed: string | number | undefined): SweepPresetOutcome {
  const runs = summary.cells.map((c) => ({ id: plan.manifest.cells[c.index].file.replace(/\.jsonl$/, ''), family: summary.family, config: plan.manifest.cells[c.index].config, digest: c.digest, replicates: c.replicatesCompleted, elapsedMs: null }));
  const checks = aborted ? [] : preset.evaluate(summary, plan.manifest, quick);
  return { preset: preset.name, quick, seed: seed ?? String(plan.grid.base.seed ?? ''), runs, checks, pass: !aborted && checks.length > 0 && checks.every((c) => c.pass), aborted, summary, plan };
}
