// `collapse-bench reproduce <preset|all> [--quick]`: runs a preset's runs
// (src/reproduce/), writes each as JSONL under DIR/<preset>/ (the files
// `show` reads), prints the table of checks and writes it as checks.json.
// Exit 0 only when every check passes; 1 otherwise; 130 on Ctrl-C (the runs
// that finished are kept). A sweep preset continues a cut run (--resume) or
// checks a directory that `sweep` or `merge` finished (--from DIR).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from '../config/spec.js';
import { parseArgv } from '../config/argv.js';
import { parseOptions } from '../config/validate.js';
import { didYouMean } from '../config/suggest.js';
import { BACKEND_NAMES, type BackendName } from '../kernels/abi.js';
import { kernelBuild } from '../kernels/backend.js';
import { OutFile } from '../results/out-file.js';
import { environmentFacts } from '../util/env.js';
import { UsageError } from '../util/errors.js';
import { makeOutDirectory } from '../util/directories.js';
import { replicatePool } from '../runner/replicate-pool.js';
import { defaultWorkers } from '../runner/thread-boot.js';
import { PRESETS, SWEEP_PRESETS, presetOf, sweepPresetOf } from '../reproduce/presets.js';
import { checkSweepPresetDir, planSweepPreset, runSweepPreset, type SweepPresetOutcome } from '../reproduce/run-sweep-preset.js';
import { runPreset, resolvePreset, type PresetOutcome } from '../reproduce/execute.js';
import { fmt } from '../reproduce/checks.js';
import type { CheckResult, Preset, SweepPreset } from '../reproduce/types.js';
import { optionsHelp } from './help.js';
import { progressPrinter } from './progress.js';
import { VERSION } from '../version.js';
import { MAX_WORKERS } from '../config/common.js';
import { EXIT_INTERRUPTED, interruptOnCtrlC } from './interrupt.js';

export const REPRODUCE_OPTIONS: readonly OptionSpec[] = [
  { name: 'list', kind: 'flag', help: 'list the presets: paper, what each checks, measured time' },
  { name: 'quick', kind: 'flag', help: 'small sizes (all presets together in about a minute) with tolerances from their own standard errors' },
  { name: 'out', kind: 'string', help: 'directory for DIR/<preset>/<run>.jsonl and checks.json (overwritten) (default reproduce-out)', arg: 'DIR' },
  { name: 'backend', kind: 'enum', values: BACKEND_NAMES, help: 'engine for the kernels; results do not depend on it (default wasm-simd, or wasm where the engine has no SIMD)' },
  { name: 'workers', kind: 'int', min: 1, max: MAX_WORKERS, help: 'replicates run at once in worker threads (default: 1 with --quick, else the cores)', arg: 'N' },
  { name: 'seed', kind: 'string', help: "replaces every run's seed (the checks' tolerances were set with the presets' own seeds)", arg: 'seed' },
  { name: 'resume', kind: 'flag', help: 'sweep presets: continue DIR/<preset>/ (finished cells kept, a cut one continued) instead of starting again; the other presets of all run again' },
  { name: 'from', kind: 'string', help: "a sweep preset's checks on a directory already run by `sweep` (or `merge`) of the preset's grid; nothing runs; checks.json and the report go to --out DIR/<preset>/", arg: 'SWEEPDIR' },
  { name: 'quiet', kind: 'flag', help: 'no progress on stderr' },
  { name: 'no-report', kind: 'flag', help: 'skip the figures and HTML report of each preset (DIR/<preset>/report/)' },
];

const USAGE = 'Usage: collapse-bench reproduce <preset|all> [--quick] [--out DIR] [--backend B] [--workers N] [--seed S] [--resume]\n       collapse-bench reproduce <sweep preset> [--quick] --from SWEEPDIR [--out DIR]\n       collapse-bench reproduce --list';
const EXIT_FAIL = 1;

/** The report of one preset (figures and index.html, the `report` command's) from its run files, in DIR/<preset>/report/. */
async function presetReport(dir: string, runFiles: string[], say: (line: string) => void): Promise<void> {
  const { reportFromFiles } = await import('./report.js');
  const { html } = await reportFromFiles(runFiles, join(dir, 'report'));
  say(`report: ${html}`);
}

export async function cmdReproduce(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(REPRODUCE_OPTIONS, argv, 'collapse-bench reproduce --help');
  if (help) {
    console.log(`${USAGE}\n\nPresets:\n${presetLines()}\n\nOptions:\n${optionsHelp(REPRODUCE_OPTIONS)}`);
    return 0;
  }
  const o = parseOptions(REPRODUCE_OPTIONS, values);
  if (o.list) {
    if (positionals.length) throw new UsageError(`reproduce --list: takes no preset (got '${positionals[0]}')`);
    console.log(listTable());
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `reproduce: one preset (or all), got ${positionals.length}: ${positionals.join(' ')}` : `reproduce: which preset? one of ${names()}, or all (reproduce --list describes them)`);
  }
  const name = positionals[0];
  const presets: (Preset | SweepPreset | undefined)[] = name === 'all' ? [...PRESETS, ...SWEEP_PRESETS] : [presetOf(name) ?? sweepPresetOf(name)];
  if (!presets[0]) throw new UsageError(`reproduce: unknown preset '${name}'${didYouMean(name, [...allNames(), 'all'])}; available: ${names()}, all`);
  const quick = Boolean(o.quick);
  const out = (o.out as string | undefined) ?? 'reproduce-out';
  const backend = o.backend as BackendName | undefined;
  const seed = o.seed as string | undefined;
  if (seed === '') throw new UsageError('--seed: an empty seed is not allowed; expected an int32 or a string');
  const workers = (o.workers as number | undefined) ?? (quick ? 1 : defaultWorkers());
  const resume = Boolean(o.resume);
  const from = o.from as string | undefined;
  if (from !== undefined) {
    const p = presets[0] as Preset | SweepPreset;
    if (resume) throw new UsageError('--from with --resume: --from only reads a finished sweep, --resume continues DIR/<preset>/; choose one');
    if (name === 'all' || !isSweep(p)) throw new UsageError(`--from: takes one sweep preset (${SWEEP_PRESETS.map((x) => x.name).join(', ')}), not ${name}`);
    if (from === '') throw new UsageError('--from: give the directory of a sweep (sweep GRID --out DIR)');
    return reproduceSweepFrom(p, from, { quick, out, backend, seed, quiet: Boolean(o.quiet), report: !o['no-report'] });
  }
  if (resume && name !== 'all' && !isSweep(presets[0] as Preset)) throw new UsageError(`--resume: applies to the sweep presets (${SWEEP_PRESETS.map((x) => x.name).join(', ')}); ${name} runs again whole without it`);
  // every run of every preset validated before any work
  for (const p of presets as (Preset | SweepPreset)[]) {
    if (isSweep(p)) planSweepPreset(p, quick, { seed, backend });
    else resolvePreset(p, quick, { seed, backend });
  }

  const interrupt = interruptOnCtrlC();
  const outcomes: PresetOutcome[] = [];
  try {
    for (const preset of presets as (Preset | SweepPreset)[]) {
      const settings = { quick, out, backend, seed, workers, resume, quiet: Boolean(o.quiet), report: !o['no-report'], signal: interrupt.signal };
      const outcome = isSweep(preset) ? await reproduceSweep(preset, settings) : await reproduceOne(preset, settings);
      outcomes.push(outcome);
      if (outcome.aborted) break;
    }
  } finally {
    interrupt.dispose();
  }
  const last = outcomes[outcomes.length - 1];
  if (last?.aborted) {
    const again = SWEEP_PRESETS.some((p) => p.name === last.preset) ? `; continue it: collapse-bench reproduce ${name}${quick ? ' --quick' : ''} --out ${out}${seed !== undefined ? ` --seed ${seed}` : ''}${backend ? ` --backend ${backend}` : ''} --resume` : '';
    process.stderr.write(`interrupted: ${last.preset} stopped; what finished is in ${join(out, last.preset)}/ (the stopped run's file holds its finished replicates; no checks for an unfinished preset)${again}\n`);
    return EXIT_INTERRUPTED;
  }
  const failed = outcomes.flatMap((oc) => oc.checks.filter((c) => !c.pass).map((c) => `${oc.preset}: ${c.name}`));
  const total = outcomes.reduce((s, oc) => s + oc.checks.length, 0);
  if (failed.length) {
    console.error(`reproduce: FAIL, ${failed.length} of ${total} checks failed (${failed.slice(0, 3).join('; ')}${failed.length > 3 ? '; ...' : ''}); see ${out}/<preset>/checks.json`);
    return EXIT_FAIL;
  }
  console.log(`reproduce: PASS, all ${total} checks of ${outcomes.map((oc) => oc.preset).join(', ')}${quick ? ' (--quick)' : ''}`);
  return 0;
}

interface Settings {
  quick: boolean;
  out: string;
  backend?: BackendName;
  seed?: string;
  workers: number;
  /** Sweep presets continue DIR/<preset>/ instead of starting it again. */
  resume: boolean;
  quiet: boolean;
  /** Write DIR/<preset>/report/ (figures and index.html). */
  report: boolean;
  signal: AbortSignal;
}

async function reproduceOne(preset: Preset, s: Settings): Promise<PresetOutcome> {
  const dir = join(s.out, preset.name);
  makeOutDirectory(dir);
  const t0 = Date.now();
  const files: string[] = [];
  let file: OutFile | undefined;
  let progress: ReturnType<typeof progressPrinter> | undefined;
  console.log(`== ${preset.name}: ${preset.paper}${s.quick ? ' (--quick)' : ''}`);
  const outcome = await runPreset(preset, s.quick, {
    seed: s.seed,
    backend: s.backend,
    workers: s.workers,
    parallel: replicatePool,
    signal: s.signal,
    onHeader(run, header) {
      const path = join(dir, `${run.id}.jsonl`);
      file = OutFile.create(path, true);
      files.push(path);
      file.write(JSON.stringify(header));
      progress = progressPrinter(`${preset.name} ${run.id}`, !s.quiet);
    },
    onReplicate(_run, record) {
      file?.writeRecord(record);
    },
    onProgress: (_run, p) => progress?.update(p),
    onRunEnd() {
      progress?.done();
      file?.close();
      file = undefined;
    },
  });
  if (outcome.aborted) return outcome;
  await writeChecks(preset, dir, outcome, Date.now() - t0, files);
  if (s.report) await presetReport(dir, files, (line) => console.log(line));
  return outcome;
}

const isSweep = (p: Preset | SweepPreset): p is SweepPreset => (p as SweepPreset).kind === 'sweep';

/** A sweep preset: its grid run by the sweep code into DIR/<preset>/ (manifest, a JSONL per cell, summary.json), its checks, its sweep report. */
async function reproduceSweep(preset: SweepPreset, s: Settings): Promise<PresetOutcome> {
  const dir = join(s.out, preset.name);
  const t0 = Date.now();
  console.log(`== ${preset.name}: ${preset.paper}${s.quick ? ' (--quick)' : ''}`);
  let label = '';
  const progress = progressPrinter(() => label, !s.quiet);
  let outcome;
  try {
    outcome = await runSweepPreset(preset, s.quick, {
      seed: s.seed,
      backend: s.backend,
      dir,
      resume: s.resume,
      workers: s.workers,
      parallel: replicatePool,
      signal: s.signal,
      onProgress(p) {
        label = `${preset.name} ${p.piece + 1}/${p.pieces} ${p.cell}`;
        progress.update(p);
      },
    });
  } finally {
    progress.done();
  }
  if (outcome.aborted) return outcome;
  await writeChecks(preset, dir, outcome, Date.now() - t0, outcome.runs.map((r) => join(dir, `${r.id}.jsonl`)));
  if (s.report) await sweepReport(dir, dir, outcome);
  return outcome;
}

/** A sweep preset's checks on a finished sweep's directory (nothing runs); checks.json and the report into DIR/<preset>/, the sweep's own directory untouched. */
async function reproduceSweepFrom(preset: SweepPreset, from: string, s: Omit<Settings, 'workers' | 'resume' | 'signal'>): Promise<number> {
  const t0 = Date.now();
  const outcome = checkSweepPresetDir(preset, s.quick, from, { seed: s.seed, backend: s.backend });
  const dir = join(s.out, preset.name);
  makeOutDirectory(dir);
  console.log(`== ${preset.name}: ${preset.paper}${s.quick ? ' (--quick)' : ''}, from ${from}`);
  await writeChecks(preset, dir, outcome, Date.now() - t0, outcome.runs.map((r) => join(from, `${r.id}.jsonl`)), from);
  if (s.report) await sweepReport(dir, from, outcome);
  const failed = outcome.checks.filter((c) => !c.pass);
  if (failed.length) {
    console.error(`reproduce: FAIL, ${failed.length} of ${outcome.checks.length} checks failed (${failed.slice(0, 3).map((c) => c.name).join('; ')}${failed.length > 3 ? '; ...' : ''}); see ${dir}/checks.json`);
    return EXIT_FAIL;
  }
  console.log(`reproduce: PASS, all ${outcome.checks.length} checks of ${preset.name}${s.quick ? ' (--quick)' : ''} on ${from}`);
  return 0;
}

/** The sweep's figures and summary table, in dir/report/. */
async function sweepReport(dir: string, source: string, outcome: SweepPresetOutcome): Promise<void> {
  const { sweepSection, writeReport } = await import('./report.js');
  const { html } = await writeReport([], [], join(dir, 'report'), '--out', () => {}, [sweepSection(outcome.plan.manifest, outcome.summary, source)]);
  console.log(`report: ${html}`);
}

/** Prints the table of checks and writes checks.json beside the runs. */
async function writeChecks(preset: Preset | SweepPreset, dir: string, outcome: PresetOutcome, elapsedMs: number, files: string[], from?: string): Promise<void> {
  console.log(checkTable(outcome.checks));
  const passed = outcome.checks.filter((c) => c.pass).length;
  console.log(`${preset.name}: ${passed}/${outcome.checks.length} checks pass, ${(elapsedMs / 1000).toFixed(1)} s; ${from === undefined ? 'runs and checks.json' : `runs in ${from}/, checks.json`} in ${dir}/\n`);
  const json = {
    tool: 'collapse-bench',
    version: VERSION,
    preset: preset.name,
    paper: preset.paper,
    quick: outcome.quick,
    seed: outcome.seed,
    ...(from === undefined ? {} : { from }),
    pass: outcome.pass,
    elapsedMs,
    checks: outcome.checks,
    runs: outcome.runs.map((r, i) => ({ ...r, file: files[i] })),
    environment: await environmentFacts(),
    kernels: kernelBuild,
  };
  writeFileSync(join(dir, 'checks.json'), JSON.stringify(json, null, 2) + '\n');
}

/** The checks as a text table: check, value, expected, tolerance, PASS/FAIL. */
export function checkTable(checks: CheckResult[]): string {
  const rows = [['check', 'value', 'expected', 'tolerance', ''], ...checks.map((c) => [c.name, fmt(c.value), c.expected, c.tolerance, c.pass ? 'PASS' : 'FAIL'])];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((x, j) => (j === 0 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join('  ').trimEnd()).join('\n');
}

const allNames = () => [...PRESETS, ...SWEEP_PRESETS].map((p) => p.name);
const names = () => allNames().join(', ');

function presetLines(): string {
  return [...PRESETS, ...SWEEP_PRESETS].map((p) => `  ${p.name.padEnd(25)}${p.paper}`).join('\n');
}

function listTable(): string {
  return [...PRESETS, ...SWEEP_PRESETS].map((p) => `${p.name}\n  paper:  ${p.paper}\n  checks: ${p.checks}\n  time:   ${p.measured.full} full, ${p.measured.quick} --quick (wall time measured on a shared 2-core AMD EPYC, Node 20, wasm, default --workers)`).join('\n\n');
}
