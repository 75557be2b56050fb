// The CLI's start-up: the build bundles the harness (scripts/build.mjs), and
// bin.js imports the bundle; thread-boot.js stays outside it, so that the
// threads bin.js boots early are the ones the pool finds (one module, not a
// copy in the bundle); a run on one thread loads no thread machinery
// (tinypool and Node's worker_threads and child_process), threads do.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/src/', import.meta.url));
const bundleDir = join(dist, 'cli/bundle');
const BIN = join(dist, 'cli/bin.js');
const REPORT = fileURLToPath(new URL('./fixtures/report-thread-builtins.mjs', import.meta.url));

describe('the bundled harness', () => {
  const chunks = readdirSync(bundleDir).filter((f) => f.endsWith('.js'));
  const text = (f: string) => readFileSync(join(bundleDir, f), 'utf8');

  it('is what bin.js imports', () => {
    expect(chunks).toContain('main.js');
    expect(readFileSync(BIN, 'utf8')).toContain("'./bundle/main.js'");
  });

  it('imports thread-boot.js from where it is, and holds no copy of it', () => {
    let importers = 0;
    for (const f of chunks) {
      for (const [, spec] of text(f).matchAll(/from\s*"([^"]*thread-boot\.js)"/g)) {
        importers++;
        expect(resolve(bundleDir, spec)).toBe(join(dist, 'runner/thread-boot.js'));
        expect(existsSync(resolve(bundleDir, spec))).toBe(true);
      }
      expect(text(f), f).not.toMatch(/function (bootThreadsEarly|takeThreads)\b/);
    }
    expect(importers).toBeGreaterThan(0);
  });

  it('imports no tinypool (threads load it when they boot)', () => {
    for (const f of chunks) expect(text(f), f).not.toMatch(/(from|import)\s*"tinypool"/);
  });
});

describe('thread machinery is loaded only for threads', () => {
  const builtins = (workers: number): string[] => {
    const r = spawnSync(process.execPath, ['--import', REPORT, BIN, 'run', 'gaussian', '--generations', '5', '--replicates', '4', '--workers', String(workers), '--quiet'], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(/thread built-ins: (.*)/.exec(r.stderr)![1]);
  };

  it('--workers 1: none', () => expect(builtins(1)).toEqual([]));
  it('--workers 2: worker_threads', () => expect(builtins(2)).toContain('NativeModule worker_threads'));
});
