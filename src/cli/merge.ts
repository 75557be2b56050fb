// `collapse-bench merge DIR... --out DIR`: the shards of a sweep joined into
// the directory an unsharded run would have written (manifest.json, one JSONL
// per cell, summary.json), and the same summary printed.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { OptionSpec } from '../config/spec.js';
import { parseArgv } from '../config/argv.js';
import { UsageError } from '../util/errors.js';
import { prepareDir } from '../util/directories.js';
import { OutFile } from '../results/out-file.js';
import { planMerge, mergeCell, type ShardSource } from '../sweep/merge.js';
import { MANIFEST, SUMMARY, readManifest, writeJsonFile } from '../sweep/manifest.js';
import { cellSummary, sweepSummary } from '../sweep/summary.js';
import { optionsHelp } from './help.js';
import { printSweepSummary } from './sweep.js';
import { EXIT_INTERRUPTED } from './interrupt.js';

/** The staging directories' prefix; then the host and process that made one (removeDeadStages reads them). */
const STAGE = '.merge-';

export const MERGE_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', help: 'the merged sweep: manifest.json, one JSONL per cell, summary.json', arg: 'DIR' },
  { name: 'force', kind: 'flag', help: '--out may overwrite a sweep already in DIR' },
  { name: 'json', kind: 'flag', help: 'print the summary as one JSON object instead of the table' },
];

const USAGE = 'Usage: collapse-bench merge DIR... --out DIR';
const SHARD_MANIFEST = /^shard-\d+-of-\d+\.json$/;

/** The shard manifests in the directories given (a directory of an unsharded sweep counts as one whole shard). */
function findShards(dirs: string[]): ShardSource[] {
  const out: ShardSource[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw new UsageError(`merge: cannot read the directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const shards = names.filter((n) => SHARD_MANIFEST.test(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const found = shards.length ? shards : names.includes(MANIFEST) ? [MANIFEST] : [];
    if (!found.length) throw new UsageError(`merge: ${dir} holds no shard manifest (shard-I-of-N.json) nor ${MANIFEST}; is it a sweep's --out directory?`);
    for (const name of found) out.push({ path: join(dir, name), dir, manifest: readManifest(join(dir, name)) });
  }
  // the same manifest reached twice (a directory named twice) is one source
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = `${s.dir}\0${s.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function cmdMerge(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseArgv(MERGE_OPTIONS, argv, 'collapse-bench merge --help');
  if (help) {
    console.log(`${USAGE}\n\nJoins the shards of a sweep (sweep --shard i/n): checks that every (cell, replicate) is present once, from one grid and version, and writes what an unsharded sweep writes.\n\nOptions:\n${optionsHelp(MERGE_OPTIONS)}`);
    return 0;
  }
  if (!positionals.length) throw new UsageError(`merge: give the shards' directories\n${USAGE}`);
  const out = values.out as string | undefined;
  if (out === undefined) throw new UsageError(`merge: --out DIR is required (the merged sweep's directory)\n${USAGE}`);
  const { manifest, cells } = planMerge(findShards(positionals));
  if (positionals.some((d) => join(d) === join(out))) throw new UsageError(`merge: --out ${out} is one of the shards' directories; merge into another one`);
  const existed = existsSync(out);
  // the helper of report --out and sweep --report: a file, or a directory that cannot be written, is named before any work
  prepareDir(out, '--out');
  const files = [...manifest.cells.map((c) => c.file), SUMMARY, MANIFEST];
  if (!values.force) {
    const taken = [MANIFEST, ...manifest.cells.map((c) => c.file)].find((f) => existsSync(join(out, f)));
    if (taken) throw new UsageError(`--out: ${join(out, taken)} exists; add --force to overwrite it`);
  }
  // A shard file may turn out cut or unreadable only when its cell is copied, so
  // everything is written into a directory of its own first and moved into --out
  // at the end: a failed merge leaves --out as it was. The staging directory is
  // inside --out (whose writability is checked; its parent's need not be) and so
  // on its file system, where each rename is atomic.
  let stage: string;
  try {
    for (const left of removeDeadStages(out)) console.error(`merge: removed ${join(out, left)}, left by a merge that was killed`);
    stage = mkdtempSync(join(out, `${STAGE}${hostname()}-${process.pid}-`));
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a writable directory`);
  }
  const discard = () => {
    rmSync(stage, { recursive: true, force: true });
    // an --out this merge made goes too (rmdir: only while nothing else is in it)
    if (!existed) {
      try {
        rmdirSync(out);
      } catch {
        // something else was put there meanwhile: it stays
      }
    }
  };
  // Ctrl-C (the default would exit at once, leaving the staging directory)
  const onSigint = () => {
    discard();
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  let result: ReturnType<typeof sweepSummary>;
  try {
    writeJsonFile(stage, MANIFEST, manifest);
    const summaries = [];
    for (const [cell, pieces] of cells.entries()) {
      const file = OutFile.create(join(stage, manifest.cells[cell].file), true);
      try {
        const builder = await mergeCell(manifest, cell, pieces, file, join);
        summaries.push(cellSummary(manifest, cell, builder.finish(null), manifest.grid.report));
      } finally {
        file.close();
      }
    }
    result = sweepSummary(manifest, summaries);
    writeJsonFile(stage, SUMMARY, result);
    // the manifest last: a directory with the new manifest has the new cells
    for (const f of files) {
      try {
        renameSync(join(stage, f), join(out, f));
      } catch (e) {
        throw new UsageError(`--out: cannot write ${join(out, f)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
  } catch (e) {
    discard();
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  rmdirSync(stage);
  printSweepSummary(result, Boolean(values.json));
  return 0;
}


/**
 * Removes from `out` the staging directories of merges on this host whose
 * process is gone (killed before it could clean up: kill -9, a crash, the
 * machine's OOM killer), and returns their names. Another host's, or a live
 * process's (a merge running into the same --out), are left alone.
 */
function removeDeadStages(out: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(out)) {
    const m = /^\.merge-(.+)-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m || m[1] !== hostname() || isAlive(Number(m[2]))) continue;
    rmSync(join(out, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** True when process `pid` exists (signal 0 only asks; EPERM: it exists, another user's). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
