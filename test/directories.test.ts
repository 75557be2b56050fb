// makeDirectory: parents made as needed, an existing directory accepted, and
// a file system that refuses (ENOENT under /proc, where Node 20's recursive
// mkdir never returns) answered with its error at once.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectory, makeOutDirectory } from '../src/util/directories.js';
import { UsageError } from '../src/util/errors.js';

describe('makeDirectory', () => {
  it('makes missing parents, accepts an existing directory, refuses a file in the way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-dirs-'));
    try {
      const deep = join(dir, 'a', 'b', 'c');
      makeDirectory(deep);
      expect(statSync(deep).isDirectory()).toBe(true);
      makeDirectory(deep);
      writeFileSync(join(dir, 'f'), '');
      expect(() => makeDirectory(join(dir, 'f'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
      expect(() => makeDirectory(join(dir, 'f', 'g'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
      expect(() => makeOutDirectory(join(dir, 'f', 'g'))).toThrow(UsageError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(existsSync('/proc/self'))('returns the error under /proc instead of looping', () => {
    expect(() => makeDirectory('/proc/collapse-bench-nope/x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => makeOutDirectory('/proc/collapse-bench-nope')).toThrow(/--out: cannot create \/proc\/collapse-bench-nope \(ENOENT\)/);
  });
});
