// The staleness check behind "tests never run stale code" (scripts/stamp.mjs),
// on a temporary tree of fake sources and outputs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { inputFiles, inputsHash, staleReason, writeStamp, type BuildInputs, type BuildOutputs } from '../scripts/stamp.mjs';

const inputs: BuildInputs = { dirs: ['assembly', 'src'], files: ['scripts/build.mjs', 'tsconfig.json'], ignore: ['src/generated'] };
const outputs: BuildOutputs = { kernels: ['build/kernel-artifacts.js'], harness: ['dist/bin.js'] };

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'collapse-stamp-'));
  const files: Record<string, string> = {
    'assembly/index.ts': 'export function f(): i32 { return 1; }',
    'assembly/rng/xor4096.ts': 'export const N = 544;',
    'src/cli/main.ts': 'export {}',
    'src/generated/cache.json': '{}',
    'src/notes.txt': 'not a source',
    'scripts/build.mjs': '// build',
    'tsconfig.json': '{}',
    'build/kernel-artifacts.js': '',
    'dist/bin.js': '',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  return root;
}

describe('build staleness (scripts/stamp.mjs)', () => {
  it('hashes the sources only: source extensions under the input folders, the listed files, not ignored folders', () => {
    const root = tree();
    expect(inputFiles(root, inputs)).toEqual(['assembly/index.ts', 'assembly/rng/xor4096.ts', 'scripts/build.mjs', 'src/cli/main.ts', 'tsconfig.json']);
    rmSync(root, { recursive: true });
  });

  it('is stale without a stamp, fresh after one, stale again after a source edit', () => {
    const root = tree();
    expect(staleReason(root, { inputs, outputs })).toMatch(/no build stamp/);
    writeStamp(root, { harness: true, inputs });
    expect(staleReason(root, { inputs, outputs })).toBeNull();
    writeFileSync(join(root, 'assembly/rng/xor4096.ts'), 'export const N = 545;');
    expect(staleReason(root, { inputs, outputs })).toMatch(/sources changed/);
    writeFileSync(join(root, 'assembly/rng/xor4096.ts'), 'export const N = 544;');
    expect(staleReason(root, { inputs, outputs })).toBeNull();
    rmSync(root, { recursive: true });
  });

  it('follows content, not times: touching a file keeps the build fresh; ignored and other files do not count', () => {
    const root = tree();
    writeStamp(root, { harness: true, inputs });
    utimesSync(join(root, 'src/cli/main.ts'), new Date(), new Date(Date.now() + 60_000));
    writeFileSync(join(root, 'src/notes.txt'), 'edited');
    writeFileSync(join(root, 'src/generated/cache.json'), '{"x":1}');
    expect(staleReason(root, { inputs, outputs })).toBeNull();
    rmSync(root, { recursive: true });
  });

  it('counts new and deleted sources, a renamed file, tsconfig and the build script', () => {
    for (const edit of [
      (root: string) => writeFileSync(join(root, 'src/new.ts'), ''),
      (root: string) => rmSync(join(root, 'src/cli/main.ts')),
      (root: string) => {
        rmSync(join(root, 'src/cli/main.ts'));
        writeFileSync(join(root, 'src/cli/main2.ts'), 'export {}');
      },
      (root: string) => writeFileSync(join(root, 'tsconfig.json'), '{"strict":true}'),
      (root: string) => writeFileSync(join(root, 'scripts/build.mjs'), '// build 2'),
    ]) {
      const root = tree();
      writeStamp(root, { harness: true, inputs });
      edit(root);
      expect(staleReason(root, { inputs, outputs })).toMatch(/sources changed/);
      rmSync(root, { recursive: true });
    }
  });

  it('is stale when an output is missing, and when dist/ is needed after a --kernels-only build', () => {
    const root = tree();
    writeStamp(root, { harness: true, inputs });
    rmSync(join(root, 'dist/bin.js'));
    expect(staleReason(root, { inputs, outputs })).toMatch(/dist\/bin.js is missing/);
    expect(staleReason(root, { inputs, outputs, harness: false })).toBeNull();
    writeFileSync(join(root, 'dist/bin.js'), '');
    writeStamp(root, { harness: false, inputs });
    expect(staleReason(root, { inputs, outputs })).toMatch(/--kernels-only/);
    expect(staleReason(root, { inputs, outputs, harness: false })).toBeNull();
    rmSync(root, { recursive: true });
  });

  it('keeps the hash taken when the build started, so an edit during the build still counts', () => {
    const root = tree();
    const before = inputsHash(root, inputs);
    writeFileSync(join(root, 'src/cli/main.ts'), 'export const edited = 1;');
    writeStamp(root, { harness: true, hash: before, inputs });
    expect(staleReason(root, { inputs, outputs })).toMatch(/sources changed/);
    rmSync(root, { recursive: true });
  });

  it('the checkout itself: the real inputs include the kernel source, the harness and the build script', () => {
    const root = new URL('..', import.meta.url).pathname;
    const files = inputFiles(root);
    expect(files).toContain('assembly/index.ts');
    expect(files).toContain('src/cli/main.ts');
    expect(files).toContain('bench/run.ts');
    expect(files).toContain('scripts/build.mjs');
    expect(files).toContain('tsconfig.build.json');
    expect(files.some((f) => f.startsWith('bench/results/'))).toBe(false);
  });
});
