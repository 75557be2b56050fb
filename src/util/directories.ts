// Making a directory and its missing parents. Node 20's mkdir with
// `recursive: true` never returns where a file system answers ENOENT to
// making a directory whose parent exists (/proc: a sweep, report or merge
// with --out under it spun at 100% CPU, deaf to Ctrl-C); this walk asks each
// level once.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Makes `dir` and its missing parents; an existing directory is fine. Throws the file system's error (with its code) otherwise. */
export function makeDirectory(dir: string): void {
  const path = resolve(dir);
  try {
    mkdirSync(path);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(path).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(path) === path) throw e;
  }
  makeDirectory(dirname(path));
  // the parent exists now: a second ENOENT is the file system's answer, thrown
  mkdirSync(path);
}

/** makeDirectory for a command's --out: its failure is a UsageError naming --out. */
export function makeOutDirectory(dir: string): void {
  try {
    makeDirectory(dir);
  } catch (e) {
    throw new UsageError(`--out: cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Makes `dir` and checks it can be written, before any work: a clear error naming the option (`by`). */
export function prepareDir(dir: string, by: string): void {
  try {
    makeDirectory(dir);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${by} ${dir}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a writable directory`);
  }
}
