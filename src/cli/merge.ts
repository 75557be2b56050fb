// `collapse-bench merge DIR... --out DIR`: the shards of a sweep joined into
// the directory an unsharded run would have written (manifest.json, one JSONL
// per cell, summary.json), and the same summary printed.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OptionSpec } from '../config/spec.js';
import { parseArgv } from '../config/argv.js';
import { UsageError } from '../util/errors.js';
import { OutFile } from '../results/out-file.js';
import { planMerge, mergeCell, type ShardSource } from '../sweep/merge.js';
import { MANIFEST, SUMMARY, readManifest, writeJsonFile } from '../sweep/manifest.js';
import { cellSummary, sweepSummary } from '../sweep/summary.js';
import { optionsHelp } from './help.js';
import { printSweepSummary } from './sweep.js';

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
  mkdirSync(out, { recursive: true });
  if (!values.force) {
    const taken = [MANIFEST, ...manifest.cells.map((c) => c.file)].find((f) => existsSync(join(out, f)));
    if (taken) throw new UsageError(`--out: ${join(out, taken)} exists; add --force to overwrite it`);
  }
  writeJsonFile(out, MANIFEST, manifest);
  const summaries = [];
  for (const [cell, pieces] of cells.entries()) {
    const file = OutFile.create(join(out, manifest.cells[cell].file), true);
    try {
      const builder = await mergeCell(manifest, cell, pieces, file, join);
      summaries.push(cellSummary(manifest, cell, builder.finish(null), manifest.grid.report));
    } finally {
      file.close();
    }
  }
  const result = sweepSummary(manifest, summaries);
  writeJsonFile(out, SUMMARY, result);
  printSweepSummary(result, Boolean(values.json));
  return 0;
}
