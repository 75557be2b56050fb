// What `npm pack` (and so `npm publish`) puts in the package: the built
// harness and kernels every command needs (build/ and dist/ are in
// .gitignore, which npm would follow without .npmignore), the files the CLI
// reads at run time (sweep grids), and no run outputs or node_modules.
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

it('the package holds the build, what package.json points at, the sweep grids, and no run outputs', () => {
  // --ignore-scripts: list this checkout's files as they are (prepare would rebuild)
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(r.status, r.stderr).toBe(0);
  const files = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string>; imports: Record<string, string> };
  const pointedAt = [...Object.values(pkg.bin), ...Object.values(pkg.imports)].map((p) => p.replace(/^\.\//, ''));
  for (const f of [...pointedAt, 'dist/src/cli/bundle/main.js', 'dist/src/runner/replicate-worker.bundle.js', 'dist/vendor/vega.js', 'build/data/mnist/0.u8', 'sweeps/kazdan-kde.quick.json', 'bench/peers/categorical.py']) {
    expect(files.has(f), f).toBe(true);
  }
  const outputs = [...files].filter((f) => f.startsWith('node_modules/') || f.endsWith('.jsonl') || /^bench\/results\/(?!reference-).*\.json$/.test(f));
  expect(outputs).toEqual([]);
}, 60_000);
