// vitest globalSetup: tests never run stale code. Kernel tests load build/,
// CLI tests spawn dist/; when the sources changed since the last build (see
// scripts/stamp.mjs), rebuild once before any test file runs, or fail with
// the build's output. SKIP_BUILD_CHECK=1 skips the check (say why you need it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleReason } from '../scripts/stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export default function setup(): void {
  if (process.env.SKIP_BUILD_CHECK) return;
  const reason = staleReason(root, { harness: true });
  if (reason === null) return;
  process.stderr.write(`collapse-bench: the build is out of date (${reason}); rebuilding with scripts/build.mjs\n`);
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(`the build failed (exit ${r.status ?? r.signal}); tests would run stale code. Fix it and run npm run build`);
  }
}
